#!/bin/bash
# The scheduling thread allocates nothing once attached (make test-host; docs/architecture.md "JVM hygiene"),
# checked on the daemon as users start it: bin/scx_javaland observe over ringbuf, hackbench running throughout (so
# in bursts with pauses, so the loop alternates between records and sleeps in epoll_wait), --stats every 2 s. The
# thread's heap bytes since attaching (`alloc:` in the stats line) must stay under 64 KB (the attach itself
# customises method handles: 38 KB on this host) and flat after the first interval. Before the warm-up compiled the
# wait and the launcher made C2 inline FFM's checkNative: 326-351 KB by the end of such a run, growing 25-35 KB/s
# while the load came and went. About 20 s. One result line; exit 1 on failure.
# Needs root (BPF) and kernel BTF; otherwise it says so and passes.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" -ne 0 ]; then echo "check-alloc.sh: skipped: observe loads BPF programs, which needs root"; exit 0; fi
if [ ! -e /sys/kernel/btf/vmlinux ]; then echo "check-alloc.sh: skipped: no kernel BTF"; exit 0; fi
command -v hackbench > /dev/null || { echo "check-alloc FAIL hackbench missing (rt-tests; make deps)"; exit 1; }
tmp=$(mktemp -d)
load=""
trap '[ -n "$load" ] && kill "$load" 2> /dev/null; rm -rf "$tmp"' EXIT
( while :; do nice -n 19 hackbench -g 2 -l 300 > /dev/null 2>&1; sleep 0.5; done ) &
load=$!
"$top/bin/scx_javaland" observe --transport=ringbuf --duration=14 --stats=2 > "$tmp/out.txt" 2>&1
rc=$?
kill "$load" 2> /dev/null; wait "$load" 2> /dev/null; load=""
mapfile -t alloc < <(grep -o 'alloc: [0-9]* B' "$tmp/out.txt" | awk '{print $2}')
n=${#alloc[@]}
if [ "$rc" -ne 0 ] || [ "$n" -lt 4 ]; then
  echo "check-alloc FAIL observe exited $rc with $n stats lines:"; sed 's/^/    | /' "$tmp/out.txt"; exit 1
fi
grew=$(( alloc[n - 1] - alloc[0] )) total=${alloc[n - 1]}
detail="heap bytes since attaching at each 2 s: ${alloc[*]}; received $(grep -o 'received=[0-9]*' "$tmp/out.txt")"
# 1 KB of slack after the first interval: a stats line racing an allocation of the attach, never a per-record or
# per-wait cost
if [ "$total" -le 65536 ] && [ "$grew" -le 1024 ]; then
  echo "check-alloc ok   the scheduling thread allocated $total bytes since attaching, none after the first 2 s ($detail)"
else
  echo "check-alloc FAIL the scheduling thread allocated $total bytes since attaching, $grew after the first 2 s ($detail)"
  exit 1
fi
