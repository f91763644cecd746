#!/usr/bin/env bash
# Trains the catalogue's scenes-resnet18 from a fixed seed, in one command:
#   PYTHON=/path/to/python models/tools/train_scenes.sh [--epochs 5]
# Draws 10,000 training scenes (seed 1) and 2,000 held-out scenes (seed 2) at 128 x 128 with hmn.demo.ConceptSceneSet,
# trains (models/tools/train_scenes.py; needs torch, numpy and pillow), writes models/weights/scenes-resnet18.safetensors
# and prints the held-out AUC and mAP with the file's sha256: copy them into models/scenes-resnet18.json.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
python="${PYTHON:-python3}"
work="${HMN_TRAIN_DIR:-$(mktemp -d)}"
"$root/hmn" --version >/dev/null   # builds hmn if needed
classpath="$root/ingest/target/classes:$(cat "$root/ingest/target/runtime-classpath.txt")"
java -cp "$classpath" hmn.demo.ConceptSceneSet "$work/train" 10000 1 128
java -cp "$classpath" hmn.demo.ConceptSceneSet "$work/heldout" 2000 2 128
mkdir -p "$root/models/weights"
"$python" "$root/models/tools/train_scenes.py" "$work/train" "$work/heldout" \
  "$root/models/weights/scenes-resnet18.safetensors" "$@"
