#!/bin/bash
# Records a JFR profile of the daemon scheduling under load and prints how much of its execution samples fall in
# the allocator (issue 3: at most 2%). On a kernel with sched_ext it runs here; elsewhere it boots the test VM
# (vm/run.sh) and runs there. Needs `make build` first.
#   PROFILE_LOAD_SECS (default 30)   PROFILE_TRANSPORT (default ringbuf)
# The recording is kept as vm/out/share/profile/scx_javaland.jfr (VM) or /tmp/scx_javaland-profile/ (here).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jdk=$(scripts/find-jdk.sh) || exit 1
if [ ! -d /sys/kernel/sched_ext ]; then
  echo "profile-allocator.sh: no sched_ext here; recording in the VM, reading the recording here"
  rm -rf vm/out/share/profile
  vm/run.sh --timeout 900 -- "PROFILE_LOAD_SECS=${PROFILE_LOAD_SECS:-30} PROFILE_TRANSPORT=${PROFILE_TRANSPORT:-ringbuf} scripts/profile-allocator.sh" || exit 1
  jfr=vm/out/share/profile/scx_javaland.jfr
  out=vm/out/share/profile
else
  load=${PROFILE_LOAD_SECS:-30}
  out=${SCX_JAVALAND_SHARE:+$SCX_JAVALAND_SHARE/profile}
  out=${out:-/tmp/scx_javaland-profile}
  mkdir -p "$out" /tmp/jfr-repo
  jfr=/tmp/scx_javaland.jfr   # tmpfs while recording: the daemon must not wait on a slow file system
  # Execution samples only, every 20 ms: JFR's other events cost a lot under emulation and are not needed here.
  cat > /tmp/scx_javaland-samples.jfc <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">20 ms</setting></event>
</configuration>
JFC
  # The daemon starts as usual (its AOT cache and warm-up intact); JFR is switched on once it has attached, from
  # jcmd: JFR's own threads then record, the scheduling thread is only sampled.
  bin/scx_javaland run --transport="${PROFILE_TRANSPORT:-ringbuf}" > "$out/daemon.log" 2>&1 &
  pid=$!
  for i in $(seq 1 480); do
    [ "$(cat /sys/kernel/sched_ext/state 2>/dev/null)" = enabled ] && break
    kill -0 $pid 2>/dev/null || { echo "profile-allocator.sh: the daemon exited early:"; cat "$out/daemon.log"; exit 1; }
    sleep 0.5
  done
  "$jdk/bin/jcmd" $pid JFR.start name=alloc settings=/tmp/scx_javaland-samples.jfc filename=$jfr > /dev/null || exit 1
  echo "profile-allocator.sh: recording; ${load} s of stress-ng (cpu, switch, fork: tasks come and go)"
  (cd /tmp && stress-ng --cpu 2 --switch 2 --fork 2 --timeout "${load}s" --temp-path /tmp -q)
  "$jdk/bin/jcmd" $pid JFR.stop name=alloc > /dev/null
  kill -INT $pid; wait $pid
  cp "$jfr" "$out/"
  tail -2 "$out/daemon.log"
  [ -n "${SCX_JAVALAND_IN_VM:-}" ] && exit 0   # the host reads the recording: jfr print is slow under emulation
fi

# A profile of a scheduler the kernel ejected, or an empty one, says nothing: refuse to print a share then.
if grep -qE 'exit_kind=(10[0-9][0-9])' "$out/daemon.log"; then
  echo "profile-allocator.sh: the kernel ejected the scheduler while recording ($(grep -m1 '^scx_javaland: exit:' "$out/daemon.log")); no figure" >&2
  exit 1
fi
[ -s "$jfr" ] || { echo "profile-allocator.sh: no recording at $jfr; no figure" >&2; exit 1; }

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
    if (sched == 0) { print "profile-allocator.sh: no execution samples of the scheduling thread; no figure"; exit 1 }
    printf "execution samples: %d in the daemon, %d on the scheduling thread\n", all, sched
    printf "allocator (org.scxjavaland.core.alloc.*) self time: %.2f%% of the daemon'"'"'s samples, %.2f%% of the scheduling thread'"'"'s\n", all ? 100 * alloc / all : 0, sched ? 100 * salloc / sched : 0
    n = 0; for (f in frames) n++
    print "top frames of the scheduling thread:"
    for (k = 0; k < 12 && n > 0; k++) { best = ""; for (f in frames) if (best == "" || frames[f] > frames[best]) best = f; printf "  %5.1f%%  %s\n", 100 * frames[best] / sched, best; delete frames[best]; n-- }
  }' | tee "$out/summary.txt"
exit "${PIPESTATUS[1]}"
