package org.scxjavaland.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ab}'s refusals through the real command line, in process: each bad input is one line on stderr and its
 * own status, before anything is loaded or started. (Not root, status 4, is what ExitStatusProcessTest-style
 * checks would need another user for; the check is a plain euid test.)
 */
class AbCommandTest {
    private record Outcome(int exit, String err, String out) {
    }

    private static Outcome ab(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter(), out = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(out));
        String[] full = new String[args.length + 1];
        full[0] = "ab";
        System.arraycopy(args, 0, full, 1, args.length);
        int exit = cl.execute(full);
        return new Outcome(exit, err.toString(), out.toString());
    }

    private static void assertRefused(Outcome o, int status, String expected) {
        String[] lines = o.err().strip().split("\n");
        assertEquals(1, lines.length, "one line, got: " + o.err());
        assertTrue(lines[0].startsWith("scx_javaland: ") && lines[0].contains(expected), lines[0]);
        assertEquals(status, o.exit(), o.err());
    }

    @Test
    void badValuesAreUsageErrors() {
        assertRefused(ab("--where=moon"), AbCommand.USAGE, "--where must be host or vm (got 'moon')");
        assertRefused(ab("--rounds", "0"), AbCommand.USAGE, "--rounds must be at least 1");
        assertRefused(ab("--duration", "0"), AbCommand.USAGE, "--duration must be above 0 s");
        assertRefused(ab("--duration", "-3"), AbCommand.USAGE, "--duration must be above 0 s");
        assertRefused(ab("--rounds", "x"), AbCommand.USAGE, "--rounds");
        assertRefused(ab("--frobnicate"), AbCommand.USAGE, "Unknown option");
    }

    @Test
    void aPolicyEveryDaemonWouldRefuseIsRefusedBeforeAnyRound(@TempDir Path dir) throws Exception {
        assertRefused(ab("--workload", "true", "--policy", "no-such-policy"), AbCommand.USAGE,
                "unknown policy 'no-such-policy' (choose from: ");
        assertRefused(ab("--workload", "true", "--policy-jar", dir.resolve("none.jar").toString()), AbCommand.USAGE,
                "--policy-jar " + dir.resolve("none.jar") + ": no such file");
        Path notAJar = Files.writeString(dir.resolve("not.jar"), "text");
        assertRefused(ab("--workload", "true", "--policy-jar", notAJar.toString()), AbCommand.USAGE, "not.jar");
    }

    @Test
    void policyHelpListsThePoliciesAndRunsNothing() {
        java.io.PrintStream before = System.out;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(bytes, true));
        Outcome o;
        try {
            o = ab("--workload", "true", "--policy=help");
        } finally {
            System.setOut(before);
        }
        assertEquals(0, o.exit(), o.err());
        assertTrue(bytes.toString().startsWith("policies (--policy=NAME):\n  deadline  "), bytes.toString());
    }

    @Test
    void everyRoundsDaemonIsToldThePolicyAndItsJars() {
        var cmd = AbCommand.daemonCommand("run", "fifo", "mine", java.util.List.of(Path.of("/opt/p/a.jar")));
        int main = cmd.indexOf(Main.class.getName());
        assertEquals(java.util.List.of("run", "--transport=fifo", "--policy-jar=/opt/p/a.jar", "--policy=mine",
                "--stats-socket", "none"), cmd.subList(main + 1, cmd.size()));
    }

    @Test
    void aMissingWorkloadIsItsOwnStatus() {
        assertRefused(ab("--workload", "no-such-benchmark-xyz -n 3"), AbCommand.NO_WORKLOAD,
                "command not found: no-such-benchmark-xyz");
        assertRefused(ab("--workload", "/nonexistent/bin/hackbench"), AbCommand.NO_WORKLOAD, "command not found");
    }

    @Test
    void anUnwritableOutputIsItsOwnStatus(@TempDir Path dir) {
        assertRefused(ab("--workload", "true", "--json", dir.resolve("missing/dir/ab.json").toString()),
                AbCommand.UNWRITABLE, "--json");
        assertRefused(ab("--workload", "true", "--html", dir.toString()), AbCommand.UNWRITABLE, "is a directory");
        // The check leaves nothing behind.
        assertRefused(ab("--workload", "true", "--json", dir.resolve("ok.json").toString(), "--html",
                "/proc/ab.html"), AbCommand.UNWRITABLE, "--html /proc/ab.html");
        assertFalse(Files.exists(dir.resolve("ok.json")));
    }

    @Test
    void helpNamesEveryOptionAndStatus() {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.getSubcommands().get("ab").usage(new PrintWriter(out));
        String help = out.toString();
        for (String s : new String[]{"--where", "--rounds", "--duration", "--settle", "--workload", "--json", "--html",
                "--baseline", "--policy", "--policy-jar", "hackbench -g 2 -l 200", "Exit status:", "7", "8"}) {
            assertTrue(help.contains(s), "help lacks " + s + ":\n" + help);
        }
    }
}
