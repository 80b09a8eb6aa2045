package org.scxjavaland.daemon;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.scxjavaland.core.testing.BpfTestSupport;
import org.scxjavaland.core.testing.PolicyJarBuilder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code scx_javaland observe} as a user runs it, in a JVM of its own on this host's live kernel (no sched_ext
 * needed): under stress-ng's context-switch load the tracepoints produce more than 10,000 events a second; every
 * event is accounted for (received by the daemon, or counted as dropped by BPF); decisions come back and BPF drains
 * them; the daemon exits 0 at the end of --duration, on SIGINT and on SIGTERM.
 */
class ObserveHostTest {
    private static final long START_WITHIN_S = 120;   // the warm-up alone may take 20 s under load
    private static final List<Process> STARTED = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void killWhatIsLeft() {
        STARTED.forEach(Process::destroyForcibly);
        STARTED.clear();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ringbuf", "fifo"})
    void underSwitchLoadEveryEventIsAccountedForAndDecisionsComeBack(String transport) throws Exception {
        assumeHost();
        Daemon d = Daemon.start("observe", "--transport=" + transport, "--duration", "10", "--stats", "2");
        d.awaitAttaching();
        Process stress = start(List.of("stress-ng", "--switch", "2", "--timeout", "10s"));
        int exit = d.awaitExit();
        assertTrue(stress.waitFor(30, TimeUnit.SECONDS), "stress-ng ended");
        Map<String, String> s = d.summary();
        System.out.println(transport + ": " + d.summaryLine());
        assertEquals(0, exit, "exit status at the end of --duration" + d.output());
        assertTrue(d.stderr().contains("(stopped by duration)"), d.output());
        assertTrue(d.stdout().contains("| observe ev/s: "), "--stats lines carry the observer's figures" + d.output());
        assertEquals(transport, s.get("transport"));
        double eventsPerSec = Double.parseDouble(s.get("events_per_s"));
        assertTrue(eventsPerSec > 10_000, "events/s " + eventsPerSec + d.output());
        long events = num(s, "events"), produced = num(s, "produced"), dropped = num(s, "dropped");
        assertEquals(events, produced + dropped, "every event was produced or counted as dropped by BPF");
        assertEquals(produced, num(s, "received"), "every record produced reached the daemon");
        assertTrue(num(s, "congested") <= dropped, "queued records dropped show as run's congested counter too");
        assertTrue(num(s, "decisions_drained") > 0, "BPF drained decisions" + d.output());
        assertTrue(num(s, "user_dispatches") > 0, "decisions matched to their records");
        assertTrue(Double.parseDouble(s.get("latency_p99_us")) >= Double.parseDouble(s.get("latency_p50_us")));
    }

    /** Each signal once, and each kind of tracepoint program once (auto takes tp_btf where it loads, as here). */
    @ParameterizedTest(name = "SIG{0} --tracepoints={1}")
    @CsvSource({"INT, btf", "TERM, raw"})
    void aSignalDetachesItAndItExitsZero(String signal, String tracepoints) throws Exception {
        assumeHost();
        Daemon d = Daemon.start("observe", "--transport=ringbuf", "--tracepoints=" + tracepoints);
        d.awaitAttaching();
        Thread.sleep(1000);
        Process kill = start(List.of("kill", "-" + signal, Long.toString(d.process.pid())));
        assertEquals(0, kill.waitFor(), "kill -" + signal);
        assertEquals(0, d.awaitExit(), "exit status after SIG" + signal + d.output());
        assertTrue(d.stderr().contains("(stopped by signal)"), d.output());
        Map<String, String> s = d.summary();
        assertEquals(tracepoints.equals("btf") ? "tp_btf" : "raw_tp", s.get("tracepoints"));
        assertEquals(num(s, "produced"), num(s, "received"), "every record produced reached the daemon");
    }

    /**
     * A policy of one's own, from a jar built as a user builds it (javac against the daemon's classes, a services
     * file): listed by --policy=help, chosen by --policy, and deciding the live kernel's tasks.
     */
    @Test
    void aPolicyFromAJarOfOnesOwnIsListedAndDecides(@TempDir Path tmp) throws Exception {
        assumeHost();
        Path jar = PolicyJarBuilder.build(tmp.resolve("build"), tmp.resolve("example.jar"),
                Map.of("ExampleFifoProvider", PolicyJarBuilder.fifoProviderSource("ExampleFifoProvider", "example-fifo")),
                "example.policy.ExampleFifoProvider\n");
        Daemon help = Daemon.start("observe", "--policy-jar", jar.toString(), "--policy=help");
        assertEquals(0, help.awaitExit(), help.output());
        assertTrue(help.stdout().contains("\n  example-fifo  ") && help.stdout().contains(" (from " + jar + ")\n"),
                help.output());

        Daemon d = Daemon.start("observe", "--transport=ringbuf", "--policy-jar", jar.toString(),
                "--policy=example-fifo", "--duration", "6");
        d.awaitAttaching();
        Process stress = start(List.of("stress-ng", "--switch", "2", "--timeout", "5s"));
        assertEquals(0, d.awaitExit(), d.output());
        assertTrue(stress.waitFor(30, TimeUnit.SECONDS), "stress-ng ended");
        assertTrue(d.stderr().contains("policy=example-fifo (the FIFO policy, loaded from a jar (examples/policy)) from "
                + jar.toRealPath()), "the log names the policy and its jar" + d.output());
        Map<String, String> s = d.summary();
        assertEquals("example-fifo", s.get("policy"), d.summaryLine());
        assertTrue(num(s, "user_dispatches") > 1000, "its decisions reached BPF: " + d.summaryLine());
    }

    /**
     * A policy that throws (a bug in a policy of one's own): before attaching, the warm-up says so and nothing is
     * attached; once attached, the daemon detaches and says which policy threw what, where, in one line; exit 1 both
     * times. The policy throws once a trigger file exists (checked every 1024th task).
     */
    @Test
    void aPolicyThatThrowsIsDetachedAndNamedInOneLine(@TempDir Path tmp) throws Exception {
        assumeHost();
        Path trigger = tmp.resolve("trigger");
        String source = PolicyJarBuilder.fifoProviderSource("Buggy", "buggy").replace(
                "            return fifo.enqueue(task, nowNs);",
                "            if ((++n & 1023) == 0 && java.nio.file.Files.exists(java.nio.file.Path.of(\"" + trigger + "\"))) {\n"
                        + "                throw new IllegalStateException(\"a bug in this policy\");\n"
                        + "            }\n"
                        + "            return fifo.enqueue(task, nowNs);").replace(
                "        private final FifoPolicy fifo;", "        private final FifoPolicy fifo;\n        private int n;");
        Path jar = PolicyJarBuilder.build(tmp.resolve("build"), tmp.resolve("buggy.jar"), Map.of("Buggy", source),
                "example.policy.Buggy\n");
        String thrown = "IllegalStateException: a bug in this policy (at policy-jars//example.policy.Buggy$Policy.enqueue(";

        Daemon d = Daemon.start("observe", "--policy-jar", jar.toString(), "--policy=buggy", "--duration", "60");
        d.awaitAttaching();
        Process stress = start(List.of("stress-ng", "--switch", "2", "--timeout", "30s"));
        Files.createFile(trigger);
        assertEquals(1, d.awaitExit(), d.output());
        stress.destroy();
        String last = d.err.getLast();
        assertTrue(last.startsWith("scx_javaland: the scheduling loop failed (policy=buggy): " + thrown)
                && last.endsWith("; detached"), "one line naming the policy, the exception and where" + d.output());

        Daemon w = Daemon.start("observe", "--policy-jar", jar.toString(), "--policy=buggy", "--duration", "60");
        assertEquals(1, w.awaitExit(), w.output());
        assertTrue(w.stderr().contains("warm-up through the harness program failed (" + thrown), w.output());
        last = w.err.getLast();
        assertTrue(last.startsWith("scx_javaland: the warm-up failed (policy=buggy): " + thrown)
                && last.endsWith("; nothing was attached"), w.output());
        assertTrue(!w.stderr().contains("attaching:"), w.output());
    }

    private static void assumeHost() {
        BpfTestSupport.assumeBpf();
        assumeTrue(Files.exists(Path.of("/sys/kernel/btf/vmlinux")), "the observer needs kernel BTF");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/stress-ng")), "stress-ng is not installed");
    }

    private static long num(Map<String, String> s, String key) {
        String v = s.get(key);
        assertNotNull(v, key + " in the summary " + s);
        return Long.parseLong(v);
    }

    private static Process start(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        STARTED.add(p);
        return p;
    }

    /** The daemon's Main in its own JVM, with the test JVM's flags; its output collected line by line. */
    private record Daemon(Process process, List<String> out, List<String> err, CountDownLatch attaching) {
        static Daemon start(String... args) throws IOException {
            List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
            Process p = new ProcessBuilder(TestJvm.command(jvmArgs, Main.class, args)).start();
            STARTED.add(p);
            Daemon d = new Daemon(p, Collections.synchronizedList(new ArrayList<>()),
                    Collections.synchronizedList(new ArrayList<>()), new CountDownLatch(1));
            d.collect(p.getInputStream(), d.out, "stdout");
            d.collect(p.getErrorStream(), d.err, "stderr");
            return d;
        }

        private void collect(InputStream in, List<String> into, String name) {
            Thread.ofPlatform().daemon().name("observe-" + name).start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        into.add(l);
                        if (l.contains("attaching: observer")) attaching.countDown();
                    }
                } catch (IOException e) {
                    into.add("(reading " + name + " failed: " + e + ")");
                }
            });
        }

        void awaitAttaching() throws InterruptedException {
            if (!attaching.await(START_WITHIN_S, TimeUnit.SECONDS)) {
                throw new AssertionError("the observer did not attach within " + START_WITHIN_S + " s" + output());
            }
        }

        int awaitExit() throws InterruptedException {
            if (!process.waitFor(START_WITHIN_S, TimeUnit.SECONDS)) {
                throw new AssertionError("still running" + output());
            }
            Thread.sleep(200); // the readers take the last lines
            return process.exitValue();
        }

        String stdout() {
            synchronized (out) {
                return String.join("\n", out);
            }
        }

        String stderr() {
            synchronized (err) {
                return String.join("\n", err);
            }
        }

        String output() {
            return "\n--- stdout:\n" + stdout() + "\n--- stderr:\n" + stderr();
        }

        String summaryLine() {
            synchronized (out) {
                return out.stream().filter(l -> l.startsWith("summary: ")).findFirst()
                        .orElseThrow(() -> new AssertionError("no summary line" + output()));
            }
        }

        Map<String, String> summary() {
            Map<String, String> m = new HashMap<>();
            for (String kv : summaryLine().substring("summary: ".length()).split(" ")) {
                int eq = kv.indexOf('=');
                if (eq > 0) m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            return m;
        }
    }
}
