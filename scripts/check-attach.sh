#!/bin/bash
# The daemon refuses the JVM's attach mechanism (make test-host; docs/reliability.md). jcmd, jstack, jmap and agents
# attach through it: in the VM, `jcmd PID JFR.start` on an attached scheduler made the kernel eject it 5 s later
# (runnable task stall, docs/benchmarks.md "Why not from the VM"), and a heap dump stops every thread of the daemon,
# the scheduling thread included, while every task of the machine waits on it. So bin/scx_javaland starts the JVM
# with -XX:+DisableAttachMechanism. Checked here as a user would meet it: jcmd against a running daemon (observe, so
# that it needs no sched_ext) fails and the daemon runs on to a clean exit; and, so that the check can fail, the
# same jcmd succeeds against a daemon started with the documented opt-in (-XX:-DisableAttachMechanism in
# SCX_JAVALAND_JVM_OPTS). About 20 s. One result line per check; exit 1 on failure. Needs root and kernel BTF.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" -ne 0 ]; then echo "check-attach.sh: skipped: observe loads BPF programs, which needs root"; exit 0; fi
if [ ! -e /sys/kernel/btf/vmlinux ]; then echo "check-attach.sh: skipped: no kernel BTF"; exit 0; fi
jdk=${JAVA_HOME:-$("$top/scripts/find-jdk.sh")}
jcmd=$jdk/bin/jcmd
[ -x "$jcmd" ] || { echo "check-attach FAIL no jcmd in $jdk"; exit 1; }
tmp=$(mktemp -d)
daemon=""
trap '[ -n "$daemon" ] && kill "$daemon" 2> /dev/null; rm -rf "$tmp"' EXIT
failed=0

# attach_to OUT [JVM FLAGS]: starts observe, waits until it has attached, runs jcmd VM.version against it (output in
# OUT.jcmd), then waits for the daemon; prints "JCMD_RC DAEMON_RC".
attach_to() {
  local out=$1; shift
  SCX_JAVALAND_JVM_OPTS="$*" "$top/bin/scx_javaland" observe --duration=12 > "$out" 2>&1 &
  daemon=$!
  for _ in $(seq 1 120); do grep -q 'attaching:' "$out" && break; sleep 0.25; done
  sleep 1
  timeout 30 "$jcmd" "$daemon" VM.version > "$out.jcmd" 2>&1
  local jrc=$?
  wait "$daemon"
  local drc=$?
  daemon=""
  echo "$jrc $drc"
}

read -r jrc drc < <(attach_to "$tmp/default")
if [ "$jrc" -ne 0 ] && [ "$drc" -eq 0 ] && grep -q '^summary:' "$tmp/default"; then
  echo "check-attach ok   jcmd cannot attach to the daemon (exit $jrc: $(grep -m1 . "$tmp/default.jcmd" | cut -c1-120)); the daemon ran on and exited 0"
else
  echo "check-attach FAIL jcmd against the daemon exited $jrc, the daemon $drc:"
  sed 's/^/    jcmd| /' "$tmp/default.jcmd"; grep -v '^\[javaland\]' "$tmp/default" | sed 's/^/    daemon| /'
  failed=1
fi

read -r jrc drc < <(attach_to "$tmp/optin" -XX:-DisableAttachMechanism)
if [ "$jrc" -eq 0 ] && grep -q 'JDK' "$tmp/optin.jcmd"; then
  echo "check-attach ok   with -XX:-DisableAttachMechanism in SCX_JAVALAND_JVM_OPTS jcmd attaches ($(grep -m1 'JDK' "$tmp/optin.jcmd" | cut -c1-80)), so the check above can fail"
else
  echo "check-attach FAIL the opt-in did not let jcmd attach (exit $jrc, daemon $drc):"
  sed 's/^/    jcmd| /' "$tmp/optin.jcmd"
  failed=1
fi
exit $failed
