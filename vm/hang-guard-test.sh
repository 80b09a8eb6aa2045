#!/bin/bash
# Checks vm/run.sh's hang guard (make test-vm): a guest whose heartbeat stops (the heartbeat task is stopped with
# SIGSTOP, as a scheduler that never runs it would) must be stopped with exit 126 and a line per vCPU naming the
# kernel function it was in. Prints "hang guard ok" or "hang guard FAIL ..." and exits accordingly.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$here/run.sh" --hang-secs 20 --timeout 300 -- 'kill -STOP "$SCX_VM_HEARTBEAT_PID" && sleep 240' > "$out" 2>&1
rc=$?
grep '^vm/run.sh: hang' "$out"
fail() { echo "hang guard FAIL: $*"; tail -5 "$out"; exit 1; }
[ "$rc" -eq 126 ] || fail "vm/run.sh exited $rc, not 126"
grep -qE '^vm/run.sh: hang: vCPU 0: [A-Za-z_].*\+0x' "$out" || fail "no vCPU 0 line with a kernel symbol"
grep -qE '^vm/run.sh: hang: vCPU 1: ' "$out" || fail "no vCPU 1 line"
echo "hang guard ok: a silent guest was stopped after 20 s with where each vCPU was"
