#!/usr/bin/env bash
# ingest --spark against the single-JVM ingest, on N generated concept scenes (true captions, seeded weights): the
# whole ingest single-JVM and with --spark local[2] and local[1] (1 and 2 executor cores), each with its activation
# stage's seconds and images/s (the Spark job's, from session start to the rows appended to the work directory), and
# the load average before and after each run. The activation directories and partitions are compared at the end.
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
echo "# $(date -u +%FT%TZ) $(nproc) cores; $n images"
common=("$dir/images" --captions "$dir/images/true-captions.csv" --random-weights 3 --no-progress)
load() { cut -d' ' -f1-3 /proc/loadavg; }
timed() { # NAME COMMAND...
  local name="$1" t0 t1 before stage
  shift
  before=$(load)
  t0=$(date +%s.%N)
  "$@" > "$dir/$name.log" 2>&1 || { echo "$name failed, see $dir/$name.log"; tail -5 "$dir/$name.log"; exit 1; }
  t1=$(date +%s.%N)
  # the activation stage: the Spark job's line ("... in 12.3 s;"), else the pipeline's stage line
  stage=$(sed -nE 's/^spark: activations of .* in ([0-9.]+) s;.*/\1/p' "$dir/$name.log")
  [ -n "$stage" ] || stage=$(sed -nE 's/^ +activations +computed +([0-9.]+) s.*/\1/p' "$dir/$name.log")
  printf '%-14s whole %7.1f s | activations %7.1f s, %6.1f images/s | load before %s, after %s\n' \
    "$name" "$(echo "$t1 - $t0" | bc)" "$stage" "$(echo "scale=1; $n / $stage" | bc)" "$before" "$(load)"
}
timed single-jvm "$root/hmn" ingest "${common[@]}" --db "$dir/single"
timed spark-local2 "$root/hmn" ingest "${common[@]}" --db "$dir/spark2" --spark 'local[2]'
timed spark-local1 "$root/hmn" ingest "${common[@]}" --db "$dir/spark1" --spark 'local[1]'
for run in spark2 spark1; do
  for f in activations/images.txt activations/layer4.npy partitions.csv; do
    cmp -s "$dir/single.work/$f" "$dir/$run.work/$f" && echo "  $run $f: same as single-jvm" \
      || echo "  $run $f: DIFFERS from single-jvm"
  done
done
