package org.scxjavaland.daemon;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@code run}'s refusals through the real command line, in process: one line on stderr naming the problem, the
 * exit status of its kind ({@link ExitCode}), no stack trace unless -v. This host has no sched_ext, so every
 * refusal that comes before the sched_ext check shows here as itself, and the order is checked with it.
 */
class RunCommandTest {
    private record Outcome(int exit, String err, String out) {
    }

    private static Outcome run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        int exit = cl.execute(args);
        return new Outcome(exit, err.toString(), out.toString());
    }

    private static void assertRefused(Outcome o, ExitCode code, String expected) {
        String[] lines = o.err().strip().split("\n");
        assertEquals(1, lines.length, "one line, got: " + o.err());
        assertTrue(lines[0].startsWith("scx_javaland: ") && lines[0].contains(expected), lines[0]);
        assertEquals(code.code, o.exit(), o.err());
    }

    private static void assumeNoSchedExt() {
        assumeFalse(Files.isDirectory(Path.of("/sys/kernel/sched_ext")), "this kernel has sched_ext");
    }

    @Test
    void aKernelWithoutSchedExtIsUnsupported() {
        assumeNoSchedExt();
        Outcome o = run("run", "--transport=ringbuf");
        assertRefused(o, ExitCode.UNSUPPORTED, "has no sched_ext");
        assertTrue(o.err().contains("make run"), "says what to do instead: " + o.err());
        assertTrue(o.err().contains("'scx_javaland observe' runs the same policy"), "names what works here: " + o.err());
    }

    @Test
    void badSlicesAreUsageErrors() {
        assertRefused(run("run", "-s", "1000", "-S", "2000"), ExitCode.USAGE, "--slice-us-min <= --slice-us");
        assertRefused(run("run", "-s", "0"), ExitCode.USAGE, "slices must be positive");
        assertRefused(run("run", "-s", "-5"), ExitCode.USAGE, "slices must be positive");
        assertRefused(run("run", "--slice-us-min", "0"), ExitCode.USAGE, "slices must be positive");
        assertRefused(run("run", "-S", "-1"), ExitCode.USAGE, "slices must be positive");
    }

    @Test
    void malformedValuesAreUsageErrors() {
        assertRefused(run("run", "-s", "abc"), ExitCode.USAGE, "Invalid value for option '--slice-us': 'abc'");
        assertRefused(run("run", "--stats", "1.5"), ExitCode.USAGE, "Invalid value for option '--stats'");
        assertRefused(run("run", "--timeout-ms", "50"), ExitCode.USAGE, "--timeout-ms must be between 100 and 30000");
        assertRefused(run("run", "--duration", "-1"), ExitCode.USAGE, "cannot be negative");
        assertRefused(run("run", "--channel-records", "0"), ExitCode.USAGE, "--channel-records must be between 1 and 65536");
        assertRefused(run("run", "--channel-records", "65537"), ExitCode.USAGE, "--channel-records must be between 1 and 65536");
        assertRefused(run("run", "-s"), ExitCode.USAGE, "Missing required parameter for option '--slice-us'");
    }

    @Test
    void observeRefusesBadValuesAsRunDoes() {
        assertRefused(run("observe", "-s", "1000", "-S", "2000"), ExitCode.USAGE, "--slice-us-min <= --slice-us");
        assertRefused(run("observe", "--tracepoints=kprobe"), ExitCode.USAGE, "unknown tracepoint kind 'kprobe'");
        assertRefused(run("observe", "--transport=carrier-pigeon"), ExitCode.USAGE, "unknown transport 'carrier-pigeon'");
        assertRefused(run("observe", "--duration", "-1"), ExitCode.USAGE, "cannot be negative");
        assertRefused(run("observe", "--partial"), ExitCode.USAGE, "Unknown option: '--partial'");
    }

    @Test
    void anUnknownOptionOrCommandIsAUsageError() {
        assertRefused(run("run", "--no-such-option"), ExitCode.USAGE, "Unknown option: '--no-such-option'");
        assertRefused(run("runn"), ExitCode.USAGE, "Unmatched argument");
    }

    @Test
    void anUnknownTransportIsAUsageErrorBeforeTheMachineIsLookedAt() {
        assertRefused(run("run", "--transport=udp"), ExitCode.USAGE,
                "unknown transport 'udp' (choose from: auto, ringbuf, fifo)");
    }

    @Test
    void anUnknownPolicyIsAUsageErrorListingThePolicies() {
        assertRefused(run("run", "--policy=lottery"), ExitCode.USAGE,
                "unknown policy 'lottery' (choose from: deadline, fifo)");
        assertRefused(run("observe", "--policy=lottery"), ExitCode.USAGE, "unknown policy 'lottery'");
    }

    /** A request, not a mistake: the list on stdout, each policy with what it does, status 0, nothing loaded. */
    @Test
    void policyHelpListsEveryPolicyWithItsDescription() {
        for (String cmd : new String[]{"run", "observe"}) {
            Outcome o = run(cmd, "--policy=help");
            assertEquals(0, o.exit(), o.err());
            assertEquals("", o.err());
            String[] lines = o.out().split("\n");
            assertEquals("policies (--policy=NAME):", lines[0], o.out());
            assertEquals(3, lines.length, o.out());
            assertTrue(lines[1].matches("  deadline  scx_rustland's .* \\(default\\)"), lines[1]);
            assertTrue(lines[2].matches("  fifo      \\S.*"), lines[2]);
        }
    }

    /** The jars that are accepted are loaded in a JVM of their own (ObserveHostTest): loading one here would stay. */
    @Test
    void aPolicyJarThatCannotBeLoadedIsAUsageError() throws IOException {
        assertRefused(run("run", "--policy-jar=/nonexistent/mine.jar", "--policy=mine"), ExitCode.USAGE,
                "--policy-jar /nonexistent/mine.jar: no such file");
        Path jar = Files.createTempFile("scx-javaland-policy", ".jar");
        try {
            Files.setPosixFilePermissions(jar, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
            assertRefused(run("observe", "--policy-jar", jar.toString()), ExitCode.USAGE,
                    "--policy-jar " + jar + ": " + jar + " is writable by everyone (mode 0666)");
        } finally {
            Files.delete(jar);
        }
    }

    @Test
    void aMetricsPortOutOfRangeOrNotANumberIsAUsageError() {
        assertRefused(run("run", "--metrics", "70000"), ExitCode.USAGE, "--metrics '70000': the port must be 0..65535");
        assertRefused(run("run", "--metrics", "-1"), ExitCode.USAGE, "--metrics '-1': the port must be 0..65535");
        assertRefused(run("run", "--metrics", "abc"), ExitCode.USAGE, "--metrics 'abc': the port is not a number");
        assertRefused(run("run", "--metrics", "127.0.0.1:"), ExitCode.USAGE, "the port is not a number");
    }

    @Test
    void aFreeMetricsPortAddsNothingToTheRefusal() {
        assumeNoSchedExt();
        assertRefused(run("run", "--metrics", "0"), ExitCode.UNSUPPORTED, "has no sched_ext");
    }

    @Test
    void aMetricsPortAlreadyTakenIsBusy() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertRefused(run("run", "--metrics", Integer.toString(port)), ExitCode.BUSY,
                    "cannot serve metrics on 127.0.0.1:" + port + ": Address already in use");
        }
    }

    @Test
    void theStackTraceOnlyWithVerbose() {
        Outcome quiet = run("run", "-s", "0");
        assertRefused(quiet, ExitCode.USAGE, "slices must be positive");
        for (String v : new String[]{"-v", "--verbose"}) {
            Outcome loud = run("run", v, "-s", "0");
            assertEquals(ExitCode.USAGE.code, loud.exit());
            assertTrue(loud.err().startsWith("scx_javaland: slices must be positive"), loud.err());
            assertTrue(loud.err().contains("\tat org.scxjavaland.daemon.RunCommand.call("), "stack trace: " + loud.err());
        }
    }

    @Test
    void helpListsEveryExitStatus() {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("run", "--help"));
        String help = out.toString().replaceAll("\\s+", " ");
        assertTrue(help.contains(" Exit status: 0 "), help);
        for (ExitCode c : ExitCode.values()) {
            assertTrue(help.contains(" " + c.code + " " + c.meaning + " "), c + " in: " + help);
        }
    }
}
