package org.scxjavaland.daemon.stats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxjavaland.core.sched.ExitInfo;
import org.scxjavaland.core.sched.LoopHistograms;
import org.scxjavaland.core.sched.SchedulerView;
import org.scxjavaland.core.sched.Stat;
import org.scxjavaland.core.sched.StatsSnapshot;
import org.scxjavaland.core.testing.BpfTestSupport;
import org.scxjavaland.daemon.DaemonState;
import org.scxjavaland.daemon.ExitCode;
import org.scxjavaland.daemon.ExitException;
import org.scxjavaland.daemon.testing.HarnessScheduler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scx_stats socket, spoken to as any scx_stats client would: raw request lines over a unix socket, answers read
 * as text (not with our own client), and --monitor reading a live loop.
 */
class StatsSocketTest {
    private static DaemonState idle() {
        DaemonState s = new DaemonState("test", "javaland_test");
        s.transport("ringbuf", "asked for by name");
        return s;
    }

    @Test
    void answersStatsAndStatsMetaAsScxStatsDoesAndRefusesNonsenseWithEinval(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("run/scx/root/stats");
        try (StatsSocketServer server = StatsSocketServer.start(sock, idle());
             SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            assertTrue(Files.exists(sock), "the socket's directory is created");
            InputStream in = Channels.newInputStream(c);

            String stats = ask(c, in, "{\"req\":\"stats\",\"args\":{\"target\":\"top\"}}");
            assertTrue(stats.startsWith("{\"errno\":0,\"args\":{\"resp\":{"), stats);
            for (String f : new String[]{"nr_cpus", "nr_running", "nr_queued", "nr_scheduled", "nr_page_faults",
                    "nr_user_dispatches", "nr_kernel_dispatches", "nr_cancel_dispatches", "nr_bounce_dispatches",
                    "nr_failed_dispatches", "nr_sched_congested", "sched_alloc_bytes", "jvm_heap_used_bytes"}) {
                assertTrue(Pattern.compile("\"" + f + "\":\\d+").matcher(stats).find(), f + " in " + stats);
            }
            assertTrue(stats.contains("\"transport\":\"ringbuf\""), stats);
            assertTrue(stats.contains("\"transport_reason\":\"asked for by name\""), stats);

            String noArgs = ask(c, in, "{\"req\":\"stats\"}");
            assertTrue(noArgs.startsWith("{\"errno\":0"), "target defaults to top: " + noArgs);

            String meta = ask(c, in, "{\"req\":\"stats_meta\",\"args\":{}}");
            assertTrue(meta.contains("\"Metrics\":{\"name\":\"Metrics\",\"top\":\"true\""), meta);
            assertTrue(meta.contains("\"nr_user_dispatches\":{"), meta);
            assertTrue(meta.contains("\"datum\":\"u64\""), meta);

            assertTrue(ask(c, in, "{\"req\":\"bogus\"}").startsWith("{\"errno\":22,"), "unknown request");
            assertTrue(ask(c, in, "{\"req\":\"stats\",\"args\":{\"target\":\"nope\"}}").startsWith("{\"errno\":22,"));
            assertTrue(ask(c, in, "not json").startsWith("{\"errno\":22,"), "malformed line");
            assertTrue(ask(c, in, "{\"req\":\"stats\"}").startsWith("{\"errno\":0"), "the connection stays usable");
        }
        assertFalse(Files.exists(sock), "closing removes the socket");
    }

    @Test
    void aLiveServerAtThePathIsBusyAndAStaleSocketIsReplaced(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("stats");
        try (StatsSocketServer first = StatsSocketServer.start(sock, idle())) {
            ExitException e = assertThrows(ExitException.class, () -> StatsSocketServer.start(sock, idle()));
            assertEquals(ExitCode.BUSY, e.code());
            assertTrue(e.getMessage().contains("another program serves scx_stats on " + sock), e.getMessage());
        }
        // a socket file nobody listens on any more, as a killed daemon leaves it
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(sock));
        }
        assertTrue(Files.exists(sock));
        try (StatsSocketServer s = StatsSocketServer.start(sock, idle())) {
            s.selfCheck();
        }
    }

    @Test
    void monitorPrintsTheStatsLineOfALiveLoopWithDispatchesPerPeriod(@TempDir Path dir) throws Exception {
        BpfTestSupport.assumeBpf();
        DaemonState state = idle();
        Path sock = dir.resolve("stats");
        try (HarnessScheduler scheduler = new HarnessScheduler("ringbuf");
             StatsSocketServer server = StatsSocketServer.start(sock, state)) {
            state.runner(scheduler);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            new StatsMonitor(sock, 0.5, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)).run(3);
            String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
            assertEquals(3, lines.length, out.toString(StandardCharsets.UTF_8) + err);
            for (String line : lines) {
                assertTrue(line.startsWith("[javaland] ringbuf policy=deadline | tasks r: "), line);
                Matcher u = Pattern.compile("dispatch u: (\\d+) ").matcher(line);
                assertTrue(u.find() && Long.parseLong(u.group(1)) > 0, "user dispatches per period in " + line);
            }
            System.out.println("monitor: " + lines[lines.length - 1]);
        }
    }

    @Test
    void monitorWaitsForTheSocketToAppear(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("stats");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                new StatsMonitor(sock, 0.2, new PrintStream(out, true), new PrintStream(err, true)).run(1);
            } catch (InterruptedException ignored) {
                // test over
            }
        });
        Thread.sleep(1500);
        try (StatsSocketServer server = StatsSocketServer.start(sock, idle())) {
            t.join(10_000);
        }
        assertFalse(t.isAlive());
        assertTrue(err.toString().contains("no scheduler serves " + sock + " yet"), err.toString());
        assertTrue(out.toString().startsWith("[javaland] ringbuf policy="), out.toString());
    }

    @Test
    void helpStatsDescribesEveryField() {
        String d = StatsMonitor.describe();
        assertTrue(d.startsWith("[Metrics] "), d);
        for (StatsStruct.Field f : StatsStruct.FIELDS) assertTrue(d.contains("  " + f.name() + " "), f.name());
        assertTrue(d.contains("nr_user_dispatches") && d.contains("(u64)"), d);
    }

    /**
     * Every stat the table puts on the socket is answered under its name with its own value: totals as they are,
     * per-request fields as the difference since the previous request on the connection. And --monitor's line,
     * rebuilt from such an answer, shows what the daemon's own line shows.
     */
    @Test
    void everySocketStatIsAnsweredWithItsOwnValueAndPerRequestFieldsAsDifferences(@TempDir Path dir) throws Exception {
        AtomicReference<StatsSnapshot> current = new AtomicReference<>(numbered(1000));
        DaemonState state = idle();
        state.runner(new FixedView(current));
        Path sock = dir.resolve("stats");
        try (StatsSocketServer server = StatsSocketServer.start(sock, state);
             SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            InputStream in = Channels.newInputStream(c);
            ask(c, in, "{\"req\":\"stats\"}");
            current.set(numbered(3000));
            String first = ask(c, in, "{\"req\":\"stats\"}");
            int served = 0;
            for (Stat stat : Stat.values()) {
                if (stat.socketName() == null) continue;
                long want = stat.socketKind() == Stat.SocketKind.PER_REQUEST ? 2000 : 3000 + stat.ordinal();
                assertEquals(want, field(first, stat.socketName()), stat + " in " + first);
                served++;
            }
            assertTrue(served >= 25, "socket stats: " + served);
            Map<String, Object> parsed = new LinkedHashMap<>();
            for (Stat stat : Stat.values()) {
                if (stat.socketName() != null) parsed.put(stat.socketName(), field(first, stat.socketName()));
            }
            parsed.put("transport", "ringbuf");
            parsed.put("policy", "deadline");
            StatsSnapshot.Builder b = StatsSnapshot.builder("ringbuf", "deadline");
            for (Stat stat : Stat.values()) {
                if (stat.socketName() != null) b.set(stat, (Long) parsed.get(stat.socketName()));
            }
            assertEquals(b.build().line(null), StatsMonitor.line(parsed));
        }
    }

    /** docs/metrics.md's table names every field the socket serves, as LiveScrapeHostTest holds it to the meters. */
    @Test
    void theMetricsPageNamesEverySocketField() throws IOException {
        String doc = Files.readString(Path.of(System.getProperty("user.dir")).getParent().resolve("docs/metrics.md"));
        List<String> missing = new ArrayList<>();
        for (List<StatsStruct.Field> group : List.of(StatsStruct.FIELDS, StatsStruct.DAEMON_FIELDS)) {
            for (StatsStruct.Field f : group) {
                if (!doc.contains("`" + f.name() + "`")) missing.add(f.name());
            }
        }
        assertTrue(missing.isEmpty(), "docs/metrics.md does not name " + missing);
    }

    private static StatsSnapshot numbered(long base) {
        StatsSnapshot.Builder b = StatsSnapshot.builder("ringbuf", "deadline");
        for (Stat stat : Stat.values()) b.set(stat, base + stat.ordinal());
        return b.build();
    }

    private static long field(String answer, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(-?\\d+)").matcher(answer);
        assertTrue(m.find(), name + " in " + answer);
        return Long.parseLong(m.group(1));
    }

    /** A scheduler that is attached and reports whatever snapshot the test holds. */
    private record FixedView(AtomicReference<StatsSnapshot> current) implements SchedulerView {
        @Override
        public StatsSnapshot snapshot() {
            return current.get();
        }

        @Override
        public LoopHistograms histograms() {
            return null;
        }

        @Override
        public boolean attached() {
            return true;
        }

        @Override
        public ExitInfo lastExit() {
            return ExitInfo.RUNNING;
        }

        @Override
        public Map<Integer, Long> exitsByKind() {
            return Map.of();
        }

        @Override
        public int restarts() {
            return 0;
        }
    }

    private static String ask(SocketChannel c, InputStream in, String line) throws IOException {
        c.write(java.nio.ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
        String answer = StatsSocketServer.readLine(in);
        assertTrue(answer != null, "an answer to " + line);
        return answer;
    }
}
