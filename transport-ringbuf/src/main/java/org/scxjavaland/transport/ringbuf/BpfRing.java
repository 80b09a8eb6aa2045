package org.scxjavaland.transport.ringbuf;

import org.scxjavaland.sys.LibC;
import org.scxjavaland.sys.RawMemory;

import java.lang.foreign.MemorySegment;

/**
 * A BPF ring buffer map (RINGBUF or USER_RINGBUF) mapped into this process: the one place that knows its layout
 * and the memory ordering of its two positions, in the manner of Agrona's {@code RingBufferDescriptor}.
 * {@link RingBufferConsumer} and {@link UserRingBufferProducer} keep only their protocol loops; {@link RingHeader}
 * describes the record header.
 * <p>
 * Layout (kernel/bpf/ringbuf.c, {@code struct bpf_ringbuf}; what {@code mmap} of the map's fd returns): the
 * consumer page at file offset 0 with consumer_pos at its start, the producer page at the next page with
 * producer_pos at its start, then the data pages mapped twice in a row, so that a record crossing the end of the
 * ring reads (and writes) as one contiguous range. Positions are byte counts that only grow; a record's address is
 * the data area plus the position modulo the size. The kernel enforces the protections: for a RINGBUF (kernel
 * producer) only the consumer page may be writable, for a USER_RINGBUF only the producer page and the data.
 * <p>
 * Each position has one writer, and each accessor below names the kernel access it pairs with. The addresses are
 * raw ({@link RawMemory}): callers check positions ({@link #validPositions}) before they trust them, and stop
 * using a ring once {@link #unmap} has run (each side keeps its own closed flag, checked off its hot path).
 */
final class BpfRing {
    /** consumer_pos and producer_pos each start a page of their own, so that each side can be mapped writable alone. */
    private static final long POSITION_OFFSET = 0;

    final long size;
    final long mask;
    /** The data area, {@code 2 * size} bytes: the ring and its mirror. */
    final long dataAddr;
    private final long consumerPosAddr;
    private final long producerPosAddr;
    private final Runnable unmap;

    /**
     * @param consumerPage one page, consumer_pos at its start
     * @param producerPage one page, producer_pos at its start
     * @param data         the data area mapped twice: at least {@code 2 * size} bytes
     * @param size         the ring's data size (max_entries: a power of two, a multiple of the page size)
     * @param unmap        undoes the mappings
     */
    BpfRing(MemorySegment consumerPage, MemorySegment producerPage, MemorySegment data, long size, Runnable unmap) {
        if (Long.bitCount(size) != 1) throw new IllegalArgumentException("ring size not a power of two: " + size);
        if (data.byteSize() < 2 * size) throw new IllegalArgumentException("data must be mapped twice: " + data);
        this.size = size;
        this.mask = size - 1;
        this.dataAddr = data.address();
        this.consumerPosAddr = consumerPage.address() + POSITION_OFFSET;
        this.producerPosAddr = producerPage.address() + POSITION_OFFSET;
        this.unmap = unmap;
    }

    /** Maps a RINGBUF map (the kernel produces, we consume): the consumer page writable, the rest read-only. */
    static BpfRing mapKernelProducer(int fd, long size) {
        return map(fd, size, true, false);
    }

    /** Maps a USER_RINGBUF map (we produce, the kernel consumes): the producer page and data writable. */
    static BpfRing mapUserProducer(int fd, long size) {
        return map(fd, size, false, true);
    }

    private static BpfRing map(int fd, long size, boolean consumerWritable, boolean producerWritable) {
        int page = LibC.pageSize();
        int rw = LibC.PROT_READ | LibC.PROT_WRITE;
        MemorySegment cons = LibC.mmap(page, consumerWritable ? rw : LibC.PROT_READ, LibC.MAP_SHARED, fd, 0);
        MemorySegment prod;
        try {
            prod = LibC.mmap(page + 2 * size, producerWritable ? rw : LibC.PROT_READ, LibC.MAP_SHARED, fd, page);
        } catch (RuntimeException e) {
            LibC.munmap(cons);
            throw e;
        }
        return new BpfRing(cons, prod.asSlice(0, page), prod.asSlice(page, 2 * size), size, () -> {
            LibC.munmap(prod);
            LibC.munmap(cons);
        });
    }

    /**
     * consumer_pos, acquire. Of a USER_RINGBUF it pairs with the kernel's release store after each sample
     * ({@code __bpf_user_ringbuf_sample_release}); of a RINGBUF it is our own, read once when mapping.
     */
    long consumerPosAcquire() {
        return RawMemory.getLongAcquire(consumerPosAddr);
    }

    /**
     * Publishes consumer_pos of a RINGBUF, release: what we read before it is done with before the kernel may
     * reuse the space; pairs with the acquire load in {@code __bpf_ringbuf_reserve} and in the commit's wake-up
     * check ({@code bpf_ringbuf_commit}).
     */
    void publishConsumerPos(long pos) {
        RawMemory.putLongRelease(consumerPosAddr, pos);
    }

    /**
     * producer_pos, acquire. Of a RINGBUF it pairs with the kernel's release store in {@code __bpf_ringbuf_reserve},
     * after which a record's header (BUSY until committed) is readable; of a USER_RINGBUF it is our own.
     */
    long producerPosAcquire() {
        return RawMemory.getLongAcquire(producerPosAddr);
    }

    /**
     * Publishes producer_pos of a USER_RINGBUF, release: the BUSY header written before it is visible first; pairs
     * with the acquire load in {@code __bpf_user_ringbuf_peek}.
     */
    void publishProducerPos(long pos) {
        RawMemory.putLongRelease(producerPosAddr, pos);
    }

    /** The address of the record (its header) at {@code pos}: contiguous for the record's whole length. */
    long recordAddr(long pos) {
        return dataAddr + (pos & mask);
    }

    /**
     * Whether the two positions can belong to this ring: both 8-byte aligned (records are padded to 8) and the
     * producer ahead of the consumer by at most the size. The kernel refuses a user ring in any other state
     * ({@code __bpf_user_ringbuf_peek}); we refuse a kernel ring the same way before trusting it.
     */
    boolean validPositions(long cons, long prod) {
        return ((prod | cons) & 7) == 0 && Long.compareUnsigned(prod - cons, size) <= 0;
    }

    /** The exception for positions {@link #validPositions} refused, naming the ring. */
    CorruptRingException corruptPositions(String ring, long cons, long prod) {
        return new CorruptRingException("corrupt " + ring + ": consumer_pos " + Long.toUnsignedString(cons)
                + " and producer_pos " + Long.toUnsignedString(prod) + " are not positions of a ring of " + size
                + " bytes (8-byte aligned, producer ahead of consumer by at most the ring)");
    }

    /** Undoes the mappings; every address above is invalid after it. */
    void unmap() {
        unmap.run();
    }
}
