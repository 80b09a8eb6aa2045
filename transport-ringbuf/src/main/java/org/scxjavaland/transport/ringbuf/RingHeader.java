package org.scxjavaland.transport.ringbuf;

/**
 * The BPF ring buffer record header (uapi linux/bpf.h): {@code u32 len; u32 pad;}, 8 bytes, before every record.
 * The top two bits of len are flags; records are padded to 8 bytes.
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
}
