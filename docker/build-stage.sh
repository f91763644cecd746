#!/usr/bin/env bash
# The Dockerfile's build stage, runnable anywhere (.ci/docker-build-check.sh runs it on a clean clone):
#   docker/build-stage.sh SRC_DIR OUT_DIR
# builds every module of the Maven reactor in SRC_DIR (install, so that `-pl ingest` below finds the other modules
# without `-am`; tests are run by `mvn -B verify`, not here), then lays out OUT_DIR as the images expect:
#   OUT_DIR/lib/      the hmn command line: hmn-ingest's jar and all its runtime dependencies (hmn.cli.Hmn)
#   OUT_DIR/plugins/  the Neo4j plugin: hmn-procedures-*-plugin.jar
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 SRC_DIR OUT_DIR" >&2
  exit 2
fi
src="$(cd "$1" && pwd)"
mkdir -p "$2"
out="$(cd "$2" && pwd)"
cd "$src"

# the spark module (Apache Spark, for ingest --spark) is not part of the images
mvn -B -q -Dstyle.color=never -DskipTests install -pl '!spark'
mvn -B -q -Dstyle.color=never -pl ingest dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$out/lib"

# exactly one jar of each, so that a stale or unexpected artifact is an error rather than a second copy on the path
one() {
  local matches=("$@")
  if [ ${#matches[@]} -ne 1 ] || [ ! -f "${matches[0]}" ]; then
    echo "build-stage: expected exactly one jar, found: ${matches[*]}" >&2
    exit 1
  fi
  printf '%s\n' "${matches[0]}"
}
shopt -s nullglob
ingest_jar="$(one ingest/target/hmn-ingest-*.jar)"
plugin_jar="$(one procedures/target/hmn-procedures-*-plugin.jar)"
mkdir -p "$out/lib" "$out/plugins"
cp "$ingest_jar" "$out/lib/"
cp "$plugin_jar" "$out/plugins/"
echo "build-stage: $(ls "$out/lib" | wc -l) jars in $out/lib, $(basename "$plugin_jar") in $out/plugins"
