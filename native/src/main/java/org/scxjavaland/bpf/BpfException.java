package org.scxjavaland.bpf;

import org.scxjavaland.sys.Errno;

/**
 * A libbpf operation failed or a BPF object lacks something we asked for. When libbpf reported an errno it is
 * kept ({@link #errno()}, else 0); for load failures the message ends with libbpf's last warning lines (the
 * verifier's verdict is usually among them).
 */
public class BpfException extends RuntimeException {
    private final int errno;

    public BpfException(String message) {
        super(message);
        this.errno = 0;
    }

    /** "{@code operation} failed: EINVAL (Invalid argument)", then {@code detail} on the next lines if any. */
    public BpfException(String operation, int errno, String detail) {
        super(operation + " failed: " + Errno.name(errno) + " (" + Errno.description(errno) + ")"
                + (detail == null || detail.isEmpty() ? "" : "\n" + detail));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
