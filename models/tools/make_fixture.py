#!/usr/bin/env python3
"""Generates the torchvision correctness fixture for hmn's activation stage.

Run with Debian's python3-torch and python3-torchvision (the fixture was made with torch 1.13, torchvision 0.14,
Pillow 9.4):
    /usr/bin/python3 models/tools/make_fixture.py ingest/src/test/resources/hmn/fixtures/torchvision

It writes
  images/        a few small images of the kinds real collections hold (JPEG, PNG, grayscale, 16-bit, alpha,
                 palette, EXIF-rotated, CMYK) plus broken files that must be skipped;
  expected/      (and expected-resnet50/ for two images, bottleneck blocks) the activations torchvision computes for them, as an hmn activations directory (images.txt and
                 <layer>.npy, N x C float32): ResNet18 with weights from the seeded formula of
                 hmn.runtime.weights.SeededWeights (seed 7), torchvision's ImageNet evaluation transform, each stage's
                 channel means after the final ReLU, avgpool and fc;
  resized/       Pillow's bilinear resize of two images to the 256-pixel shorter side (bit-exact check);
  tiny_script.pt a small TorchScript model with named outputs, and expected-torchscript/ its outputs;
  tiny.pth       a small state dict with float32/float64/float16 tensors, views and offsets, and tiny.json with
                 its values (the checkpoint reader's test).
"""
import io
import json
import os
import sys

import numpy as np
import torch
from PIL import Image, ImageOps
try:
    import torchvision
    from torchvision import transforms
except Exception:  # make_ablation_fixture.py imports seeded() only
    torchvision = transforms = None

SEED = 7
LAYERS = ["layer1", "layer2", "layer3", "layer4", "avgpool", "fc"]


def fnv1a(name):
    h = 0x811C9DC5
    for b in name.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def seeded(name, shape, seed):
    """Same formula as hmn.runtime.weights.SeededWeights, bit for bit."""
    n = int(np.prod(shape))
    fan_in = n // shape[0] if len(shape) > 1 else 1
    mix = np.uint64((seed * 0x9E3779B1 + fnv1a(name)) & 0xFFFFFFFF)
    m32 = np.uint64(0xFFFFFFFF)
    x = (np.arange(n, dtype=np.uint64) * np.uint64(2654435761) + mix) & m32
    x ^= x >> np.uint64(16)
    x = (x * np.uint64(0x45D9F3B)) & m32
    x ^= x >> np.uint64(16)
    u = x.astype(np.float64) / 4294967296.0
    if len(shape) == 4:
        v = (u - 0.5) * np.sqrt(24.0 / fan_in)
    elif len(shape) == 2:
        v = (u - 0.5) * np.sqrt(12.0 / fan_in)
    elif name.endswith("running_var"):
        v = 0.5 + u
    elif name.endswith(".weight"):
        v = 0.5 + 0.5 * u
    else:
        v = 0.2 * (u - 0.5)
    return torch.from_numpy(v.astype(np.float32).reshape(shape))


def seeded_resnet(arch, seed):
    model = getattr(torchvision.models, arch)()
    state = model.state_dict()
    for name, t in state.items():
        if t.dtype.is_floating_point:
            state[name] = seeded(name, tuple(t.shape), seed)
    model.load_state_dict(state)
    return model.eval()


def scene(w, h, phase):
    """A deterministic photo-like test picture: gradients, discs and texture."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 128 + 100 * np.sin(x / (9 + phase) + y / 23)
    g = 128 + 90 * np.cos(y / (7 + phase)) * np.sin(x / 31)
    b = 255 * (x + y) / (w + h)
    for cx, cy, rad in ((w * 0.3, h * 0.4, min(w, h) / 5), (w * 0.7, h * 0.6, min(w, h) / 4)):
        inside = (x - cx) ** 2 + (y - cy) ** 2 < rad ** 2
        r[inside] = 240 - phase * 10
        g[inside] *= 0.3
    texture = 20 * np.sin(x * 1.7 + phase) * np.cos(y * 1.3)
    img = np.stack([r + texture, g - texture, b + texture / 2], axis=-1)
    return np.clip(img, 0, 255).astype(np.uint8)


def exif_with_orientation(orientation):
    exif = Image.Exif()
    exif[274] = orientation
    return exif.tobytes()


def write_images(d):
    os.makedirs(d, exist_ok=True)
    Image.fromarray(scene(300, 200, 0)).save(f"{d}/rgb.png")
    Image.fromarray(scene(320, 240, 1)).save(f"{d}/photo.jpg", quality=92)
    Image.fromarray(scene(250, 300, 2)).convert("L").save(f"{d}/gray.png")
    rgba = np.dstack([scene(260, 240, 3), (np.arange(260 * 240).reshape(240, 260) % 256).astype(np.uint8)])
    Image.fromarray(rgba, "RGBA").save(f"{d}/alpha.png")
    Image.fromarray(scene(280, 210, 4)).quantize(64).save(f"{d}/palette.png")
    g16 = (scene(240, 280, 5)[:, :, 0].astype(np.uint16) * 257 + np.arange(240, dtype=np.uint16)[None, :] % 200)
    Image.fromarray(g16.astype(np.uint16), "I;16").save(f"{d}/gray16.png")
    Image.fromarray(scene(320, 200, 6)).save(f"{d}/rotated.jpg", quality=92, exif=exif_with_orientation(6))
    Image.fromarray(scene(300, 240, 7)).convert("CMYK").save(f"{d}/cmyk.jpg", quality=95)
    Image.fromarray(scene(90, 70, 8)).save(f"{d}/small.png")
    frames = [Image.fromarray(scene(200, 180, 9 + i)).quantize(128) for i in range(3)]
    frames[0].save(f"{d}/animated.gif", save_all=True, append_images=frames[1:], duration=100, loop=0)
    os.makedirs(f"{d}/sub", exist_ok=True)
    Image.fromarray(scene(240, 320, 12)).save(f"{d}/sub/nested.png")
    # Files that must be skipped, each with its reason.
    open(f"{d}/empty.jpg", "wb").close()
    with open(f"{d}/notes.txt", "w") as f:
        f.write("not an image\n")
    data = open(f"{d}/photo.jpg", "rb").read()
    with open(f"{d}/truncated.jpg", "wb") as f:
        f.write(data[: len(data) // 2])
    with open(f"{d}/fake.webp", "wb") as f:
        f.write(b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(24))


def load(path):
    """torchvision's loader, upright, with 16-bit grayscale reduced to its high byte."""
    img = Image.open(path)
    img = ImageOps.exif_transpose(img)
    if img.mode in ("I;16", "I;16B", "I"):
        arr = (np.asarray(img).astype(np.uint32) >> 8).astype(np.uint8)
        img = Image.fromarray(arr, "L")
    return img.convert("RGB")


def expected(d, out, images, arch="resnet18"):
    torch.set_num_threads(1)
    model = seeded_resnet(arch, SEED)
    captured = {}
    for name in ("layer1", "layer2", "layer3", "layer4", "avgpool", "fc"):
        getattr(model, name).register_forward_hook(lambda m, i, o, name=name: captured.__setitem__(name, o))
    tf = transforms.Compose([
        transforms.Resize(256),
        transforms.CenterCrop(224),
        transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    ])
    rows = {name: [] for name in LAYERS}
    with torch.no_grad():
        for rel in images:
            x = tf(load(f"{d}/{rel}")).unsqueeze(0)
            model(x)
            for name in LAYERS:
                o = captured[name]
                v = o.flatten(1) if o.dim() == 2 or name == "avgpool" else o.mean(dim=(2, 3))
                rows[name].append(v[0].double().numpy())
    os.makedirs(out, exist_ok=True)
    with open(f"{out}/images.txt", "w") as f:
        f.write("".join(rel + "\n" for rel in images))
    for name in LAYERS:
        np.save(f"{out}/{name}.npy", np.stack(rows[name]).astype(np.float32))


def resized(d, out):
    os.makedirs(out, exist_ok=True)
    for rel in ("rgb.png", "photo.jpg", "small.png"):
        img = load(f"{d}/{rel}")
        r = transforms.Resize(256)(img)
        r.save(f"{out}/{rel.rsplit('.', 1)[0]}.png")


def tiny_checkpoint(root):
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 7
    state = {
        "plain": torch.tensor([[1.5, -2.25, 3.0], [0.125, 4.0, -0.5]]),
        "transposed": base.t(),
        "offset": base[1:3, 2:5],
        "double": torch.tensor([1e-3, 2.5, -7.0], dtype=torch.float64),
        "half": torch.tensor([0.5, -1.25, 65504.0], dtype=torch.float16),
        "count": torch.tensor(5, dtype=torch.int64),
        "scalar": torch.tensor(3.25),
        "param": torch.nn.Parameter(torch.tensor([9.0, 8.0])),
    }
    torch.save(state, f"{root}/tiny.pth")
    values = {k: {"shape": list(v.shape), "values": v.detach().double().flatten().tolist()}
              for k, v in state.items() if v.dtype.is_floating_point}
    with open(f"{root}/tiny.json", "w") as f:
        json.dump(values, f, indent=1)


class TinyNet(torch.nn.Module):
    """A small TorchScript model whose forward returns named outputs (feature maps and a vector)."""

    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.conv2 = torch.nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.fc = torch.nn.Linear(16, 5)

    def forward(self, x):
        s1 = torch.relu(self.conv1(x))
        s2 = torch.relu(self.conv2(s1))
        logits = self.fc(s2.mean(dim=(2, 3)))
        return {"stage1": s1, "stage2": s2, "logits": logits}


def torchscript(d, root, images):
    torch.manual_seed(0)
    model = torch.jit.script(TinyNet().eval())
    model.save(f"{root}/tiny_script.pt")
    tf = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                             transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])])
    x = torch.stack([tf(load(f"{d}/{rel}")) for rel in images])
    with torch.no_grad():
        out = model(x)
    os.makedirs(f"{root}/expected-torchscript", exist_ok=True)
    with open(f"{root}/expected-torchscript/images.txt", "w") as f:
        f.write("".join(rel + "\n" for rel in images))
    for name, o in out.items():
        v = o.mean(dim=(2, 3)) if o.dim() == 4 else o
        np.save(f"{root}/expected-torchscript/{name}.npy", v.numpy().astype(np.float32))


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "ingest/src/test/resources/hmn/fixtures/torchvision"
    d = f"{root}/images"
    write_images(d)
    images = ["alpha.png", "animated.gif", "cmyk.jpg", "gray.png", "gray16.png", "palette.png", "photo.jpg",
              "rgb.png", "rotated.jpg", "small.png", "sub/nested.png"]
    expected(d, f"{root}/expected", images)
    expected(d, f"{root}/expected-resnet50", ["photo.jpg", "rotated.jpg"], "resnet50")
    resized(d, f"{root}/resized")
    tiny_checkpoint(root)
    torchscript(d, root, ["photo.jpg", "rgb.png"])
    with open(f"{root}/README.md", "w") as f:
        f.write("Generated by models/tools/make_fixture.py with torch %s, torchvision %s, Pillow %s, numpy %s.\n"
                "Do not edit by hand; run the script again.\n" % (torch.__version__, torchvision.__version__,
                                                                  Image.__version__, np.__version__))


if __name__ == "__main__":
    main()
