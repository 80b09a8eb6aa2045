#!/bin/bash
# Records the JDK's ahead-of-time cache (JEP 483 class loading and linking, JEP 515 method profiles) for the built
# daemon: a training run of `scx_javaland train` with the launcher's own JVM flags. bin/scx_javaland uses the cache
# when it is there and matches; the JVM ignores a stale one. Under emulation (the test VM) it cuts the daemon's
# start-up and warm-up from minutes to seconds; on a real machine it saves about a second.
#   scripts/make-aot-cache.sh [LAUNCHER CACHE LOG]
# Default: the build tree's launcher, daemon/target/scx_javaland.aot. scripts/install.sh passes the installed
# launcher, so that the cache is recorded with the installed runtime image (a cache is valid only for the JVM that
# recorded it). Training opens BPF maps and loads the harness program: without root fewer paths are trained.
# Best effort: a failure only means a slower start, so it warns and exits 0.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
launcher=${1:-$top/bin/scx_javaland}
out=${2:-$top/daemon/target/scx_javaland.aot}
log=${3:-$(dirname "$out")/aot-training.log}
rm -f "$out"
if SCX_JAVALAND_AOT=off SCX_JAVALAND_JVM_OPTS="-XX:AOTCacheOutput=$out" "$launcher" train >"$log" 2>&1 && [ -s "$out" ]; then
  echo "make-aot-cache.sh: $(du -h "$out" | cut -f1) AOT cache in $(dirname "$out")/ ($(grep -c 'warm-up:' "$log") transports trained)"
else
  echo "make-aot-cache.sh: warning: no AOT cache (see $log); the daemon starts without one" >&2
  rm -f "$out"
fi
exit 0
