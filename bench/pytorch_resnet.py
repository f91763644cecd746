#!/usr/bin/env python3
"""The PyTorch eager peer of `hmn bench activations`: torchvision's ResNet with random weights on random inputs,
the stage outputs pooled to channel means, images/s after warm-up. Needs torch; uses torchvision's ResNet when
torchvision imports, else the same architecture defined below (torchvision's layer names and operators)."""
import argparse
import os
import time

import torch
from torch import nn

try:
    import torchvision
except Exception:  # e.g. a torchvision wheel built for another torch
    torchvision = None


class Block(nn.Module):
    """torchvision's BasicBlock (two 3x3 convolutions) or Bottleneck (1x1, 3x3, 1x1 with expansion 4)."""

    def __init__(self, inp, width, stride, bottleneck):
        super().__init__()
        out = width * 4 if bottleneck else width
        if bottleneck:
            self.conv1, self.bn1 = nn.Conv2d(inp, width, 1, bias=False), nn.BatchNorm2d(width)
            self.conv2, self.bn2 = nn.Conv2d(width, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width)
            self.conv3, self.bn3 = nn.Conv2d(width, out, 1, bias=False), nn.BatchNorm2d(out)
        else:
            self.conv1, self.bn1 = nn.Conv2d(inp, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width)
            self.conv2, self.bn2 = nn.Conv2d(width, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width)
        self.bottleneck = bottleneck
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or inp != out:
            self.downsample = nn.Sequential(nn.Conv2d(inp, out, 1, stride, bias=False), nn.BatchNorm2d(out))

    def forward(self, x):
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        if self.bottleneck:
            y = self.bn3(self.conv3(self.relu(y)))
        return self.relu(y + (x if self.downsample is None else self.downsample(x)))


class ResNet(nn.Module):
    DEPTHS = {"resnet18": ([2, 2, 2, 2], False), "resnet34": ([3, 4, 6, 3], False), "resnet50": ([3, 4, 6, 3], True),
              "resnet101": ([3, 4, 23, 3], True), "resnet152": ([3, 8, 36, 3], True)}

    def __init__(self, name):
        super().__init__()
        blocks, bottleneck = self.DEPTHS[name]
        self.conv1, self.bn1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64)
        self.relu, self.maxpool = nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, 1)
        inp = 64
        for i, (n, width) in enumerate(zip(blocks, [64, 128, 256, 512])):
            layers = []
            for b in range(n):
                layers.append(Block(inp, width, 2 if b == 0 and i > 0 else 1, bottleneck))
                inp = width * 4 if bottleneck else width
            setattr(self, "layer%d" % (i + 1), nn.Sequential(*layers))
        self.avgpool, self.fc = nn.AdaptiveAvgPool2d(1), nn.Linear(inp, 1000)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="resnet18")
    p.add_argument("--layers", default="layer1,layer2,layer3,layer4")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--format", default="both", choices=["channels-last", "contiguous", "both"])
    a = p.parse_args()
    threads = a.threads or os.cpu_count()
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    layers = a.layers.split(",")
    model = (getattr(torchvision.models, a.model)() if torchvision else ResNet(a.model)).eval()
    pooled = []
    for name in layers:
        getattr(model, name).register_forward_hook(lambda m, i, o: pooled.append(o.mean(dim=(2, 3)) if o.dim() == 4 else o))
    x = torch.randn(a.batch, 3, 224, 224)
    formats = {"channels-last": [True], "contiguous": [False], "both": [True, False]}[a.format]
    for channels_last in formats:
        fmt = torch.channels_last if channels_last else torch.contiguous_format
        m = model.to(memory_format=fmt)
        xin = x.contiguous(memory_format=fmt)
        with torch.inference_mode():
            for _ in range(3):
                pooled.clear()
                m(xin)
            images = 0
            cpu0 = time.process_time()
            start = time.perf_counter()
            while time.perf_counter() - start < a.seconds:
                pooled.clear()
                m(xin)
                [t.numpy() for t in pooled]
                images += a.batch
            elapsed = time.perf_counter() - start
            cpu = time.process_time() - cpu0
        print("pytorch-eager %s %s %s batch=%d threads=%d: %.1f images/s (%d images in %.1f s; %.2f images per"
              " CPU-second)" % (torch.__version__, a.model, "channels-last" if channels_last else "contiguous",
                                a.batch, threads, images / elapsed, images, elapsed, images / cpu))


if __name__ == "__main__":
    main()
