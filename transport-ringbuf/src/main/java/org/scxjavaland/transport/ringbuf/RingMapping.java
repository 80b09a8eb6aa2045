package org.scxjavaland.transport.ringbuf;

import org.scxjavaland.core.sys.LibC;

import java.lang.foreign.MemorySegment;

/**
 * The two mappings of a BPF ring buffer map, as the kernel lays them out: the consumer page at file offset 0,
 * then the producer page followed by the data pages mapped twice in a row, so that a record crossing the end of
 * the ring reads (and writes) as one contiguous range.
 *
 * @param consumerPage one page; consumer_pos at offset 0
 * @param producerPage one page; producer_pos at offset 0
 * @param data         2 x size bytes: the data area and its mirror
 * @param size         the ring's data size (a power of two, a multiple of the page size)
 */
record RingMapping(MemorySegment consumerPage, MemorySegment producerPage, MemorySegment data, long size,
                   Runnable unmap) {

    RingMapping {
        if (Long.bitCount(size) != 1) throw new IllegalArgumentException("ring size not a power of two: " + size);
        if (data.byteSize() < 2 * size) throw new IllegalArgumentException("data must be mapped twice: " + data);
    }

    /**
     * Maps a kernel ring map: the kernel enforces the protections. For a RINGBUF (kernel producer) only the
     * consumer page may be writable; for a USER_RINGBUF it is the other way round.
     */
    static RingMapping map(int fd, long size, boolean consumerWritable, boolean producerWritable) {
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
        return new RingMapping(cons, prod.asSlice(0, page), prod.asSlice(page, 2 * size), size, () -> {
            LibC.munmap(prod);
            LibC.munmap(cons);
        });
    }
}
