package org.scxjavaland.bpf;

import java.lang.foreign.MemorySegment;

/** An attachment (struct_ops and others). Closing it detaches; closing twice is harmless. */
public final class BpfLink implements AutoCloseable {
    private final Libbpf lib;
    private final String what;
    private MemorySegment link;

    BpfLink(Libbpf lib, MemorySegment link, String what) {
        this.lib = lib;
        this.link = link;
        this.what = what;
    }

    /** The link's fd, or -1 after close. */
    public synchronized int fd() {
        if (link == null) return -1;
        try {
            return (int) lib.linkFd.invokeExact(link);
        } catch (Throwable t) {
            throw new BpfException("bpf_link__fd(" + what + "): " + t);
        }
    }

    @Override
    public synchronized void close() {
        if (link == null) return;
        MemorySegment l = link;
        link = null;
        int r;
        try {
            r = (int) lib.linkDestroy.invokeExact(l);
        } catch (Throwable t) {
            throw new BpfException("bpf_link__destroy(" + what + "): " + t);
        }
        if (r < 0) throw new BpfException("bpf_link__destroy(" + what + ")", -r, null);
    }

    @Override
    public String toString() {
        return "BpfLink[" + what + (link == null ? ", closed]" : "]");
    }
}
