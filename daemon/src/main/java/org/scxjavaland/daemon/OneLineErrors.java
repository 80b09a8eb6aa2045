package org.scxjavaland.daemon;

import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Failures reach the user as one line naming what went wrong, with a non-zero exit; the stack trace only with
 * --verbose (or SCX_JAVALAND_DEBUG=1), where an engineer wants it.
 */
final class OneLineErrors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    static final int EXIT_USAGE = 2;
    static final int EXIT_FAILURE = 1;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        err.println("scx_javaland: " + describe(ex));
        if (verbose(parsed)) ex.printStackTrace(err);
        err.flush();
        return ex instanceof IllegalArgumentException ? EXIT_USAGE : EXIT_FAILURE;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("scx_javaland: " + ex.getMessage() + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return EXIT_USAGE;
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
