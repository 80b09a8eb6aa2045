#!/bin/bash
# `scx_javaland ab --where=vm` (docs/benchmarks.md): the A/B of the transports on real sched_ext. Boots the VM ONCE
# (vm/run.sh, as vm/compare.sh does) and runs in it `bin/scx_javaland ab --where=host --baseline ...`: there the
# kernel has sched_ext, so every round's daemon runs the scheduler (run mode), and the workload runs once first
# under the kernel's own scheduler (EEVDF) as the baseline. The guest writes its table, JSON and HTML under
# vm/out/share/ab-<id>/ (the host's directory, mounted at the same path); they are copied to --json and --html.
#   vm/ab.sh [--rounds N] [--duration SECS] [--settle SECS] [--workload CMD] [--policy NAME] [--policy-jar FILE]...
#            [--json FILE] [--html FILE] [--timeout SECS]
#   --rounds, --duration, --settle, --workload, --policy: as for `scx_javaland ab` (defaults 3, 10, 2, its default
#     workload, deadline)
#   --policy-jar FILE: a jar of policies (repeatable); copied into the VM, where the guest installs it in a directory
#     only root can write (the daemon refuses a jar anyone else could change) and passes it to ab
#   --json FILE, --html FILE: where the guest's files are copied (default: only vm/out/share/ab-<id>/)
#   --timeout SECS: limit for the whole VM (default: sized to the rounds, see below)
#   SCX_JAVALAND_BIN: the launcher the guest runs (default bin/scx_javaland); SCX_VM_KERNEL: which VM kernel
# Logs: the console in vm/out/ab-<id>.console.log; the guest's ab output in vm/out/share/ab-<id>/.
# Exit code: the guest's ab's (0 done, 1 a round failed, ... `scx_javaland ab --help`); 2 on bad options or no
# build here; 124 VM timeout, 125 VM died early, 130 interrupted (from vm/run.sh).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
caller=$PWD
cd "$repo" || exit 2

rounds=3 duration=10 settle=2 workload="" json="" html="" timeout="" policy=""
jars=()
daemon=${SCX_JAVALAND_BIN:-bin/scx_javaland}
die() { echo "vm/ab.sh: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -uo/{/^#/s/^# \{0,1\}//p}' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=${2?--rounds needs a value}; shift 2 ;;
    --duration) duration=${2?--duration needs a value}; shift 2 ;;
    --settle) settle=${2?--settle needs a value}; shift 2 ;;
    --workload) workload=${2?--workload needs a value}; shift 2 ;;
    --policy) policy=${2?--policy needs a value}; shift 2 ;;
    --policy-jar) jars+=("${2?--policy-jar needs a value}"); shift 2 ;;
    --json) json=${2?--json needs a value}; shift 2 ;;
    --html) html=${2?--html needs a value}; shift 2 ;;
    --timeout) timeout=${2?--timeout needs a value}; shift 2 ;;
    -h|--help) usage ;;
    *) echo "vm/ab.sh: unknown option $1" >&2; usage ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive integer, not '$rounds'"
if ! [[ "$duration" =~ ^[0-9]+(\.[0-9]+)?$ ]] || [ -z "${duration//[0.]/}" ]; then
  die "--duration must be a number of seconds above 0, not '$duration'"
fi
[[ "$settle" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--settle must be a number of seconds, not '$settle'"
[ -z "$timeout" ] || [[ "$timeout" =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a positive integer, not '$timeout'"
[ -x "$daemon" ] || die "$daemon not found or not executable: run make build first"
ls daemon/target/daemon-*.jar > /dev/null 2>&1 || die "the daemon is not built: run make build first"
[ -z "$json" ] || [[ "$json" == /* ]] || json=$caller/$json
[ -z "$html" ] || [[ "$html" == /* ]] || html=$caller/$html
for j in ${jars[@]+"${jars[@]}"}; do
  [[ "$j" == /* ]] || j=$caller/$j
  [ -f "$j" ] || die "--policy-jar $j: no such file"
done

# Boot and report ~1 min; per daemon (2 per round) its start under TCG (JVM, warm-up, load: ~100 s, up to the
# 300 s ab allows), settle, window and stop; the baseline one window. Generous: it only ends a hung VM.
dur_s=${duration%.*}; set_s=${settle%.*}
timeout=${timeout:-$(( 300 + (dur_s + 1) + rounds * 2 * (300 + set_s + dur_s + 40) ))}

id=$(date +%Y%m%d-%H%M%S)-$$
out=$here/out/share/ab-$id
mkdir -p "$out" || die "cannot create $out"
log=$here/out/ab-$id.console.log
q() { printf '%q' "$1"; }
cmd="" policy_args=""
if [ ${#jars[@]} -gt 0 ]; then
  # The share is the host's directory, owned by whoever runs this: the guest's daemon would refuse a jar there.
  mkdir -p "$out/jars" || die "cannot create $out/jars"
  cmd+="jars=\$(mktemp -d) || exit 1; "
  for i in "${!jars[@]}"; do
    j=${jars[$i]}; [[ "$j" == /* ]] || j=$caller/$j
    cp "$j" "$out/jars/$i-$(basename "$j")" || die "cannot copy $j"
    cmd+="install -m 0644 $(q "$out/jars/$i-$(basename "$j")") \$jars/ || exit 1; "
    policy_args+=" --policy-jar \$jars/$(q "$i-$(basename "$j")")"
  done
fi
[ -z "$policy" ] || policy_args+=" --policy $(q "$policy")"
cmd+="SCX_JAVALAND_COMMIT=$(q "$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)")"
cmd+=" $(q "$daemon") ab --where=host --baseline --rounds $rounds --duration $(q "$duration") --settle $(q "$settle")"
[ -z "$workload" ] || cmd+=" --workload $(q "$workload")"
cmd+="$policy_args"
cmd+=" --json $(q "$out/ab.json") --html $(q "$out/ab.html") > $(q "$out/table.txt") 2> >(tee $(q "$out/progress.txt") >&2)"
cmd+="; rc=\$?; cat $(q "$out/table.txt"); exit \$rc"

echo "vm/ab.sh: one VM boot; baseline, then $rounds round(s) of ringbuf and fifo, ${duration} s windows${policy:+, policy $policy}; limit $timeout s"
start=$(date +%s)
"$here/run.sh" --timeout "$timeout" --log "$log" -- "$cmd"
rc=$?
echo "vm/ab.sh: $(( $(date +%s) - start )) s; console log $log, the guest's files in $out/"
copy() { # copy FILE DEST
  [ -n "$2" ] || return 0
  if [ -s "$1" ]; then
    mkdir -p "$(dirname "$2")" && cp "$1" "$2" && echo "vm/ab.sh: $(basename "$1") copied to $2"
  else
    echo "vm/ab.sh: the guest wrote no $(basename "$1") (exit $rc); see $log" >&2
    [ "$rc" -ne 0 ] || rc=1
  fi
}
copy "$out/ab.json" "$json"
copy "$out/ab.html" "$html"
exit "$rc"
