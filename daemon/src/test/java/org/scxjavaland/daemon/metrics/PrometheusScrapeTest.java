package org.scxjavaland.daemon.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxjavaland.core.sched.StatsSnapshot;

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
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real Prometheus server (Debian's package; scripts/install-deps.sh installs it) scrapes the daemon's metrics
 * server and answers queries for the scheduling thread's page faults and heap bytes with the values the daemon
 * reports.
 */
class PrometheusScrapeTest {
    private static StatsSnapshot snapshot() {
        return new StatsSnapshot("ringbuf", 3, 1234, 40, 1, 2, 0, 5, 0, 2, 2, 9, 7, 11, 12, 4,
                1284, 6, 1234, 0, 0, 17, 11, 0, 4096, 300, 5_000_000_000L);
    }

    @Test
    void prometheusScrapesTheSchedulingThreadsFaultsAndAllocations(@TempDir Path dir) throws Exception {
        Optional<Path> prometheus = findOnPath("prometheus");
        assumeTrue(prometheus.isPresent(), "no prometheus on PATH (scripts/install-deps.sh installs Debian's)");

        try (MetricsServer server = SchedulerMeters.serve(new InetSocketAddress("127.0.0.1", 0), PrometheusScrapeTest::snapshot);
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            int webPort = freePort();
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                    scrape_configs:
                      - job_name: scx_javaland
                        static_configs:
                          - targets: ["127.0.0.1:%d"]
                    """.formatted(server.address().getPort()));
            Process p = new ProcessBuilder(prometheus.get().toString(),
                    "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + webPort,
                    "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                URI api = URI.create("http://127.0.0.1:" + webPort + "/api/v1/query?query=");
                assertEquals("1", awaitValue(http, api, "up{job=\"scx_javaland\"}", p, dir), "the target is up");
                assertEquals("0", awaitValue(http, api, "scx_javaland_sched_thread_page_faults_total", p, dir));
                assertEquals("4096", awaitValue(http, api, "scx_javaland_sched_thread_allocated_bytes_total", p, dir));
                assertEquals("1234", awaitValue(http, api, "scx_javaland_user_dispatches_total", p, dir));
                assertEquals("17", awaitValue(http, api, "scx_javaland_tasks_tracked", p, dir));
            } finally {
                p.destroy();
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
            }
        }
    }

    /** The value of the single sample a PromQL query returns, once Prometheus has one (30 s at most). */
    private static String awaitValue(HttpClient http, URI api, String query, Process p, Path dir) throws Exception {
        URI uri = URI.create(api + URLEncoder.encode(query, StandardCharsets.UTF_8));
        Pattern value = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]");
        long deadline = System.nanoTime() + 30_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("prometheus exited " + p.exitValue() + ":\n" + Files.readString(dir.resolve("prometheus.log")));
            }
            try {
                last = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = value.matcher(last);
                if (m.find()) return m.group(1);
            } catch (java.io.IOException notYetListening) {
                last = notYetListening.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no sample for " + query + " within 30 s; last answer: " + last
                + "\nprometheus log:\n" + Files.readString(dir.resolve("prometheus.log")));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Optional<Path> findOnPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(path.split(File.pathSeparator)).map(d -> Path.of(d, name))
                .filter(Files::isExecutable).findFirst();
    }
}
