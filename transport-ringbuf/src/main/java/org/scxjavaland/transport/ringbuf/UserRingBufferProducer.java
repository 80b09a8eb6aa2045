package org.scxjavaland.transport.ringbuf;

import org.scxjavaland.core.sys.RawMemory;
import org.scxjavaland.core.transport.TransportCounters;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.DispatchedTaskLayout;


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
 * Records are written at raw addresses ({@link RawMemory}): the position checks above keep every write within the
 * mapping, once per record instead of per field by the segment. The mapping is ours until {@link #close}; close
 * also forgets the room, so the next send goes to {@link #refreshRoom}, which throws IllegalStateException instead
 * of touching the address (no extra test on the hot path).
 * <p>
 * Single producer thread; close on it too (or after it has stopped).
 */
public final class UserRingBufferProducer implements AutoCloseable {
    private static final int LEN = (int) DispatchedTaskLayout.SIZE;
    private static final long STRIDE = RingHeader.stride(LEN);
    private static final long BUSY_HEADER = RawMemory.pairOfInts(LEN | RingHeader.BUSY, 0);

    private final RingMapping ring;
    /** consumer_pos, producer_pos and the data area (mapped twice), as raw addresses into {@link #ring}. */
    private final long consumerAddr;
    private final long producerAddr;
    private final long dataAddr;
    private final long mask;
    private final long size;
    private final TransportCounters counters;
    private long producerPos;
    /** consumer_pos + size as last read (checked): we may write below it without reading consumer_pos again. */
    private long room;
    private boolean closed;

    UserRingBufferProducer(RingMapping ring, TransportCounters counters) {
        this.ring = ring;
        this.consumerAddr = ring.consumerPage().address();
        this.producerAddr = ring.producerPage().address();
        this.dataAddr = ring.data().address();
        this.size = ring.size();
        this.mask = size - 1;
        this.counters = counters;
        this.producerPos = RawMemory.getLongAcquire(producerAddr);
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
        long rec = dataAddr + (prod & mask);
        RawMemory.putLong(rec, BUSY_HEADER);       // len|BUSY and the pad, one store
        prod += STRIDE;
        producerPos = prod;
        RawMemory.putLongRelease(producerAddr, prod);
        DispatchedTaskLayout.write(rec + RingHeader.SIZE, task);
        // commit: the kernel acquire-loads the header (__bpf_user_ringbuf_peek); only this thread writes it, so a
        // release store is enough (libbpf's xchg returns the old value, which nobody needs here)
        RawMemory.putIntRelease(rec, LEN);
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
        if (closed) throw closed();
        long cons = RawMemory.getLongAcquire(consumerAddr);
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
        if (closed) throw closed();
        return size - (producerPos - RawMemory.getLongAcquire(consumerAddr));
    }

    public long producerPosition() {
        return producerPos;
    }

    public long consumerPosition() {
        if (closed) throw closed();
        return RawMemory.getLongAcquire(consumerAddr);
    }

    private IllegalStateException closed() {
        return new IllegalStateException("user ring producer closed: its mapping is gone");
    }

    public long ringSize() {
        return size;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        room = producerPos;     // the next send finds no room known and asks refreshRoom, which refuses
        ring.unmap().run();
    }
}
