package org.scxjavaland.daemon;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** {@code run}'s refusals: one line on stderr naming the problem, exit 2, no stack trace. */
class RunCommandTest {
    private record Outcome(int exit, String err) {
    }

    private static Outcome run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int exit = cl.execute(args);
        return new Outcome(exit, err.toString());
    }

    private static void assertOneLine(Outcome o, String expected) {
        String[] lines = o.err().strip().split("\n");
        assertEquals(1, lines.length, "one line, got: " + o.err());
        assertTrue(lines[0].startsWith("scx_javaland: ") && lines[0].contains(expected), lines[0]);
    }

    @Test
    void aKernelWithoutSchedExtGetsOneLineAndExit2() {
        assumeFalse(Files.isDirectory(Path.of("/sys/kernel/sched_ext")), "this kernel has sched_ext");
        Outcome o = run("run", "--transport=ringbuf");
        assertEquals(2, o.exit());
        assertOneLine(o, "has no sched_ext");
        assertTrue(o.err().contains("make run"), "says what to do instead: " + o.err());
    }

    @Test
    void badSlicesAreRefusedBeforeAnythingElse() {
        Outcome o = run("run", "-s", "1000", "-S", "2000");
        assertEquals(2, o.exit());
        assertOneLine(o, "--slice-us-min <= --slice-us");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        Outcome o = run("run", "--no-such-option");
        assertEquals(2, o.exit());
        assertOneLine(o, "Unknown option");
    }
}
