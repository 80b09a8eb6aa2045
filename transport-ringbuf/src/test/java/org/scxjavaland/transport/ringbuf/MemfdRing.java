package org.scxjavaland.transport.ringbuf;

import org.scxjavaland.sys.LibC;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A ring laid out like a BPF ring map, built from a memfd without BPF or root: consumer page, producer page and
 * the data pages mapped twice in a row (MAP_FIXED into a reserved range). The other side of the protocol, the
 * kernel's, is played in Java by {@link #reserve}/{@link #commit} (kernel producer of a RINGBUF) and
 * {@link #consume} (kernel consumer of a USER_RINGBUF), following kernel/bpf/ringbuf.c.
 */
final class MemfdRing implements AutoCloseable {
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();

    final long size;
    /** The ring as the consumer and producer under test see it. */
    final BpfRing bpfRing;
    /** The kernel's side's view: consumer_pos at 0, producer_pos at 0, the data area and its mirror. */
    final MemorySegment consumerPage;
    final MemorySegment producerPage;
    final MemorySegment data;
    private final int fd;
    private final MemorySegment pages;
    private final MemorySegment reserved;

    MemfdRing(long size) {
        this.size = size;
        int page = LibC.pageSize();
        fd = LibC.memfdCreate("memfd-ring", LibC.MFD_CLOEXEC);
        LibC.ftruncate(fd, 2L * page + size);
        int rw = LibC.PROT_READ | LibC.PROT_WRITE;
        pages = LibC.mmap(2L * page, rw, LibC.MAP_SHARED, fd, 0);
        reserved = LibC.mmap(2 * size, LibC.PROT_NONE, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0);
        LibC.mmap(reserved, size, rw, LibC.MAP_SHARED | LibC.MAP_FIXED, fd, 2L * page);
        LibC.mmap(reserved.asSlice(size), size, rw, LibC.MAP_SHARED | LibC.MAP_FIXED, fd, 2L * page);
        consumerPage = pages.asSlice(0, page);
        producerPage = pages.asSlice(page, page);
        data = reserved;
        bpfRing = new BpfRing(consumerPage, producerPage, data, size, () -> { });
    }

    long producerPos() {
        return (long) LONG.getAcquire(producerPage, 0L);
    }

    long consumerPos() {
        return (long) LONG.getAcquire(consumerPage, 0L);
    }

    // ---- kernel producer (RINGBUF) ---------------------------------------------------------------------------

    /**
     * bpf_ringbuf_reserve: returns the record's position (its header), or -1 when the ring is full. The header
     * is len|BUSY until {@link #commit}.
     */
    long reserve(int len) {
        long cons = consumerPos();
        long prod = producerPos();
        long next = prod + RingHeader.stride(len);
        if (next - cons > size) return -1;
        long off = prod & (size - 1);
        data.set(JAVA_INT, off, len | RingHeader.BUSY);
        data.set(JAVA_INT, off + 4, 0);
        LONG.setRelease(producerPage, 0L, next);
        return prod;
    }

    /** The record's payload, contiguous even when it crosses the end of the ring. */
    MemorySegment payload(long pos, int len) {
        return data.asSlice((pos & (size - 1)) + RingHeader.SIZE, len);
    }

    /** bpf_ringbuf_submit / bpf_ringbuf_discard. */
    void commit(long pos, boolean discard) {
        long off = pos & (size - 1);
        int len = RingHeader.length(data.get(JAVA_INT, off));
        INT.getAndSet(data, off, len | (discard ? RingHeader.DISCARD : 0));
    }

    // ---- kernel consumer (USER_RINGBUF) ----------------------------------------------------------------------

    /** A record bpf_user_ringbuf_drain would hand to its callback. */
    interface Sample {
        void accept(MemorySegment payload);
    }

    /** bpf_user_ringbuf_drain: at most {@code max} samples; stops at BUSY, skips DISCARD. */
    int consume(int max, Sample sample) {
        long cons = consumerPos();
        long prod = producerPos();
        int n = 0;
        while (n < max && cons < prod) {
            long off = cons & (size - 1);
            int header = (int) INT.getAcquire(data, off);
            if ((header & RingHeader.BUSY) != 0) break;
            int len = RingHeader.length(header);
            if ((header & RingHeader.DISCARD) == 0) {
                sample.accept(data.asSlice(off + RingHeader.SIZE, len));
                n++;
            }
            cons += RingHeader.stride(len);
            LONG.setRelease(consumerPage, 0L, cons);
        }
        return n;
    }

    @Override
    public void close() {
        LibC.munmap(reserved);
        LibC.munmap(pages);
        LibC.close(fd);
    }
}
