package org.scxjavaland.transport.ringbuf;

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
 * Records are written at raw addresses ({@link BpfRing}, {@link RingHeader}): the position checks above keep every
 * write within the mapping, once per record instead of per field by a segment. The mapping is ours until
 * {@link #close}; close also forgets the room, so the next send goes to {@link #refreshRoom}, which throws
 * IllegalStateException instead of touching the address (no extra test on the hot path).
 * <p>
 * Single producer thread; close on it too (or after it has stopped).
 */
public final class UserRingBufferProducer implements AutoCloseable {
    private static final int LEN = (int) DispatchedTaskLayout.SIZE;
    private static final long STRIDE = RingHeader.stride(LEN);
    private static final long BUSY_HEADER = RingHeader.busy(LEN);

    private final BpfRing ring;
    private final TransportCounters counters;
    private long producerPos;
    /** consumer_pos + size as last read (checked): we may write below it without reading consumer_pos again. */
    private long room;
    private boolean closed;

    UserRingBufferProducer(BpfRing ring, TransportCounters counters) {
        this.ring = ring;
        this.counters = counters;
        this.producerPos = ring.producerPosAcquire();
        this.room = producerPos;        // no room known yet: the first send reads consumer_pos
    }

    /** Maps the USER_RINGBUF map {@code fd} whose data size (max_entries) is {@code size}. */
    public static UserRingBufferProducer map(int fd, long size, TransportCounters counters) {
        return new UserRingBufferProducer(BpfRing.mapUserProducer(fd, size), counters);
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
        long rec = ring.recordAddr(prod);
        RingHeader.writeBusy(rec, BUSY_HEADER);
        prod += STRIDE;
        producerPos = prod;
        ring.publishProducerPos(prod);
        DispatchedTaskLayout.write(rec + RingHeader.SIZE, task);
        RingHeader.commit(rec, LEN);
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
        long cons = ring.consumerPosAcquire();
        if (!ring.validPositions(cons, prod)) throw ring.corruptPositions("user ring", cons, prod);
        long used = prod - cons;
        room = cons + ring.size;
        return ring.size - used >= STRIDE;
    }

    /** Bytes free right now. */
    public long freeBytes() {
        if (closed) throw closed();
        return ring.size - (producerPos - ring.consumerPosAcquire());
    }

    public long producerPosition() {
        return producerPos;
    }

    public long consumerPosition() {
        if (closed) throw closed();
        return ring.consumerPosAcquire();
    }

    private IllegalStateException closed() {
        return new IllegalStateException("user ring producer closed: its mapping is gone");
    }

    public long ringSize() {
        return ring.size;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        room = producerPos;     // the next send finds no room known and asks refreshRoom, which refuses
        ring.unmap();
    }
}
