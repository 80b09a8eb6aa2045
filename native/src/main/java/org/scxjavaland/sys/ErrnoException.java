package org.scxjavaland.sys;

/**
 * A system call or C library call failed. The message names what was being done, the symbolic errno and its
 * description, e.g. {@code bpf(BPF_MAP_CREATE, RINGBUF) failed: EPERM (Operation not permitted)}.
 */
public class ErrnoException extends RuntimeException {
    private final int errno;
    private final String operation;

    public ErrnoException(String operation, int errno) {
        this(operation, errno, null);
    }

    /** {@code hint} (may be null) is appended after a colon, e.g. "needs root or CAP_BPF". */
    public ErrnoException(String operation, int errno, String hint) {
        super(operation + " failed: " + Errno.name(errno) + " (" + Errno.description(errno) + ")"
                + (hint == null ? "" : ": " + hint));
        this.errno = errno;
        this.operation = operation;
    }

    public int errno() {
        return errno;
    }

    /** The symbolic name, e.g. "EPERM". */
    public String errnoName() {
        return Errno.name(errno);
    }

    public String operation() {
        return operation;
    }
}
