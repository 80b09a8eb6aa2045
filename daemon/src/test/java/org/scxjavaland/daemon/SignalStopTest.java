package org.scxjavaland.daemon;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon stops on SIGINT and SIGTERM whatever disposition it inherited, as a real process: a shell script's
 * background job ({@code scx_javaland run ... &}) starts with SIGINT ignored, and before the fix such a daemon
 * did not stop on {@code kill -INT} (the JVM installs no handler for an ignored shutdown signal). The child runs
 * {@link SignalStopProbe} (the daemon's {@link SignalStop} and a wait for its stop request, as in {@code run})
 * and reports which signals it inherited as ignored, so the test also checks that the situation it describes
 * really arose. Dispositions are set with coreutils' {@code env --ignore-signal/--default-signal}, and once
 * through a script's background job. SIGHUP stops it too, except under nohup (SIGHUP ignored on purpose), where
 * it stays ignored.
 */
class SignalStopTest {
    private static final long STOP_WITHIN_MS = 15_000;
    private static final List<Process> STARTED = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        for (Process p : STARTED) p.descendants().forEach(ProcessHandle::destroyForcibly);
        STARTED.forEach(Process::destroyForcibly);
        STARTED.clear();
    }

    /** A running probe: the process started, the probe's pid, and the lines it has printed so far. */
    private record Probe(Process process, long pid, BufferedReader out, List<String> lines) {
        String readLine() throws IOException {
            String l = out.readLine();
            if (l != null) lines.add(l);
            return l;
        }

        /** Reads up to and including "ready"; returns what it said it inherited as ignored. */
        String awaitReady() throws IOException {
            String ignored = null;
            for (String l; (l = readLine()) != null; ) {
                if (l.startsWith("ignored at start: ")) ignored = l.substring(18);
                if (l.equals("ready")) return ignored;
            }
            throw new AssertionError("the probe ended before it was ready: " + lines + stderr());
        }

        void signal(String name) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
            assertEquals(0, kill.waitFor(), "kill -" + name);
        }

        /** Waits for the exit; returns the exit code and the rest of its output. */
        int awaitExit() throws Exception {
            if (!process.waitFor(STOP_WITHIN_MS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                throw new AssertionError("still running " + STOP_WITHIN_MS + " ms after the signal: " + lines);
            }
            while (readLine() != null) {
                // the rest of stdout
            }
            return process.exitValue();
        }

        String stderr() throws IOException {
            return " / stderr: " + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> probeCommand() {
        return TestJvm.command(List.of(), SignalStopProbe.class);
    }

    /** Starts the probe with SIGINT, SIGTERM and SIGHUP at their defaults, except {@code ignored} (e.g. "INT"). */
    private static Probe start(String ignored) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT,TERM,HUP"));
        if (!ignored.isEmpty()) cmd.add("--ignore-signal=" + ignored);
        cmd.addAll(probeCommand());
        Process p = new ProcessBuilder(cmd).start();
        STARTED.add(p);
        return new Probe(p, p.pid(), new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8)), new ArrayList<>());
    }

    private static void assertStoppedBy(Probe probe, String signal) throws Exception {
        int exit = probe.awaitExit();
        assertEquals(0, exit, "exit status, output " + probe.lines() + probe.stderr());
        assertTrue(probe.lines().contains("stopped by SIG" + signal), probe.lines().toString());
    }

    @Test
    void aSigintInheritedAsIgnoredStillStopsTheDaemon() throws Exception {
        Probe probe = start("INT");
        assertEquals("INT", probe.awaitReady(), "the child inherited SIGINT ignored: " + probe.lines());
        assertTrue(probe.lines().contains("ignored after install: "), probe.lines().toString());
        probe.signal("INT");
        assertStoppedBy(probe, "INT");
    }

    @Test
    void aSigtermInheritedAsIgnoredStillStopsTheDaemon() throws Exception {
        Probe probe = start("TERM");
        assertEquals("TERM", probe.awaitReady(), "the child inherited SIGTERM ignored: " + probe.lines());
        probe.signal("TERM");
        assertStoppedBy(probe, "TERM");
    }

    @Test
    void theBackgroundJobOfAScriptStopsOnSigint() throws Exception {
        // bash without job control starts '&' jobs with SIGINT (and SIGQUIT) ignored: the case of issue 12
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT,TERM,HUP", "bash", "-c",
                "\"$@\" & echo \"pid $!\"; wait $!", "bash"));
        cmd.addAll(probeCommand());
        Process p = new ProcessBuilder(cmd).start();
        STARTED.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertTrue(first != null && first.startsWith("pid "), "bash said " + first);
        Probe probe = new Probe(p, Long.parseLong(first.substring(4)), out, new ArrayList<>());
        assertEquals("INT", probe.awaitReady(), "the background job inherited SIGINT ignored: " + probe.lines());
        probe.signal("INT");
        assertStoppedBy(probe, "INT");
    }

    @Test
    void sigintAndSigtermStopItWhenInheritedAsDefault() throws Exception {
        for (String sig : new String[]{"INT", "TERM"}) {
            Probe probe = start("");
            assertEquals("", probe.awaitReady(), "nothing ignored: " + probe.lines());
            probe.signal(sig);
            assertStoppedBy(probe, sig);
        }
    }

    @Test
    void aHangupStopsItButNotUnderNohup() throws Exception {
        Probe probe = start("");
        probe.awaitReady();
        probe.signal("HUP");
        assertStoppedBy(probe, "HUP");

        Probe nohup = start("HUP");
        assertEquals("HUP", nohup.awaitReady(), "the child inherited SIGHUP ignored, as under nohup: " + nohup.lines());
        assertTrue(nohup.lines().contains("ignored after install: HUP"), "still ignored: " + nohup.lines());
        nohup.signal("HUP");
        assertFalse(nohup.process().waitFor(1, TimeUnit.SECONDS), "a hangup under nohup does not stop it: "
                + nohup.lines());
        nohup.signal("INT");
        assertStoppedBy(nohup, "INT");
    }
}
