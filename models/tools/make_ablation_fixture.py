#!/usr/bin/env python3
"""Generates the ablation fixture: PyTorch's logits when channels of ResNet18's layer2, layer3 or layer4 are
ablated, by a forward hook that replaces every spatial position of each ablated channel in the layer's output
(DESIGN.md, "Validity": mean ablation with each channel's mean pooled activation over the images, or zero ablation).
hmn's ablation is checked against it: layer4's from the pooled activations and fc alone, the others by running the
rest of the network.

    python models/tools/make_ablation_fixture.py ingest/src/test/resources/hmn/fixtures/torchvision

Needs torch, numpy and Pillow (not torchvision: the architecture comes from bench/pytorch_resnet.py, the weights from
make_fixture.py's seeded formula, the preprocessing is torchvision's evaluation transform written with Pillow). It
first checks itself: its channel means must equal expected/<layer>.npy (made with torchvision).
Writes expected-ablation/: sets.json (the ablated sets per layer) and <layer>-<set>-<mode>.npy (images x 1000
logits).
"""
import json
import os
import sys

import numpy as np
import torch
from PIL import Image

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(here, "..", "..", "bench"))
from make_fixture import SEED, load, seeded  # noqa: E402
from pytorch_resnet import ResNet  # noqa: E402

LAYERS = ("layer2", "layer3", "layer4")
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def preprocess(img):
    """torchvision's Resize(256) (bilinear, antialiased), CenterCrop(224), ToTensor, Normalize, with Pillow."""
    w, h = img.size
    if w <= h:
        size = (256, int(256 * h / w))
    else:
        size = (int(256 * w / h), 256)
    img = img.resize(size, Image.BILINEAR)
    left = int(round((size[0] - 224) / 2.0))
    top = int(round((size[1] - 224) / 2.0))
    img = img.crop((left, top, left + 224, top + 224))
    x = (np.asarray(img, dtype=np.float32) / 255.0 - MEAN) / STD
    return torch.from_numpy(x.transpose(2, 0, 1).copy())


def main():
    root = sys.argv[1]
    torch.set_num_threads(1)
    images = open(os.path.join(root, "expected", "images.txt")).read().split()
    model = ResNet("resnet18")
    state = model.state_dict()
    for name, t in state.items():
        if t.dtype.is_floating_point:
            state[name] = seeded(name, tuple(t.shape), SEED)
    model.load_state_dict(state)
    model.eval()
    x = torch.stack([preprocess(load(os.path.join(root, "images", name))) for name in images])
    fc = np.load(os.path.join(root, "expected", "fc.npy"))
    out = os.path.join(root, "expected-ablation")
    os.makedirs(out, exist_ok=True)
    made = {}
    for layer in LAYERS:
        maps = {}
        ablate = {}

        def hook(module, inputs, output):
            maps[layer] = output.detach().clone()
            if ablate:
                output = output.clone()
                for j, value in zip(ablate["channels"], ablate["values"]):
                    output[:, j, :, :] = value
            return output

        handle = getattr(model, layer).register_forward_hook(hook)
        with torch.inference_mode():
            logits = model(x).numpy()
        pooled = maps[layer].mean(dim=(2, 3)).numpy()
        reference = np.load(os.path.join(root, "expected", layer + ".npy"))
        error = np.abs(pooled - reference).max() / np.abs(reference).max()
        if error > 1e-4:
            sys.exit("%s differs from expected/%s.npy by %.3g: the preprocessing or weights are not torchvision's"
                     % (layer, layer, error))
        print("self-check: %s off by %.2g, fc off by %.2g (relative)" % (
            layer, error, np.abs(logits - fc).max() / np.abs(fc).max()))
        means = pooled.mean(axis=0)  # mu_j over the images, as hmn takes it from activations/<layer>.npy
        sets = sets_of(pooled.shape[1])
        for name, channels in sets.items():
            for mode in ("mean", "zero"):
                ablate["channels"] = channels
                ablate["values"] = [float(means[j]) if mode == "mean" else 0.0 for j in channels]
                with torch.inference_mode():
                    ablated = model(x).numpy().astype(np.float32)
                np.save(os.path.join(out, "%s-%s-%s.npy" % (layer, name, mode)), ablated)
        handle.remove()
        made[layer] = sets
    with open(os.path.join(out, "sets.json"), "w") as f:
        json.dump({"layers": made, "images": images,
                   "made": "models/tools/make_ablation_fixture.py, torch %s" % torch.__version__}, f, indent=1)
    print("wrote %d ablations of %d images to %s" % (2 * sum(len(s) for s in made.values()), len(images), out))


def sets_of(channels):
    """Three sets of a layer's channels: the first ten, five spread over the layer, and every fourth."""
    return {"first10": list(range(10)),
            "spread": sorted({3, channels // 5, channels // 2 + 1, channels - 101 if channels > 200 else channels - 5,
                              channels - 12}),
            "wide": list(range(0, channels, 4))}


if __name__ == "__main__":
    main()
