package org.scxjavaland.daemon;

import org.scxjavaland.core.sched.SchedExtPreflight;

/**
 * The exit statuses of {@code scx_javaland run}, in one place: {@code run --help} lists them from here, README.md
 * shows the same table (ExitCodeTest compares), and bin/scx_javaland exits with {@link #INSTALLATION} when it
 * finds no JDK 25 (ExitStatusProcessTest checks). {@code check} has its own: 0 when run can work, 1 when not.
 */
public enum ExitCode {
    OK(0, "stopped cleanly: a signal, --duration, or the kernel unregistered the scheduler"),
    FAILURE(1, "the kernel ejected the scheduler with an error (stall, BPF error), or setup failed unexpectedly"),
    USAGE(2, "bad command line: unknown option, malformed or out-of-range value, unknown transport"),
    UNSUPPORTED(3, "it cannot run here: no sched_ext, no BTF, the transport asked for is unavailable, or a pid "
            + "namespace other than the host's"),
    NOT_PERMITTED(4, "not root: attaching needs CAP_SYS_ADMIN"),
    BUSY(5, "another sched_ext scheduler is attached, or the --metrics port is taken"),
    INSTALLATION(6, "incomplete installation: no usable libbpf, no JDK 25 or newer, or not built");

    public final int code;
    public final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The status for a reason {@code run} cannot attach. */
    static ExitCode of(SchedExtPreflight.Kind kind) {
        return switch (kind) {
            case NO_SCHED_EXT, NO_BTF, FOREIGN_PID_NAMESPACE -> UNSUPPORTED;
            case NOT_PERMITTED -> NOT_PERMITTED;
            case OCCUPIED -> BUSY;
        };
    }
}
