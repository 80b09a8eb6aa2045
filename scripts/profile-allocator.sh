#!/bin/bash
# Records a JFR profile of the daemon scheduling under load and prints how much of its execution samples fall in
# the allocator (issue 3: at most 2%). On a kernel with sched_ext it runs here; elsewhere it boots the test VM
# (vm/run.sh) and runs there. Needs `make build` first.
#   PROFILE_LOAD_SECS (default 30)   PROFILE_TRANSPORT (default ringbuf)
# The recording is kept as vm/out/share/profile/scx_javaland.jfr (VM) or /tmp/scx_javaland-profile/ (here).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
if [ ! -d /sys/kernel/sched_ext ]; then
  echo "profile-allocator.sh: no sched_ext here; profiling in the VM"
  exec vm/run.sh --timeout 900 -- "PROFILE_LOAD_SECS=${PROFILE_LOAD_SECS:-30} PROFILE_TRANSPORT=${PROFILE_TRANSPORT:-ringbuf} scripts/profile-allocator.sh"
fi
load=${PROFILE_LOAD_SECS:-30}
out=${SCX_JAVALAND_SHARE:+$SCX_JAVALAND_SHARE/profile}
out=${out:-/tmp/scx_javaland-profile}
mkdir -p "$out" /tmp/jfr-repo
jfr=/tmp/scx_javaland.jfr   # tmpfs while recording: the daemon must not wait on a slow file system
jdk=$(scripts/find-jdk.sh) || exit 1

# JFR's own threads write the recording; the scheduling thread only gets sampled.
SCX_JAVALAND_JVM_OPTS="-XX:StartFlightRecording=filename=$jfr,settings=profile -XX:FlightRecorderOptions:repository=/tmp/jfr-repo" \
  bin/scx_javaland run --transport="${PROFILE_TRANSPORT:-ringbuf}" > "$out/daemon.log" 2>&1 &
pid=$!
for i in $(seq 1 480); do
  [ "$(cat /sys/kernel/sched_ext/state 2>/dev/null)" = enabled ] && break
  kill -0 $pid 2>/dev/null || { echo "profile-allocator.sh: the daemon exited early:"; cat "$out/daemon.log"; exit 1; }
  sleep 0.5
done
echo "profile-allocator.sh: scheduler attached; ${load} s of stress-ng (cpu, switch, fork: tasks come and go)"
(cd /tmp && stress-ng --cpu 2 --switch 2 --fork 2 --timeout "${load}s" --temp-path /tmp -q)
kill -INT $pid; wait $pid
cp "$jfr" "$out/" 2>/dev/null
tail -2 "$out/daemon.log"

# Self time: the top frame of each execution sample. "main" is the scheduling thread.
"$jdk/bin/jfr" print --events jdk.ExecutionSample "$jfr" | awk '
  /^jdk.ExecutionSample/ { thread = ""; top = ""; want = 0 }
  /sampledThread = / { match($0, /"[^"]*"/); thread = substr($0, RSTART + 1, RLENGTH - 2) }
  /stackTrace = \[/ { want = 1; next }
  want == 1 { top = $1; want = 2 }
  /^}/ {
    if (top == "") next
    all++; if (top ~ /^org\.scxjavaland\.core\.alloc\./) alloc++
    if (thread == "main") { sched++; if (top ~ /^org\.scxjavaland\.core\.alloc\./) salloc++ }
    if (thread == "main") frames[top]++
  }
  END {
    printf "execution samples: %d in the daemon, %d on the scheduling thread\n", all, sched
    printf "allocator (org.scxjavaland.core.alloc.*) self time: %.2f%% of the daemon'"'"'s samples, %.2f%% of the scheduling thread'"'"'s\n", all ? 100 * alloc / all : 0, sched ? 100 * salloc / sched : 0
    n = 0; for (f in frames) n++
    print "top frames of the scheduling thread:"
    for (k = 0; k < 12 && n > 0; k++) { best = ""; for (f in frames) if (best == "" || frames[f] > frames[best]) best = f; printf "  %5.1f%%  %s\n", 100 * frames[best] / sched, best; delete frames[best]; n-- }
  }' | tee "$out/summary.txt"
