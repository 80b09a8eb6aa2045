# Reliability checks of the VM end-to-end test (issue 12), sourced by vm/guest-e2e.sh, which provides result,
# check, state, ops, now_ms, nap, secs_since, show_log, $daemon, $logs, $start_timeout and $stop_timeout.
# Each check is a function rel_NAME; E2E_RELIABILITY lists the names to run, in order (a name may repeat).
#   ci-stress  the sched_ext project's CI stress test: stress-ng --aggressive, CPU hogs, fork churn and affinity
#              churn for 31 s; the scheduler must stay attached; SIGTERM afterwards
#   hogs       2 CPU hogs at nice 0 and 2 at nice 5 started right after attach, 30 s (the load that once hung
#              the VM); the daemon was started by a non-interactive shell with SIGINT ignored, and SIGINT must
#              still stop it
#   rthog      (make test runs it on the first kernel, 7.3, only: it fails on 6.16, see below) a SCHED_FIFO busy
#              loop owns the last CPU for 3 s, taking it idle or from a task, beside a CPU hog per other CPU: the
#              scheduler stays attached, the burst ends on time (timeout(1), woken after 3 s, needs the scheduling
#              thread's decision) and every hog keeps at least 40 % of a CPU. Passed 3 of 3 on 7.3. On 6.16 it
#              reproduces a known failure (docs/kernels.md, bench/results/rthog-616-vm-20261203T1545Z.txt): the task
#              the busy loop interrupts, the scheduling thread included, waits in that CPU's local DSQ for the whole
#              burst; 2 of 3 runs failed
#   hotplug    CPU 1 offline then online while attached: the kernel restarts the scheduler, the daemon reattaches
#   kill9      kill -9 while loaded: sched_ext disabled within the watchdog timeout, the load runs on, a new
#              daemon attaches again
#   sigstop    SIGSTOP for longer than the watchdog timeout, 64 hogs running: the kernel ejects it; once continued
#              the daemon says why, prints the kernel's state dump (more than 16 KiB of it) and exits 1
#   tiny-ring  --channel-records 8 (the smallest ring: one page, 39 records) under fork and context-switch churn:
#              nothing stalls (this load does not fill the page: congestion itself is tested on the host)
#   stats-socket a bare `scx_javaland` (no command: as scx.service starts it) attaches with the version in the
#              kernel's ops name; under load, `scx_javaland --monitor 1` in another process prints stats lines with
#              user dispatches, and a python3 client written from the scx_stats protocol (not our code) reads
#              stats_meta and stats from the socket (docs/metrics.md)
#   installed  the Debian package (target/deb/, make deb) installed with dpkg over a writable overlay of the
#              read-only root; the unit's ExecStart= with the flags of /etc/default/scx_javaland (the guest runs no
#              systemd: scripts/unit-exec.sh expands it) attaches, with every JDK hidden; SIGINT stops it; purged
rel_seq=0

# rel_start TAG MODE [ARGS...]: starts the daemon; MODE group = as an interactive shell would, bare = the same
# without the 'run' command (scx_javaland [run options]), ignint = with SIGINT
# ignored, as a script's background job inherits it (the JVM then installs no handler by itself). Sets rel_pid
# and rel_log; returns 0 once sched_ext runs it.
rel_start() {
  local tag=$1 mode=$2 t0 i
  shift 2
  rel_seq=$((rel_seq + 1))
  rel_log="$logs/rel-$rel_seq-$tag.log"
  t0=$(now_ms)
  # guest-e2e.sh runs with job control (set -m): a background job is a process group of its own
  if [ "$mode" = group ]; then
    "$daemon" run --stats 10 "$@" > "$rel_log" 2>&1 & rel_pid=$!
  elif [ "$mode" = bare ]; then
    "$daemon" --stats 10 "$@" > "$rel_log" 2>&1 & rel_pid=$!
  else
    (trap '' INT; exec "$daemon" run --stats 10 "$@") > "$rel_log" 2>&1 & rel_pid=$!
  fi
  for ((i = 0; i < start_timeout * 2; i++)); do
    if [ "$(state)" = enabled ] && [[ "$(ops)" == javaland* ]]; then
      result OK "$tag daemon enables sched_ext" "after $(secs_since "$t0") s"
      return 0
    fi
    kill -0 "$rel_pid" 2>/dev/null || break
    nap 0.5
  done
  result FAIL "$tag daemon enables sched_ext" "state=$(state) after $(secs_since "$t0") s"
  show_log "$rel_log"
  kill -KILL "$rel_pid" 2>/dev/null; wait "$rel_pid" 2>/dev/null
  return 1
}

# rel_stop TAG SIGNAL WANT_RC: signals the daemon, waits for it, checks its exit status and that sched_ext is off.
rel_stop() {
  local tag=$1 sig=$2 want=$3 t0 i rc
  t0=$(now_ms)
  kill -"$sig" "$rel_pid" 2>/dev/null
  for ((i = 0; i < stop_timeout * 10; i++)); do kill -0 "$rel_pid" 2>/dev/null || break; nap 0.1; done
  if kill -0 "$rel_pid" 2>/dev/null; then
    result FAIL "$tag daemon exits $want within ${stop_timeout} s of SIG$sig" "still running"
    kill -KILL "$rel_pid" 2>/dev/null; wait "$rel_pid" 2>/dev/null
  else
    wait "$rel_pid"; rc=$?
    check "$tag daemon exits $want within ${stop_timeout} s of SIG$sig" "exit $rc after $(secs_since "$t0") s" \
      "[ $rc -eq $want ]"
  fi
  for ((i = 0; i < 50; i++)); do [ "$(state)" = disabled ] && break; nap 0.1; done
  check "$tag sched_ext disabled afterwards" "state=$(state)" '[ "$(state)" = disabled ]'
}

# rel_watch TAG PID SECS_MAX: samples the sched_ext state every second while PID runs; one result line.
rel_watch() {
  local tag=$1 pid=$2 max=$3 t0 samples=0 bad=0 first="" st
  t0=$(now_ms)
  while kill -0 "$pid" 2>/dev/null; do
    samples=$((samples + 1)); st=$(state)
    if [ "$st" != enabled ]; then bad=$((bad + 1)); [ -n "$first" ] || first="sample $samples: $st"; fi
    if [ $(( $(now_ms) - t0 )) -gt $(( max * 1000 )) ]; then kill -KILL -- -"$pid" "$pid" 2>/dev/null; break; fi
    nap 1
  done
  check "$tag scheduler stays attached under the load" "$samples samples, $bad not enabled${first:+, first $first}" \
    '[ "$bad" -eq 0 ] && [ "$samples" -gt 0 ]'
}

rel_ci-stress() {
  local tag=ci-stress#$1 spid rc
  rel_start "$tag" ignint -v || return
  (cd /tmp && exec stress-ng --aggressive -c "$(nproc)" -f "$(nproc)" --affinity 1 --affinity-delay 1 \
     --affinity-pin --timeout 31s --temp-path /tmp) > "$logs/rel-$rel_seq-stress.log" 2>&1 &
  spid=$!
  rel_watch "$tag" "$spid" 150
  wait "$spid"; rc=$?
  check "$tag stress-ng exits 0" "exit $rc" "[ $rc -eq 0 ]"
  rel_stop "$tag" TERM 0
  grep -E '^summary:|exit:|accounting' "$rel_log" | sed 's/^/    | /'
  check_sched_alloc "$tag" "$(grep '^summary:' "$rel_log")"
  # Fork churn and affinity churn: every task the kernel handed over was decided, superseded, held or cancelled.
  check "$tag -v accounting at exit: no task lost or decided twice" \
    "$(grep -o 'accounting [A-Z]*[a-z]*' "$rel_log" || echo 'no accounting line')" "grep -q 'accounting ok' \"\$rel_log\""
}

rel_hogs() {
  local tag=hogs#$1 n pids=() w
  rel_start "$tag" ignint || return
  for n in 0 0 5 5; do nice -n "$n" sh -c 'while :; do :; done' & pids+=($!); done
  (exec sleep 30) & w=$!
  rel_watch "$tag" "$w" 120
  kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null
  rel_stop "$tag" INT 0
}

rel_rthog() {
  local tag=rthog#$1 n pids=() last=$(( $(nproc) - 1 )) t0 ms share min=100000 shares=""
  local -a before=()
  [ "$last" -ge 1 ] || { result FAIL "$tag needs 2 CPUs or more" "nproc=$(nproc)"; return; }
  rel_start "$tag" group || return
  for ((n = 0; n < last; n++)); do sh -c 'while :; do :; done' & pids+=($!); done
  nap 1
  for n in "${pids[@]}"; do before+=("$(rel_cpu_ticks "$n")"); done
  t0=$(now_ms)
  timeout 3 chrt -f 50 taskset -c "$last" sh -c 'while :; do :; done'
  ms=$(( $(now_ms) - t0 ))
  for ((n = 0; n < last; n++)); do
    # per mille of a CPU: ticks are 10 ms (USER_HZ 100)
    share=$(( ($(rel_cpu_ticks "${pids[n]}") - before[n]) * 10 * 1000 / (ms > 0 ? ms : 1) ))
    shares+="${shares:+ }$((share / 10)).$((share % 10))%"
    [ "$share" -lt "$min" ] && min=$share
  done
  check "$tag scheduler stays attached while a FIFO busy loop owns CPU $last" "state=$(state)" '[ "$(state)" = enabled ]'
  check "$tag the 3 s burst ends on time: tasks kept being decided meanwhile" "$ms ms" '[ "$ms" -le 4500 ]'
  check "$tag every hog keeps at least 40 % of a CPU meanwhile" "hogs $shares" '[ "$min" -ge 400 ]'
  kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null
  rel_stop "$tag" INT 0
}

# rel_cpu_ticks PID: user + system time of a process, in clock ticks (builtins only)
rel_cpu_ticks() {
  local line; local -a f
  read -r line 2>/dev/null < "/proc/$1/stat" || { echo 0; return; }
  read -ra f <<< "${line##*) }"
  echo $(( f[11] + f[12] ))  # fields 14 and 15: utime, stime
}

rel_hotplug() {
  local tag=hotplug#$1 cpu=/sys/devices/system/cpu/cpu1/online i restarts
  [ -w "$cpu" ] || { result FAIL "$tag CPU 1 can be taken offline" "$cpu not writable"; return; }
  rel_start "$tag" group || return
  echo 0 > "$cpu"
  for ((i = 0; i < 60; i++)); do [ "$(state)" = enabled ] && grep -q 'reattaching' "$rel_log" && break; nap 1; done
  check "$tag CPU 1 offline: the kernel restarts the scheduler and the daemon reattaches" \
    "state=$(state) after ${i} s" '[ "$(state)" = enabled ] && grep -q reattaching "$rel_log"'
  echo 1 > "$cpu"
  for ((i = 0; i < 60; i++)); do [ "$(state)" = enabled ] && [ "$(grep -c reattaching "$rel_log")" -ge 2 ] && break; nap 1; done
  check "$tag CPU 1 online again: restarted and reattached" "state=$(state), $(grep -c reattaching "$rel_log") reattaches" \
    '[ "$(state)" = enabled ] && [ "$(grep -c reattaching "$rel_log")" -ge 2 ]'
  rel_stop "$tag" INT 0
  restarts=$(sed -n 's/.* restarts=\([0-9]*\).*/\1/p' "$rel_log")
  check "$tag the summary counts the restarts" "restarts=${restarts:-missing}" '[ "${restarts:-0}" -ge 2 ]'
}

rel_kill9() {
  local tag=kill9#$1 spid t0 i rc
  rel_start "$tag" group || return
  (cd /tmp && exec stress-ng --cpu "$(nproc)" --switch 1 --timeout 25s --temp-path /tmp) \
    > "$logs/rel-$rel_seq-stress.log" 2>&1 &
  spid=$!
  nap 5
  t0=$(now_ms)
  kill -KILL "$rel_pid"
  for ((i = 0; i < 100; i++)); do [ "$(state)" = disabled ] && break; nap 0.1; done
  check "$tag kill -9: sched_ext disabled within the watchdog timeout (5 s)" "state=$(state) after $(secs_since "$t0") s" \
    '[ "$(state)" = disabled ]'
  wait "$rel_pid" 2>/dev/null
  wait "$spid"; rc=$?
  check "$tag the load runs on to its end" "stress-ng exit $rc" "[ $rc -eq 0 ]"
  rel_start "$tag-again" group || return
  rel_stop "$tag-again" INT 0
}

rel_sigstop() {
  local tag=sigstop#$1 i rc before t0 spid dump_bytes
  rel_start "$tag" group || return
  # 64 runnable hogs, so that the kernel's dump at the ejection lists more tasks than 16 KiB holds: the copy the
  # daemon prints must keep the kernel's default 32 KiB (until 2026-12-02 it was cut at 16 KiB). At nice 19, so that
  # once the kernel's own scheduler has them this script and the daemon still get the CPU (at nice 0 the daemon
  # had not exited 5 s after SIGCONT), and stopped as soon as the dump is taken.
  (cd /tmp && exec nice -n 19 stress-ng --cpu 64 --timeout 90s) > "$logs/rel-$rel_seq-stress.log" 2>&1 &
  spid=$!
  nap 5
  before=$(dmesg | wc -l)
  # attached right up to the stop: else an ejection before it would pass for the one the stop causes
  check "$tag still attached when stopped" "state=$(state)" '[ "$(state)" = enabled ]'
  t0=$(now_ms)
  kill -STOP "$rel_pid"
  for ((i = 0; i < 60; i++)); do [ "$(state)" = disabled ] && break; nap 0.5; done
  check "$tag stopped longer than the watchdog timeout: the kernel ejects it" \
    "state=$(state) $(secs_since "$t0") s after SIGSTOP" '[ "$(state)" = disabled ]'
  kill -TERM "$spid" 2>/dev/null; wait "$spid" 2>/dev/null
  kill -CONT "$rel_pid"
  for ((i = 0; i < stop_timeout * 10; i++)); do kill -0 "$rel_pid" 2>/dev/null || break; nap 0.1; done
  if kill -0 "$rel_pid" 2>/dev/null; then
    result FAIL "$tag once continued, the daemon exits 1 saying why" "still running"
    kill -KILL "$rel_pid"; wait "$rel_pid" 2>/dev/null
    return
  fi
  wait "$rel_pid"; rc=$?
  # the ejection this test causes is expected in the kernel log: the final log check leaves these lines out
  dmesg | tail -n +"$((before + 1))" | grep -E 'sched_ext|stall' >> "$logs/dmesg-expected.log"
  check "$tag once continued, the daemon exits 1 saying why" "exit $rc: $(grep -m1 'exit:' "$rel_log")" \
    '[ "$rc" -eq 1 ] && grep -q "exit:.*stall" "$rel_log"'
  dump_bytes=$(sed -n "s/^the kernel's state dump at the ejection (first \([0-9]*\) bytes):$/\1/p" "$rel_log")
  # ops.dump's two lines each on a line of their own (until 2026-12-02 the first lacked its newline and the kernel
  # printed them as one)
  check "$tag the kernel's dump is printed past 16 KiB, with our part of it" \
    "${dump_bytes:-no} bytes, $(grep -c 'javaland: deadline=' "$rel_log") task lines of ours" \
    '[ "${dump_bytes:-0}" -gt 16384 ] && grep -q "javaland: deadline=" "$rel_log" &&
     grep -q "^javaland: vtime_now=.*congested=[0-9]*$" "$rel_log" && grep -q "^javaland: shared=" "$rel_log"'
}

rel_tiny-ring() {
  local tag=tiny-ring#$1 spid rc congested
  rel_start "$tag" group --channel-records 8 || return
  (cd /tmp && exec stress-ng --fork "$(nproc)" --switch "$(nproc)" --cpu 1 --timeout 30s --temp-path /tmp) \
    > "$logs/rel-$rel_seq-stress.log" 2>&1 &
  spid=$!
  rel_watch "$tag" "$spid" 150
  wait "$spid"; rc=$?
  check "$tag stress-ng exits 0" "exit $rc" "[ $rc -eq 0 ]"
  rel_stop "$tag" INT 0
  # A ring is at least one page (39 records), and this load did not fill it in the VM (congested=0 in the run of
  # 2026-11-30): full rings are exercised on the host (the harness program's conformance tests), not here.
  congested=$(sed -n 's/.* congested=\([0-9]*\).*/\1/p' "$rel_log")
  check "$tag the summary counts congestion" "congested=${congested:-missing}" '[ -n "$congested" ]'
}

rel_stats-socket() {
  local tag=stats-socket#$1 sock=/var/run/scx/root/stats args=() spid mpid mlog clog ops_seen i n lines rc
  # the default path where the guest can write it (the root is the host's, read-only, in places)
  if ! mkdir -p "${sock%/*}" 2>/dev/null || [ ! -w "${sock%/*}" ]; then
    sock=/tmp/scx/root/stats; args=(--stats-socket "$sock")
  fi
  rel_start "$tag" bare "${args[@]}" || return
  ops_seen=$(ops)
  check "$tag the kernel's ops name carries the version" "ops=$ops_seen" '[[ "$ops_seen" == javaland_?* ]]'
  # The load must outlast the monitor's JVM start (about a minute under TCG, sometimes more) and the client's
  # 2 s window, whose user dispatches the client asserts: with a 60 s load it sometimes asked after the load
  # had ended and saw 1 dispatch in 2 s. It is stopped after the client.
  (cd /tmp && exec stress-ng --cpu "$(nproc)" --switch 1 --timeout $((start_timeout + 120))s --temp-path /tmp) \
    > "$logs/rel-$rel_seq-stress.log" 2>&1 & spid=$!
  mlog="$logs/rel-$rel_seq-monitor.log"
  "$daemon" --monitor 1 "${args[@]}" > "$mlog" 2>&1 & mpid=$!
  for ((i = 0; i < start_timeout; i++)); do
    [ "$(grep -c '^\[javaland\] ' "$mlog")" -ge 4 ] && break
    kill -0 "$mpid" 2>/dev/null || break
    nap 1
  done
  kill -INT "$mpid" 2>/dev/null; wait "$mpid" 2>/dev/null
  lines=$(grep -c '^\[javaland\] ' "$mlog")
  n=$(grep -c '^\[javaland\] .* dispatch u: [1-9]' "$mlog")
  check "$tag --monitor 1 in another process prints lines with user dispatches" "$n of $lines lines with u > 0" \
    '[ "$n" -ge 2 ]'
  grep '^\[javaland\] ' "$mlog" | tail -2 | sed 's/^/    | /'
  check "$tag the load still runs when the client asks" "stress-ng pid $spid" 'kill -0 "$spid" 2>/dev/null'
  clog="$logs/rel-$rel_seq-client.log"
  python3 - "$sock" > "$clog" 2>&1 <<'PY'
# An scx_stats client from the protocol's description: JSON lines over a unix socket.
import json, socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.settimeout(30)
s.connect(sys.argv[1])
f = s.makefile("rw")
def ask(req):
    f.write(json.dumps(req) + "\n")
    f.flush()
    return json.loads(f.readline())
meta = ask({"req": "stats_meta", "args": {}})
assert meta["errno"] == 0, meta
structs = meta["args"]["resp"]
top = [name for name, m in structs.items() if m.get("top") == "true"][0]
fields = structs[top]["fields"]
ask({"req": "stats", "args": {"target": "top"}})
time.sleep(2)
r = ask({"req": "stats", "args": {"target": "top"}})
assert r["errno"] == 0, r
st = r["args"]["resp"]
missing = [k for k in fields if k not in st]
assert not missing, "fields in stats_meta but not in stats: %s" % missing
for k in ("nr_user_dispatches", "nr_kernel_dispatches", "nr_running", "nr_queued", "nr_scheduled", "nr_page_faults"):
    assert isinstance(st[k], int), (k, st)
assert st["nr_user_dispatches"] > 0, st
bad = ask({"req": "no_such_request"})
assert bad["errno"] == 22, bad
print("client: top=%s fields=%d in 2 s: nr_user_dispatches=%d nr_kernel_dispatches=%d transport=%s" %
      (top, len(fields), st["nr_user_dispatches"], st["nr_kernel_dispatches"], st["transport"]))
PY
  rc=$?
  check "$tag a python3 scx_stats client reads the socket" "$(tail -1 "$clog")" "[ $rc -eq 0 ]"
  kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null
  rel_stop "$tag" INT 0
  check "$tag the socket is removed on exit" "$sock" '[ ! -e "$sock" ]'
}

# The guest's root is the host's, read-only: dpkg gets a writable overlay (tmpfs) over what it writes to. The
# overlay module comes from the VM kernel's own package in the kernel cache when it is not built in.
inst_overlay() {
  local ko d
  if ! grep -qw overlay /proc/filesystems; then
    ko=$(find "${SCX_JAVALAND_CACHE:-$HOME/.cache/scx_javaland}/kernel" -path "*/modules/$(uname -r)/kernel/fs/overlayfs/overlay.ko*" 2>/dev/null | head -1)
    [ -n "$ko" ] || { echo "no overlay module for $(uname -r) in the kernel cache"; return 1; }
    case "$ko" in *.xz) xz -dc "$ko" ;; *.zst) zstd -qdc "$ko" ;; *) cat "$ko" ;; esac > /tmp/overlay.ko || return 1
    busybox insmod /tmp/overlay.ko || { echo "insmod $ko failed"; return 1; }
  fi
  for d in /usr /etc /var/lib/dpkg /var/log; do
    mkdir -p "/tmp/inst-ovl$d/up" "/tmp/inst-ovl$d/work"
    mount -t overlay overlay -o "lowerdir=$d,upperdir=/tmp/inst-ovl$d/up,workdir=/tmp/inst-ovl$d/work" "$d" \
      || { echo "cannot mount an overlay on $d"; return 1; }
  done
}

# The command line that runs COMMAND... in a mount namespace where /usr/lib/jvm is empty (so /usr/bin/java
# dangles), with a clean environment; every step execs the next, so the PID is the daemon's.
inst_nojdk=(unshare -m sh -c 'mount -t tmpfs none /usr/lib/jvm && exec "$@"' sh env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin)

rel_installed() {
  local tag=installed#$1 deb out d
  deb=$(ls -t target/deb/scx-javaland_*_amd64.deb 2>/dev/null | head -1)
  [ -n "$deb" ] || { result FAIL "$tag the package is built" "no target/deb/scx-javaland_*_amd64.deb: run make deb on the host"; return; }
  out=$(inst_overlay 2>&1)
  check "$tag a writable overlay over /usr, /etc, /var/lib/dpkg, /var/log" "${out:-mounted}" '[ -z "$out" ]'
  [ -z "$out" ] && rel_installed_steps "$tag" "$deb"
  # Wherever the steps stopped (a step that fails returns early), the checks after this one get the guest's own
  # root back: every overlay that was mounted is taken down, with whatever was installed in it.
  for d in /var/log /var/lib/dpkg /etc /usr; do
    if awk -v d="$d" '$2 == d && $3 == "overlay" { found = 1 } END { exit !found }' /proc/mounts; then umount -l "$d"; fi
  done
  out=$(awk '$3 == "overlay" { print $2 }' /proc/mounts | tr '\n' ' ')
  check "$tag the guest's root is its own again: no overlay left" "${out:-none}" '[ -z "$out" ]'
}

# The package's steps, on the overlay rel_installed mounted: install, check, the unit's command, purge.
rel_installed_steps() {
  local tag=$1 deb=$2 out rc i t0 unit=/usr/lib/systemd/system/scx_javaland.service argv=() summary
  t0=$(now_ms)
  # --no-triggers: man-db's index update would only cost minutes under emulation
  out=$(dpkg --no-triggers -i "$deb" 2>&1); rc=$?
  check "$tag dpkg -i $(basename "$deb")" "exit $rc after $(secs_since "$t0") s" '[ $rc -eq 0 ] && [ -x /usr/bin/scx_javaland ]'
  [ $rc -eq 0 ] || { sed 's/^/    | /' <<< "$out" | tail -10; return; }

  out=$("${inst_nojdk[@]}" /usr/bin/scx_javaland check 2>&1); rc=$?
  check "$tag scx_javaland check with no JDK: exit 0 on the packaged runtime" \
    "exit $rc, $(grep -m1 '^JDK' <<< "$out" | tr -s ' ')" '[ $rc -eq 0 ] && grep -q "^JDK .*/usr/lib/scx-javaland/runtime)" <<< "$out"'
  [ $rc -eq 0 ] || sed 's/^/    | /' <<< "$out"

  # As an administrator would: flags in the env file, a policy of one's own among them, its jar where only root
  # writes (docs/writing-a-policy.md). fifo is not what auto would pick, so the summary shows whether they arrived.
  local jar=/usr/local/lib/scx-javaland/example.jar
  out=$(install -D -o root -g root -m 644 target/example-policy.jar "$jar" 2>&1); rc=$?
  check "$tag the example policy jar installed" "${out:-$jar}" '[ $rc -eq 0 ]'
  [ $rc -eq 0 ] || { echo "    | build it on the host: examples/policy/build.sh target/example-policy.jar (make test-vm does)"; return; }
  out=$("${inst_nojdk[@]}" /usr/bin/scx_javaland check --policy-jar="$jar" --policy=example-fifo 2>&1); rc=$?
  check "$tag scx_javaland check --policy-jar=... --policy=example-fifo: accepted, listed, exit 0" \
    "exit $rc, $(grep -m1 '^policies' <<< "$out" | tr -s ' ')" \
    '[ $rc -eq 0 ] && grep -q "^policies .*example-fifo (from $jar).*--policy example-fifo: found" <<< "$out"'
  [ $rc -eq 0 ] || sed 's/^/    | /' <<< "$out"
  echo "SCX_JAVALAND_FLAGS=\"--transport=fifo --stats 10 --policy-jar=$jar --policy=example-fifo\"" >> /etc/default/scx_javaland
  mapfile -d '' argv < <(scripts/unit-exec.sh "$unit")
  check "$tag ExecStart with the env file's flags" "${argv[*]}" \
    '[ "${argv[*]}" = "/usr/bin/scx_javaland run --transport=fifo --stats 10 --policy-jar=$jar --policy=example-fifo" ]'
  rel_seq=$((rel_seq + 1))
  rel_log="$logs/rel-$rel_seq-$tag.log"
  t0=$(now_ms)
  (exec "${inst_nojdk[@]}" "${argv[@]}") > "$rel_log" 2>&1 & rel_pid=$!
  for ((i = 0; i < start_timeout * 2; i++)); do
    [ "$(state)" = enabled ] && [[ "$(ops)" == javaland* ]] && break
    kill -0 "$rel_pid" 2>/dev/null || break
    nap 0.5
  done
  if [ "$(state)" = enabled ] && [[ "$(ops)" == javaland* ]]; then
    result OK "$tag the unit's command attaches" "after $(secs_since "$t0") s"
    (cd /tmp && exec stress-ng --cpu 2 --switch 2 --timeout 15s --temp-path /tmp) > "$logs/rel-$rel_seq-stress.log" 2>&1
    rel_stop "$tag" INT 0  # the unit's KillSignal
    summary=$(grep '^summary:' "$rel_log")
    check "$tag the daemon ran with the env file's transport and policy, and dispatched" "${summary:-no summary line}" \
      '[[ " $summary " == *" transport=fifo policy=example-fifo "* ]] && [ "$(sed -n "s/.* user_dispatches=\([0-9]*\).*/\1/p" <<< "$summary ")" -gt 0 ]'
  else
    result FAIL "$tag the unit's command attaches" "state=$(state) after $(secs_since "$t0") s"
    show_log "$rel_log"
    kill -KILL "$rel_pid" 2>/dev/null; wait "$rel_pid" 2>/dev/null
  fi

  out=$(dpkg --no-triggers -P scx-javaland 2>&1); rc=$?
  check "$tag dpkg -P removes it" "exit $rc" '[ $rc -eq 0 ] && [ ! -e /usr/lib/scx-javaland ] && [ ! -e /etc/default/scx_javaland ]'
}
