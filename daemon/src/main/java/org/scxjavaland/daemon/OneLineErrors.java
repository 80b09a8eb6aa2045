package org.scxjavaland.daemon;

import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Failures reach the user as one line naming what went wrong, with a non-zero exit ({@link ExitCode}); the stack
 * trace only with --verbose (or SCX_JAVALAND_DEBUG=1), where an engineer wants it. The status comes from an
 * {@link ExitException}; a bad value found after parsing (IllegalArgumentException) is a usage error; anything
 * else is a failure.
 */
final class OneLineErrors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        err.println("scx_javaland: " + describe(ex));
        if (verbose(parsed)) ex.printStackTrace(err);
        err.flush();
        return ex instanceof ExitException e ? e.status() : exitCode(ex).code;
    }

    static ExitCode exitCode(Exception ex) {
        if (ex instanceof ExitException e) return e.code();
        if (ex instanceof IllegalArgumentException) return ExitCode.USAGE;
        return ExitCode.FAILURE;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("scx_javaland: " + ex.getMessage() + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return ExitCode.USAGE.code;
    }

    static String describe(Throwable ex) {
        String m = ex.getMessage();
        if (m == null || m.isBlank()) m = ex.getClass().getSimpleName();
        Throwable cause = ex.getCause();
        if (cause != null && cause.getMessage() != null && !m.contains(cause.getMessage())) m += ": " + cause.getMessage();
        return m.replace('\n', ' ');
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        if ("1".equals(System.getenv("SCX_JAVALAND_DEBUG"))) return true;
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) return true;
        }
        return false;
    }
}
