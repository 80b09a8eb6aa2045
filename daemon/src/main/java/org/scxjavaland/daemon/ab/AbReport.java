package org.scxjavaland.daemon.ab;

import org.scxjavaland.daemon.stats.Json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What ab found, over all rounds: per transport the median, min and max of each figure, the ratio fifo/ringbuf of
 * the medians; rendered as a terminal table, JSON and a self-contained HTML page.
 */
public final class AbReport {
    public static final List<String> TRANSPORTS = List.of("ringbuf", "fifo");

    /** A figure of every round: its JSON key, its label in the table, and how to read it from a round. */
    record Figure(String key, String label, ToDoubleFunction<DaemonRound.Result> of) {
    }

    static final List<Figure> FIGURES = List.of(
            new Figure("tasks_per_s", "tasks/s", DaemonRound.Result::tasksPerS),
            new Figure("cpu_ns_per_task", "CPU ns/task (process)", DaemonRound.Result::cpuNsPerTask),
            new Figure("sched_thread_cpu_ns_per_task", "CPU ns/task (sched thread)",
                    DaemonRound.Result::schedThreadCpuNsPerTask),
            new Figure("syscalls_per_task", "syscalls/task", DaemonRound.Result::syscallsPerTask),
            new Figure("bpf_calls_per_task", "bpf() calls/task", DaemonRound.Result::bpfCallsPerTask),
            new Figure("latency_p50_ns", "latency p50 ns", DaemonRound.Result::latP50),
            new Figure("latency_p99_ns", "latency p99 ns", DaemonRound.Result::latP99),
            new Figure("latency_p999_ns", "latency p99.9 ns", DaemonRound.Result::latP999),
            new Figure("heap_bytes_per_task", "heap bytes/task", DaemonRound.Result::heapBytesPerTask),
            new Figure("page_faults_per_task", "page faults/task", DaemonRound.Result::pageFaultsPerTask),
            new Figure("workload_result", "workload", r -> median(r.workloadResults())));

    /** The per-task costs the page draws as bars. */
    private static final List<String> COSTS = List.of("cpu_ns_per_task", "sched_thread_cpu_ns_per_task",
            "syscalls_per_task", "bpf_calls_per_task", "heap_bytes_per_task", "page_faults_per_task");

    public record Meta(String mode, String where, String kernel, String date, String commit, int rounds,
                       double durationSecs, String workload, String command, String policy, List<String> policyJars) {
    }

    private final Meta meta;
    private final Map<String, List<DaemonRound.Result>> rounds;
    private final String workloadMetric;
    private final List<Double> baseline;

    public AbReport(Meta meta, Map<String, List<DaemonRound.Result>> rounds, List<Double> baseline,
                    String baselineMetric) {
        this.meta = meta;
        this.rounds = rounds;
        this.baseline = baseline;
        String m = baselineMetric;
        for (List<DaemonRound.Result> rs : rounds.values()) {
            for (DaemonRound.Result r : rs) if (r.workloadMetric() != null) m = r.workloadMetric();
        }
        this.workloadMetric = m;
    }

    static double median(List<Double> v) {
        if (v.isEmpty()) return Double.NaN;
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
    }

    private List<Double> values(String transport, Figure f) {
        List<Double> v = new ArrayList<>();
        for (DaemonRound.Result r : rounds.getOrDefault(transport, List.of())) v.add(f.of().applyAsDouble(r));
        return v;
    }

    double median(String transport, Figure f) {
        return median(values(transport, f));
    }

    double ratio(Figure f) {
        return median("fifo", f) / median("ringbuf", f);
    }

    private long[] pooledLatency(String transport) {
        long[] sum = null;
        for (DaemonRound.Result r : rounds.getOrDefault(transport, List.of())) {
            if (sum == null) sum = new long[r.latCounts().length];
            for (int i = 0; i < sum.length && i < r.latCounts().length; i++) sum[i] += r.latCounts()[i];
        }
        return sum == null ? new long[0] : sum;
    }

    private String latKind() {
        for (List<DaemonRound.Result> rs : rounds.values()) for (DaemonRound.Result r : rs) return r.latKind();
        return "dispatch";
    }

    // ---- JSON ----------------------------------------------------------------------------------------------

    public String json() {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("mode", meta.mode());
        top.put("where", meta.where());
        top.put("kernel", meta.kernel());
        top.put("date", meta.date());
        top.put("commit", meta.commit());
        top.put("rounds", meta.rounds());
        top.put("duration_s", meta.durationSecs());
        top.put("command", meta.command());
        top.put("policy", meta.policy());
        top.put("policy_jars", meta.policyJars());
        Map<String, Object> wl = new LinkedHashMap<>();
        wl.put("command", meta.workload());
        wl.put("metric", workloadMetric);
        wl.put("unit", Workload.describe(workloadMetric));
        top.put("workload", wl);
        top.put("latency", latKind().equals("observe")
                ? "observe: from the record's production in BPF (tracepoint) to BPF draining the decision"
                : "run: from ops.enqueue (the record's enq_ts) to the daemon sending the decision");
        top.put("transports", TRANSPORTS);
        for (String t : TRANSPORTS) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Figure f : FIGURES) {
                List<Double> v = values(t, f);
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("median", median(v));
                s.put("min", v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
                s.put("max", v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
                s.put("values", v);
                m.put(f.key(), s);
            }
            List<Object> tasks = new ArrayList<>(), secs = new ArrayList<>(), runs = new ArrayList<>();
            for (DaemonRound.Result r : rounds.getOrDefault(t, List.of())) {
                tasks.add(r.tasks());
                secs.add(r.seconds());
                runs.add(r.workloadResults());
            }
            m.put("tasks", tasks);
            m.put("window_s", secs);
            m.put("workload_runs", runs);
            long[] lat = pooledLatency(t);
            Map<String, Object> h = new LinkedHashMap<>();
            LatencyBuckets b = LatencyBuckets.of(latKind());
            h.put("kind", b.kind());
            List<Object> lo = new ArrayList<>(), cnt = new ArrayList<>();
            for (int i = 0; i < lat.length; i++) {
                if (lat[i] == 0) continue;
                lo.add(List.of(b.lower()[i], b.upper()[i]));
                cnt.add(lat[i]);
            }
            h.put("buckets_ns", lo);
            h.put("counts", cnt);
            m.put("latency_histogram", h);
            top.put(t, m);
        }
        Map<String, Object> ratios = new LinkedHashMap<>();
        for (Figure f : FIGURES) ratios.put(f.key(), ratio(f));
        top.put("ratio_fifo_over_ringbuf", ratios);
        if (baseline != null) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("scheduler", "the kernel's default (EEVDF), no daemon");
            b.put("workload_result", median(baseline));
            b.put("values", baseline);
            top.put("baseline", b);
        }
        return Json.write(top) + "\n";
    }

    // ---- terminal ------------------------------------------------------------------------------------------

    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "ab: %s mode, kernel %s, policy %s, %d round(s) of %s s per transport, "
                        + "workload '%s'%n", meta.mode(), meta.kernel(), meta.policy(), meta.rounds(),
                DaemonRound.fmt(meta.durationSecs()), meta.workload()));
        sb.append(String.format(Locale.ROOT, "%-28s %-36s %-36s %s%n", "median [min, max]", "ringbuf", "fifo",
                "fifo/ringbuf"));
        for (Figure f : FIGURES) {
            String label = f.key().equals("workload_result") ? "workload (" + shortUnit() + ")" : f.label();
            sb.append(String.format(Locale.ROOT, "%-28s %-36s %-36s %s%n", label, cell("ringbuf", f), cell("fifo", f),
                    num(ratio(f))));
        }
        if (baseline != null) {
            sb.append(String.format(Locale.ROOT, "%-28s %s (no daemon, the kernel's default scheduler)%n",
                    "workload, baseline", num(median(baseline))));
        }
        return sb.toString();
    }

    private String shortUnit() {
        return switch (workloadMetric == null ? "" : workloadMetric) {
            case "time_s" -> "s/run";
            case "bogo_ops_per_s" -> "bogo ops/s";
            case "wall_s" -> "wall s/run";
            default -> "-";
        };
    }

    private String cell(String t, Figure f) {
        List<Double> v = values(t, f);
        if (v.size() == 1) return num(v.getFirst());
        double lo = v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double hi = v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return num(median(v)) + " [" + num(lo) + ", " + num(hi) + "]";
    }

    /** Three significant digits, without exponent notation for the magnitudes seen here. */
    static String num(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) return "-";
        double a = Math.abs(d);
        if (a >= 1000) return String.format(Locale.ROOT, "%,.0f", d);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", d);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", d);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", d);
        if (a == 0) return "0";
        if (a >= 0.001) return String.format(Locale.ROOT, "%.4f", d);
        return String.format(Locale.ROOT, "%.2e", d);
    }

    // ---- HTML ----------------------------------------------------------------------------------------------

    private static final Map<String, String> COLOURS = Map.of("ringbuf", "#1f77b4", "fifo", "#d62728");

    public String html() {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>scx_javaland ab: ringbuf vs fifo</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:1000px}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}")
                .append("code{background:#f4f4f4}</style></head><body>\n")
                .append("<h1>scx_javaland ab: ringbuf vs fifo</h1>\n<p>")
                .append(esc(String.format(Locale.ROOT, "%s mode (%s), kernel %s, %s, commit %s; policy %s; %d round(s) "
                                + "of %s s per transport, alternating ringbuf, fifo; workload '%s'.", meta.mode(),
                        meta.where(), meta.kernel(), meta.date(), meta.commit(), meta.policy(), meta.rounds(),
                        DaemonRound.fmt(meta.durationSecs()), meta.workload())))
                .append("</p>\n<p><code>").append(esc(meta.command())).append("</code></p>\n");
        sb.append("<table><tr><th>median [min, max]</th><th>ringbuf</th><th>fifo</th><th>fifo/ringbuf</th></tr>\n");
        for (Figure f : FIGURES) {
            String label = f.key().equals("workload_result") ? "workload (" + Workload.describe(workloadMetric) + ")" : f.label();
            sb.append("<tr><td>").append(esc(label)).append("</td><td>").append(esc(cell("ringbuf", f)))
                    .append("</td><td>").append(esc(cell("fifo", f))).append("</td><td>").append(esc(num(ratio(f))))
                    .append("</td></tr>\n");
        }
        if (baseline != null) {
            sb.append("<tr><td>workload, baseline (kernel's default scheduler, no daemon)</td><td colspan=\"3\">")
                    .append(esc(num(median(baseline)))).append("</td></tr>\n");
        }
        sb.append("</table>\n<h2>Latency CDF</h2>\n<p>")
                .append(esc(latKind().equals("observe")
                        ? "Observe mode: from the record's production in BPF (scheduler tracepoint) to BPF draining the decision, all rounds pooled."
                        : "Run mode: from ops.enqueue (the kernel's timestamp in the record) to the daemon sending the decision, all rounds pooled."))
                .append("</p>\n").append(cdfSvg()).append("\n<h2>Cost per task</h2>\n<p>Medians over the rounds; each pair of bars is scaled to the larger of the two.</p>\n")
                .append(costSvg()).append("\n</body></html>\n");
        return sb.toString();
    }

    private String cdfSvg() {
        int w = 900, h = 380, l = 60, r = 20, t = 20, bo = 50;
        LatencyBuckets b = LatencyBuckets.of(latKind());
        double xmin = Double.MAX_VALUE, xmax = 0;
        Map<String, long[]> lat = new LinkedHashMap<>();
        for (String tr : TRANSPORTS) {
            long[] c = pooledLatency(tr);
            lat.put(tr, c);
            for (int i = 0; i < c.length; i++) {
                if (c[i] == 0) continue;
                xmin = Math.min(xmin, Math.max(1, b.lower()[i]));
                xmax = Math.max(xmax, b.upper()[i]);
            }
        }
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" font-size=\"12\">");
        s.append(line(l, t, l, h - bo)).append(line(l, h - bo, w - r, h - bo));
        if (xmax <= 0) {
            s.append("<text x=\"").append(l + 10).append("\" y=\"").append(t + 20).append("\">no latency samples</text>");
        } else {
            double lx0 = Math.floor(Math.log10(xmin)), lx1 = Math.ceil(Math.log10(xmax));
            if (lx1 <= lx0) lx1 = lx0 + 1;
            final double a0 = lx0, a1 = lx1;
            java.util.function.DoubleUnaryOperator X = v -> l + (Math.log10(Math.max(v, 1)) - a0) / (a1 - a0) * (w - l - r);
            java.util.function.DoubleUnaryOperator Y = f -> h - bo - f * (h - t - bo);
            for (int e = (int) lx0; e <= (int) lx1; e++) {
                double x = X.applyAsDouble(Math.pow(10, e));
                s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>", x, t, x, h - bo));
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x, h - bo + 15, durationLabel(Math.pow(10, e))));
            }
            for (double f : new double[]{0, 0.5, 0.9, 0.99, 1}) {
                double y = Y.applyAsDouble(f);
                s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>", l, y, w - r, y));
                s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", l - 4, y + 4, f));
            }
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">latency (log scale)</text>", (l + w - r) / 2, h - 12));
            int k = 0;
            for (Map.Entry<String, long[]> e : lat.entrySet()) {
                long[] c = e.getValue();
                long total = Arrays.stream(c).sum();
                String col = COLOURS.get(e.getKey());
                s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s (%,d samples)</text>",
                        l + 20, t + 10 + 18 * k, col, l + 38, t + 21 + 18 * k, e.getKey(), total));
                k++;
                if (total == 0) continue;
                StringBuilder pts = new StringBuilder();
                long seen = 0;
                boolean first = true;
                for (int i = 0; i < c.length; i++) {
                    if (c[i] == 0) continue;
                    if (first) {
                        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", X.applyAsDouble(Math.max(1, b.lower()[i])), Y.applyAsDouble(0)));
                        first = false;
                    }
                    seen += c[i];
                    pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", X.applyAsDouble(b.upper()[i]), Y.applyAsDouble((double) seen / total)));
                }
                s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(col).append("\" points=\"")
                        .append(pts.toString().trim()).append("\"><title>").append(e.getKey()).append("</title></polyline>");
            }
        }
        return s.append("</svg>").toString();
    }

    private String costSvg() {
        int w = 900, rowH = 56, l = 230, r = 160, t = 10;
        int h = t + rowH * COSTS.size() + 10;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" font-size=\"12\">");
        int row = 0;
        for (String key : COSTS) {
            Figure f = FIGURES.stream().filter(x -> x.key().equals(key)).findFirst().orElseThrow();
            double max = 0;
            for (String tr : TRANSPORTS) {
                double m = median(tr, f);
                if (Double.isFinite(m)) max = Math.max(max, m);
            }
            int y = t + row * rowH;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", l - 8, y + 28, esc(f.label())));
            int k = 0;
            for (String tr : TRANSPORTS) {
                double m = median(tr, f);
                double bw = max > 0 && Double.isFinite(m) ? m / max * (w - l - r) : 0;
                int by = y + 6 + k * 22;
                s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"><title>%s</title></rect>",
                        l, by, Math.max(bw, 0.5), COLOURS.get(tr), tr));
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s %s</text>", l + Math.max(bw, 0.5) + 6, by + 13, tr, num(m)));
                k++;
            }
            row++;
        }
        return s.append("</svg>").toString();
    }

    private static String line(int x1, int y1, int x2, int y2) {
        return "<line x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2 + "\" stroke=\"#000\"/>";
    }

    private static String durationLabel(double ns) {
        if (ns >= 1e9) return DaemonRound.fmt(ns / 1e9) + " s";
        if (ns >= 1e6) return DaemonRound.fmt(ns / 1e6) + " ms";
        if (ns >= 1e3) return DaemonRound.fmt(ns / 1e3) + " µs";
        return DaemonRound.fmt(ns) + " ns";
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
