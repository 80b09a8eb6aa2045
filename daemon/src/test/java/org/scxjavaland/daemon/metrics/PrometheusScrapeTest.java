package org.scxjavaland.daemon.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxjavaland.core.sched.Stat;
import org.scxjavaland.core.sched.StatsSnapshot;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real Prometheus server (Debian's package; scripts/install-deps.sh installs it) scrapes the daemon's metrics
 * server and answers queries for the scheduling thread's page faults and heap bytes with the values the daemon
 * reports.
 */
class PrometheusScrapeTest {
    private static StatsSnapshot snapshot() {
        return StatsSnapshot.builder("ringbuf", "deadline").set(Stat.USER_DISPATCHES, 1234)
                .set(Stat.DECISIONS_SENT, 1234).set(Stat.RECEIVED, 1284).set(Stat.ALLOCATED_BYTES, 4096)
                .set(Stat.TASKS_TRACKED, 17).set(Stat.EXITS, 11).build();
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
            Process p = LiveScrapeHostTest.startPrometheus(prometheus.get(), dir, webPort);
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

    private static String awaitValue(HttpClient http, URI api, String query, Process p, Path dir) throws Exception {
        double v = LiveScrapeHostTest.await(http, api, query, x -> true, p, dir);
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static int freePort() throws Exception {
        return LiveScrapeHostTest.freePort();
    }

    private static Optional<Path> findOnPath(String name) {
        return LiveScrapeHostTest.findOnPath(name);
    }
}
