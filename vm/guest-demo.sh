#!/bin/bash
# The `make run` demo inside the sched_ext VM (scripts/run.sh boots it): the daemon with live stats under a
# stress-ng mix for DEMO_SECS (default 60), then a clean stop (SIGINT, as Ctrl-C would) and its summary.
set -u
set -m  # the daemon gets its own process group and keeps SIGINT
daemon=${SCX_JAVALAND_BIN:-bin/scx_javaland}
secs=${DEMO_SECS:-60}
stats=${DEMO_STATS:-2}
SCX=/sys/kernel/sched_ext
log=/tmp/demo-daemon.log
state() { cat "$SCX/state" 2>/dev/null || echo none; }
ops() { cat "$SCX/root/ops" 2>/dev/null || echo none; }

[ -d "$SCX" ] || { echo "demo: this kernel has no sched_ext"; exit 1; }
[ -x "$daemon" ] || { echo "demo: $daemon not found: run make build on the host first"; exit 1; }
echo "demo: kernel $(uname -r), sched_ext state=$(state); starting $daemon run --stats $stats"
echo "demo: (JVM start and the daemon's warm-up are slow under TCG emulation: 1-2 min)"
"$daemon" run --stats "$stats" > "$log" 2>&1 &
pid=$!
tail -n +1 -f --pid="$pid" "$log" &  # live stats on the console, ends with the daemon
t0=$(date +%s)
until [ "$(state)" = enabled ] && [[ "$(ops)" == javaland* ]]; do
  if ! kill -0 "$pid" 2>/dev/null; then wait "$pid"; echo "demo: the daemon exited before enabling sched_ext"; exit 1; fi
  if [ $(( $(date +%s) - t0 )) -ge ${DEMO_START_TIMEOUT:-240} ]; then
    echo "demo: sched_ext not enabled after ${DEMO_START_TIMEOUT:-240} s (state=$(state) ops=$(ops)); stopping"
    kill -INT -- -"$pid"; wait "$pid"; exit 1
  fi
  sleep 1
done
echo "demo: sched_ext enabled with ops=$(ops) after $(( $(date +%s) - t0 )) s; every task in the VM is now scheduled by Java"
echo "demo: load for $secs s: stress-ng --cpu 2 --switch 1 --fork 1 --pipe 1 (live stats every $stats s)"
(cd /tmp && exec stress-ng --cpu 2 --switch 1 --fork 1 --pipe 1 --timeout "${secs}s" --temp-path /tmp \
  --metrics-brief) > /tmp/demo-stress.log 2>&1
src=$?
echo "demo: stress-ng finished (exit $src); sched_ext state=$(state) ops=$(ops)"
sed -n 's/^stress-ng: metrc: /demo: stress-ng /p' /tmp/demo-stress.log | head -8
echo "demo: stopping the daemon with SIGINT"
kill -INT -- -"$pid"
wait "$pid"
rc=$?
sleep 1  # let tail print the last lines
[ -n "${SCX_JAVALAND_SHARE:-}" ] && cp "$log" "$SCX_JAVALAND_SHARE/demo-daemon.log"
for _ in $(seq 50); do [ "$(state)" = disabled ] && break; sleep 0.1; done
echo "demo: daemon exited $rc; sched_ext state=$(state)"
grep '^summary:' "$log" | sed 's/^/demo: /'
exit "$rc"
