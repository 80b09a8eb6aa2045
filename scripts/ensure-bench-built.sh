#!/usr/bin/env bash
# Builds bench/ (and the modules it needs) when its classes or copied dependencies are missing, or older than the
# sources; scripts/bench.sh and scripts/profile-allocator.sh run from bench/target. Needs JAVA_HOME.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=bench/target/classes/org/scxjavaland/bench/AllocatorBenchmark.class
if [[ ! -f "$stamp" || ! -d bench/target/lib ]] \
   || [[ -n "$(find bench/src core/src/main transport-ringbuf/src/main transport-fifo/src/main bpf-src/src bpf-src/include \
               -newer "$stamp" -type f -print -quit)" ]]; then
  echo "$(basename "${1:-bench}"): building bench/" >&2
  mvn -B -q --no-transfer-progress -pl bench -am install -DskipTests >&2
fi
