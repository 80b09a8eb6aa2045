package org.scxjavaland.core.probe;

import org.scxjavaland.core.transport.Availability;
import org.scxjavaland.sys.Bpf;
import org.scxjavaland.sys.ErrnoException;
import org.scxjavaland.sys.LibC;

/**
 * Asks the running kernel whether it can create a map type, by creating the smallest such map and closing it.
 * Creating is the only reliable test: a kernel may know a type yet refuse it (lockdown, LSM, missing privilege),
 * and the error it gives is the cause we report.
 */
public final class MapTypeProbe {
    /** One page: the smallest ring the kernel accepts (a power of two, page-aligned). */
    static final int RING_BYTES = 4096;

    private MapTypeProbe() {
    }

    public static Availability ringbuf() {
        return create(Bpf.MAP_TYPE_RINGBUF, 0, 0, RING_BYTES);
    }

    public static Availability userRingbuf() {
        return create(Bpf.MAP_TYPE_USER_RINGBUF, 0, 0, RING_BYTES);
    }

    /** A queue map of {@code valueSize}-byte values (queue maps take no key). */
    public static Availability queue(int valueSize) {
        return create(Bpf.MAP_TYPE_QUEUE, 0, valueSize, 2);
    }

    static Availability create(int type, int keySize, int valueSize, int maxEntries) {
        int fd;
        try {
            fd = Bpf.mapCreate(type, keySize, valueSize, maxEntries, 0, "scx_jl_probe");
        } catch (ErrnoException e) {
            return Availability.no(e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            return Availability.no("bpf(BPF_MAP_CREATE, " + Bpf.mapTypeName(type) + ") could not be called: " + e);
        }
        LibC.closeQuietly(fd);
        return Availability.yes();
    }
}
