package org.scxjavaland.daemon;

/**
 * A failure the user can act on, with the exit status that says which kind it is; {@link OneLineErrors} prints its
 * message as one line and exits with {@link #code()}.
 */
public final class ExitException extends RuntimeException {
    private final ExitCode code;
    private final int status;

    public ExitException(ExitCode code, String message) {
        super(message);
        this.code = code;
        this.status = code.code;
    }

    public ExitException(ExitCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.status = code.code;
    }

    /** A status of a command with statuses of its own beyond {@link ExitCode}'s (ab); {@code code} is the nearest. */
    public ExitException(ExitCode code, int status, String message) {
        super(message);
        this.code = code;
        this.status = status;
    }

    /** The process's exit status. */
    public int status() {
        return status;
    }

    public ExitCode code() {
        return code;
    }
}
