package org.scxjavaland.core.alloc;

import net.openhft.chronicle.bytes.PointerBytesStore;
import org.scxjavaland.sys.LibC;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * One block of off-heap memory that the allocator and the policy work in, with Chronicle Bytes as the typed view.
 *
 * <p>{@link #mapLocked} is what the daemon uses: an anonymous private mapping, populated and locked before the
 * scheduler attaches, so that touching it later never faults (a fault may need a kernel thread that only this
 * scheduler can run). {@link #over} wraps memory someone else owns (tests, benchmarks); it is not locked.
 */
public final class ArenaMemory implements AutoCloseable {
    private final MemorySegment segment;
    private final PointerBytesStore bytes;
    private final boolean mapped;
    private final boolean locked;
    private boolean closed;

    private ArenaMemory(MemorySegment segment, boolean mapped, boolean locked) {
        this.segment = segment;
        this.mapped = mapped;
        this.locked = locked;
        this.bytes = new PointerBytesStore();
        this.bytes.set(segment.address(), segment.byteSize());
    }

    /**
     * Maps {@code size} bytes (rounded up to whole pages), asks for small pages (MADV_NOHUGEPAGE: khugepaged collapsing
     * the arena later would stall the scheduling thread), then locks every page (mlock faults them all in) and writes
     * to each page once, so every page is present, private and writable before the scheduler attaches. Throws
     * {@link org.scxjavaland.sys.ErrnoException} with errno when the kernel refuses, e.g. ENOMEM/EPERM when
     * RLIMIT_MEMLOCK is too low for a non-root user; the mapping is released on failure.
     */
    public static ArenaMemory mapLocked(long size) {
        if (size <= 0) throw new IllegalArgumentException("arena size must be positive: " + size);
        long page = LibC.pageSize();
        long len = (size + page - 1) / page * page;
        MemorySegment seg = LibC.mmap(len, LibC.PROT_READ | LibC.PROT_WRITE,
                LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0);
        try {
            // madvise before the pages exist, so that none of them is ever a huge page
            LibC.madvise(seg, LibC.MADV_NOHUGEPAGE);
            LibC.mlock(seg);
            for (long off = 0; off < len; off += page) {
                seg.set(JAVA_BYTE, off, (byte) 0);
            }
        } catch (RuntimeException e) {
            LibC.munmap(seg);
            throw e;
        }
        return new ArenaMemory(seg, true, true);
    }

    /** Wraps memory the caller owns and keeps alive; not locked, not unmapped by {@link #close}. */
    public static ArenaMemory over(MemorySegment segment) {
        if (!segment.isNative()) throw new IllegalArgumentException("arena memory must be native (off-heap)");
        return new ArenaMemory(segment, false, false);
    }

    /** The typed view: readLong/writeLong/readInt/writeInt at byte offsets from the arena start. */
    public PointerBytesStore bytes() {
        return bytes;
    }

    public MemorySegment segment() {
        return segment;
    }

    public long size() {
        return segment.byteSize();
    }

    /** True when the pages are locked in memory (mapLocked); false for borrowed memory. */
    public boolean locked() {
        return locked;
    }

    /** Unlocks and unmaps a mapping made by {@link #mapLocked}; borrowed memory is left alone. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (mapped) {
            LibC.munlock(segment);
            LibC.munmap(segment);
        }
    }
}
