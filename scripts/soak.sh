#!/bin/bash
# Soak test (make soak; not part of make test): boots the sched_ext VM, runs the daemon under mixed stress-ng load
# for a long while (vm/guest-soak.sh), and reports stalls, the daemon's RSS growth, its GC count and pauses, and
# its summary line. Run `make build` first (make soak does).
#   scripts/soak.sh [--minutes N] [--transport ringbuf|fifo|auto] [--kernel SPEC] [--load ARGS] [--report FILE]
#   --minutes N     load duration (default 10); the VM runs about 3 minutes longer (boot, JVM start, warm-up)
#   --transport T   default ringbuf
#   --kernel SPEC   the VM kernel (vm/run.sh --kernel; default the newest)
#   --load ARGS     stress-ng arguments instead of the default mix (vm/guest-soak.sh), e.g. "--sleep 1 --sleep-max 64"
#   --report FILE   where the report goes besides stdout (default vm/out/soak-<id>.report.txt)
# The report passes ("soak PASS", exit 0) when sched_ext never left enabled/javaland, the guest kernel log has no
# 'stall' line, and the daemon and the load both exited 0; RSS and GC numbers are reported, not judged.
# Logs: vm/out/share/soak-<id>/ (daemon.log, gc.log, rss.tsv, stress.log, dmesg.log, report.txt).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo"
minutes=10 transport=ringbuf kernel="" report="" load=""
usage() { sed -n '2,/^set -uo/{/^#/s/^# \{0,1\}//p}' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=${2:?}; shift 2 ;;
    --transport) transport=${2:?}; shift 2 ;;
    --kernel) kernel=${2:?}; shift 2 ;;
    --load) load=${2:?}; shift 2 ;;
    --report) report=${2:?}; shift 2 ;;
    -h|--help) usage ;;
    *) echo "soak.sh: unknown option $1" >&2; usage ;;
  esac
done
[[ "$minutes" =~ ^[0-9]+$ ]] && [ "$minutes" -gt 0 ] || { echo "soak.sh: --minutes wants a whole number > 0" >&2; exit 2; }
daemon=${SCX_JAVALAND_BIN:-bin/scx_javaland}
[ -x "$daemon" ] || { echo "soak.sh: $daemon not found or not executable: run make build first" >&2; exit 1; }

id=$(date +%Y%m%d-%H%M%S)-$$
dir=$repo/vm/out/share/soak-$id
report=${report:-$repo/vm/out/soak-$id.report.txt}
mkdir -p "$dir" "$(dirname "$report")"
secs=$(( minutes * 60 ))
q() { printf '%q' "$1"; }
cmd="SOAK_DIR=$(q "$dir") SOAK_SECS=$secs SOAK_TRANSPORT=$(q "$transport") SOAK_LOAD=$(q "$load")"
cmd+=" SCX_JAVALAND_BIN=$(q "$daemon") vm/guest-soak.sh"

echo "soak.sh: ${minutes} min of mixed load on the $transport transport in the sched_ext VM (~$(( minutes + 4 )) min in all)"
start=$(date +%s)
"$repo/vm/run.sh" ${kernel:+--kernel "$kernel"} --timeout $(( secs + 900 )) --log "$repo/vm/out/soak-$id.console.log" \
  -- "$cmd"
rc=$?
wall=$(( $(date +%s) - start ))
if [ -s "$dir/report.txt" ]; then
  { cat "$dir/report.txt"; echo "vm: wall time $wall s (vm/run.sh exit $rc); logs $dir/"; } > "$report"
else
  { echo "soak FAIL the guest wrote no report (vm/run.sh exit $rc after $wall s; console vm/out/soak-$id.console.log)"
    grep -E '^(scx-vm|vm/run.sh):' "$repo/vm/out/soak-$id.console.log" 2>/dev/null | tail -5; } > "$report"
  rc=1
fi
cat "$report"
echo "soak.sh: report in $report"
exit "$rc"
