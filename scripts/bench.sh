#!/usr/bin/env bash
# JMH benchmarks, side by side in one run: `make bench` or `scripts/bench.sh [JMH regexp and options]`.
# Builds bench/ (and what it needs) when its classes are missing or older than the sources, runs JMH with the
# daemon's JVM flags, bin/jvm-flags (forks inherit them), writes bench/results/<benchmarks>-<UTC time>.json and prints the
# scores, the median of the measurement iterations, and the first-fit/buddy ratio per request size.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME="$(scripts/find-jdk.sh)"
JAVA="$JAVA_HOME/bin/java"
export JAVA_HOME

scripts/ensure-bench-built.sh bench

flags=@bin/jvm-flags  # the daemon's JVM flags (a JDK argument file)

args=("$@")
name=all
if [[ ${#args[@]} -gt 0 ]]; then name="$(echo "${args[0]}" | tr -c 'A-Za-z0-9_.-' '_' | sed 's/_*$//')"; fi
mkdir -p bench/results
out="bench/results/${name}-$(date -u +%Y%m%dT%H%M%SZ).json"

"$JAVA" "$flags" -Xms256m -Xmx256m -cp "bench/target/classes:bench/target/lib/*" \
  org.openjdk.jmh.Main -rf json -rff "$out" ${args[@]+"${args[@]}"}

echo
echo "results: $out"
# cpu/op: the benchmark thread's CPU time per operation (ThreadCpuClock), median over iterations; on a busy
# machine the wall-clock score also counts the time the thread spent waiting for a CPU.
jq_defs='
  def median: sort | if length % 2 == 1 then .[length/2|floor] else (.[length/2-1] + .[length/2]) / 2 end;
  def r2: . * 100 | round / 100;
  def cpu_per_op: if .secondaryMetrics.cpuNs and .secondaryMetrics.ops
      then [[.secondaryMetrics.cpuNs.rawData[][]], [.secondaryMetrics.ops.rawData[][]]] | transpose
           | map(select(.[1] > 0) | .[0] / .[1]) | median
      else null end;'
jq -r "$jq_defs"'
  ["benchmark", "params", "score", "error", "median", "cpu/op", "unit"],
  (.[] | [(.benchmark | split(".") | last),
          ((.params // {}) | to_entries | map("\(.key)=\(.value)") | join(",")),
          (.primaryMetric.score | r2),
          (.primaryMetric.scoreError | r2),
          ([.primaryMetric.rawData[][]] | median | r2),
          (cpu_per_op // "-" | if type == "number" then r2 else . end),
          .primaryMetric.scoreUnit])
  | @tsv' "$out" | column -t -s $'\t'

ratios="$(jq -r "$jq_defs"'
  [.[] | {b: (.benchmark | split(".") | last), size: (.params.size // ""),
          m: ([.primaryMetric.rawData[][]] | median), c: cpu_per_op}]
  | group_by(.size)[]
  | (map(select(.b == "buddyAllocFree"))[0]) as $buddy
  | (map(select(.b == "firstFitAllocFree"))[0]) as $ff
  | select($buddy != null and $ff != null)
  | "size=\(.[0].size): first-fit / buddy = \($ff.m / $buddy.m * 10 | round / 10)x by wall-clock medians (\($ff.m | r2) ns vs \($buddy.m | r2) ns)"
    + (if $ff.c and $buddy.c then ", \($ff.c / $buddy.c * 10 | round / 10)x by CPU time (\($ff.c | r2) ns vs \($buddy.c | r2) ns)" else "" end)' "$out")"
if [[ -n "$ratios" ]]; then echo; echo "$ratios"; fi
