#!/bin/bash
# The VM end-to-end acceptance test (make test-vm; run after make build). Boots the sched_ext VM once and
# runs vm/guest-e2e.sh in it: every scenario 3 times under stress-ng, then a kernel log check.
# Prints one result line per check and ends with "N passed, N failed"; exits non-zero on any failure.
#   E2E_SCENARIOS="ringbuf fifo auto-forced"  (default ringbuf)   E2E_RUNS=3   E2E_LOAD_SECS=30
#   E2E_RELIABILITY="ci-stress hogs hotplug kill9 sigstop"  fault checks after the scenarios (vm/e2e-reliability.sh)
#   SCX_JAVALAND_BIN=path/to/launcher (default bin/scx_javaland)  E2E_TIMEOUT=SECS (default from the above)
# Logs (one directory per invocation, so runs may overlap): the console in vm/out/e2e-<id>.console.log; the
# daemon and stress-ng output per run and the guest dmesg in vm/out/share/e2e-<id>/.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo"

scenarios=${E2E_SCENARIOS-ringbuf}  # set and empty: no scenario (fault checks only)
runs=${E2E_RUNS:-3}
load=${E2E_LOAD_SECS:-30}
daemon=${SCX_JAVALAND_BIN:-bin/scx_javaland}
n_scen=$(wc -w <<< "$scenarios")
n_rel=$(wc -w <<< "${E2E_RELIABILITY:-}")
# Boot, JVM start and the daemon's warm-up under TCG take 1-2 min per run and vary 2-3x with host load.
timeout=${E2E_TIMEOUT:-$(( 300 + n_scen * runs * (load + 300) + n_rel * 400 ))}

if [ ! -x "$daemon" ]; then
  echo "vm/e2e.sh: $daemon not found or not executable: run make build first"
  echo "0 passed, 1 failed"
  exit 1
fi

id=$(date +%Y%m%d-%H%M%S)-$$
logs=$here/out/share/e2e-$id
mkdir -p "$logs"
log=$here/out/e2e-$id.console.log
q() { printf '%q' "$1"; }
cmd="E2E_LOG_DIR=$(q "$logs") E2E_SCENARIOS=$(q "$scenarios") E2E_RUNS=$(q "$runs") E2E_LOAD_SECS=$(q "$load")"
cmd+=" SCX_JAVALAND_BIN=$(q "$daemon")"
for v in E2E_START_TIMEOUT E2E_STOP_TIMEOUT E2E_RELIABILITY; do [ -n "${!v:-}" ] && cmd+=" $v=$(q "${!v}")"; done
cmd+=" vm/guest-e2e.sh"

echo "vm/e2e.sh: booting the sched_ext VM for $(( n_scen * runs )) daemon runs and $n_rel fault checks (TCG, slow: 1-3 min each; limit $timeout s)"
start=$(date +%s)
"$here/run.sh" --timeout "$timeout" --log "$log" -- "$cmd"
rc=$?
echo "vm/e2e.sh: $(( $(date +%s) - start )) s; console log $log, per-run logs $logs/"

# The guest prints the closing line itself; if the VM died first, count what it got through plus one failure.
if ! grep -qE '^[0-9]+ passed, [0-9]+ failed$' "$log"; then
  p=$(grep -c '^e2e ok ' "$log")
  f=$(grep -c '^e2e FAIL ' "$log")
  echo "e2e FAIL the guest test did not reach its end (vm/run.sh exit $rc)"
  echo "$p passed, $(( f + 1 )) failed"
  exit 1
fi
exit "$rc"
