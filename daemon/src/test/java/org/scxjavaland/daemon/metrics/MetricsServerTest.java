package org.scxjavaland.daemon.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.scxjavaland.daemon.ExitCode;
import org.scxjavaland.daemon.ExitException;
import org.scxjavaland.core.sched.Stat;
import org.scxjavaland.core.sched.StatsSnapshot;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduler's meters over real HTTP, as Prometheus scrapes them. */
class MetricsServerTest {
    private static StatsSnapshot snapshot(long userDispatches, long pageFaults, long allocated, long tracked) {
        return StatsSnapshot.builder("ringbuf", "deadline").set(Stat.USER_DISPATCHES, userDispatches)
                .set(Stat.DECISIONS_SENT, userDispatches).set(Stat.RECEIVED, userDispatches + 50)
                .set(Stat.PAGE_FAULTS, pageFaults).set(Stat.ALLOCATED_BYTES, allocated).set(Stat.TASKS_TRACKED, tracked)
                .set(Stat.EXITS, 11).set(Stat.REUSED_PIDS, 21).set(Stat.LATE_EXIT_NOTICES, 22).set(Stat.RECLAIMED, 23)
                .build();
    }

    @Test
    void aScrapeShowsTheSchedulingThreadsFaultsAndAllocationsAndFollowsTheCounters() throws Exception {
        AtomicReference<StatsSnapshot> current = new AtomicReference<>();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SchedulerMeters meters = SchedulerMeters.bind(registry, current::get);
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), registry, meters);
             HttpClient http = HttpClient.newHttpClient()) {
            URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics");

            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(MetricsServer.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElse(""));
            assertEquals(0.0, value(r.body(), "scx_javaland_user_dispatches_total"), "no session yet: counters at 0");
            assertTrue(Double.isNaN(value(r.body(), "scx_javaland_tasks_tracked")), "no session yet: gauges unknown");

            current.set(snapshot(1234, 0, 0, 17));
            Thread.sleep(SchedulerMeters.MAX_AGE_NANOS / 1_000_000 + 50);
            String body = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertEquals(1234.0, value(body, "scx_javaland_user_dispatches_total"));
            assertEquals(0.0, value(body, "scx_javaland_sched_thread_page_faults_total"));
            assertEquals(0.0, value(body, "scx_javaland_sched_thread_allocated_bytes_total"));
            assertEquals(17.0, value(body, "scx_javaland_tasks_tracked"));
            assertEquals(11.0, value(body, "scx_javaland_tasks_exited_total"));
            assertEquals(21.0, value(body, "scx_javaland_pids_reused_total"));
            assertEquals(22.0, value(body, "scx_javaland_exit_notices_late_total"));
            assertEquals(23.0, value(body, "scx_javaland_tasks_reclaimed_total"));
            assertTrue(body.contains("# HELP scx_javaland_sched_thread_page_faults_total Minor and major page faults"),
                    "metrics carry their help text");

            current.set(snapshot(5000, 2, 4096, 18));
            Thread.sleep(SchedulerMeters.MAX_AGE_NANOS / 1_000_000 + 50);
            body = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertEquals(5000.0, value(body, "scx_javaland_user_dispatches_total"));
            assertEquals(2.0, value(body, "scx_javaland_sched_thread_page_faults_total"));
            assertEquals(4096.0, value(body, "scx_javaland_sched_thread_allocated_bytes_total"));

            current.set(null); // between sessions: the last reading stays
            Thread.sleep(SchedulerMeters.MAX_AGE_NANOS / 1_000_000 + 50);
            body = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertEquals(5000.0, value(body, "scx_javaland_user_dispatches_total"));

            HttpResponse<String> other = http.send(HttpRequest.newBuilder(uri.resolve("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, other.statusCode());
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    @Test
    void theServerTheDaemonStartsAnswersItsOwnScrape() {
        try (MetricsServer server = SchedulerMeters.serve(new InetSocketAddress("127.0.0.1", 0), () -> null)) {
            server.selfCheck(); // again: it keeps answering
            assertTrue(server.address().getPort() > 0);
        }
    }

    /**
     * Micrometer's function meters hold what they read from weakly; the server must keep it alive. Seen in the VM
     * before the fix: after a collection a scrape read 0 for every counter and NaN for every gauge.
     */
    @Test
    void theMetersStillReadAfterGarbageCollections() throws Exception {
        StatsSnapshot s = snapshot(777, 1, 64, 5);
        try (MetricsServer server = SchedulerMeters.serve(new InetSocketAddress("127.0.0.1", 0), () -> s);
             HttpClient http = HttpClient.newHttpClient()) {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(20);
            }
            Thread.sleep(SchedulerMeters.MAX_AGE_NANOS / 1_000_000 + 50);
            URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics");
            String body = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertEquals(777.0, value(body, "scx_javaland_user_dispatches_total"));
            assertEquals(5.0, value(body, "scx_javaland_tasks_tracked"));
        }
    }

    /** Each stat with a meter is served under its name, with its own value: no two wired to one field. */
    @Test
    void everyStatWithAMeterIsServedWithItsOwnValueAndHelp() throws Exception {
        StatsSnapshot.Builder b = StatsSnapshot.builder("ringbuf", "deadline");
        for (Stat stat : Stat.values()) b.set(stat, 1000 + stat.ordinal());
        StatsSnapshot s = b.build();
        try (MetricsServer server = SchedulerMeters.serve(new InetSocketAddress("127.0.0.1", 0), () -> s);
             HttpClient http = HttpClient.newHttpClient()) {
            URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics");
            String body = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
            int meters = 0;
            for (Stat stat : Stat.values()) {
                if (stat.meterKind() == Stat.MeterKind.NONE) continue;
                String name = stat.meterName().replace('.', '_')
                        + (stat.meterUnit() == null ? "" : "_" + stat.meterUnit())
                        + (stat.meterKind() == Stat.MeterKind.COUNTER ? "_total" : "");
                assertEquals(1000.0 + stat.ordinal(), value(body, name), stat.toString());
                assertTrue(body.contains("# HELP " + name + " " + stat.description()), name);
                meters++;
            }
            assertTrue(meters >= 30, "meters: " + meters);
        }
    }

    @Test
    void aPortAlreadyTakenFailsAtStartWithTheAddress() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (MetricsServer first = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), registry, "state")) {
            int port = first.address().getPort();
            ExitException e = assertThrows(ExitException.class,
                    () -> MetricsServer.start(new InetSocketAddress("127.0.0.1", port), registry, "state"));
            assertEquals(ExitCode.BUSY, e.code());
            assertTrue(e.getMessage().startsWith("cannot serve metrics on 127.0.0.1:" + port + ": Address already in use"),
                    e.getMessage());
        }
    }

    @Test
    void anAddressThatIsNotThisMachinesIsAUsageError() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // TEST-NET-3 (RFC 5737): never assigned to an interface of this machine
        ExitException e = assertThrows(ExitException.class,
                () -> MetricsServer.start(new InetSocketAddress("203.0.113.7", 9464), registry, "state"));
        assertEquals(ExitCode.USAGE, e.code(), e.getMessage());
        assertTrue(e.getMessage().startsWith("cannot serve metrics on 203.0.113.7:9464: "), e.getMessage());
    }

    /** The value of an unlabelled sample in Prometheus' text format. */
    private static double value(String body, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(body);
        assertTrue(m.find(), name + " in\n" + body);
        return Double.parseDouble(m.group(1));
    }
}
