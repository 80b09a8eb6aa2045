#!/bin/bash
# The same-boot scheduler comparison (make compare; run after make build). Boots the sched_ext VM ONCE and runs
# vm/guest-compare.sh in it: every workload under EEVDF (sched_ext disabled), then under scx_javaland for each
# transport, ROUNDS rounds each; then the table (median, min-max and scx/EEVDF per metric) and the JSON.
#   vm/compare.sh [--rounds N] [--workloads "LIST"] [--transports "LIST"] [--secs S] [--json FILE] [--check]
#                 [--short] [--timeout SECS]
#   --rounds N        rounds per scheduler (default 3)                                   env CMP_ROUNDS
#   --workloads LIST  "all" (default) or some of: nice5 nice10 nice19 nice5rt idle cyclictest hackbench switch pipe sem
#                     placement rthog fork (docs/performance.md says what each measures) env CMP_WORKLOADS
#   --transports LIST daemon transports after EEVDF (default "ringbuf fifo"; "" = EEVDF only) env CMP_TRANSPORTS
#   --secs S          seconds per timed workload run (default 10)                        env CMP_SECS
#   --json FILE       where the JSON goes (default vm/out/compare-<date>.json)            env CMP_JSON
#   --check           evaluate the bars in vm/compare-report.sh; exit 1 when one is missed env CMP_CHECK=1
#   --short           --rounds 1 --workloads "nice5 nice5rt nice19 idle rthog cyclictest" --transports ringbuf (later
#                     options override it); about 6 minutes
#   --timeout SECS    limit for the whole VM (default: sized to the work, see below)     env CMP_TIMEOUT
#   --smp N           vCPUs of the VM (default 2; single-threaded TCG runs them in turn) env CMP_SMP
#   CMP_HACKBENCH, CMP_START_TIMEOUT, CMP_STOP_TIMEOUT, CMP_SETTLE_SECS, CMP_CHECK_WORKLOADS (the bars --check
#                     evaluates: the workloads listed; default all), SCX_JAVALAND_BIN: passed to the guest
# Logs: the console in vm/out/compare-<id>.console.log; raw results, daemon logs and the guest dmesg in
# vm/out/share/compare-<id>/. If the VM stops early, the table and JSON are made here from what it measured.
# Exit code: 0 when it ran to the end (a scheduler that failed to enable or was ejected is a result, shown as
# FAILED); 1 with --check when a bar is missed; 2 on bad options or no build; 124 VM timeout, 125 VM died early,
# 130 interrupted (from vm/run.sh; the partial table is printed first).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
caller=$PWD
cd "$repo"

all_workloads="nice5 nice10 nice19 nice5rt idle cyclictest hackbench switch pipe sem placement rthog fork"
rounds=${CMP_ROUNDS:-3}
workloads=${CMP_WORKLOADS:-all}
transports=${CMP_TRANSPORTS-ringbuf fifo}
secs=${CMP_SECS:-10}
json=${CMP_JSON:-}
check=${CMP_CHECK:-0}
timeout=${CMP_TIMEOUT:-}
smp=${CMP_SMP:-2}
daemon=${SCX_JAVALAND_BIN:-bin/scx_javaland}
die() { echo "vm/compare.sh: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -uo/{/^#/s/^# \{0,1\}//p}' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=${2?--rounds needs a value}; shift 2 ;;
    --workloads) workloads=${2?--workloads needs a value}; shift 2 ;;
    --transports) transports=${2?--transports needs a value}; shift 2 ;;
    --secs) secs=${2?--secs needs a value}; shift 2 ;;
    --json) json=${2?--json needs a value}; shift 2 ;;
    --timeout) timeout=${2?--timeout needs a value}; shift 2 ;;
    --smp) smp=${2?--smp needs a value}; shift 2 ;;
    --check) check=1; shift ;;
    --short) rounds=1 workloads="nice5 nice5rt nice19 idle rthog cyclictest" transports=ringbuf; shift ;;
    -h|--help) usage ;;
    *) echo "vm/compare.sh: unknown option $1" >&2; usage ;;
  esac
done
[ "$workloads" = all ] && workloads=$all_workloads
workloads=$(echo $workloads)  # one blank between names
transports=$(echo $transports)
for w in $workloads; do [[ " $all_workloads " == *" $w "* ]] || die "unknown workload '$w' (known: $all_workloads)"; done
[ -n "$workloads" ] || die "no workloads given"
[[ "$smp" =~ ^[1-9][0-9]*$ ]] || die "--smp needs a positive number of vCPUs, not '$smp'"
for t in $transports; do [[ " ringbuf fifo auto " == *" $t "* ]] || die "unknown transport '$t' (known: ringbuf fifo auto)"; done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive integer, not '$rounds'"
[[ "$secs" =~ ^[1-9][0-9]*$ ]] || die "--secs must be a positive integer, not '$secs'"
[ -z "$timeout" ] || [[ "$timeout" =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a positive integer, not '$timeout'"
[ "$check" = 0 ] || check=1
if [ -n "$transports" ]; then
  [ -x "$daemon" ] || die "$daemon not found or not executable: run make build first"
  ls daemon/target/daemon-*.jar > /dev/null 2>&1 || die "the daemon is not built: run make build first"
fi

nw=$(wc -w <<< "$workloads")
nt=$(wc -w <<< "$transports")
runs=$(( (1 + nt) * rounds * nw ))
# Boot and report ~1 min; per transport the daemon's start under TCG (1-2 min, up to the guest's 240 s limit) and
# stop; per run S seconds plus spawning, warm-up and clean-up under TCG (10-20 s; hackbench and cyclictest more).
# Generous on purpose: it only ends a hung VM.
timeout=${timeout:-$(( 300 + nt * 300 + runs * (secs + 40) ))}

id=$(date +%Y%m%d-%H%M%S)-$$
out=$here/out/share/compare-$id
mkdir -p "$out" || die "cannot create $out"
log=$here/out/compare-$id.console.log
json=${json:-$here/out/compare-${id%-*}.json}
[[ "$json" == /* ]] || json=$caller/$json
q() { printf '%q' "$1"; }
cmd="CMP_OUT_DIR=$(q "$out") CMP_ROUNDS=$rounds CMP_WORKLOADS=$(q "$workloads") CMP_TRANSPORTS=$(q "$transports")"
cmd+=" CMP_SECS=$secs CMP_CHECK=$check SCX_JAVALAND_BIN=$(q "$daemon")"
cmd+=" CMP_VM_ACCEL=$(q "tcg,thread=${SCX_VM_TCG_THREAD:-single}") CMP_VM_MEM=2G"
cmd+=" CMP_VM_QEMU=$(q "$(qemu-system-x86_64 --version 2>/dev/null | head -1)")"
cmd+=" CMP_VM_HOST_CPU=$(q "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1) x $(nproc)")"
cmd+=" CMP_COMMIT=$(q "$(git -C "$repo" describe --always --dirty 2>/dev/null)")"
for v in CMP_HACKBENCH CMP_START_TIMEOUT CMP_STOP_TIMEOUT CMP_SETTLE_SECS CMP_CHECK_WORKLOADS; do [ -n "${!v:-}" ] && cmd+=" $v=$(q "${!v}")"; done
cmd+=" vm/guest-compare.sh"

echo "vm/compare.sh: one VM boot, $runs runs (eevdf${transports:+ $transports} x $rounds round(s) x $nw workload(s), ${secs} s each); limit $timeout s"
start=$(date +%s)
"$here/run.sh" --timeout "$timeout" --smp "$smp" --log "$log" -- "$cmd"
rc=$?
echo "vm/compare.sh: $(( $(date +%s) - start )) s; console log $log, raw results and daemon logs $out/"

if [ ! -s "$out/compare.json" ]; then
  if [ -s "$out/results.tsv" ]; then
    echo "vm/compare.sh: the guest did not finish (vm/run.sh exit $rc): the report from what it measured"
    checkarg=(); [ "$check" = 1 ] && checkarg=(--check)
    "$here/compare-report.sh" "${checkarg[@]}" "$out"
    crc=$?
    [ "$rc" -eq 0 ] && rc=$crc
  else
    echo "vm/compare.sh: no results (vm/run.sh exit $rc); see $log" >&2
    [ "$rc" -eq 0 ] && rc=1
  fi
fi
if [ -s "$out/compare.json" ]; then
  mkdir -p "$(dirname "$json")" && cp "$out/compare.json" "$json" && echo "vm/compare.sh: JSON in $json"
fi
exit "$rc"
