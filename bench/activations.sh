#!/usr/bin/env bash
# Side by side, in one run: hmn's ResNet forward (DJL, PyTorch 2.7 native) and PyTorch eager (the system's
# python3-torch) on the same architecture, random weights, the four stage outputs pooled, alternating twice.
# Usage: bench/activations.sh [--model resnet18] [--batch 16] [--threads 2] [--seconds 20]
# Needs: python3 with torch (PYTHON=/path/to/python to pick one); torchvision is used when it imports.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-/usr/bin/python3}"
"$root/hmn" --version >/dev/null   # builds first if needed, outside the measurement
echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in 1 2; do
  "$root/hmn" bench activations "$@"
  "$python" "$root/bench/pytorch_resnet.py" "$@"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
