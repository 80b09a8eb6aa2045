package org.scxjavaland.daemon.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxjavaland.core.testing.BpfTestSupport;
import org.scxjavaland.daemon.DaemonState;
import org.scxjavaland.daemon.testing.HarnessScheduler;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 11's metrics acceptance on the host: a real Prometheus (Debian's package) scrapes the daemon's endpoint (the
 * code `run --metrics` serves) while the real loop, policy and ringbuf transport schedule tasks from the harness BPF
 * program; promtool lints the scrape and checks the alert rules; the dashboard only asks for what the daemon serves.
 */
class LiveScrapeHostTest {
    private static final Path TOP = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path ALERTS = TOP.resolve("monitoring/alerts.yml");
    private static final Path DASHBOARD = TOP.resolve("monitoring/grafana-dashboard.json");
    private static final Path METRICS_DOC = TOP.resolve("docs/metrics.md");

    @Test
    void prometheusScrapesALiveLoopAndTheDashboardAndAlertsMatchWhatIsServed(@TempDir Path dir) throws Exception {
        BpfTestSupport.assumeBpf();
        Optional<Path> prometheus = findOnPath("prometheus");
        Optional<Path> promtool = findOnPath("promtool");
        assumeTrue(prometheus.isPresent() && promtool.isPresent(),
                "no prometheus/promtool on PATH (scripts/install-deps.sh installs Debian's)");

        DaemonState state = new DaemonState("test", "javaland_test");
        state.transport("ringbuf", "asked for by name");
        Path sysfs = fakeSchedExt(dir.resolve("sysfs"));
        try (HarnessScheduler scheduler = new HarnessScheduler("ringbuf");
             MetricsServer server = DaemonMetrics.serve(new InetSocketAddress("127.0.0.1", 0), state);
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            DaemonMetrics.bindScheduler(server, state, sysfs);
            state.runner(scheduler);
            System.gc(); // so that the GC binder has a pause to show

            int webPort = freePort();
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                      evaluation_interval: 1s
                    rule_files: ["%s"]
                    scrape_configs:
                      - job_name: scx_javaland
                        static_configs:
                          - targets: ["127.0.0.1:%d"]
                    """.formatted(ALERTS, server.address().getPort()));
            Process p = startPrometheus(prometheus.get(), dir, webPort);
            try {
                URI api = URI.create("http://127.0.0.1:" + webPort + "/api/v1/query?query=");
                assertEquals(1.0, await(http, api, "up{job=\"scx_javaland\"}", v -> v == 1, p, dir), "the target is up");
                double rate = await(http, api, "rate(scx_javaland_decisions_sent_total{transport=\"ringbuf\"}[10s])",
                        v -> v > 0, p, dir);
                System.out.printf("prometheus: rate of decisions sent %.0f/s%n", rate);
                assertTrue(rate > 0);
                assertTrue(await(http, api, "count(scx_javaland_user_dispatches_total{transport=\"ringbuf\"})",
                        v -> v == 1, p, dir) == 1, "the transport label");
                double p99 = await(http, api, "histogram_quantile(0.99, sum by (le) "
                        + "(rate(scx_javaland_dispatch_latency_seconds_bucket[10s])))", v -> v > 0, p, dir);
                System.out.printf("prometheus: p99 enqueue-to-dispatch %.6f s%n", p99);
                assertEquals(1.0, await(http, api, "scx_javaland_transport_info{reason=\"asked for by name\"}",
                        v -> v == 1, p, dir));
            } finally {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            }
            assertTrue(scheduler.failure() == null, "the scheduling thread failed: " + scheduler.failure());

            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            Files.writeString(TOP.resolve("daemon/target/live-scrape.txt"), body); // to look at after a failure
            Run lint = run(dir, body, promtool.get().toString(), "check", "metrics");
            assertEquals(0, lint.status, "promtool check metrics:\n" + lint.output);
            assertEquals("", lint.output.trim(), "promtool check metrics is clean");
            Run rules = run(dir, "", promtool.get().toString(), "check", "rules", ALERTS.toString());
            assertEquals(0, rules.status, "promtool check rules:\n" + rules.output);

            Set<String> served = sampleNames(body);
            List<String> missing = new ArrayList<>();
            for (String name : dashboardMetrics()) if (!served.contains(name)) missing.add(name);
            assertTrue(missing.isEmpty(), "dashboard queries metrics the daemon does not serve: " + missing);
            assertTrue(dashboardMetrics().size() > 20, "the dashboard asks for " + dashboardMetrics());

            String doc = Files.readString(METRICS_DOC);
            List<String> undocumented = new ArrayList<>();
            for (String family : families(body)) {
                if (family.startsWith("scx_javaland_") && !doc.contains("`" + family)) undocumented.add(family);
            }
            assertTrue(undocumented.isEmpty(), "docs/metrics.md does not list " + undocumented);
        }
    }

    /** Prometheus on {@code dir}/prometheus.yml, its data and log in {@code dir}, its API on loopback:webPort. */
    static Process startPrometheus(Path prometheus, Path dir, int webPort) throws java.io.IOException {
        return new ProcessBuilder(prometheus.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + webPort,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    }

    /** What /sys/kernel/sched_ext holds on a kernel with a scheduler attached, as files in {@code root}. */
    static Path fakeSchedExt(Path root) throws Exception {
        Files.createDirectories(root.resolve("root"));
        Files.writeString(root.resolve("state"), "enabled\n");
        Files.writeString(root.resolve("enable_seq"), "3\n");
        Files.writeString(root.resolve("nr_rejected"), "0\n");
        Files.writeString(root.resolve("root/ops"), "javaland_test\n");
        Files.writeString(root.resolve("root/events"), "SCX_EV_SELECT_CPU_FALLBACK 12\nSCX_EV_BYPASS_ACTIVATE 0\n");
        return root;
    }

    /** Every metric name a panel's query reads (names are followed by a selector in our queries). */
    static Set<String> dashboardMetrics() throws Exception {
        String json = Files.readString(DASHBOARD);
        Set<String> names = new TreeSet<>();
        Matcher expr = Pattern.compile("\"expr\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        int panelsWithQueries = 0;
        while (expr.find()) {
            panelsWithQueries++;
            Matcher n = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{").matcher(expr.group(1));
            while (n.find()) names.add(n.group(1));
        }
        assertTrue(panelsWithQueries > 0, "no queries in " + DASHBOARD);
        return names;
    }

    /** Names of the samples in a text-format scrape. */
    static Set<String> sampleNames(String body) {
        Set<String> s = new TreeSet<>();
        for (String line : body.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            Matcher m = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(line);
            if (m.find()) s.add(m.group(1));
        }
        return s;
    }

    static Set<String> families(String body) {
        Set<String> s = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^# TYPE (\\S+) ").matcher(body);
        while (m.find()) s.add(m.group(1));
        return s;
    }

    private record Run(int status, String output) {
    }

    private static Run run(Path dir, String stdin, String... cmd) throws Exception {
        Path out = Files.createTempFile(dir, "cmd", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        return new Run(p.exitValue(), Files.readString(out));
    }

    interface Want {
        boolean ok(double v);
    }

    /** The value of the single sample a query returns, once it satisfies {@code want} (60 s at most). */
    static double await(HttpClient http, URI api, String query, Want want, Process p, Path dir)
            throws Exception {
        URI uri = URI.create(api + URLEncoder.encode(query, StandardCharsets.UTF_8));
        Pattern value = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]");
        long deadline = System.nanoTime() + 60_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("prometheus exited " + p.exitValue() + ":\n"
                        + Files.readString(dir.resolve("prometheus.log")));
            }
            try {
                last = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = value.matcher(last);
                if (m.find()) {
                    double v = Double.parseDouble(m.group(1));
                    if (want.ok(v)) return v;
                }
            } catch (java.io.IOException notYetListening) {
                last = notYetListening.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no satisfying sample for " + query + " within 60 s; last answer: " + last
                + "\nprometheus log:\n" + Files.readString(dir.resolve("prometheus.log")));
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static Optional<Path> findOnPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(path.split(File.pathSeparator)).map(d -> Path.of(d, name))
                .filter(Files::isExecutable).findFirst();
    }
}
