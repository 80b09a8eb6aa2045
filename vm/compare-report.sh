#!/bin/bash
# The report of the same-boot scheduler comparison: reads DIR/results.tsv (written by vm/guest-compare.sh),
# prints the table (per metric and scheduler: median of the rounds, min-max, and scx/EEVDF), the failures and the
# kernel log lines, and writes DIR/compare.json. The guest runs it at the end; vm/compare.sh runs it on the host
# when the VM stopped before that (then the JSON says "complete": false and holds what was measured).
#   vm/compare-report.sh [--check] DIR
#   CMP_CHECK_WORKLOADS="LIST": with --check, evaluate only these workloads' bars (the others stay in the table)
#   --check  evaluate the bars below against every sched_ext scheduler's medians; a failed scheduler, a missing
#            value or a sched_ext error in the kernel log is a miss too
# Exit code: 0; with --check 1 when a bar is missed; 2 on usage errors (no DIR/results.tsv).
set -u
check=0
[ "${1:-}" = --check ] && { check=1; shift; }
dir=${1:-}
[ -n "$dir" ] && [ -f "$dir/results.tsv" ] || { echo "vm/compare-report.sh: no results.tsv in '${dir}' (usage: vm/compare-report.sh [--check] DIR)" >&2; exit 2; }

# workload metric unit better relative description (relative: the scx/EEVDF ratio is shown and means something)
metrics() {
  cat <<'EOF'
nice*       ratio          x      higher  no   CPU time of the nice-0 hogs / of the niced hogs
idle        share_pct      %      lower   no   CPU share of the SCHED_IDLE hog, % of one CPU
placement   min_share_pct  %      higher  no   smallest CPU share among the N hogs, % of one CPU
placement   avg_share_pct  %      higher  no   mean CPU share of the N hogs, % of one CPU
rthog       min_share_pct  %      higher  yes  smallest CPU share among N hogs beside an RT busy loop owning one CPU, % of one CPU
rthog       avg_share_pct  %      higher  no   mean CPU share of those N hogs, % of one CPU
cyclictest  avg_us         us     lower   yes  mean wake-up latency of a 1 ms SCHED_OTHER timer thread
cyclictest  p99_us         us     lower   yes  99th percentile of that latency
cyclictest  max_us         us     lower   yes  maximum of that latency
hackbench   time_s         s      lower   yes  hackbench run time
*           ops_s          ops/s  higher  yes  stress-ng bogo ops per second of real time
nice*       nice0_run_us   us     -       no   mean run of the nice-0 hogs: CPU time per switch-in (/proc/PID/schedstat)
nice*       niced_run_us   us     -       no   mean run of the niced hogs: CPU time per switch-in (/proc/PID/schedstat)
*           idle_waits     n      lower   no   tasks that started after waiting over a slice while a CPU they may use idled over a slice (BPF nr_idle_while_waiting), whole run
*           sched_late     n      lower   no   times the scheduling thread started over a slice after it became runnable (BPF nr_sched_thread_late), whole run
*           daemon_cpu_pct %      lower   no   the daemon process's CPU over the whole run, % of one CPU
*           preempt_kicks_s /s    -       no   CPUs kicked so that a woken task could preempt a later deadline (BPF nr_preempt_kicks), per second of the run
*           clock_x        x      -       no   how fast the policy's clock (BPF vtime_now) moved over the whole run, x the wall clock
EOF
}
# The bars (--check), on the median of each sched_ext scheduler:
#   min V / max V / below V: the value >= V / <= V / < V;  max_x F / min_x F: the value <= / >= F x EEVDF's
bars() {
  cat <<'EOF'
nice5       ratio          min    2.5
nice5       ratio          max    4.0
nice5rt     ratio          min    2.5
nice5rt     ratio          max    4.0
nice19      ratio          min    20
idle        share_pct      below  5
cyclictest  avg_us         max_x  3
cyclictest  p99_us         max_x  5
hackbench   time_s         max_x  1.2
switch      ops_s          min_x  0.5
pipe        ops_s          min_x  0.5
sem         ops_s          min_x  0.5
placement   min_share_pct  min    45
rthog       min_share_pct  min_x  0.8
placement   idle_waits     max    0
EOF
}

awk -F'\t' -v check="$check" -v only="${CMP_CHECK_WORKLOADS:-}" -v json="$dir/compare.json.tmp" -v metrics="$(metrics)" -v bars="$(bars)" '
function jstr(s,   r, i, c) {  # a JSON string (quotes, backslashes; control characters dropped)
  r = ""
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1)
    if (c == "\\" || c == "\"") r = r "\\" c
    else if (c >= " ") r = r c
  }
  return "\"" r "\""
}
function num(x) { return sprintf("%.10g", x + 0) }
function o(s) { printf "%s", s > json }  # every JSON write goes through here (a ">" in printf arguments would redirect)
function fmt(x,   a) {  # for the table: about 4 significant digits
  a = x < 0 ? -x : x
  if (a >= 100) return sprintf("%.0f", x)
  if (a >= 10) return sprintf("%.1f", x)
  if (a >= 1) return sprintf("%.2f", x)
  return sprintf("%.3f", x)
}
function describe(w, m,   i, f) {  # unit, better, relative, what of metric m of workload w
  for (i = 1; i <= nmd; i++) {
    split(md[i], f, "\034")
    if ((f[1] == w || f[1] == "*" || (f[1] ~ /\*$/ && index(w, substr(f[1], 1, length(f[1]) - 1)) == 1)) && f[2] == m) {
      unit = f[3]; better = f[4]; rel = f[5]; what = f[6]; return
    }
  }
  unit = ""; better = ""; rel = "no"; what = ""
}
function stats(key,   n, i, j, v, t) {  # median, min, max of the values under key (sorted copy in sv)
  n = cnt[key]
  for (i = 1; i <= n; i++) sv[i] = vals[key, i] + 0
  for (i = 2; i <= n; i++) { v = sv[i]; for (j = i - 1; j >= 1 && sv[j] > v; j--) sv[j + 1] = sv[j]; sv[j + 1] = v }
  s_min = sv[1]; s_max = sv[n]
  s_med = n % 2 ? sv[(n + 1) / 2] : (sv[n / 2] + sv[n / 2 + 1]) / 2
  return n
}
function addord(list, x) { return index(" " list " ", " " x " ") ? list : (list == "" ? x : list " " x) }
function pad(s, n) { return sprintf("%-" n "s", s) }

BEGIN {
  nmd = 0; n = split(metrics, lines, "\n")
  for (i = 1; i <= n; i++) {
    if (split(lines[i], f, " ") < 6) continue
    w = f[6]; for (j = 7; j in f; j++) w = w " " f[j]
    md[++nmd] = f[1] "\034" f[2] "\034" f[3] "\034" f[4] "\034" f[5] "\034" w
  }
  nb = 0; n = split(bars, lines, "\n")
  for (i = 1; i <= n; i++) if (split(lines[i], f, " ") == 4) { nb++; bw[nb] = f[1]; bm[nb] = f[2]; bt[nb] = f[3]; bv[nb] = f[4] }
}
$1 == "meta" { meta[$2] = $3; next }
$1 == "value" {
  wl = addord(wl, $2); ml[$2] = addord(ml[$2], $3); sl = addord(sl, $4); hasany[$4] = 1
  key = $2 SUBSEP $3 SUBSEP $4; vals[key, ++cnt[key]] = $6; next
}
$1 == "fail" { nf++; fs_[nf] = $2; fw[nf] = $3; fr[nf] = $4; fwhy[nf] = $5; failed[$2] = 1; next }
$1 == "daemon" { dk[$2] = addord(dk[$2], $3); dv[$2, $3] = $4; dl = addord(dl, $2); next }
$1 == "dmesg_scx" { ds[++nds] = $2; next }
$1 == "dmesg_error" { de[++nde] = $2; next }
END {
  # the order of the run where known, else the order of appearance
  W = meta["workloads"] != "" ? meta["workloads"] : wl
  S = meta["schedulers"] != "" ? meta["schedulers"] : sl
  for (i = 1; i <= nf; i++) S = addord(S, fs_[i])
  nw = split(W, ws, " "); ns = split(S, ss, " ")
  complete = meta["complete"] == "yes"

  # ---- the table
  print ""
  printf("Same-boot comparison: kernel %s, %s vCPUs%s; %s round(s), %s s per timed run; %s\n", \
    meta["kernel"], meta["vcpus"], meta["vm_accel"] != "" ? " (qemu " meta["vm_accel"] ")" : "", \
    meta["rounds"], meta["secs"], meta["date"])
  if (!complete) print "INCOMPLETE: the run stopped before its end; what it measured is below"
  print "Each cell: median of the rounds (min-max when more than one round). x EEVDF: the scx median / the EEVDF median."
  hdr = pad("workload", 11) pad("metric", 14) pad("unit", 6)
  for (j = 1; j <= ns; j++) hdr = hdr pad(ss[j], 25) (ss[j] != "eevdf" ? pad("x EEVDF", 9) : "")
  print hdr
  for (i = 1; i <= nw; i++) {
    w = ws[i]
    if (ml[w] == "") {
      row = pad(w, 11) pad("-", 14) pad("", 6)
      for (j = 1; j <= ns; j++) row = row pad(failed[ss[j]] ? "FAILED" : "no value", 25) (ss[j] != "eevdf" ? pad("", 9) : "")
      print row; continue
    }
    nm = split(ml[w], ms, " ")
    for (k = 1; k <= nm; k++) {
      m = ms[k]; describe(w, m)
      row = pad(w, 11) pad(m, 14) pad(unit, 6)
      base = ""
      if (stats(w SUBSEP m SUBSEP "eevdf")) base = s_med
      for (j = 1; j <= ns; j++) {
        s = ss[j]; key = w SUBSEP m SUBSEP s
        if (n = stats(key)) {
          cell = fmt(s_med) (n > 1 ? " (" fmt(s_min) "-" fmt(s_max) ")" : "") (n < meta["rounds"] ? "*" : "")
          if (n < meta["rounds"]) short_n = 1
          ratio = (s != "eevdf" && rel == "yes" && base != "" && base != 0) ? sprintf("%.2fx", s_med / base) : "-"
        } else { cell = failed[s] ? "FAILED" : "no value"; ratio = "-" }
        row = row pad(cell, 25) (s != "eevdf" ? pad(ratio, 9) : "")
      }
      print row
    }
  }

  if (short_n) print "* fewer values than rounds: " (complete ? "see the failures below" : "the run stopped early")
  # ---- failures, daemons, kernel log
  if (nf) { print ""; print "Failures:"; for (i = 1; i <= nf; i++) printf("  %s%s%s: %s\n", fs_[i], fw[i] == "-" ? "" : " " fw[i], fr[i] == "-" ? "" : " round " fr[i], fwhy[i]) }
  nd = split(dl, ds_, " ")
  if (nd) { print ""; print "Daemon runs:" }
  for (i = 1; i <= nd; i++) {
    s = ds_[i]
    printf "  %s: enabled after %s s, exit %s\n", s, dv[s, "enable_s"] != "" ? dv[s, "enable_s"] : "-", dv[s, "exit"] != "" ? dv[s, "exit"] : "-"
    if (dv[s, "summary"] != "") printf "    summary: %s\n", dv[s, "summary"]
  }
  print ""
  printf "Kernel log: %d sched_ext line(s), %d error line(s)%s\n", nds, nde, nde ? ":" : ""
  for (i = 1; i <= nde; i++) print "  ERROR " de[i]
  for (i = 1; i <= nds; i++) print "  " ds[i]

  # ---- the bars
  nok = 0; nmiss = 0
  if (check) {
    print ""
    for (j = 1; j <= ns; j++) {
      s = ss[j]; if (s == "eevdf") continue
      for (i = 1; i <= nf; i++) if (fs_[i] == s) { cr[++ncr] = s "\034-\034ran\034-\034-\034no\034" fwhy[i]; nmiss++ }
      for (b = 1; b <= nb && hasany[s]; b++) {  # a scheduler that never ran: its "ran" line says it all
        w = bw[b]; m = bm[b]
        if (!index(" " W " ", " " w " ")) continue  # not run this time
        if (only != "" && !index(" " only " ", " " w " ")) continue  # reported in the table, not checked
        t = bt[b]; lim = bv[b] + 0; have = stats(w SUBSEP m SUBSEP s); v = s_med
        limtxt = bv[b]
        if (t == "max_x" || t == "min_x") {
          if (!stats(w SUBSEP m SUBSEP "eevdf")) { ok = 0; why = "no EEVDF value" }
          else { limtxt = bv[b] "x EEVDF = " fmt(lim * s_med); lim = lim * s_med; why = "" }
          if (why != "") { cr[++ncr] = s "\034" w "\034" m "\034" t "\034" limtxt "\034no\034" why; nmiss++; continue }
        }
        if (!have) { cr[++ncr] = s "\034" w "\034" m "\034" t "\034" limtxt "\034no\034no value"; nmiss++; continue }
        ok = (t == "min" || t == "min_x") ? v >= lim : (t == "max" || t == "max_x") ? v <= lim : v < lim
        cr[++ncr] = s "\034" w "\034" m "\034" t "\034" limtxt "\034" (ok ? "yes" : "no") "\034" fmt(v)
        if (ok) nok++; else nmiss++
      }
    }
    for (i = 1; i <= nde; i++) { cr[++ncr] = "kernel\034-\034log\034-\034-\034no\034" de[i]; nmiss++ }
    if (!complete) { cr[++ncr] = "run\034-\034complete\034-\034-\034no\034the run stopped before its end"; nmiss++ }
    sym["min"] = ">="; sym["min_x"] = ">="; sym["max"] = "<="; sym["max_x"] = "<="; sym["below"] = "<"
    for (i = 1; i <= ncr; i++) {
      split(cr[i], f, "\034")
      if (f[4] == "-") printf "check FAIL %s %s: %s\n", f[1], f[3], f[7]
      else printf "check %s %s %s %s = %s, bar %s %s\n", f[6] == "yes" ? "ok  " : "FAIL", f[1], f[2], f[3], f[7], sym[f[4]], f[5]
    }
    printf "check: %d ok, %d missed\n", nok, nmiss
  }

  # ---- JSON
  o(sprintf("{\"date\":%s,\"kernel\":%s,\"commit\":%s,\"complete\":%s,", jstr(meta["date"]), jstr(meta["kernel"]), \
    jstr(meta["commit"]), complete ? "true" : "false"))
  o(sprintf("\"vm\":{\"vcpus\":%s,\"accel\":%s,\"mem\":%s,\"qemu\":%s,\"host_cpu\":%s},", meta["vcpus"] != "" ? meta["vcpus"] : "null", \
    jstr(meta["vm_accel"]), jstr(meta["vm_mem"]), jstr(meta["vm_qemu"]), jstr(meta["vm_host_cpu"])))
  o(sprintf("\"rounds\":%s,\"secs\":%s,\"hackbench_args\":%s,", meta["rounds"] != "" ? meta["rounds"] : "null", \
    meta["secs"] != "" ? meta["secs"] : "null", jstr(meta["hackbench"])))
  o(sprintf("\"schedulers\":["))
  for (j = 1; j <= ns; j++) o(sprintf("%s%s", j > 1 ? "," : "", jstr(ss[j])))
  o(sprintf("],\"metrics\":{"))
  c1 = 0
  for (i = 1; i <= nw; i++) {
    w = ws[i]; if (ml[w] == "") continue
    o(sprintf("%s%s:{", c1++ ? "," : "", jstr(w)))
    nm = split(ml[w], ms, " ")
    for (k = 1; k <= nm; k++) {
      describe(w, ms[k])
      o(sprintf("%s%s:{\"unit\":%s,\"better\":%s,\"vs_eevdf\":%s,\"what\":%s}", k > 1 ? "," : "", jstr(ms[k]), jstr(unit), \
        jstr(better), rel == "yes" ? "true" : "false", jstr(what)))
    }
    o(sprintf("}"))
  }
  o(sprintf("},\"results\":{"))
  c1 = 0
  for (i = 1; i <= nw; i++) {
    w = ws[i]; if (ml[w] == "") continue
    o(sprintf("%s%s:{", c1++ ? "," : "", jstr(w)))
    nm = split(ml[w], ms, " ")
    for (k = 1; k <= nm; k++) {
      m = ms[k]; describe(w, m)
      o(sprintf("%s%s:{", k > 1 ? "," : "", jstr(m)))
      base = ""; if (stats(w SUBSEP m SUBSEP "eevdf")) base = s_med
      c2 = 0
      for (j = 1; j <= ns; j++) {
        s = ss[j]; key = w SUBSEP m SUBSEP s
        if (!(n = stats(key))) continue
        o(sprintf("%s%s:{\"median\":%s,\"min\":%s,\"max\":%s,\"n\":%d,\"values\":[", c2++ ? "," : "", jstr(s), \
          num(s_med), num(s_min), num(s_max), n))
        for (r = 1; r <= n; r++) o(sprintf("%s%s", r > 1 ? "," : "", num(vals[key, r])))
        o(sprintf("]"))
        if (s != "eevdf" && rel == "yes" && base != "" && base != 0) o(sprintf(",\"vs_eevdf\":%s", num(sprintf("%.4f", s_med / base))))
        o(sprintf("}"))
      }
      o(sprintf("}"))
    }
    o(sprintf("}"))
  }
  o(sprintf("},\"failures\":["))
  for (i = 1; i <= nf; i++) o(sprintf("%s{\"scheduler\":%s,\"workload\":%s,\"round\":%s,\"reason\":%s}", i > 1 ? "," : "", \
    jstr(fs_[i]), fw[i] == "-" ? "null" : jstr(fw[i]), fr[i] == "-" ? "null" : fr[i], jstr(fwhy[i])))
  o(sprintf("],\"daemon\":{"))
  for (i = 1; i <= nd; i++) {
    s = ds_[i]
    o(sprintf("%s%s:{\"enable_s\":%s,\"exit\":%s,\"summary\":%s}", i > 1 ? "," : "", jstr(s), \
      dv[s, "enable_s"] != "" ? dv[s, "enable_s"] : "null", dv[s, "exit"] ~ /^[0-9]+$/ ? dv[s, "exit"] : jstr(dv[s, "exit"]), \
      jstr(dv[s, "summary"])))
  }
  o(sprintf("},\"kernel_log\":{\"sched_ext\":["))
  for (i = 1; i <= nds; i++) o(sprintf("%s%s", i > 1 ? "," : "", jstr(ds[i])))
  o(sprintf("],\"errors\":["))
  for (i = 1; i <= nde; i++) o(sprintf("%s%s", i > 1 ? "," : "", jstr(de[i])))
  o(sprintf("]},\"check\":"))
  if (!check) o(sprintf("null"))
  else {
    o(sprintf("{\"passed\":%s,\"bars\":[", nmiss ? "false" : "true"))
    for (i = 1; i <= ncr; i++) {
      split(cr[i], f, "\034")
      o(sprintf("%s{\"scheduler\":%s,\"workload\":%s,\"metric\":%s,\"test\":%s,\"bar\":%s,\"ok\":%s,\"value\":%s}", i > 1 ? "," : "", \
        jstr(f[1]), jstr(f[2]), jstr(f[3]), jstr(f[4]), jstr(f[5]), f[6] == "yes" ? "true" : "false", jstr(f[7])))
    }
    o(sprintf("]}"))
  }
  o(sprintf("}\n"))
  close(json)
  exit (check && nmiss) ? 1 : 0
}' "$dir/results.tsv"
rc=$?
if [ -s "$dir/compare.json.tmp" ]; then mv "$dir/compare.json.tmp" "$dir/compare.json"; else rm -f "$dir/compare.json.tmp"; fi
echo ""
echo "compare: JSON in $dir/compare.json"
exit "$rc"
