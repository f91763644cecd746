#!/usr/bin/env python3
"""Trains the catalogue's scenes-resnet18: torchvision's ResNet18 architecture with one logit per scene concept
(multi-label), on scenes drawn by hmn.demo.ConceptScenes. Run through models/tools/train_scenes.sh, which draws the
training and held-out sets first.

    python train_scenes.py TRAIN_DIR HELDOUT_DIR OUT.safetensors [--epochs 8] [--seed 1]

Each set is a directory of JPEGs with concepts.csv (header image,concepts; concepts separated by ';'). Images are
resized (Pillow bilinear, antialiased, as hmn's preprocessing) to the catalogue entry's crop and normalised with
ImageNet's mean and std. Prints, on the held-out set: each concept's AUC and average precision, their means, and the
same for a colour-histogram baseline (a logistic regression on 512-bin RGB histograms), then writes the weights as
float16 safetensors (torchvision names, no num_batches_tracked) and its sha256. The figures printed are those of the
float16 weights, as hmn loads them.
"""
import argparse
import csv
import hashlib
import json
import os
import struct
import sys
import time

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench"))
from pytorch_resnet import ResNet  # noqa: E402  torchvision's ResNet, defined without torchvision

CONCEPTS = ["day", "sunset", "night", "road", "snow", "grass", "sea",
            "car", "bus", "house", "pine_trees", "snowman", "sailboat", "balloon", "sun", "moon"]
SIZE = 64  # the catalogue entry's resizeShorter and crop
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def load(directory):
    """The set's images as uint8 N x H x W x 3 (resized to SIZE) and labels N x len(CONCEPTS)."""
    with open(os.path.join(directory, "concepts.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    images = np.empty((len(rows), SIZE, SIZE, 3), dtype=np.uint8)
    labels = np.zeros((len(rows), len(CONCEPTS)), dtype=np.float32)
    for i, row in enumerate(rows):
        with Image.open(os.path.join(directory, row["image"])) as im:
            im = im.convert("RGB")
            w, h = im.size
            scale = SIZE / min(w, h)
            im = im.resize((round(w * scale), round(h * scale)), Image.BILINEAR)
            left, top = (im.size[0] - SIZE) // 2, (im.size[1] - SIZE) // 2
            images[i] = np.asarray(im.crop((left, top, left + SIZE, top + SIZE)))
        for c in row["concepts"].split(";"):
            labels[i, CONCEPTS.index(c)] = 1
    return images, labels


def tensor(images):
    x = (images.astype(np.float32) / 255.0 - MEAN) / STD
    return torch.from_numpy(x.transpose(0, 3, 1, 2).copy())


def auc(scores, labels):
    """Area under the ROC curve by ranks (Mann-Whitney), ties averaged; NaN when one class is empty."""
    pos = labels == 1
    n_pos, n_neg = pos.sum(), (~pos).sum()
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return (ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def average_precision(scores, labels):
    order = np.argsort(-scores, kind="mergesort")
    hits = labels[order]
    if hits.sum() == 0:
        return float("nan")
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float((precision * hits).sum() / hits.sum())


def report(name, scores, labels):
    aucs = [auc(scores[:, c], labels[:, c]) for c in range(len(CONCEPTS))]
    aps = [average_precision(scores[:, c], labels[:, c]) for c in range(len(CONCEPTS))]
    print("%s: mean AUC %.4f, mAP %.4f" % (name, np.nanmean(aucs), np.nanmean(aps)))
    for c, concept in enumerate(CONCEPTS):
        print("  %-11s AUC %.4f  AP %.4f  (%d positives)" % (concept, aucs[c], aps[c], labels[:, c].sum()))
    return aucs, aps


def histograms(images):
    """512-bin RGB histograms (8 levels a channel), as fractions of the pixels."""
    q = (images // 32).astype(np.int64)
    index = q[..., 0] * 64 + q[..., 1] * 8 + q[..., 2]
    out = np.zeros((len(images), 512), dtype=np.float32)
    for i in range(len(images)):
        out[i] = np.bincount(index[i].ravel(), minlength=512) / index[i].size
    return torch.from_numpy(out)


def colour_baseline(train_images, train_labels, test_images, epochs=300):
    """A multi-label logistic regression on colour histograms: what colour statistics alone give."""
    x, xt = histograms(train_images), histograms(test_images)
    mean, std = x.mean(0), x.std(0) + 1e-6
    x, xt = (x - mean) / std, (xt - mean) / std
    y = torch.from_numpy(train_labels)
    model = torch.nn.Linear(512, len(CONCEPTS))
    opt = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=1e-4)
    for _ in range(epochs):
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(x), y)
        loss.backward()
        opt.step()
    with torch.no_grad():
        return model(xt).numpy()


def predict(model, images, batch=256):
    model.eval()
    out = []
    with torch.inference_mode():
        for i in range(0, len(images), batch):
            out.append(model(tensor(images[i:i + batch])).numpy())
    return np.concatenate(out)


def save_safetensors(state, path):
    """torchvision-named float tensors as float16 safetensors; returns the file's sha256."""
    header, blobs, offset = {}, [], 0
    for name, t in state.items():
        if name.endswith("num_batches_tracked"):
            continue
        data = t.detach().to(torch.float16).contiguous().numpy().tobytes()
        header[name] = {"dtype": "F16", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("train")
    p.add_argument("heldout")
    p.add_argument("out")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    a = p.parse_args()
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    torch.set_num_threads(a.threads)
    t0 = time.time()
    train_images, train_labels = load(a.train)
    test_images, test_labels = load(a.heldout)
    print("loaded %d training and %d held-out scenes in %.0f s" % (len(train_images), len(test_images),
                                                                     time.time() - t0))
    model = ResNet("resnet18")
    model.fc = torch.nn.Linear(512, len(CONCEPTS))
    model = model.to(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    steps = a.epochs * ((len(train_images) + a.batch - 1) // a.batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps, pct_start=0.15)
    y = torch.from_numpy(train_labels)
    generator = torch.Generator().manual_seed(a.seed)
    for epoch in range(a.epochs):
        model.train()
        order = torch.randperm(len(train_images), generator=generator).numpy()
        total, start = 0.0, time.time()
        for i in range(0, len(order), a.batch):
            idx = order[i:i + a.batch]
            x = tensor(train_images[idx])
            flip = torch.rand(len(idx), generator=generator) < 0.5
            x[flip] = x[flip].flip(3)
            x = x.contiguous(memory_format=torch.channels_last)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(model(x), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            schedule.step()
            total += loss.item() * len(idx)
        print("epoch %d: loss %.4f (%.0f s)" % (epoch + 1, total / len(order), time.time() - start), flush=True)
    model = model.to(memory_format=torch.contiguous_format)
    state = model.state_dict()
    sha = save_safetensors(state, a.out)
    # the figures of the weights as shipped: float16, loaded as float32
    model.load_state_dict({k: (v.to(torch.float16).to(v.dtype) if v.is_floating_point() else v)
                           for k, v in state.items()})
    aucs, aps = report("scenes-resnet18 (held out, float16 weights)", predict(model, test_images), test_labels)
    report("colour-histogram baseline (held out)", colour_baseline(train_images, train_labels, test_images),
           test_labels)
    print(json.dumps({"sha256": sha, "bytes": os.path.getsize(a.out), "meanAuc": round(float(np.nanmean(aucs)), 4),
                      "mAP": round(float(np.nanmean(aps)), 4),
                      "auc": {c: round(float(v), 4) for c, v in zip(CONCEPTS, aucs)}}))
    print("trained in %.0f s" % (time.time() - t0))


if __name__ == "__main__":
    main()
