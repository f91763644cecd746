#!/usr/bin/env bash
# Checks what CI can check of the Docker images without a Docker daemon:
#  - docker/build-stage.sh (the Dockerfile's build stage) succeeds on a clean clone of the committed HEAD, with
#    the ingest jar and its runtime dependencies in OUT/lib and the plugin jar in OUT/plugins, and the image's entry
#    point (java -cp 'OUT/lib/*' hmn.cli.Hmn) starts;
#  - the Dockerfile's Neo4j tag is the parent pom's neo4j.version;
#  - docker/compose.yaml and docker/compose.spark.yaml are valid (docker compose config -q, else python3's yaml,
#    else says it was skipped); the Spark images are spark/pom.xml's spark.version and the --spark driver gets its
#    JVM options (spark.jvm.options).
# The image build itself (docker build) is not run here, nor docker/build-spark-stage.sh.
#   .ci/docker-build-check.sh [--compose-only]   (--compose-only: the pins and compose files, not the build stage)
set -euo pipefail
compose_only=0
[ "${1:-}" = "--compose-only" ] && compose_only=1
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

# The Spark images are the version the spark module builds against, and the --spark driver image gets the same
# JVM options as ./hmn --spark and the module's tests.
spark_version="$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' "$repo/spark/pom.xml" | head -n 1)"
[ -n "$spark_version" ] || fail "no <spark.version> in spark/pom.xml"
grep -q "^FROM apache/spark:${spark_version}-scala2.13-java17-ubuntu AS spark$" "$repo/docker/Dockerfile" \
  || fail "docker/Dockerfile's Spark image is not apache/spark:${spark_version}-scala2.13-java17-ubuntu (spark/pom.xml's spark.version)"
spark_jvm_options="$(sed -n 's:.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*:\1:p' "$repo/spark/pom.xml" | head -n 1)"
grep -qF "ENV HMN_SPARK_JVM_OPTIONS=\"${spark_jvm_options}\"" "$repo/docker/Dockerfile" \
  || fail "docker/Dockerfile's HMN_SPARK_JVM_OPTIONS differ from spark/pom.xml's spark.jvm.options"

if [ "$compose_only" = 0 ]; then
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

fi

# The compose files, with dummies for the variables they require.
compose="$repo/docker/compose.yaml"
compose_spark="$repo/docker/compose.spark.yaml"
if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  for file in "$compose" "$compose_spark"; do
    NEO4J_PASSWORD=dummy-password HMN_IMAGES="$tmp" docker compose -f "$file" config -q
    echo "docker-build-check: docker/${file##*/} valid (docker compose config -q)"
  done
elif command -v docker-compose >/dev/null 2>&1; then
  for file in "$compose" "$compose_spark"; do
    NEO4J_PASSWORD=dummy-password HMN_IMAGES="$tmp" docker-compose -f "$file" config -q
    echo "docker-build-check: docker/${file##*/} valid (docker-compose config -q)"
  done
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
  python3 - "$compose" "$compose_spark" <<'PY'
import re, sys, yaml
plain = yaml.safe_load(open(sys.argv[1]))["services"]
doc = yaml.safe_load(open(sys.argv[2]))
services = doc.get("services") or {}
assert set(services) == {"neo4j", "spark-master", "spark-worker", "ingest"}, f"services: {sorted(services)}"
targets = {"neo4j": "neo4j", "spark-master": "spark", "spark-worker": "spark", "ingest": "ingest-spark"}
for name, service in services.items():
    build = service.get("build") or {}
    assert build.get("dockerfile") == "docker/Dockerfile" and build.get("target") == targets[name], f"{name}: build {build}"
assert services["neo4j"] == plain["neo4j"], "the neo4j service differs from docker/compose.yaml's"
master = "spark://spark-master:7077"
assert services["spark-master"]["command"][1] == "org.apache.spark.deploy.master.Master", "spark-master runs no Master"
assert "7077" in services["spark-master"]["command"], "the master does not listen on 7077"
worker = services["spark-worker"]["command"]
assert worker[1] == "org.apache.spark.deploy.worker.Worker" and worker[2] == master, f"spark-worker: {worker}"
command = " ".join(services["ingest"]["command"])
for expected in ("ingest /images", "--spark " + master, "--neo4j bolt://neo4j:7687"):
    assert expected in command, f"the ingest command lacks '{expected}': {command}"
def target(volume):  # SOURCE:TARGET[:MODE], where SOURCE may be ${VAR:?message}
    return re.match(r"^(\$\{[^}]*\}|[^:]+):([^:]+)", volume).group(2)
for path in ("/images", "/work", "/cache"):
    mounts = [[v for v in services[s]["volumes"] if target(v) == path] for s in ("spark-worker", "ingest")]
    assert mounts[0] and mounts[0] == mounts[1], f"{path}: the worker and the driver mount {mounts}"
conf = services["ingest"]["environment"]["HMN_SPARK_CONF"]
assert "-Dspark.driver.host=spark-driver" in conf and "spark-driver" in services["ingest"]["networks"]["default"]["aliases"]
assert "-Dspark.executor.extraClassPath=/opt/hmn/spark-lib/*" in conf, conf
assert "${NEO4J_PASSWORD:?" in services["neo4j"]["environment"]["NEO4J_AUTH"]
PY
  echo "docker-build-check: docker/compose.spark.yaml parsed with python3 yaml (services, build targets, master URL," \
    "the driver's and the worker's shared volumes, the driver's address); not run against a cluster"
else
  echo "docker-build-check: SKIPPED validating docker/compose.yaml: neither docker compose nor python3 with yaml is available"
fi
echo "docker-build-check: OK in $((SECONDS - start)) s"
