"""Reference outputs of the tiny BLIP checkpoint, computed independently of the Java code.

A plain PyTorch re-implementation of BlipForConditionalGeneration's forward pass, written from the published
architecture (ViT encoder; BERT decoder with causal self-attention and cross-attention, recomputed over the whole
sequence at every step, no key/value cache), and of BlipImageProcessor (Pillow bicubic resize, rescale, normalise).
The Java tests compare their results with the JSON this writes.

Regenerate (needs python3 with torch, numpy and Pillow, e.g. Debian's python3-torch and python3-pil):
    mvn -q -DskipTests package
    java -cp ingest/target/classes:$(cat ingest/target/runtime-classpath.txt) hmn.captions.blip.TinyBlip /tmp/tiny 42
    python3 ingest/src/test/python/blip_reference.py /tmp/tiny ingest/src/test/resources/hmn/caption/blip
"""
import base64
import json
import math
import struct
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw


def load_safetensors(path):
    raw = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", info
        a, b = info["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype="<f4").copy().reshape(info["shape"]))
    return out


def photos():
    first = Image.new("RGB", (61, 47))
    px = first.load()
    for y in range(47):
        for x in range(61):
            px[x, y] = ((x * 4) % 256, (y * 5) % 256, (x * y) % 256)
    ImageDraw.Draw(first).ellipse((10, 8, 40, 30), fill=(250, 30, 60))
    second = Image.new("RGB", (20, 25), (30, 160, 90))
    ImageDraw.Draw(second).rectangle((3, 4, 12, 20), fill=(240, 240, 10))
    return first, second


def preprocess(image, size, mean, std):
    resized = np.asarray(image.convert("RGB").resize((size, size), resample=Image.BICUBIC), dtype=np.float32)
    x = (resized / 255.0 - np.array(mean, dtype=np.float32)) / np.array(std, dtype=np.float32)
    return torch.from_numpy(x.transpose(2, 0, 1).copy().astype(np.float32))


def linear(p, x, name):
    return F.linear(x, p[name + ".weight"], p[name + ".bias"])


def layer_norm(p, x, name, eps):
    return F.layer_norm(x, (x.shape[-1],), p[name + ".weight"], p[name + ".bias"], eps)


def vision(p, cfg, pixels):
    v = cfg["vision_config"]
    d, heads, eps = v["hidden_size"], v["num_attention_heads"], v["layer_norm_eps"]
    e = "vision_model.embeddings."
    x = F.conv2d(pixels, p[e + "patch_embedding.weight"], p[e + "patch_embedding.bias"], stride=v["patch_size"])
    x = x.flatten(2).transpose(1, 2)
    b = x.shape[0]
    x = torch.cat([p[e + "class_embedding"].expand(b, 1, d), x], dim=1) + p[e + "position_embedding"]
    for i in range(v["num_hidden_layers"]):
        l = f"vision_model.encoder.layers.{i}."
        h = layer_norm(p, x, l + "layer_norm1", eps)
        qkv = linear(p, h, l + "self_attn.qkv").reshape(b, -1, 3, heads, d // heads).permute(2, 0, 3, 1, 4)
        att = torch.softmax(qkv[0] @ qkv[1].transpose(-1, -2) * (d // heads) ** -0.5, dim=-1) @ qkv[2]
        x = x + linear(p, att.permute(0, 2, 1, 3).reshape(b, -1, d), l + "self_attn.projection")
        h = layer_norm(p, x, l + "layer_norm2", eps)
        x = x + linear(p, F.gelu(linear(p, h, l + "mlp.fc1")), l + "mlp.fc2")
    return layer_norm(p, x, "vision_model.post_layernorm", eps)


def attention(q, k, v, heads, mask=None):
    b, t, d = q.shape
    split = lambda a: a.reshape(b, a.shape[1], heads, d // heads).transpose(1, 2)
    scores = split(q) @ split(k).transpose(-1, -2) / math.sqrt(d // heads)
    if mask is not None:
        scores = scores + mask
    return (torch.softmax(scores, dim=-1) @ split(v)).transpose(1, 2).reshape(b, t, d)


def decoder_logits(p, cfg, ids, image_embeds):
    """Logits (B, T, vocab) of the whole sequence, causal mask, no cache."""
    t = cfg["text_config"]
    heads, eps = t["num_attention_heads"], t["layer_norm_eps"]
    e = "text_decoder.bert.embeddings."
    n = ids.shape[1]
    x = p[e + "word_embeddings.weight"][ids] + p[e + "position_embeddings.weight"][:n]
    x = layer_norm(p, x, e + "LayerNorm", eps)
    mask = torch.triu(torch.full((n, n), float("-inf")), diagonal=1)
    for i in range(t["num_hidden_layers"]):
        l = f"text_decoder.bert.encoder.layer.{i}."
        s = l + "attention."
        a = attention(linear(p, x, s + "self.query"), linear(p, x, s + "self.key"), linear(p, x, s + "self.value"),
                      heads, mask)
        x = layer_norm(p, linear(p, a, s + "output.dense") + x, s + "output.LayerNorm", eps)
        c = l + "crossattention."
        a = attention(linear(p, x, c + "self.query"), linear(p, image_embeds, c + "self.key"),
                      linear(p, image_embeds, c + "self.value"), heads)
        x = layer_norm(p, linear(p, a, c + "output.dense") + x, c + "output.LayerNorm", eps)
        inner = F.gelu(linear(p, x, l + "intermediate.dense"))
        x = layer_norm(p, linear(p, inner, l + "output.dense") + x, l + "output.LayerNorm", eps)
    h = "text_decoder.cls.predictions."
    x = layer_norm(p, F.gelu(linear(p, x, h + "transform.dense")), h + "transform.LayerNorm", eps)
    weight = p.get(h + "decoder.weight", p["text_decoder.bert.embeddings.word_embeddings.weight"])
    return x @ weight.T + p[h + "bias"]


def greedy(p, cfg, prefix, image_embeds):
    t = cfg["text_config"]
    ids = torch.tensor([prefix])
    out = []
    while ids.shape[1] < t["max_length"]:
        nxt = int(decoder_logits(p, cfg, ids, image_embeds)[0, -1].argmax())
        if nxt == t["sep_token_id"]:
            break
        out.append(nxt)
        ids = torch.cat([ids, torch.tensor([[nxt]])], dim=1)
    return out


def beam_search(p, cfg, prefix, image_embeds, beams):
    """Hugging Face's beam search (length_penalty 1, early_stopping False): finished hypotheses are scored by their
    summed log-probabilities over the number of generated tokens, [SEP] included."""
    t = cfg["text_config"]
    vocab, sep, max_length = t["vocab_size"], t["sep_token_id"], t["max_length"]
    seqs = [list(prefix)] * beams
    scores = torch.tensor([0.0] + [-1e9] * (beams - 1))
    finished = []  # (score, tokens)

    def add(tokens, sum_logprobs, length):
        score = sum_logprobs / length
        if len(finished) < beams or score > min(f[0] for f in finished):
            finished.append((score, tokens))
            if len(finished) > beams:
                finished.remove(min(finished, key=lambda f: f[0]))

    done = False
    while True:
        logits = decoder_logits(p, cfg, torch.tensor(seqs), image_embeds.expand(beams, -1, -1))[:, -1]
        candidates = torch.log_softmax(logits, dim=-1) + scores[:, None]
        values, indices = torch.topk(candidates.reshape(-1), 2 * beams)
        generated = len(seqs[0]) + 1 - len(prefix)
        running = []
        for rank, (value, index) in enumerate(zip(values.tolist(), indices.tolist())):
            beam, token = divmod(index, vocab)
            if token == sep:
                if rank < beams:
                    add(seqs[beam][len(prefix):], value, generated)
            else:
                running.append((value, seqs[beam] + [token]))
            if len(running) == beams:
                break
        done = len(finished) >= beams and min(f[0] for f in finished) >= values[0].item() / generated
        seqs = [s for _, s in running]
        scores = torch.tensor([v for v, _ in running])
        if done or len(seqs[0]) >= max_length:
            break
    if not done:
        for value, s in zip(scores.tolist(), seqs):
            add(s[len(prefix):], value, len(s) - len(prefix))
    return max(finished, key=lambda f: f[0])[1]


def main(model_dir, out_dir):
    model_dir, out_dir = Path(model_dir), Path(out_dir)
    cfg = json.loads((model_dir / "config.json").read_text())
    pre = json.loads((model_dir / "preprocessor_config.json").read_text())
    vocab = (model_dir / "vocab.txt").read_text().split("\n")
    p = load_safetensors(model_dir / "model.safetensors")
    size = cfg["vision_config"]["image_size"]
    bos = cfg["text_config"]["bos_token_id"]
    first, second = photos()
    first.save(out_dir / "photo.png")
    second.save(out_dir / "photo2.png")
    upscaled = np.asarray(first.resize((80, 90), resample=Image.BICUBIC), dtype=np.uint8)
    downscaled = np.asarray(first.resize((24, 13), resample=Image.BICUBIC), dtype=np.uint8)
    prompt = [vocab.index(w) for w in ["a", "photo", "of"]]
    result = {"seed": 42, "upscaled_80x90_rgb": base64.b64encode(upscaled.tobytes()).decode(),
              "downscaled_24x13_rgb": base64.b64encode(downscaled.tobytes()).decode(), "images": []}
    with torch.no_grad():
        for name, image in [("photo.png", first), ("photo2.png", second)]:
            pixels = preprocess(image, size, pre["image_mean"], pre["image_std"]).unsqueeze(0)
            embeds = vision(p, cfg, pixels)
            logits = decoder_logits(p, cfg, torch.tensor([[bos]]), embeds)[0, -1]
            tokens = greedy(p, cfg, [bos], embeds)
            second_logits = decoder_logits(p, cfg, torch.tensor([[bos] + tokens[:1]]), embeds)[0, -1]
            result["images"].append({
                "image": name,
                "pixels": pixels.flatten().tolist(),
                "image_embeds": embeds.flatten().tolist(),
                "first_logits": logits.tolist(),
                "second_logits": second_logits.tolist(),
                "greedy": tokens,
                "prompt": prompt,
                "greedy_with_prompt": greedy(p, cfg, [bos] + prompt, embeds),
                "beam3": beam_search(p, cfg, [bos], embeds, 3),
                "beam3_with_prompt": beam_search(p, cfg, [bos] + prompt, embeds, 3),
            })
    (out_dir / "tiny-reference.json").write_text(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
