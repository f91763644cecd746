#!/usr/bin/env python3
"""The PyTorch eager peer of `hmn bench activations`: torchvision's ResNet with random weights on random inputs,
the stage outputs pooled to channel means, images/s after warm-up. Needs python3-torch and python3-torchvision
(Debian: apt-get install python3-torch python3-torchvision)."""
import argparse
import os
import time

import torch
import torchvision


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
    model = getattr(torchvision.models, a.model)().eval()
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
