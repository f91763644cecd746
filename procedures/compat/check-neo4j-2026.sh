#!/usr/bin/env bash
# Checks that the plugin jar (built against Neo4j 5.26 for Java 17) also loads and answers in the current Neo4j
# calendar release, 2026.08.1, on Java 25. Downloads that release's harness on first use (not part of mvn verify).
# Usage: procedures/compat/check-neo4j-2026.sh   (JAVA25 overrides the Java 25 home)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
java25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
compat="$root/procedures/compat"
cd "$root"
mvn -B -q -Dstyle.color=never -DskipTests -pl procedures package >&2
jar="$(ls procedures/target/hmn-procedures-*-plugin.jar)"
mvn -B -q -Dstyle.color=never -f "$compat/pom.xml" dependency:build-classpath \
  -Dmdep.outputFile="$compat/target/classpath.txt" >&2
mkdir -p "$compat/target/classes"
"$java25/bin/javac" -d "$compat/target/classes" -cp "$(cat "$compat/target/classpath.txt")" \
  "$compat/src/Neo4jCompatCheck.java"
exec "$java25/bin/java" -cp "$compat/target/classes:$(cat "$compat/target/classpath.txt")" \
  Neo4jCompatCheck "$root/$jar"
