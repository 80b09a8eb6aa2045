package org.scxjavaland.daemon;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.sched.SchedExtPreflight;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exit statuses: one per kind of failure, the preflight's problems mapped to theirs (the ones this host cannot
 * produce for real: not root, another scheduler attached, no BTF), and README.md's table the same as the enum.
 */
class ExitCodeTest {
    @Test
    void everyKindHasItsOwnStatus() {
        assertEquals(ExitCode.values().length, Arrays.stream(ExitCode.values()).mapToInt(c -> c.code).distinct().count());
        assertEquals(0, ExitCode.OK.code);
        assertEquals(1, ExitCode.FAILURE.code, "what RunResult.exitCode() gives for a scheduler error");
        assertEquals(2, ExitCode.USAGE.code, "picocli's own status for invalid input");
    }

    @Test
    void eachPreflightProblemMapsToItsStatus() {
        assertEquals(ExitCode.UNSUPPORTED, ExitCode.of(SchedExtPreflight.Kind.NO_SCHED_EXT));
        assertEquals(ExitCode.UNSUPPORTED, ExitCode.of(SchedExtPreflight.Kind.NO_BTF));
        assertEquals(ExitCode.UNSUPPORTED, ExitCode.of(SchedExtPreflight.Kind.FOREIGN_PID_NAMESPACE));
        assertEquals(ExitCode.NOT_PERMITTED, ExitCode.of(SchedExtPreflight.Kind.NOT_PERMITTED));
        assertEquals(ExitCode.BUSY, ExitCode.of(SchedExtPreflight.Kind.OCCUPIED));
    }

    @CommandLine.Command(name = "refuse")
    static final class Refuse implements Callable<Integer> {
        @CommandLine.Option(names = {"-v", "--verbose"})
        boolean verbose;

        @Override
        public Integer call() {
            throw new ExitException(ExitCode.BUSY, "another sched_ext scheduler, 'rustland', is enabled",
                    new IllegalStateException("the cause"));
        }
    }

    @Test
    void anExitExceptionIsOneLineWithItsStatus() {
        for (boolean verbose : new boolean[]{false, true}) {
            CommandLine cl = new CommandLine(new Refuse());
            cl.setExecutionExceptionHandler(new OneLineErrors());
            StringWriter err = new StringWriter();
            cl.setErr(new PrintWriter(err));
            int exit = verbose ? cl.execute("-v") : cl.execute();
            assertEquals(ExitCode.BUSY.code, exit);
            String first = err.toString().lines().findFirst().orElse("");
            assertEquals("scx_javaland: another sched_ext scheduler, 'rustland', is enabled: the cause", first);
            assertEquals(verbose, err.toString().lines().count() > 1, err.toString());
        }
    }

    @Test
    void otherExceptionsAreUsageOrFailure() {
        assertEquals(ExitCode.USAGE, OneLineErrors.exitCode(new IllegalArgumentException("x")));
        assertEquals(ExitCode.FAILURE, OneLineErrors.exitCode(new IllegalStateException("x")));
        assertEquals(ExitCode.NOT_PERMITTED, OneLineErrors.exitCode(new ExitException(ExitCode.NOT_PERMITTED, "x")));
    }

    @Test
    void theReadmeShowsTheSameTable() throws Exception {
        String readme = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
        for (ExitCode c : ExitCode.values()) {
            String row = "| " + c.code + " | " + c.meaning + " |";
            assertTrue(readme.contains("\n" + row + "\n"), "README.md has the row " + row);
        }
    }
}
