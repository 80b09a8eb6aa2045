#!/bin/bash
# The same-boot scheduler comparison. Runs INSIDE the sched_ext VM (vm/compare.sh boots it), in the repo root.
# Every workload first under the kernel's own scheduler (EEVDF, sched_ext disabled), then for each transport:
# start `scx_javaland run --transport=T`, wait until sched_ext is enabled with ops javaland, run every workload
# again, stop the daemon with SIGINT to its process group. CMP_ROUNDS rounds per scheduler (all workloads in a
# round, then the next round). A daemon that does not enable, or leaves `enabled` mid-run, is recorded as a
# failure of that scheduler (its log tail is printed) and the next transport goes on.
# One progress line per run; raw values go to OUT/results.tsv as they come (so a dead VM leaves what it got),
# the output of each cyclictest/hackbench/stress-ng run to OUT/logs/SCHED-rROUND-WORKLOAD.log;
# at the end vm/compare-report.sh prints the table and writes OUT/compare.json.
#   CMP_ROUNDS (3)  CMP_WORKLOADS ("all", or names from all_workloads below)  CMP_TRANSPORTS ("ringbuf fifo")
#   CMP_SECS (10): seconds per timed workload run     CMP_CHECK=1: evaluate the bars (vm/compare-report.sh)
#   CMP_OUT_DIR (default $SCX_JAVALAND_SHARE/compare)  CMP_HACKBENCH (hackbench arguments, "-g 2 -l 100")
#   CMP_START_TIMEOUT / CMP_STOP_TIMEOUT: seconds to reach enabled+javaland (240) / to exit after SIGINT (10)
#   CMP_SETTLE_SECS (5): pause after enabling, while the JVM finishes its start-up work
#   CMP_VM_ACCEL, CMP_VM_MEM, CMP_VM_QEMU, CMP_VM_HOST_CPU, CMP_COMMIT: the VM and the build, for the JSON
#   SCX_JAVALAND_BIN (default bin/scx_javaland)
# Exit code: 0 when it ran to the end (a scheduler that failed is a result, FAILED in the table); 1 with
# CMP_CHECK=1 when a bar is missed; 2 on bad settings, no sched_ext or no daemon.
set -u
set -m  # every background job gets its own process group: hogs and workloads are killed as a group

all_workloads="nice5 nice10 nice19 nice5rt idle cyclictest hackbench switch pipe sem placement rthog fork"
daemon=${SCX_JAVALAND_BIN:-bin/scx_javaland}
rounds=${CMP_ROUNDS:-3}
workloads=${CMP_WORKLOADS:-all}
transports=${CMP_TRANSPORTS-ringbuf fifo}  # empty: EEVDF only
secs=${CMP_SECS:-10}
hackbench_args=${CMP_HACKBENCH:--g 2 -l 100}  # 80 tasks; a few seconds under TCG with EEVDF
start_timeout=${CMP_START_TIMEOUT:-240}  # JVM start + the daemon's warm-up: ~100 s under TCG
stop_timeout=${CMP_STOP_TIMEOUT:-10}
settle=${CMP_SETTLE_SECS:-5}
out=${CMP_OUT_DIR:-${SCX_JAVALAND_SHARE:-/tmp}/compare}
here=$(cd "$(dirname "$0")" && pwd)
SCX=/sys/kernel/sched_ext

die() { echo "guest-compare.sh: $*" >&2; exit 2; }
[ "$workloads" = all ] && workloads=$all_workloads
for w in $workloads; do
  [[ " $all_workloads " == *" $w "* ]] || die "unknown workload '$w' (known: $all_workloads)"
done
for t in $transports; do
  [[ " ringbuf fifo auto " == *" $t "* ]] || die "unknown transport '$t' (known: ringbuf fifo auto)"
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "rounds must be a positive integer, not '$rounds'"
[[ "$secs" =~ ^[1-9][0-9]*$ ]] || die "secs must be a positive integer, not '$secs'"
[ -d "$SCX" ] || die "this kernel has no sched_ext ($SCX missing)"
[ -x "$daemon" ] || [ -z "$transports" ] || die "$daemon is not executable (run make build on the host first)"
mkdir -p "$out" || die "cannot create $out"
results=$out/results.tsv
mkdir -p "$out/logs" || die "cannot create $out/logs"
: > "$results" || die "cannot write $results"
ncpu=$(getconf _NPROCESSORS_ONLN)
clk=$(getconf CLK_TCK)

# Builtins only from here on where it matters (no fork while timing): a fork under TCG costs milliseconds.
exec {nap_fd}<> <(:)
nap() { read -r -t "$1" -u "$nap_fd" _; }  # sleep without a fork
now_us() { REPLY=${EPOCHREALTIME/./}; }
state() { local v=none; read -r v 2>/dev/null < "$SCX/state"; REPLY=$v; }
ops() { local v=none; read -r v 2>/dev/null < "$SCX/root/ops"; REPLY=$v; }  # root/ exists only while attached
record() { local IFS=$'\t'; printf '%s\n' "$*" >> "$results"; }  # one tab-separated line of raw results
# fixed-point N/D with 3 decimals (integers in, string in REPLY)
div3() { local v=$(( ($1 * 1000 + $2 / 2) / $2 )); printf -v REPLY '%d.%03d' $((v / 1000)) $((v % 1000)); }
# utime+stime of PID in clock ticks (fields 14 and 15 of /proc/PID/stat; the comm before ") " may hold blanks)
ticks() {
  local line rest; local -a f
  read -r line 2>/dev/null < "/proc/$1/stat" || { REPLY=-1; return 1; }
  rest=${line##*) }
  read -ra f <<< "$rest"
  REPLY=$(( f[11] + f[12] ))
}

sched=""   # eevdf, or the transport the daemon runs with
lost=""    # non-empty once the scheduler under test has gone (state left enabled, ops not javaland)
dpid=""    # the daemon's pid (= its process group)
# Is the scheduler under test still there? Under EEVDF: sched_ext must stay disabled.
sched_ok() {
  local st op
  state; st=$REPLY
  if [ "$sched" = eevdf ]; then
    [ "$st" = disabled ] && return 0
    lost="sched_ext state=$st while measuring EEVDF"; return 1
  fi
  ops; op=$REPLY
  [ "$st" = enabled ] && [[ "$op" == javaland* ]] && return 0
  [ -n "$lost" ] || lost="state=$st ops=$op"
  return 1
}
# watch SECS: sleep SECS in 1 s steps, checking the scheduler each step (stops early when it is gone)
watch() {
  local end t
  now_us; end=$(( REPLY + $1 * 1000000 ))
  while :; do
    sched_ok || return 1
    now_us; t=$(( end - REPLY ))
    [ "$t" -gt 0 ] || return 0
    [ "$t" -gt 1000000 ] && t=1000000
    printf -v t '%d.%06d' $((t / 1000000)) $((t % 1000000))
    nap "$t"
  done
}

pids=()  # process groups started by the current run
spawn() { "$@" & pids+=("$!"); REPLY=$!; }
hog() { spawn "$@" sh -c 'while :; do :; done'; }  # hog [nice -n N | chrt -i 0]: a busy loop, pid in REPLY
# kill every process group of the run and reap it; then make sure no member is left
cleanup() {
  local p i left
  { for p in "${pids[@]}"; do kill -KILL -- -"$p"; done
    for p in "${pids[@]}"; do wait "$p"; done; } 2>/dev/null  # no "Killed" job notices
  for ((i = 0; i < 50; i++)); do
    left=""
    for p in "${pids[@]}"; do kill -0 -- -"$p" 2>/dev/null && left+=" $p"; done
    [ -z "$left" ] && break
    nap 0.1
  done
  [ -z "$left" ] || echo "compare: WARNING: process groups still alive after SIGKILL:$left"
  pids=()
}
# wait until every hog PID has exec'd its busy loop (comm sh), so nice/chrt took effect (up to 30 s)
hogs_up() {
  local p c i all
  for ((i = 0; i < 300; i++)); do
    all=1
    for p; do c=""; read -r c 2>/dev/null < "/proc/$p/comm"; [ "$c" = sh ] || { all=0; break; }; done
    [ $all = 1 ] && return 0
    nap 0.1
  done
  return 1
}
# cpu_window SECS PID...: CPU ticks each PID gets over SECS s (array d), and the wall time (wall_us)
cpu_window() {
  local s=$1 p i=0 t0; shift
  local -a a=()
  now_us; t0=$REPLY
  for p; do ticks "$p"; a+=("$REPLY"); done
  watch "$s" || return 1
  now_us; wall_us=$(( REPLY - t0 ))
  d=()
  for p; do
    ticks "$p" || { err="hog $p died"; return 1; }
    d+=($(( REPLY - a[i] ))); i=$((i + 1))
  done
}
# share of one CPU in % for T ticks over wall_us
share() { div3 $(( $1 * 100000000 )) $(( clk * wall_us )); }
# run_job LIMIT_S CMD...: run CMD in the background (its own group) and wait for it, checking the scheduler;
# rc in REPLY (124: killed at LIMIT_S, 125: killed because the scheduler went away)
running() {  # is PID alive? (a zombie is not: the shell may reap it only later)
  local line
  read -r line 2>/dev/null < "/proc/$1/stat" || return 1
  line=${line##*) }
  [ "${line:0:1}" != Z ]
}
poll_hook=""  # a function run_job calls with the job's pid at every poll (0.2 s)
run_job() {
  local limit=$1 p n=0 t0; shift
  spawn "$@"; p=$REPLY
  now_us; t0=$REPLY
  while running "$p"; do
    [ -n "$poll_hook" ] && "$poll_hook" "$p"
    if (( n++ % 5 == 0 )); then
      sched_ok || { kill -KILL -- -"$p" 2>/dev/null; REPLY=125; return; }
      now_us
      if (( REPLY - t0 > limit * 1000000 )); then
        echo "--- still running after $limit s:"; ps -o pid,stat,wchan:20,etime,time,args -g "$p"
        kill -KILL -- -"$p" 2>/dev/null; REPLY=124; return
      fi
    fi
    nap 0.2
  done
  wait "$p"; REPLY=$?
}

vals=()  # "metric value" pairs of the current run
err=""   # why the current run gave no value
emit() { vals+=("$1 $2"); }

# Per workload run under the daemon, besides the workload's own figures: the BPF side's nr_idle_while_waiting over
# the run (issue 8's placement criterion: a task started after waiting more than a slice while a CPU it may use had
# been idle more than a slice; read through the daemon's stats socket, whose per-connection fields are differences)
# and the daemon process's CPU, % of one CPU (what the simulator's daemon costs are calibrated against).
stats_socket=${CMP_STATS_SOCKET:-/var/run/scx/root/stats}
probe_on=0
probe_start() {
  probe_on=0
  [ "$sched" = eevdf ] && return
  coproc PROBE { exec python3 "$here/stats-delta.py" "$stats_socket" nr_idle_while_waiting vtime_now nr_preempt_kicks nr_sched_thread_late 2>&1; }
  local ready="" _w _k
  read -r -t 30 -u "${PROBE[0]}" ready _w probe_vtime _k _l
  if [ "$ready" != ready ]; then
    echo "compare:   (no per-run BPF counters: ${ready:-no answer from vm/stats-delta.py})"
    { kill "$PROBE_PID"; wait "$PROBE_PID"; } 2>/dev/null
    return
  fi
  ticks "$dpid"; probe_ticks=$REPLY
  now_us; probe_t0=$REPLY
  probe_on=1
}
probe_end() {
  [ "$probe_on" = 1 ] || return
  probe_on=0
  local v="" vt="" k="" l="" t
  ticks "$dpid"; t=$REPLY
  echo >&"${PROBE[1]}"
  read -r -t 30 -u "${PROBE[0]}" v vt k l
  now_us
  wait "$PROBE_PID" 2>/dev/null
  [ ${#vals[@]} -gt 0 ] || return
  wall_us=$(( REPLY - probe_t0 ))  # the whole run, hogs' start and cleanup included (share() divides by it)
  [ "$t" -ge 0 ] && { share $(( t - probe_ticks )); emit daemon_cpu_pct "$REPLY"; }
  [[ "$v" =~ ^[0-9]+$ ]] && emit idle_waits "$v"
  # the scheduling thread started over a slice after it became runnable (every waiting task waited as long)
  [[ "$l" =~ ^[0-9]+$ ]] && emit sched_late "$l"
  # wake-up preemptions per second: whether a woken task took a CPU from a running one or waited for its slice
  [[ "$k" =~ ^[0-9]+$ ]] && div3 $(( k * 1000000 )) "$wall_us" && emit preempt_kicks_s "$REPLY"
  # the policy's clock against the wall: 1.000 when it moves as a CPU's time does
  [[ "$vt" =~ ^[0-9]+$ ]] && [[ "$probe_vtime" =~ ^[0-9]+$ ]] && div3 $(( (vt - probe_vtime) / 1000 )) "$wall_us" &&
    emit clock_x "$REPLY"
}

# --- the workloads: each emits its metrics or sets err --------------------------------------------------
# runs PID...: the PIDs' CPU time in ns and how many times they were switched in (/proc/PID/schedstat), as "NS N"
runs() {
  local p ns=0 n=0 a b c
  for p; do read -r a b c 2>/dev/null < "/proc/$p/schedstat" && { ns=$((ns + a)); n=$((n + c)); }; done
  REPLY="$ns $n"
}
# run_us BEFORE AFTER: the mean run (CPU time per switch-in) between two runs() readings, in us
run_us() {
  local -a x=($1) y=($2)
  local n=$(( y[1] - x[1] ))
  [ "$n" -gt 0 ] || { REPLY=-; return; }
  div3 $(( (y[0] - x[0]) / 1000 )) "$n"
}
w_nice() { # N hogs at nice 0 and N at nice LEVEL: their CPU-time ratio, and each level's mean run
  local lvl=$1 i a=0 b=0 r0 r1 u0 u1; local -a p0=() p1=()
  # rt: beside one SCHED_FIFO thread per CPU waking every ms (cyclictest -S); each wake-up takes the CPU from the
  # hog running there, which the kernel resumes without a new enqueue: its run comes in pieces (docs/policy.md)
  if [ "${2:-}" = rt ]; then
    spawn cyclictest -S -p 50 -i 1000 -q -D $((secs + 120)) > /dev/null 2>&1
  fi
  for ((i = 0; i < ncpu; i++)); do hog; p0+=("$REPLY"); hog nice -n "$lvl"; p1+=("$REPLY"); done
  hogs_up "${p0[@]}" "${p1[@]}" || { err="hogs did not start"; return; }
  nap 0.5
  runs "${p0[@]}"; r0=$REPLY; runs "${p1[@]}"; r1=$REPLY
  cpu_window "$secs" "${p0[@]}" "${p1[@]}" || return
  runs "${p0[@]}"; run_us "$r0" "$REPLY"; u0=$REPLY
  runs "${p1[@]}"; run_us "$r1" "$REPLY"; u1=$REPLY
  for ((i = 0; i < ncpu; i++)); do a=$((a + d[i])); b=$((b + d[ncpu + i])); done
  if [ "$b" -le 0 ]; then
    echo "compare:   nice-$lvl hogs got no CPU tick in ${secs} s: ratio computed with 1 tick (a lower bound)"
    b=1
  fi
  div3 "$a" "$b"; emit ratio "$REPLY"
  [ "$u0" != - ] && emit nice0_run_us "$u0"
  [ "$u1" != - ] && emit niced_run_us "$u1"
}
w_idle() { # one SCHED_IDLE hog beside one nice-0 hog per CPU: its share of one CPU in %
  local i pi; local -a p0=()
  for ((i = 0; i < ncpu; i++)); do hog; p0+=("$REPLY"); done
  hog chrt -i 0; pi=$REPLY
  hogs_up "${p0[@]}" "$pi" || { err="hogs did not start"; return; }
  nap 0.5
  cpu_window "$secs" "$pi" || return
  share "${d[0]}"; emit share_pct "$REPLY"
}
# hog_shares PID...: over the window, the smallest of the hogs' CPU shares and their mean, % of one CPU
hog_shares() {
  local i min=-1 sum=0
  cpu_window "$secs" "$@" || return
  for ((i = 0; i < $#; i++)); do
    sum=$((sum + d[i])); { [ $min -lt 0 ] || [ "${d[i]}" -lt $min ]; } && min=${d[i]}
  done
  share "$min"; emit min_share_pct "$REPLY"
  share $(( sum / $# )); emit avg_share_pct "$REPLY"
}
w_placement() { # N hogs on N CPUs and a sleeper waking every 10 ms: the smallest hog share, and the hogs' total
  local i; local -a p0=()
  for ((i = 0; i < ncpu; i++)); do hog; p0+=("$REPLY"); done
  spawn bash -c 'exec {fd}<> <(:); while :; do read -t 0.01 -u "$fd"; done'  # no fork per wake-up
  hogs_up "${p0[@]}" || { err="hogs did not start"; return; }
  nap 0.5
  hog_shares "${p0[@]}"
}
w_rthog() { # N hogs, then a SCHED_FIFO busy loop owning the last CPU: the smallest hog share, and the hogs' mean
  local i; local -a p0=()
  for ((i = 0; i < ncpu; i++)); do hog; p0+=("$REPLY"); done
  hogs_up "${p0[@]}" || { err="hogs did not start"; return; }
  # No RT throttling on Debian's 7.x: only the kernel's deadline servers (about 50 ms per second for each class
  # below RT) run anything else on that CPU. Killed with the run's other groups (cleanup), from this shell.
  spawn chrt -f 50 taskset -c $((ncpu - 1)) sh -c 'while :; do :; done'
  hogs_up "$REPLY" || { err="the RT hog did not start"; return; }
  nap 0.5
  hog_shares "${p0[@]}"
}
# cyclictest's measuring thread has ended (only the main thread is left): the hogs can go, so that writing the
# 1M-line histogram does not compete with them (it took ~30 s more under TCG)
ct_threads=0
ct_done() {
  local line; local -a f
  read -r line 2>/dev/null < "/proc/$1/stat" || return
  read -ra f <<< "${line##*) }"
  if [ "${f[17]}" -ge 2 ]; then ct_threads=${f[17]}  # field 20: num_threads
  elif [ "$ct_threads" -ge 2 ]; then ct_threads=0; kill -KILL -- "${ct_hogs[@]/#/-}" 2>/dev/null; fi
}
w_cyclictest() { # wake-up latency of a SCHED_OTHER thread (1 ms period) beside two hogs per CPU
  local i json=/tmp/cmp-cyclictest.json line a p m o c
  for ((i = 0; i < 2 * ncpu; i++)); do hog; done
  ct_hogs=("${pids[@]}") ct_threads=0
  hogs_up "${pids[@]}" || { err="hogs did not start"; return; }
  rm -f "$json"
  poll_hook=ct_done
  # -h: 1 us buckets up to 1 s for p99 (under TCG p99 reached 0.58 s, beyond the 200 ms tried first); --json keeps
  # only the non-empty ones; the full histogram goes to /dev/null; no -p: SCHED_OTHER
  run_job $((secs + 60)) cyclictest -i 1000 -q -D "$secs" -t 1 -h 1000000 --histfile=/dev/null --json="$json" \
    > "$wlog" 2>&1
  poll_hook=""
  case $REPLY in 0) ;; 125) return ;; 124) err="cyclictest still running after $((secs + 60)) s"; return ;;
    *) err="cyclictest exit $REPLY: $(tail -1 "$wlog")"; return ;; esac
  # avg and max as cyclictest reports them; p99 from the histogram (cycles includes the overflows)
  line=$(awk '/"histogram"/ { h = 1; next } h && /}/ { h = 0 }
    h { gsub(/[",:]/, " "); n++; b[n] = $1; c[n] = $2 }
    /"cycles"/ { gsub(/[^0-9]/, ""); cyc = $0 } /"avg"/ { gsub(/[^0-9.]/, ""); avg = $0 }
    /"max"/ { gsub(/[^0-9]/, ""); max = $0 }
    END { if (cyc == "" || avg == "") exit 1
      p = max; over = 1; want = 0.99 * cyc
      for (i = 1; i <= n; i++) { s += c[i]; if (s >= want) { p = b[i]; over = 0; break } }
      print avg, p, max, over, cyc }' "$json") || { err="cannot read $json"; return; }
  read -r a p m o c <<< "$line"
  [ "$o" = 1 ] && echo "compare:   cyclictest p99 beyond its 1 s histogram: p99 reported as the max"
  emit avg_us "$a"; emit p99_us "$p"; emit max_us "$m"
}
w_hackbench() { # hackbench (rt-tests): time for a fixed number of messages between groups of tasks
  local t="" k v
  # shellcheck disable=SC2086  # the arguments are a word list
  run_job $((secs * 10 + 120)) hackbench $hackbench_args > "$wlog" 2>&1
  case $REPLY in 0) ;; 125) return ;; 124) err="hackbench still running after $((secs * 10 + 120)) s"; return ;;
    *) err="hackbench exit $REPLY: $(tail -1 "$wlog")"; return ;; esac
  while read -r k v; do [ "$k" = Time: ] && t=$v; done < "$wlog"
  [ -n "$t" ] || { err="no 'Time:' line from hackbench"; return; }
  emit time_s "$t"
}
w_stress() { # stress-ng STRESSOR with one instance per CPU: bogo ops/s (real time)
  local s=$1 v=""
  run_job $((secs + 90)) bash -c 'cd /tmp && exec stress-ng --"$1" "$2" --timeout "$3"s --metrics-brief --temp-path /tmp' \
    _ "$s" "$ncpu" "$secs" > "$wlog" 2>&1
  case $REPLY in 0) ;; 125) return ;; 124) err="stress-ng still running after $((secs + 90)) s"; return ;;
    *) err="stress-ng exit $REPLY: $(grep -m1 -iE 'error|fail' "$wlog")"; return ;; esac
  # stress-ng: metrc: [pid] STRESSOR ops real usr sys ops/s(real) ops/s(usr+sys)
  v=$(awk -v s="$s" '$2 == "metrc:" && $4 == s && NF == 10 { print $9; exit }' "$wlog")
  [ -n "$v" ] || { err="no metrics line for $s from stress-ng"; return; }
  emit ops_s "$v"
}
run_workload() {
  case $1 in
    nice5) w_nice 5 ;; nice10) w_nice 10 ;; nice19) w_nice 19 ;; nice5rt) w_nice 5 rt ;;
    idle) w_idle ;; placement) w_placement ;; rthog) w_rthog ;; cyclictest) w_cyclictest ;; hackbench) w_hackbench ;;
    switch|pipe|sem|fork) w_stress "$1" ;;
  esac
}

show_tail() { tail -n "${2:-25}" "$1" | sed 's/^/    | /'; }
# start the daemon for TRANSPORT and wait for enabled + javaland; 1 when it did not get there
start_daemon() {
  local t=$1 log=$out/daemon-$1.log i t0 st op
  echo "compare: starting $daemon run --transport=$t (JVM start and warm-up under TCG: 1-2 min)"
  now_us; t0=$REPLY
  "$daemon" run --transport="$t" > "$log" 2>&1 &
  dpid=$!
  for ((i = 0; i < start_timeout * 2; i++)); do
    state; st=$REPLY; ops; op=$REPLY
    [ "$st" = enabled ] && [[ "$op" == javaland* ]] && break
    kill -0 "$dpid" 2>/dev/null || break
    nap 0.5
  done
  now_us; div3 $(( (REPLY - t0) / 1000 )) 1000
  if [ "$st" != enabled ] || [[ "$op" != javaland* ]]; then
    record fail "$t" - - "did not enable: state=$st ops=$op after $REPLY s"
    echo "compare: FAILED $t: sched_ext not enabled with ops javaland after $REPLY s (state=$st ops=$op); daemon log tail:"
    stop_daemon quiet
    show_tail "$log"
    return 1
  fi
  record daemon "$t" enable_s "$REPLY"
  echo "compare: $t: sched_ext enabled, ops=$op, after $REPLY s; settling ${settle} s"
  nap "$settle"
  return 0  # (nap's read times out: non-zero)
}
# SIGINT to the daemon's process group, as Ctrl-C would; SIGKILL after CMP_STOP_TIMEOUT
stop_daemon() {
  local i rc summary log=$out/daemon-$sched.log
  [ -n "$dpid" ] || return
  kill -INT -- -"$dpid" 2>/dev/null
  for ((i = 0; i < stop_timeout * 10; i++)); do kill -0 "$dpid" 2>/dev/null || break; nap 0.1; done
  if kill -0 "$dpid" 2>/dev/null; then
    echo "compare: $sched: daemon still running ${stop_timeout} s after SIGINT: SIGKILL"
    { kill -KILL -- -"$dpid"; wait "$dpid"; } 2>/dev/null; rc=kill
  else
    wait "$dpid" 2>/dev/null; rc=$?
  fi
  dpid=""
  for ((i = 0; i < 100; i++)); do state; [ "$REPLY" = disabled ] && break; nap 0.1; done
  [ "${1:-}" = quiet ] && return
  summary=$(grep -m1 '^summary:' "$log")
  record daemon "$sched" exit "$rc"
  record daemon "$sched" summary "${summary#summary: }"
  echo "compare: $sched: daemon exit $rc; sched_ext state=$REPLY${summary:+; $summary}"
}

# --- the run -------------------------------------------------------------------------------------------
uname_r=$(uname -r)
record meta date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
record meta kernel "$uname_r"
record meta vcpus "$ncpu"
record meta rounds "$rounds"
record meta secs "$secs"
record meta workloads "$workloads"
record meta schedulers "eevdf${transports:+ $transports}"
record meta hackbench "$hackbench_args"
for v in accel mem qemu host_cpu; do
  n=CMP_VM_${v^^}; [ -n "${!n:-}" ] && record meta "vm_$v" "${!n}"
done
[ -n "${CMP_COMMIT:-}" ] && record meta commit "$CMP_COMMIT"

nw=$(wc -w <<< "$workloads")
total=$(( (1 + $(wc -w <<< "$transports")) * rounds * nw ))
echo "compare: kernel $uname_r, $ncpu CPUs; schedulers: eevdf${transports:+ $transports}; $rounds round(s) of: $workloads; ${secs} s per timed run"
k=0
for sched in eevdf $transports; do
  lost=""
  state
  if [ "$REPLY" != disabled ]; then
    record fail "$sched" - - "sched_ext state=$REPLY before the start (expected disabled)"
    echo "compare: FAILED $sched: sched_ext state=$REPLY before the start"; k=$((k + rounds * nw)); continue
  fi
  if [ "$sched" != eevdf ] && ! start_daemon "$sched"; then k=$((k + rounds * nw)); continue; fi
  for ((r = 1; r <= rounds; r++)); do
    for w in $workloads; do
      k=$((k + 1))
      echo "compare: [$k/$total] $sched round $r/$rounds $w"
      vals=() err="" wlog=$out/logs/$sched-r$r-$w.log
      now_us; t0=$REPLY
      sched_ok && { probe_start; run_workload "$w"; }
      cleanup
      probe_end
      sched_ok  # the scheduler must still be there after the run, or the values are not its own
      now_us; div3 $(( (REPLY - t0) / 1000 )) 1000; took=$REPLY
      if [ -n "$lost" ]; then
        record fail "$sched" "$w" "$r" "scheduler gone during the run: $lost"
        echo "compare: FAILED $sched: the scheduler left during $w round $r ($lost); daemon log tail:"
        [ "$sched" != eevdf ] && show_tail "$out/daemon-$sched.log"
        break 2
      fi
      if [ ${#vals[@]} -eq 0 ]; then
        record fail "$sched" "$w" "$r" "${err:-no value}"
        echo "compare:   -> no value: ${err:-?} ($took s)"
        continue
      fi
      line=""
      for mv in "${vals[@]}"; do
        record value "$w" "${mv% *}" "$sched" "$r" "${mv#* }"; line+=" ${mv% *}=${mv#* }"
      done
      echo "compare:   ->$line ($took s)"
    done
  done
  [ "$sched" != eevdf ] && stop_daemon
  # skipped runs of a failed scheduler still count in the progress numbering
  while (( k % (rounds * nw) )); do k=$((k + 1)); done
done

# The kernel log: every sched_ext line (enable/disable, exit reasons) and the errors among all lines.
dmesg > "$out/dmesg.log" 2>&1
grep -E 'sched_ext' "$out/dmesg.log" | while IFS= read -r l; do record dmesg_scx "$l"; done
grep -E 'runnable task stall|BUG:|WARNING: CPU:|sched_ext: .*(error|stall|watchdog|fail)' "$out/dmesg.log" |
  while IFS= read -r l; do record dmesg_error "$l"; done
record meta complete yes

check=()
[ "${CMP_CHECK:-0}" = 1 ] && check=(--check)
"$here/compare-report.sh" "${check[@]}" "$out"
