#!/bin/bash
# make run. On a kernel with sched_ext: the daemon in the foreground with live stats (Ctrl-C stops it).
# Elsewhere: boots the sched_ext VM (vm/run.sh) and runs the daemon there under a stress-ng mix for DEMO_SECS
# (default 60) with live stats, then stops it cleanly and shows its summary (vm/guest-demo.sh).
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
daemon=${SCX_JAVALAND_BIN:-bin/scx_javaland}
[ -x "$daemon" ] || { echo "run.sh: $daemon not found: run make build first" >&2; exit 1; }

if [ -d /sys/kernel/sched_ext ]; then
  exec "$daemon" run --stats 2
fi

secs=${DEMO_SECS:-60}
echo "run.sh: this kernel ($(uname -r)) has no sched_ext, so it boots a sched_ext kernel in a VM (qemu TCG) and runs the scheduler there"
echo "run.sh: booting (10-30 s), JVM start + warm-up (1-2 min), then the daemon under load for $secs s; console log under vm/out/"
q() { printf '%q' "$1"; }
exec vm/run.sh --timeout $(( secs + 600 )) -- \
  "DEMO_SECS=$(q "$secs") SCX_JAVALAND_BIN=$(q "$daemon") vm/guest-demo.sh"
