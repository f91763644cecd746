#!/usr/bin/env bash
# Benchmarks the hmn.* procedures through Bolt on a generated paper-shaped graph (see hmn.bench.ProcedureBench).
# Usage: bench/procedures.sh [images=25000] [level1=5000] [seconds=60] [clients=16] [calls=200]
# Needs about 6 GiB of memory; BENCH_JAVA_OPTS overrides the JVM options.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -o -Dstyle.color=never -pl procedures test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >&2
echo "load: $(uptime)"
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xmx6g -XX:+UseParallelGC} \
  -cp "procedures/target/classes:procedures/target/test-classes:$(cat procedures/target/bench-classpath.txt)" \
  hmn.bench.ProcedureBench "$@"
