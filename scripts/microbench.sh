#!/usr/bin/env bash
# The transport micro-benchmark (issue 9, docs/benchmarks.md "Transport micro-benchmark"): `make microbench` or
#   scripts/microbench.sh [--records=K] [--rounds=R] [--iterations=N] [--warmup-secs=S]
# Builds bench/ and its C yardsticks (bench/native) when missing or stale, runs every contender in one JVM, in
# alternation, as root (real BPF maps and the harness program), prints the table and the ratios against the
# issue's bars, and writes bench/results/microbench-<UTC time>.json. MVN overrides the Maven command for the build.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME="$(scripts/find-jdk.sh)"
JAVA="$JAVA_HOME/bin/java"
export JAVA_HOME
MVN="${MVN:-mvn -B -q --no-transfer-progress}"

if [[ $(id -u) -ne 0 ]]; then echo "microbench: needs root (BPF maps and BPF_PROG_TEST_RUN)" >&2; exit 1; fi

stamp=bench/target/classes/org/scxjavaland/bench/micro/TransportMicrobench.class
lib=bench/target/native/libjlmicrobench.so
if [[ ! -f "$stamp" || ! -f "$lib" || ! -d bench/target/lib ]] \
   || [[ -n "$(find bench/src bench/native core/src/main transport-ringbuf/src/main transport-fifo/src/main \
               bpf-src/src bpf-src/include -newer "$stamp" -type f -print -quit)" ]]; then
  echo "microbench: building bench/" >&2
  # shellcheck disable=SC2086 # MVN is a command line
  $MVN -pl bench -am install -DskipTests >&2
fi

flags=@bin/jvm-flags  # the daemon's JVM flags (a JDK argument file)

mkdir -p bench/results
out="bench/results/microbench-$(date -u +%Y%m%dT%H%M%SZ).json"
# The daemon's heap and collector: nothing in the timed loops allocates, so the collector should stay idle.
"$JAVA" "$flags" -Xms256m -Xmx256m -XX:+UseSerialGC -Dscx_javaland.microbench.lib="$PWD/$lib" \
  -Dscx_javaland.microbench.command="scripts/microbench.sh${*:+ $*}" \
  -cp "bench/target/classes:bench/target/lib/*" org.scxjavaland.bench.micro.TransportMicrobench \
  "$@" --json="$out"
