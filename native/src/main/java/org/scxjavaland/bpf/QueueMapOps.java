package org.scxjavaland.bpf;

import org.scxjavaland.sys.Errno;
import org.scxjavaland.sys.ErrnoException;
import org.scxjavaland.sys.Ffm;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Pop and push on a BPF queue map: the fifo transport's per-record calls. Each is one bpf() system call, made by
 * libbpf's low-level {@code bpf_map_lookup_and_delete_elem} / {@code bpf_map_update_elem}, which return -errno
 * themselves (libbpf 1.0 and newer).
 * <p>
 * Why not {@link org.scxjavaland.sys.Bpf}'s raw call: it captures errno, and for such a downcall the linker
 * slices the capture segment on every call, a new object that only C2's escape analysis removes. Whenever the fifo
 * loop ran C1 code (the first seconds, or after a deoptimization) its scheduling thread allocated about 120 bytes
 * per record (docs/reliability.md). These calls allocate nothing in any tier. One thread at a time.
 */
public final class QueueMapOps {
    private long calls;

    /** Loads libbpf if it is not loaded yet; throws {@link BpfException} with the reason when it cannot be. */
    public QueueMapOps() {
        Libbpf.get();
    }

    /** bpf() calls made through this instance (for transport counters). */
    public long calls() {
        return calls;
    }

    /**
     * BPF_MAP_LOOKUP_AND_DELETE_ELEM with a NULL key into {@code value} (a native segment of the map's value size).
     * Returns false when the queue is empty (ENOENT), or its lock could not be taken right now (EBUSY: queue maps
     * take a resilient spin lock since 6.15, which gives up instead of waiting on a deadlock or a long hold; the
     * caller tries again on its next round, as for an empty queue).
     */
    public boolean pop(int mapFd, MemorySegment value) {
        calls++;
        int r;
        try {
            r = (int) Handles.LOOKUP_AND_DELETE.invokeExact(mapFd, 0L, value.address());
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
        if (r >= 0) return true;
        if (r == -Errno.ENOENT || r == -Errno.EBUSY) return false;
        throw new ErrnoException("bpf(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd " + mapFd + ")", -r);
    }

    /**
     * BPF_MAP_UPDATE_ELEM with a NULL key. Returns false when the queue is full (E2BIG) or its lock could not be
     * taken right now (EBUSY, see {@link #pop}): the caller keeps the value and tries again; with {@code BPF_EXIST}
     * as flags a full queue drops its oldest element instead.
     */
    public boolean push(int mapFd, MemorySegment value, long flags) {
        calls++;
        int r;
        try {
            r = (int) Handles.UPDATE.invokeExact(mapFd, 0L, value.address(), flags);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
        if (r >= 0) return true;
        if (r == -Errno.E2BIG || r == -Errno.EBUSY) return false;
        throw new ErrnoException("bpf(BPF_MAP_UPDATE_ELEM, fd " + mapFd + ")", -r);
    }

    // Constants for the JIT (static final), read once libbpf is loaded: the constructor has loaded it.
    private static final class Handles {
        static final MethodHandle LOOKUP_AND_DELETE = Libbpf.get().mapLookupAndDeleteElem;
        static final MethodHandle UPDATE = Libbpf.get().mapUpdateElem;
    }
}
