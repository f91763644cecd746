"""Reference outputs of the tiny BLIP checkpoint from Hugging Face transformers itself.

Where blip_reference.py re-implements BlipForConditionalGeneration independently, this script runs the library that
real checkpoints were made for: transformers' BlipForConditionalGeneration (generate, greedy and beam search) and
BlipImageProcessor, on the same checkpoint and the same two images. It writes tiny-transformers.json with the fields
of tiny-reference.json (less the resize fixtures); the Java tests compare their results with both files.

Regenerate (needs python3 with torch, transformers and Pillow):
    mvn -q -DskipTests package
    java -cp ingest/target/classes:$(cat ingest/target/runtime-classpath.txt) hmn.captions.blip.TinyBlip /tmp/tiny 42
    python3 ingest/src/test/python/blip_transformers_reference.py /tmp/tiny ingest/src/test/resources/hmn/caption/blip
"""
import json
import sys
from pathlib import Path

import torch
import transformers
from PIL import Image
from transformers import BlipForConditionalGeneration, BlipImageProcessor


def main(model_dir, out_dir):
    model_dir, out_dir = Path(model_dir), Path(out_dir)
    model = BlipForConditionalGeneration.from_pretrained(model_dir).eval()
    processor = BlipImageProcessor.from_pretrained(model_dir)
    vocab = (model_dir / "vocab.txt").read_text().split("\n")
    bos = model.config.text_config.bos_token_id
    sep = model.config.text_config.sep_token_id
    prompt = [vocab.index(w) for w in ["a", "photo", "of"]]
    result = {"seed": 42, "transformers": transformers.__version__, "torch": torch.__version__, "images": []}

    def generate(pixels, prefix, beams):
        # generate() takes [CLS] prompt [SEP] as a processor makes it, puts [DEC] in place of [CLS], drops [SEP]
        ids = torch.tensor([[vocab.index("[CLS]")] + prefix + [sep]])
        out = model.generate(pixel_values=pixels, input_ids=ids, num_beams=beams, max_length=20)[0].tolist()
        out = out[1 + len(prefix):]
        return out[:out.index(sep)] if sep in out else out

    with torch.no_grad():
        for name in ["photo.png", "photo2.png"]:
            image = Image.open(out_dir / name).convert("RGB")
            pixels = processor(image, return_tensors="pt")["pixel_values"]
            embeds = model.vision_model(pixel_values=pixels)[0]
            tokens = generate(pixels, [], 1)

            def logits(ids):
                return model.text_decoder(input_ids=torch.tensor([ids]), encoder_hidden_states=embeds).logits[0, -1]

            result["images"].append({
                "image": name,
                "pixels": pixels.flatten().tolist(),
                "image_embeds": embeds.flatten().tolist(),
                "first_logits": logits([bos]).tolist(),
                "second_logits": logits([bos] + tokens[:1]).tolist(),
                "greedy": tokens,
                "prompt": prompt,
                "greedy_with_prompt": generate(pixels, prompt, 1),
                "beam3": generate(pixels, [], 3),
                "beam3_with_prompt": generate(pixels, prompt, 3),
            })
    (out_dir / "tiny-transformers.json").write_text(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
