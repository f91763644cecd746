"""The peer for `./hmn bench blip`: Hugging Face transformers captioning the same kind of images with the same
checkpoint, batch size and thread count (greedy, max_length 20), in images/s, with the process's peak memory.

    python3 bench/blip_transformers.py DIR [--images 16] [--batch 8] [--threads 2]

Needs python3 with torch, transformers and Pillow; DIR is a BLIP checkpoint directory (the one given to
`./hmn bench blip --model-dir DIR`). The images are 320x240 with random coloured ellipses, like hmn's benchmark.
"""
import argparse
import random
import resource
import time

import torch
import transformers
from PIL import Image, ImageDraw
from transformers import BlipForConditionalGeneration, BlipImageProcessor


def synthetic(n, seed):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        image = Image.new("RGB", (320, 240), tuple(rng.randrange(256) for _ in range(3)))
        draw = ImageDraw.Draw(image)
        for _ in range(4):
            x, y = rng.randrange(300), rng.randrange(220)
            draw.ellipse([x, y, x + 20 + rng.randrange(120), y + 20 + rng.randrange(90)],
                         fill=tuple(rng.randrange(256) for _ in range(3)))
        out.append(image)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model_dir")
    parser.add_argument("--images", type=int, default=16)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model = BlipForConditionalGeneration.from_pretrained(args.model_dir).eval()
    processor = BlipImageProcessor.from_pretrained(args.model_dir)
    images = synthetic(args.images, 1)
    with torch.inference_mode():
        model.generate(pixel_values=processor(synthetic(args.batch, 100), return_tensors="pt")["pixel_values"],
                       max_length=20)
        start = time.perf_counter()
        for i in range(0, args.images, args.batch):
            pixels = processor(images[i:i + args.batch], return_tensors="pt")["pixel_values"]
            model.generate(pixel_values=pixels, max_length=20)
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"transformers {transformers.__version__} (torch {torch.__version__}) {args.model_dir}: {args.images} images, "
          f"batch {args.batch}, greedy, threads {args.threads}: {args.images / seconds:.2f} images/s "
          f"({1000 * seconds / args.images:.1f} ms/image); peak resident {peak:.0f} MB")


if __name__ == "__main__":
    main()
