#!/bin/bash
# The [CI] smoke test of `scx_javaland ab` (make test-host; docs/benchmarks.md): one short round of each transport
# on this machine (observe mode on a kernel without sched_ext), then the files it wrote are checked: both exist,
# every figure of both transports is present and finite, both transports handled tasks, the page names both
# transports and draws its charts without loading anything. About 40 s on a 2-CPU host.
# One result line per check; exit 1 on any failure. Needs root (BPF); otherwise it says so and passes.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" -ne 0 ]; then echo "check-ab.sh: skipped: ab loads BPF programs, which needs root"; exit 0; fi
jdk=$("$top/scripts/find-jdk.sh") || { echo "check-ab.sh: no JDK 25" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)
if ! "$top/bin/scx_javaland" ab --where=host --rounds 1 --duration 3 --json "$tmp/ab.json" --html "$tmp/ab.html" \
     > "$tmp/table.txt" 2> "$tmp/progress.txt"; then
  echo "check-ab FAIL scx_javaland ab exited non-zero:"
  cat "$tmp/progress.txt" "$tmp/table.txt"
  exit 1
fi
echo "check-ab ok   scx_javaland ab --where=host --rounds 1 --duration 3 ($(( $(date +%s) - start )) s)"
cat "$tmp/table.txt"
"$jdk/bin/java" -cp "$top/daemon/target/classes" "$top/scripts/CheckAbOutput.java" "$tmp/ab.json" "$tmp/ab.html" || exit 1

start=$(date +%s)
"$top/examples/policy/build.sh" "$tmp/example.jar" > /dev/null || { echo "check-ab FAIL cannot build the example policy jar"; exit 1; }
if ! "$top/bin/scx_javaland" ab --where=host --rounds 1 --duration 1 --settle 0 --policy-jar "$tmp/example.jar" \
     --policy example-fifo --json "$tmp/abp.json" --html "$tmp/abp.html" > "$tmp/tablep.txt" 2> "$tmp/progressp.txt"; then
  echo "check-ab FAIL scx_javaland ab --policy-jar ... --policy example-fifo exited non-zero:"
  cat "$tmp/progressp.txt" "$tmp/tablep.txt"
  exit 1
fi
echo "check-ab ok   scx_javaland ab --rounds 1 --duration 1 --policy-jar example.jar --policy example-fifo ($(( $(date +%s) - start )) s)"
if head -1 "$tmp/tablep.txt" | grep -q "policy example-fifo,"; then
  echo "check-ab ok   the table names the policy"
else
  echo "check-ab FAIL the table does not name the policy: $(head -1 "$tmp/tablep.txt")"; exit 1
fi
"$jdk/bin/java" -cp "$top/daemon/target/classes" "$top/scripts/CheckAbOutput.java" "$tmp/abp.json" "$tmp/abp.html" \
  example-fifo
