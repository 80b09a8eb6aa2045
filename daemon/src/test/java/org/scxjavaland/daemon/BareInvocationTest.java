package org.scxjavaland.daemon;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `scx_javaland [run options]` is `scx_javaland run [run options]`, as scx.service and scx_loader start it. */
class BareInvocationTest {
    @Test
    void runOptionsWithoutACommandMeanRun() {
        assertArrayEquals(new String[]{"run"}, Main.withCommand(new String[0]));
        assertArrayEquals(new String[]{"run", "--stats", "5", "-p"}, Main.withCommand(new String[]{"--stats", "5", "-p"}));
        assertArrayEquals(new String[]{"run", "-v"}, Main.withCommand(new String[]{"-v"}));
        for (String[] kept : new String[][]{{"run", "-p"}, {"check"}, {"observe", "--stats", "2"}, {"help", "run"}, {"--help"}, {"-V"},
                {"--monitor", "1"}, {"--monitor=2"}, {"--help-stats"}, {"--stats-socket", "/x", "--monitor", "1"}}) {
            assertArrayEquals(kept, Main.withCommand(kept));
        }
    }

    @Test
    void aBareCommandLineReachesRunsChecks() {
        // run's own validation answers: the arguments went to run
        Output o = capture(() -> Main.execute("--transport", "carrier-pigeon"));
        assertEquals(ExitCode.USAGE.code, o.status, o.err);
        assertTrue(o.err.contains("carrier-pigeon"), o.err);
        o = capture(() -> Main.execute("--slice-us", "5", "--slice-us-min", "10"));
        assertEquals(ExitCode.USAGE.code, o.status, o.err);
        assertTrue(o.err.contains("--slice-us-min <= --slice-us"), o.err);
    }

    @Test
    void helpStillListsTheCommandsAndTheTopLevelOptions() {
        Output o = capture(() -> Main.execute("--help"));
        assertEquals(0, o.status);
        for (String s : new String[]{"run", "observe", "check", "--monitor", "--help-stats", "is 'scx_javaland run [OPTIONS]'"}) {
            assertTrue(o.out.contains(s), s + " in\n" + o.out);
        }
        o = capture(() -> Main.execute("--help-stats"));
        assertEquals(0, o.status);
        assertTrue(o.out.contains("nr_user_dispatches"), o.out);
        o = capture(() -> Main.execute("--monitor", "0"));
        assertEquals(ExitCode.USAGE.code, o.status);
        assertTrue(o.err.startsWith("scx_javaland: --monitor needs a period"), o.err);
    }

    private record Output(int status, String out, String err) {
    }

    private static synchronized Output capture(java.util.function.IntSupplier body) {
        PrintStream out0 = System.out, err0 = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int status = body.getAsInt();
            return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out0);
            System.setErr(err0);
        }
    }
}
