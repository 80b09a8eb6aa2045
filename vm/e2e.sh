#!/bin/bash
# The VM end-to-end acceptance test (make test-vm; run after make build). Boots the sched_ext VM once per kernel
# and runs vm/guest-e2e.sh in it: every scenario 3 times under stress-ng, then a kernel log check.
# Prints one result line per check, one "vm/e2e.sh: kernel ...: N passed, N failed" line per kernel, and ends with
# "N passed, N failed" over all kernels; exits non-zero on any failure.
#   E2E_SCENARIOS="ringbuf fifo auto-forced"  (default ringbuf)   E2E_RUNS=3   E2E_LOAD_SECS=30
#   E2E_KERNELS="trixie-backports trixie-backports:6.16"  kernels to boot, one VM each, in order (default: the
#                  one vm/run.sh boots, $SCX_VM_KERNEL or the newest); SPEC as in scripts/fetch-kernel.sh. The
#                  first runs E2E_SCENARIOS x E2E_RUNS; every further one the short set:
#   E2E_SHORT_SCENARIOS="ringbuf fifo"  E2E_SHORT_RUNS=1
#   E2E_RELIABILITY="ci-stress hogs hotplug kill9 sigstop"  fault checks after the scenarios (vm/e2e-reliability.sh),
#                  on the first kernel; E2E_SHORT_RELIABILITY (default ci-stress) on every further one
#   SCX_JAVALAND_BIN=path/to/launcher (default bin/scx_javaland)  E2E_TIMEOUT=SECS per boot (default from the above)
# Logs (one directory per invocation, so runs may overlap): the console in vm/out/e2e-<id>[-k<n>].console.log; the
# daemon and stress-ng output per run and the guest dmesg in vm/out/share/e2e-<id>/ (e2e-<id>/k<n>/ per kernel
# when there are several).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo"

kernels=${E2E_KERNELS:-}
load=${E2E_LOAD_SECS:-30}
daemon=${SCX_JAVALAND_BIN:-bin/scx_javaland}

if [ ! -x "$daemon" ]; then
  echo "vm/e2e.sh: $daemon not found or not executable: run make build first"
  echo "0 passed, 1 failed"
  exit 1
fi

id=$(date +%Y%m%d-%H%M%S)-$$
q() { printf '%q' "$1"; }
total_p=0 total_f=0 summary=()

# boot KERNEL_SPEC SCENARIOS RUNS FAULT_CHECKS LOGS CONSOLE_LOG: one VM, one guest-e2e.sh; adds to the totals.
boot() {
  local kernel=$1 scenarios=$2 runs=$3 rel=$4 logs=$5 log=$6 n_scen n_rel timeout cmd rc start secs p f line release
  n_scen=$(wc -w <<< "$scenarios")
  n_rel=$(wc -w <<< "$rel")
  # Boot, JVM start and the daemon's warm-up under TCG take 1-2 min per run and vary 2-3x with host load.
  timeout=${E2E_TIMEOUT:-$(( 300 + n_scen * runs * (load + 300) + n_rel * 400 ))}
  mkdir -p "$logs"
  cmd="E2E_LOG_DIR=$(q "$logs") E2E_SCENARIOS=$(q "$scenarios") E2E_RUNS=$(q "$runs") E2E_LOAD_SECS=$(q "$load")"
  cmd+=" SCX_JAVALAND_BIN=$(q "$daemon") E2E_RELIABILITY=$(q "$rel")"
  for v in E2E_START_TIMEOUT E2E_STOP_TIMEOUT; do [ -n "${!v:-}" ] && cmd+=" $v=$(q "${!v}")"; done
  cmd+=" vm/guest-e2e.sh"

  echo "vm/e2e.sh: booting the sched_ext VM${kernel:+ ($kernel)} for $(( n_scen * runs )) daemon runs and $n_rel" \
       "fault checks (TCG, slow: 1-3 min each; limit $timeout s)"
  start=$(date +%s)
  "$here/run.sh" ${kernel:+--kernel "$kernel"} --timeout "$timeout" --log "$log" -- "$cmd"
  rc=$?
  secs=$(( $(date +%s) - start ))
  echo "vm/e2e.sh: $secs s; console log $log, per-run logs $logs/"
  release=$(sed -n 's/^e2e: kernel \([^ ,]*\),.*/\1/p' "$log" | head -1)

  # The guest prints the closing line itself; if the VM died first, count what it got through plus one failure.
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
  if [ -z "$line" ]; then
    p=$(grep -c '^e2e ok ' "$log")
    f=$(( $(grep -c '^e2e FAIL ' "$log") + 1 ))
    echo "e2e FAIL the guest test did not reach its end (vm/run.sh exit $rc)"
    echo "$p passed, $f failed"
  else
    p=${line%% passed*}
    f=${line#*passed, }; f=${f%% failed}
    # A guest that passed everything but whose command still failed (it should not happen) is a failure too.
    if [ "$f" -eq 0 ] && [ "$rc" -ne 0 ]; then
      echo "e2e FAIL vm/run.sh exited $rc after a clean guest run"
      f=1
    fi
  fi
  total_p=$(( total_p + p )) total_f=$(( total_f + f ))
  summary+=("vm/e2e.sh: kernel ${release:-${kernel:-default}}${kernel:+ ($kernel)}: ${scenarios:-no scenario} x $runs, faults: ${rel:-none}; $p passed, $f failed, VM $secs s")
}

if [ -z "$kernels" ]; then
  boot "" "${E2E_SCENARIOS-ringbuf}" "${E2E_RUNS:-3}" "${E2E_RELIABILITY:-}" "$here/out/share/e2e-$id" "$here/out/e2e-$id.console.log"
else
  k=0
  for spec in $kernels; do
    k=$(( k + 1 ))
    if [ $k -eq 1 ]; then
      boot "$spec" "${E2E_SCENARIOS-ringbuf}" "${E2E_RUNS:-3}" "${E2E_RELIABILITY:-}" "$here/out/share/e2e-$id/k$k" "$here/out/e2e-$id-k$k.console.log"
    else
      boot "$spec" "${E2E_SHORT_SCENARIOS-ringbuf fifo}" "${E2E_SHORT_RUNS:-1}" "${E2E_SHORT_RELIABILITY-ci-stress}" "$here/out/share/e2e-$id/k$k" \
        "$here/out/e2e-$id-k$k.console.log"
    fi
  done
fi

printf '%s\n' "${summary[@]}"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
