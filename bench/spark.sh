#!/usr/bin/env bash
# ingest --spark against the single-JVM ingest, in one run, on N generated concept scenes (true captions, seeded
# weights), then the activation stage alone on Spark with 1 and 2 executor cores (local[1], local[2]).
# Usage: bench/spark.sh [N=2000] [WORKDIR=/tmp/hmn-spark-bench]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-2000}"
dir="${2:-/tmp/hmn-spark-bench}"
rm -rf "$dir" && mkdir -p "$dir"
"$root/hmn" --version >/dev/null                  # builds first if needed, outside the measurement
"$root/hmn" --version --spark local[1] >/dev/null 2>&1 || true
java -cp "$root/ingest/target/classes:$(cat "$root/ingest/target/runtime-classpath.txt")" \
  hmn.demo.ConceptSceneSet "$dir/images" "$n" 3 224 >/dev/null
echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg); $n images"
common=("$dir/images" --captions "$dir/images/true-captions.csv" --random-weights 3 --no-progress)
timed() { # NAME COMMAND...
  local name="$1" t0 t1
  shift
  t0=$(date +%s.%N)
  "$@" > "$dir/$name.log" 2>&1 || { echo "$name failed, see $dir/$name.log"; tail -5 "$dir/$name.log"; exit 1; }
  t1=$(date +%s.%N)
  printf '%-22s %7.1f s\n' "$name" "$(echo "$t1 - $t0" | bc)"
  grep -E '^spark:|activations +(computed|reused)' "$dir/$name.log" | sed 's/^/    /' || true
}
timed single-jvm "$root/hmn" ingest "${common[@]}" --db "$dir/single"
timed spark-local2 "$root/hmn" ingest "${common[@]}" --db "$dir/spark2" --spark 'local[2]'
timed spark-local1 "$root/hmn" ingest "${common[@]}" --db "$dir/spark1" --spark 'local[1]'
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
