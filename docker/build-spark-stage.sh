#!/usr/bin/env bash
# The Dockerfile's Spark build stage, run after docker/build-stage.sh (which installed core, procedures and ingest
# into the local Maven repository of the image being built):
#   docker/build-spark-stage.sh SRC_DIR OUT_DIR
# lays out OUT_DIR/spark-lib/: the spark module's jar and its whole runtime class path (Spark 4.0.1, ingest and their
# dependencies, as ./hmn --spark uses them), for the command line with --spark and for the Spark workers' executors.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 SRC_DIR OUT_DIR" >&2
  exit 2
fi
src="$(cd "$1" && pwd)"
mkdir -p "$2/spark-lib"
out="$(cd "$2" && pwd)"
cd "$src"

mvn -B -q -Dstyle.color=never -DskipTests package -pl spark
mvn -B -q -Dstyle.color=never -pl spark dependency:copy-dependencies -DincludeScope=runtime \
  -DoutputDirectory="$out/spark-lib"

shopt -s nullglob
spark_jars=(spark/target/hmn-spark-*.jar)
if [ ${#spark_jars[@]} -ne 1 ]; then
  echo "build-spark-stage: expected exactly one hmn-spark jar, found: ${spark_jars[*]}" >&2
  exit 1
fi
cp "${spark_jars[0]}" "$out/spark-lib/"
echo "build-spark-stage: $(ls "$out/spark-lib" | wc -l) jars in $out/spark-lib"
