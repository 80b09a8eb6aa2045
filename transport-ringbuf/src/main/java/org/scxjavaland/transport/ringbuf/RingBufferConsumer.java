package org.scxjavaland.transport.ringbuf;

import org.scxjavaland.core.transport.QueuedTaskHandler;
import org.scxjavaland.core.transport.TransportCounters;
import org.scxjavaland.core.wire.QueuedTask;
import org.scxjavaland.core.wire.QueuedTaskLayout;


/**
 * Reads a kernel-to-user BPF_MAP_TYPE_RINGBUF in place: no syscall and no allocation per record.
 * <p>
 * Protocol (the kernel's ringbuf.c): producer_pos is read with acquire, then each header's len with acquire.
 * A BUSY header is a record the producer has reserved but not committed: reading stops there (the records
 * after it may be committed already, but order must hold). A DISCARD record is skipped. consumer_pos is
 * release-stored once per {@link #drain} call, after the last record the handler is done with, before drain
 * returns or throws (libbpf stores it after every record; the release store is a barrier to the JIT, and once per
 * batch was ~1 ns/record faster). The caller therefore never sleeps with records consumed but not released, which
 * the kernel's wake-up needs: it wakes the waiter only when consumer_pos has caught up with the committed record.
 * Within a long batch it is also published each time the position crosses a multiple of a quarter of the ring, so
 * the producer never finds a quarter or more held back while we work.
 * <p>
 * What the shared memory holds is checked before it is trusted, as the kernel checks a user ring
 * ({@code __bpf_user_ringbuf_peek}): both positions 8-byte aligned, the producer ahead of the consumer by at most
 * the ring's size, and every record within what the producer published. Anything else throws
 * {@link CorruptRingException} and moves nothing, so no byte outside the published records is read and no garbage
 * reaches the handler. Records too short to be a queued task are skipped and counted ({@link #malformedRecords}).
 * <p>
 * The loop reads the mapping at raw addresses ({@link BpfRing}, {@link RingHeader}) with the positions in locals:
 * those checks are what keeps every access within the mapping, done once per record on longs instead of by a
 * segment per access.
 * The mapping is ours until {@link #close}; once closed, every method that would touch it throws
 * IllegalStateException instead.
 * <p>
 * Single consumer thread; close on it too (or after it has stopped).
 */
public final class RingBufferConsumer implements AutoCloseable {
    private static final int RECORD_SIZE = Math.toIntExact(QueuedTaskLayout.SIZE);
    private final BpfRing ring;
    /** A quarter of the ring (a power of two): consumer_pos is published on crossing a multiple of it, mid-batch too. */
    private final long publishEvery;
    private final TransportCounters counters;
    private final QueuedTask view = new QueuedTask();
    private long consumerPos;
    private long malformed;
    private boolean closed;

    RingBufferConsumer(BpfRing ring, TransportCounters counters) {
        this.ring = ring;
        this.publishEvery = ring.size >> 2;
        this.counters = counters;
        this.consumerPos = ring.consumerPosAcquire();
    }

    /** Maps the RINGBUF map {@code fd} whose data size (max_entries) is {@code size}. */
    public static RingBufferConsumer map(int fd, long size, TransportCounters counters) {
        return new RingBufferConsumer(BpfRing.mapKernelProducer(fd, size), counters);
    }

    /**
     * Hands up to {@code max} committed records to {@code handler}, oldest first; returns how many. The view is
     * valid only during the call. Throws {@link CorruptRingException} when the ring's state is impossible (see the
     * class comment); the records before the corrupt one have been handed over and released.
     */
    public int drain(QueuedTaskHandler handler, int max) {
        if (closed) throw closed();
        // in locals: the acquire loads are barriers to the JIT, which reloads fields after each (publishEvery as a
        // field cost ~0.5 ns/record in an A/B of the micro-benchmark; a two-pass loop, headers first, was slower)
        // The ring itself is not made a local: it would be one more value live across the loop, for the rare publish.
        final long data = ring.dataAddr, mask = ring.mask, publishEvery = this.publishEvery;
        final QueuedTask view = this.view;
        long cons = consumerPos;
        long prod = producerPosition(cons);
        int n = 0;
        try {
            while (n < max) {
                if (cons == prod) prod = producerPosition(cons);
                long rec = data + (cons & mask);
                int header = cons == prod ? RingHeader.BUSY : RingHeader.readAcquire(rec);
                long stride = RingHeader.stride(RingHeader.length(header));
                // One unsigned compare tells the common record (committed, kept, long enough: SIZE <= header <
                // DISCARD) from everything else; fewer live values and branches in the loop let the JIT keep its
                // locals in registers (the micro-benchmark, docs/benchmarks.md).
                if (Integer.compareUnsigned(header - RECORD_SIZE, RingHeader.DISCARD - RECORD_SIZE) < 0
                        && stride <= prod - cons) {
                    n++;
                    handler.onTask(view.wrapAddress(rec + RingHeader.SIZE));
                } else if (!skip(header, stride, cons, prod)) {
                    // Caught up (header set to BUSY above) and a BUSY record (reserved, not committed yet) end the
                    // drain through this one exit. Caught up ends nearly every drain, so the JIT compiles it; a
                    // BUSY record alone is rare, and as an exit of its own it was compiled as a trap that a real
                    // BUSY record, after attaching, took back to the interpreter (the deoptimization log, 2 CI
                    // runs of 3).
                    break;
                }
                long next = cons + stride;
                // publishEvery is a power of two: publish on crossing a multiple of it, so that no local has to
                // remember the last position published
                if (((next ^ cons) & -publishEvery) != 0) ring.publishConsumerPos(next);
                cons = next;
            }
        } finally {
            // what the handler is done with is released before drain returns (or throws), so the caller sleeps
            // only with consumer_pos published (RingbufTransport.awaitWork); the counter once per batch
            consumerPos = cons;
            ring.publishConsumerPos(cons);
            counters.received += n;
        }
        return n;
    }

    /**
     * The record at {@code cons} is not one to hand over: false to stop here (BUSY, or caught up), true to step over
     * it (discarded, or too short to be a queued task: counted). Throws when it reaches past what was published.
     */
    private boolean skip(int header, long stride, long cons, long prod) {
        if ((header & RingHeader.BUSY) != 0) return false;
        if (stride > prod - cons) {
            // the kernel publishes producer_pos only after writing a whole header; a committed record never reaches
            // past it, and never exceeds the ring (so, with the mirror mapping, never past the end of data)
            throw corruptRecord(cons, prod, RingHeader.length(header));
        }
        if ((header & RingHeader.DISCARD) == 0) malformed++;    // not ours to interpret: skip, but keep count
        counters.discarded++;
        return true;
    }

    private CorruptRingException corruptRecord(long cons, long prod, int len) {
        return new CorruptRingException("corrupt ring: the record at position " + Long.toUnsignedString(cons)
                + " is " + len + " bytes long, beyond producer_pos " + Long.toUnsignedString(prod)
                + " (ring of " + ring.size + " bytes)");
    }

    /** producer_pos (acquire), checked against {@code cons}: aligned, ahead by at most the ring. */
    private long producerPosition(long cons) {
        long prod = ring.producerPosAcquire();
        if (!ring.validPositions(cons, prod)) throw ring.corruptPositions("ring", cons, prod);
        return prod;
    }

    /**
     * Whether the producer has moved past what we consumed: a record committed or only reserved (a drain may then
     * still return 0). Enough to decide not to sleep: the BPF program that reserved a record commits it before it ends.
     */
    public boolean producerAhead() {
        if (closed) throw closed();
        return ring.producerPosAcquire() != consumerPos;
    }

    public long consumerPosition() {
        return consumerPos;
    }

    public long producerPosition() {
        if (closed) throw closed();
        return ring.producerPosAcquire();
    }

    private IllegalStateException closed() {
        return new IllegalStateException("ring consumer closed: its mapping is gone");
    }

    /** Records too short to be a queued task, skipped (also counted in TransportCounters.discarded). */
    public long malformedRecords() {
        return malformed;
    }

    public long ringSize() {
        return ring.size;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        ring.unmap();
    }
}
