package org.scxjavaland.transport.ringbuf;

import org.scxjavaland.sys.RawMemory;

/**
 * The BPF ring buffer record header (uapi linux/bpf.h, kernel/bpf/ringbuf.c): {@code u32 len; u32 pad;}, 8 bytes,
 * before every record. The top two bits of len are flags; records are padded to 8 bytes. The accessors take the
 * record's address ({@link BpfRing#recordAddr}) and name the kernel access each pairs with.
 */
final class RingHeader {
    static final int SIZE = 8;
    /** The producer has reserved the record but not committed it yet: stop reading here. */
    static final int BUSY = 1 << 31;
    /** The producer gave the record up: skip it. */
    static final int DISCARD = 1 << 30;

    private RingHeader() {
    }

    static int length(int header) {
        return header & ~(BUSY | DISCARD);
    }

    /** Bytes a record of {@code len} payload bytes occupies in the ring, header included. */
    static long stride(long len) {
        return (len + SIZE + 7) & ~7L;
    }

    /**
     * The header of a RINGBUF record, acquire: pairs with the kernel's exchange that commits or discards it
     * ({@code bpf_ringbuf_commit}), so the payload written before it is visible once BUSY is clear.
     */
    static int readAcquire(long record) {
        return RawMemory.getIntAcquire(record);
    }

    /** The long whose store writes a reserved header: {@code len | BUSY} and the pad, one store. */
    static long busy(int len) {
        return RawMemory.pairOfInts(len | BUSY, 0);
    }

    /** Reserves a USER_RINGBUF record: its header as {@code busy(len)}, before producer_pos is published. */
    static void writeBusy(long record, long busyHeader) {
        RawMemory.putLong(record, busyHeader);
    }

    /**
     * Commits a USER_RINGBUF record, release: pairs with the kernel's acquire load of the header in
     * {@code __bpf_user_ringbuf_peek}, so the payload written before it is visible once BUSY is clear. libbpf
     * exchanges the header atomically; with one producer thread a release store is enough.
     */
    static void commit(long record, int len) {
        RawMemory.putIntRelease(record, len);
    }
}
