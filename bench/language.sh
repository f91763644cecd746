#!/usr/bin/env bash
# Benchmarks the language stages: caption embeddings (both MiniLM variants, 25,000 captions) and LLM labelling
# (5,000 level-1 clusters against a local server answering in 200 ms: concurrency 8 against one at a time, and a
# cached second run). Pass options through, e.g. --sequential-clusters 500 for a quicker run.
set -euo pipefail
cd "$(dirname "$0")/.."
uptime
./hmn bench language "$@"
uptime
