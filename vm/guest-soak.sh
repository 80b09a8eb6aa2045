#!/bin/bash
# The soak test's guest half. Runs INSIDE the sched_ext VM (scripts/soak.sh boots it), in the repo root.
# Starts the daemon with a GC log, waits until sched_ext runs it, puts mixed stress-ng load on it for SOAK_SECS while
# sampling the sched_ext state every second and the daemon's VmRSS every 10 s, stops it with SIGINT, and writes
# report.txt to SOAK_DIR (scripts/soak.sh prints it). Exits 0 when the scheduler never left enabled/javaland, the kernel log has no stall, the
# load and the daemon both exited 0; 1 otherwise.
#   SOAK_DIR (required)  SOAK_SECS (600)  SOAK_TRANSPORT (ringbuf)  SOAK_START_TIMEOUT (300)
#   SOAK_LOAD  stress-ng arguments instead of the default mix below (without --timeout)
#   SCX_JAVALAND_BIN  the daemon launcher (default bin/scx_javaland)
set -u
set -m  # the daemon and the load get process groups of their own (and the daemon keeps SIGINT)

dir=${SOAK_DIR:?}
secs=${SOAK_SECS:-600}
transport=${SOAK_TRANSPORT:-ringbuf}
start_timeout=${SOAK_START_TIMEOUT:-300}
daemon=${SCX_JAVALAND_BIN:-bin/scx_javaland}
SCX=/sys/kernel/sched_ext
mkdir -p "$dir"
log=$dir/daemon.log rss_log=$dir/rss.tsv gc_log=/tmp/soak-gc.log stress_log=$dir/stress.log
report=$dir/report.txt

# Builtins only in the sampling loop (no fork): under load in the VM a fork costs a lot.
state() { local v=none; read -r v < "$SCX/state" 2>/dev/null; echo "$v"; }
ops() { local v=none; read -r v < "$SCX/root/ops" 2>/dev/null; echo "$v"; }
now_ms() { local t=${EPOCHREALTIME/./}; echo $(( t / 1000 )); }
exec {nap_fd}<> <(:)
nap() { read -r -t "$1" -u "$nap_fd" _; }
read_rss() { # VmRSS of PID in kB into $rss, or rss="" when it is gone (no fork)
  local line
  rss=""
  while read -r line; do
    case "$line" in VmRSS:*) line=${line#VmRSS:}; line=${line% kB}; rss=$(( line )); return ;; esac
  done < "/proc/$1/status" 2>/dev/null
}
# Whether the daemon still runs: an exited child stays a zombie here until it is waited for (kill -0 succeeds).
daemon_alive() { local st=""; read -r _ _ st _ < "/proc/$pid/stat" 2>/dev/null && [ "$st" != Z ]; }
dmesg_start=$(dmesg | wc -l)
# When sched_ext ejects a scheduler it dumps every CPU's state to the sched_ext_dump trace event: keep it.
tracing=/sys/kernel/tracing
[ -e "$tracing/trace" ] || mount -t tracefs tracefs "$tracing" 2>/dev/null
echo 1 > "$tracing/events/sched_ext/sched_ext_dump/enable" 2>/dev/null
kernel=$(uname -r)
failures=()
# Mixed load: CPU hogs, context switches, fork/exit churn, pipes, memory pressure, sleepers, yields, futexes, timers.
load=(--cpu 1 --switch 1 --fork 1 --pipe 1 --vm 1 --vm-bytes 128M --sleep 1 --sleep-max 64 --yield 1 --futex 1
      --timer 1 --timer-freq 1000)
# shellcheck disable=SC2206  # SOAK_LOAD is a list of stress-ng arguments
[ -z "${SOAK_LOAD:-}" ] || load=($SOAK_LOAD)

# The launcher passes SCX_JAVALAND_JVM_OPTS to the JVM after its own flags; the daemon runs Serial GC and without
# perf data (no jstat), so the GC log is the record of collections.
env SCX_JAVALAND_JVM_OPTS="-Xlog:gc:file=$gc_log:uptime,level,tags" \
  "$daemon" run --transport="$transport" --stats 60 > "$log" 2>&1 &
pid=$!
t0=$(now_ms) ok=0
for ((i = 0; i < start_timeout * 2; i++)); do
  if [ "$(state)" = enabled ] && [[ "$(ops)" == javaland* ]]; then ok=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  nap 0.5
done
start_secs=$(( ($(now_ms) - t0) / 1000 ))
if [ $ok -eq 1 ]; then echo "soak: the daemon ($transport) attached after $start_secs s; $secs s of load next"
else echo "soak: the daemon ($transport) did not attach within $start_secs s"; fi

samples=0 bad=0 bad_first="" rss_first="" rss_last="" rss_max=0 rss_n=0 gc_lines_before=0 stress_rc=-1 daemon_rc=-1
if [ $ok -eq 1 ]; then
  gc_lines_before=$(wc -l < "$gc_log" 2>/dev/null || echo 0)
  (cd /tmp && exec stress-ng "${load[@]}" --timeout "${secs}s" --temp-path /tmp --metrics-brief) > "$stress_log" 2>&1 &
  spid=$!
  t1=$(now_ms) next_rss=0 died_at=""
  printf 'secs\tvmrss_kb\n' > "$rss_log"
  while kill -0 "$spid" 2>/dev/null; do
    now=$(( ${EPOCHREALTIME/./} / 1000 ))
    if [ -z "$died_at" ] && ! daemon_alive; then
      # Nothing left to soak: stop the load now rather than after the planned time.
      died_at=$(( (now - t1) / 1000 ))
      echo "soak: the daemon exited after $died_at s of load; stopping the load"
      kill -TERM -- -"$spid" 2>/dev/null
    fi
    samples=$((samples + 1))
    st=none op=none
    read -r st 2>/dev/null < "$SCX/state"; read -r op 2>/dev/null < "$SCX/root/ops"
    if [ "$st" != enabled ] || [[ "$op" != javaland* ]]; then
      bad=$((bad + 1)); [ -n "$bad_first" ] || bad_first="at $(( (now - t1) / 1000 )) s: state=$st ops=$op"
    fi
    if [ "$now" -ge "$next_rss" ]; then
      read_rss "$pid"
      if [ -n "$rss" ]; then
        [ -n "$rss_first" ] || rss_first=$rss
        rss_last=$rss rss_n=$((rss_n + 1))
        [ "$rss" -gt "$rss_max" ] && rss_max=$rss
        printf '%d\t%d\n' $(( (now - t1) / 1000 )) "$rss" >> "$rss_log"
      fi
      next_rss=$(( now + 10000 ))
      # A line a minute on the console, so a long run shows that it is alive.
      [ $(( rss_n % 6 )) -ne 1 ] || echo "soak: $(( (now - t1) / 1000 )) s of $secs: state=$st ops=$op, $bad bad samples, VmRSS ${rss:-?} kB"
    fi
    if [ $(( now - t1 )) -gt $(( (secs + 120) * 1000 )) ]; then
      kill -KILL -- -"$spid" 2>/dev/null; failures+=("stress-ng still running $((secs + 120)) s after it started: killed"); break
    fi
    nap 1
  done
  wait "$spid"; stress_rc=$?
  echo "soak: load ended (stress-ng exit $stress_rc), stopping the daemon"
  load_secs=$(( ($(now_ms) - t1) / 1000 ))
  gc_lines_during=$(( $(wc -l < "$gc_log" 2>/dev/null || echo 0) - gc_lines_before ))
  alive=yes; daemon_alive || alive=no
  kill -INT -- -"$pid" 2>/dev/null
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; nap 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    failures+=("daemon still running 10 s after SIGINT: killed"); kill -KILL -- -"$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  else
    wait "$pid"; daemon_rc=$?
  fi
  [ "$alive" = yes ] || failures+=("the daemon exited after ${died_at:-?} s of load, before the load ended")
else
  failures+=("the daemon did not get sched_ext to enabled/javaland within $start_secs s (state=$(state) ops=$(ops))")
  kill -KILL -- -"$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  load_secs=0 gc_lines_during=0
fi
for ((i = 0; i < 50; i++)); do [ "$(state)" = disabled ] && break; nap 0.1; done
cp "$gc_log" "$dir/gc.log" 2>/dev/null

# The kernel log since this script started: sched_ext stalls and errors.
dmesg | tail -n +"$((dmesg_start + 1))" > "$dir/dmesg.log"
grep -v '^#' "$tracing/trace" > "$dir/sched_ext_dump.log" 2>/dev/null
[ -s "$dir/sched_ext_dump.log" ] || rm -f "$dir/sched_ext_dump.log"
stall_lines=$(grep -ciE '\bstall' "$dir/dmesg.log")
scx_errors=$(grep -cE 'sched_ext: .*error' "$dir/dmesg.log")
warn_lines=$(grep -cE 'BUG:|WARNING:' "$dir/dmesg.log")

# GC: Serial GC logs one "GC(n) Pause Young|Full (...) A->B(C) T ms" line per collection.
gc_stats() { # FILE [SKIP_LINES] -> "count young full total_ms max_ms"
  awk -v skip="${2:-0}" 'NR > skip && / Pause (Young|Full)/ && $NF ~ /ms$/ {
      t = $NF; sub(/ms$/, "", t); n++; sum += t; if (t > max) max = t
      if ($0 ~ / Pause Full/) full++; else young++ }
    END { printf "%d %d %d %.3f %.3f\n", n, young, full, sum, max }' "$1" 2>/dev/null || echo "0 0 0 0 0"
}
read -r gc_n gc_young gc_full gc_ms gc_max <<< "$(gc_stats "$dir/gc.log")"
read -r gcl_n gcl_young gcl_full gcl_ms gcl_max <<< "$(gc_stats "$dir/gc.log" "$gc_lines_before")"

summary=$(grep '^summary:' "$log" | tail -1)
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
[ "$bad" -eq 0 ] || failures+=("sched_ext left enabled/javaland in $bad of $samples samples (first $bad_first)")
[ "$stall_lines" -eq 0 ] || failures+=("$stall_lines 'stall' line(s) in dmesg")
[ "$stress_rc" -eq 0 ] || [ $ok -ne 1 ] || [ -n "${died_at:-}" ] || failures+=("stress-ng exited $stress_rc")
[ "$daemon_rc" -eq 0 ] || [ $ok -ne 1 ] || failures+=("the daemon exited $daemon_rc")
[ -n "$summary" ] || failures+=("no summary line from the daemon")

{
  echo "soak: kernel $kernel, transport $transport, load ${load_secs} s of ${secs} s planned, daemon $daemon"
  echo "load: stress-ng ${load[*]}"
  echo "attach: sched_ext enabled/javaland ${start_secs} s after the daemon started"
  echo "stalls: $stall_lines ('stall' lines in dmesg); state samples: $samples, not enabled/javaland: $bad${bad_first:+ (first $bad_first)}"
  echo "kernel log: $scx_errors sched_ext error line(s), $warn_lines BUG/WARNING line(s) (dmesg.log)"
  if [ -n "$rss_first" ]; then
    echo "rss: start $(mb "$rss_first") MiB, end $(mb "$rss_last") MiB, growth $(mb $((rss_last - rss_first))) MiB" \
         "($(( rss_last - rss_first )) kB), max $(mb "$rss_max") MiB; $rss_n samples every 10 s (rss.tsv)"
  else
    echo "rss: no samples"
  fi
  echo "gc: $gc_n collections ($gc_young young, $gc_full full), pauses ${gc_ms} ms total, max ${gc_max} ms over the daemon's life"
  echo "gc under the load: $gcl_n collections ($gcl_young young, $gcl_full full), pauses ${gcl_ms} ms total, max ${gcl_max} ms"
  echo "exit: daemon $daemon_rc after SIGINT, stress-ng $stress_rc; sched_ext afterwards: $(state)"
  grep -m1 '^scx_javaland: exit:' "$log" | sed 's/^scx_javaland: /daemon /'
  echo "daemon ${summary:-summary: (none)}"
  grep -E '^stress-ng: (info|metrc): .* (cpu|switch|fork|pipe|vm|sleep|yield|futex|timer) ' "$stress_log" | sed 's/^/stress-ng| /' | head -12
  if [ ${#failures[@]} -eq 0 ]; then
    echo "soak PASS"
  else
    printf 'soak FAIL %s\n' "${failures[@]}"
  fi
} > "$report"
echo "soak: done, report in $report"
[ ${#failures[@]} -eq 0 ]
