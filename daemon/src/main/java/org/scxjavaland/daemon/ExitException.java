package org.scxjavaland.daemon;

/**
 * A failure the user can act on, with the exit status that says which kind it is; {@link OneLineErrors} prints its
 * message as one line and exits with {@link #code()}.
 */
public final class ExitException extends RuntimeException {
    private final ExitCode code;

    public ExitException(ExitCode code, String message) {
        super(message);
        this.code = code;
    }

    public ExitException(ExitCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ExitCode code() {
        return code;
    }
}
