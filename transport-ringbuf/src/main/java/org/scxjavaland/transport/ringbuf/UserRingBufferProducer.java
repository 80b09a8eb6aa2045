package org.scxjavaland.transport.ringbuf;

import org.scxjavaland.core.transport.TransportCounters;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.DispatchedTaskLayout;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Writes decisions into a user-to-kernel BPF_MAP_TYPE_USER_RINGBUF in place: no syscall and no allocation per
 * record; BPF takes them with bpf_user_ringbuf_drain.
 * <p>
 * Protocol (libbpf's user_ring_buffer__reserve/submit, the kernel's __bpf_user_ringbuf_peek): check the space
 * against consumer_pos (acquire), write the header as len|BUSY, release-store producer_pos, write the payload,
 * then commit by release-storing the header as len (libbpf exchanges it atomically; with one producer thread the
 * release store is what the kernel's acquire load of the header pairs with). The kernel stops at a BUSY header,
 * so it never reads a half-written record. consumer_pos is read only when the room known from its last read is
 * used up: it only grows, so an old value under-states the free space and never over-states it.
 * <p>
 * consumer_pos is the kernel's, and checked before it is trusted: 8-byte aligned and behind our producer_pos by at
 * most the ring's size. Anything else (and a producer_pos of ours that is not aligned) throws
 * {@link CorruptRingException} and writes nothing.
 * <p>
 * Single producer thread.
 */
public final class UserRingBufferProducer implements AutoCloseable {
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final int LEN = (int) DispatchedTaskLayout.SIZE;
    private static final long STRIDE = RingHeader.stride(LEN);

    private final RingMapping ring;
    private final MemorySegment consumerPage;
    private final MemorySegment producerPage;
    private final MemorySegment data;
    private final long mask;
    private final long size;
    private final TransportCounters counters;
    private long producerPos;
    /** consumer_pos + size as last read (checked): we may write below it without reading consumer_pos again. */
    private long room;
    private boolean closed;

    UserRingBufferProducer(RingMapping ring, TransportCounters counters) {
        this.ring = ring;
        this.consumerPage = ring.consumerPage();
        this.producerPage = ring.producerPage();
        this.data = ring.data();
        this.size = ring.size();
        this.mask = size - 1;
        this.counters = counters;
        this.producerPos = (long) LONG.getAcquire(producerPage, 0L);
        this.room = producerPos;        // no room known yet: the first send reads consumer_pos
    }

    /** Maps the USER_RINGBUF map {@code fd} whose data size (max_entries) is {@code size}. */
    public static UserRingBufferProducer map(int fd, long size, TransportCounters counters) {
        return new UserRingBufferProducer(RingMapping.map(fd, size, false, true), counters);
    }

    /**
     * Writes one decision; false (counted in sendFull) when the ring has no room for it right now (ENOSPC). Throws
     * {@link CorruptRingException} when the positions are impossible (see the class comment).
     */
    public boolean send(DispatchedTask task) {
        long prod = producerPos;
        if (room - prod < STRIDE && !refreshRoom(prod)) {
            counters.sendFull++;
            return false;
        }
        final MemorySegment data = this.data;
        long off = prod & mask;
        data.set(JAVA_INT, off, LEN | RingHeader.BUSY);
        data.set(JAVA_INT, off + 4, 0);
        prod += STRIDE;
        producerPos = prod;
        LONG.setRelease(producerPage, 0L, prod);
        DispatchedTaskLayout.write(data, off + RingHeader.SIZE, task);
        // commit: the kernel acquire-loads the header (__bpf_user_ringbuf_peek); only this thread writes it, so a
        // release store is enough (libbpf's xchg returns the old value, which nobody needs here)
        INT.setRelease(data, off, LEN);
        counters.sent++;
        return true;
    }

    /**
     * Reads the kernel's consumer_pos (acquire), checks it against {@code prod} and sets {@link #room}; whether a
     * record fits now. consumer_pos only grows, so the position up to which we may write ({@code room}) stays valid
     * until we reach it: the ring is read only when the room known from the last read is used up, as a stale value
     * can only under-state the free space.
     */
    private boolean refreshRoom(long prod) {
        long cons = (long) LONG.getAcquire(consumerPage, 0L);
        long used = prod - cons;
        if (((prod | cons) & 7) != 0 || Long.compareUnsigned(used, size) > 0) {
            throw new CorruptRingException("corrupt user ring: consumer_pos " + Long.toUnsignedString(cons)
                    + " and producer_pos " + Long.toUnsignedString(prod) + " are not positions of a ring of " + size
                    + " bytes (8-byte aligned, consumer behind by at most the ring)");
        }
        room = cons + size;
        return size - used >= STRIDE;
    }

    /** Bytes free right now. */
    public long freeBytes() {
        return size - (producerPos - (long) LONG.getAcquire(consumerPage, 0L));
    }

    public long producerPosition() {
        return producerPos;
    }

    public long consumerPosition() {
        return (long) LONG.getAcquire(consumerPage, 0L);
    }

    public long ringSize() {
        return size;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        ring.unmap().run();
    }
}
