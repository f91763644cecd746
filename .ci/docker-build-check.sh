#!/usr/bin/env bash
# Checks what CI can check of the Docker images without a Docker daemon:
#  - docker/build-stage.sh (the Dockerfile's build stage) succeeds on a clean clone of the committed HEAD, with
#    the ingest jar and its runtime dependencies in OUT/lib and the plugin jar in OUT/plugins, and the image's entry
#    point (java -cp 'OUT/lib/*' hmn.cli.Hmn) starts;
#  - the Dockerfile's Neo4j tag is the parent pom's neo4j.version;
#  - docker/compose.yaml is valid (docker compose config -q, else python3's yaml, else says it was skipped).
# The image build itself (docker build) is not run here.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
start=$SECONDS
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "docker-build-check: FAIL: $*" >&2; exit 1; }

# The Neo4j image is the version embedded by the pom.
neo4j_version="$(sed -n 's:.*<neo4j.version>\(.*\)</neo4j.version>.*:\1:p' "$repo/pom.xml" | head -n 1)"
[ -n "$neo4j_version" ] || fail "no <neo4j.version> in pom.xml"
grep -q "^FROM neo4j:${neo4j_version}-community " "$repo/docker/Dockerfile" \
  || fail "docker/Dockerfile's Neo4j image is not neo4j:${neo4j_version}-community (pom.xml's neo4j.version)"
if grep -E '^FROM ' "$repo/docker/Dockerfile" | grep -Ev '^FROM [^ :]+:[0-9]+\.[0-9]+\.[0-9]+[^ ]* AS ' >/dev/null; then
  fail "every FROM in docker/Dockerfile must name a pinned version: $(grep -E '^FROM ' "$repo/docker/Dockerfile" | tr '\n' ';')"
fi

# The build stage on a clean clone (what `COPY . /src` sees, less the ignored files a clone lacks anyway).
git clone --quiet "$repo" "$tmp/src"
echo "docker-build-check: docker/build-stage.sh on a clean clone of $(git -C "$tmp/src" rev-parse --short HEAD)"
bash "$tmp/src/docker/build-stage.sh" "$tmp/src" "$tmp/out"
shopt -s nullglob
ingest_jars=("$tmp"/out/lib/hmn-ingest-*.jar)
plugin_jars=("$tmp"/out/plugins/hmn-procedures-*-plugin.jar)
all_lib=("$tmp"/out/lib/*.jar)
[ ${#ingest_jars[@]} -eq 1 ] || fail "expected one hmn-ingest jar in OUT/lib, found ${#ingest_jars[@]}"
[ ${#plugin_jars[@]} -eq 1 ] || fail "expected one hmn-procedures-*-plugin.jar in OUT/plugins, found ${#plugin_jars[@]}"
for dep in hmn-procedures- neo4j-java-driver- picocli- onnxruntime-; do
  found=("$tmp"/out/lib/"$dep"*.jar)
  [ ${#found[@]} -ge 1 ] || fail "OUT/lib lacks the runtime dependency ${dep}*.jar"
done
jar tf "${ingest_jars[0]}" | grep -qx 'hmn/cli/Hmn.class' || fail "hmn/cli/Hmn.class is not in ${ingest_jars[0]##*/}"
jar tf "${plugin_jars[0]}" | grep -q '^hmn/.*\.class$' || fail "no hmn classes in ${plugin_jars[0]##*/}"
java -cp "$tmp/out/lib/*" hmn.cli.Hmn --help >"$tmp/help.txt" 2>&1 \
  || { cat "$tmp/help.txt" >&2; fail "java -cp 'OUT/lib/*' hmn.cli.Hmn --help failed"; }
echo "docker-build-check: OUT/lib has ${#all_lib[@]} jars (${ingest_jars[0]##*/} and its dependencies)," \
  "OUT/plugins has ${plugin_jars[0]##*/}; hmn.cli.Hmn --help runs from OUT/lib"

# The compose file, with dummies for the variables it requires.
compose="$repo/docker/compose.yaml"
if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  NEO4J_PASSWORD=dummy-password HMN_IMAGES="$tmp" docker compose -f "$compose" config -q
  echo "docker-build-check: docker/compose.yaml valid (docker compose config -q)"
elif command -v docker-compose >/dev/null 2>&1; then
  NEO4J_PASSWORD=dummy-password HMN_IMAGES="$tmp" docker-compose -f "$compose" config -q
  echo "docker-build-check: docker/compose.yaml valid (docker-compose config -q)"
elif command -v python3 >/dev/null 2>&1 && python3 -c 'import yaml' 2>/dev/null; then
  python3 - "$compose" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
services = doc.get("services") or {}
assert {"neo4j", "ingest"} <= set(services), f"services: {sorted(services)}"
for name, service in services.items():
    build = service.get("build") or {}
    assert build.get("dockerfile") == "docker/Dockerfile" and build.get("target") == name, f"{name}: build {build}"
auth = services["neo4j"]["environment"]["NEO4J_AUTH"]
assert "${NEO4J_PASSWORD:?" in auth, f"NEO4J_AUTH must require NEO4J_PASSWORD (no default): {auth}"
PY
  echo "docker-build-check: docker/compose.yaml parsed with python3 yaml (services, build targets, required password);" \
    "not checked by docker compose (no docker compose client here)"
else
  echo "docker-build-check: SKIPPED validating docker/compose.yaml: neither docker compose nor python3 with yaml is available"
fi
echo "docker-build-check: OK in $((SECONDS - start)) s"
