package org.scxjavaland.core.alloc;

import net.openhft.chronicle.bytes.PointerBytesStore;

/**
 * A binary buddy allocator over one {@link ArenaMemory}: blocks of {@code 64 << order} bytes, free lists per order,
 * a block's buddy found by XOR, coalescing on free. alloc and free are O(log n) and allocate nothing on the Java heap.
 *
 * <p>Arena layout: {@code [0, heapBytes)} is the heap handed out in blocks; right after it, one tag byte per 64-byte
 * leaf. A tag is non-zero only at the first leaf of a block and says whether the block is free or allocated and its
 * order, so free() needs no size and finds a buddy's state with one byte read. A free block holds its free-list
 * links in its own first 16 bytes (next, prev: heap offsets, -1 = none). The only Java objects are this instance
 * and a 64-entry array of list heads, both made once.
 *
 * <p>Running out is not an error: {@link #alloc} returns {@link #NO_BLOCK} and {@link #allocFailures} moves.
 * Offsets are byte offsets from the arena start; read and write through {@link #bytes()}.
 * Single-threaded (the scheduling thread).
 */
public final class BuddyAllocator {
    /** The smallest block; also the alignment of every block. */
    public static final int MIN_BLOCK = 64;
    private static final int MIN_SHIFT = 6;
    /** What {@link #alloc} returns when no block is large enough. */
    public static final long NO_BLOCK = -1;

    private static final int TAG_FREE = 0x40;
    private static final int TAG_USED = 0x80;
    private static final int ORDER_MASK = 0x3f;
    private static final long NEXT = 0;
    private static final long PREV = 8;

    private final ArenaMemory arena;
    private final PointerBytesStore mem;
    private final long heapBytes;
    private final long tagBase;
    private final int maxOrder;
    private final long[] freeHead;
    /** Bit k set: the free list of order k is not empty. */
    private long nonEmpty;

    private long allocFailures;
    private long liveBlocks;
    private long bytesInUse;

    /**
     * @param arena     at least {@link #arenaBytesFor}(heapBytes) bytes
     * @param heapBytes a power of two, at least {@link #MIN_BLOCK}: the bytes handed out in blocks
     */
    public BuddyAllocator(ArenaMemory arena, long heapBytes) {
        if (heapBytes < MIN_BLOCK || Long.bitCount(heapBytes) != 1) {
            throw new IllegalArgumentException("heap size must be a power of two >= " + MIN_BLOCK + ": " + heapBytes);
        }
        if (arena.size() < arenaBytesFor(heapBytes)) {
            throw new IllegalArgumentException("arena of " + arena.size() + " bytes is too small for a heap of "
                    + heapBytes + " (needs " + arenaBytesFor(heapBytes) + ")");
        }
        this.arena = arena;
        this.mem = arena.bytes();
        this.heapBytes = heapBytes;
        this.tagBase = heapBytes;
        this.maxOrder = Long.numberOfTrailingZeros(heapBytes) - MIN_SHIFT;
        this.freeHead = new long[maxOrder + 1];
        reset();
    }

    /** Maps and locks an arena for a heap of {@code heapBytes} (a power of two) and builds the allocator on it. */
    public static BuddyAllocator mapLocked(long heapBytes) {
        ArenaMemory arena = ArenaMemory.mapLocked(arenaBytesFor(heapBytes));
        try {
            return new BuddyAllocator(arena, heapBytes);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Arena bytes needed for a heap of {@code heapBytes}: the heap plus one tag byte per 64-byte leaf. */
    public static long arenaBytesFor(long heapBytes) {
        return heapBytes + (heapBytes >>> MIN_SHIFT);
    }

    /** Frees everything: the whole heap becomes one free block. */
    public void reset() {
        mem.zeroOut(tagBase, tagBase + (heapBytes >>> MIN_SHIFT));
        java.util.Arrays.fill(freeHead, NO_BLOCK);
        nonEmpty = 0;
        liveBlocks = 0;
        bytesInUse = 0;
        push(0, maxOrder);
    }

    /**
     * A block of at least {@code size} bytes (1 to the heap size), aligned to its own size, contents undefined;
     * {@link #NO_BLOCK} when none is free (and {@link #allocFailures} grows).
     */
    public long alloc(long size) {
        int order = orderFor(size);
        long candidates = order > maxOrder ? 0 : nonEmpty & (-1L << order);
        if (candidates == 0) {
            allocFailures++;
            return NO_BLOCK;
        }
        int k = Long.numberOfTrailingZeros(candidates);
        long block = freeHead[k];
        unlink(block, k);
        while (k > order) {
            k--;
            push(block + ((long) MIN_BLOCK << k), k);
        }
        setTag(block, TAG_USED | order);
        liveBlocks++;
        bytesInUse += (long) MIN_BLOCK << order;
        return block;
    }

    /** Returns a block from {@link #alloc}; merges it with its free buddies. */
    public void free(long block) {
        int tag = (block & (MIN_BLOCK - 1)) == 0 ? tagAt(block) : 0;
        if ((tag & TAG_USED) == 0) {
            throw new IllegalArgumentException("not an allocated block: " + block);
        }
        int k = tag & ORDER_MASK;
        liveBlocks--;
        bytesInUse -= (long) MIN_BLOCK << k;
        while (k < maxOrder) {
            long buddy = block ^ ((long) MIN_BLOCK << k);
            if (tagAt(buddy) != (TAG_FREE | k)) break;
            unlink(buddy, k);
            // the upper half becomes the inside of the merged block; push() tags the lower half
            setTag(Math.max(block, buddy), 0);
            block = Math.min(block, buddy);
            k++;
        }
        push(block, k);
    }

    /** Size of the allocated block at {@code block}. */
    public long blockSize(long block) {
        int tag = tagAt(block);
        if ((tag & TAG_USED) == 0) throw new IllegalArgumentException("not an allocated block: " + block);
        return (long) MIN_BLOCK << (tag & ORDER_MASK);
    }

    /** Smallest order whose blocks hold {@code size} bytes; orders above {@link #maxOrder()} mean "too big". */
    public static int orderFor(long size) {
        if (size <= MIN_BLOCK) return 0;
        return 64 - Long.numberOfLeadingZeros((size - 1) >>> MIN_SHIFT);
    }

    private void push(long block, int k) {
        long head = freeHead[k];
        mem.writeLong(block + NEXT, head);
        mem.writeLong(block + PREV, NO_BLOCK);
        if (head != NO_BLOCK) mem.writeLong(head + PREV, block);
        freeHead[k] = block;
        nonEmpty |= 1L << k;
        setTag(block, TAG_FREE | k);
    }

    private void unlink(long block, int k) {
        long next = mem.readLong(block + NEXT);
        long prev = mem.readLong(block + PREV);
        if (prev == NO_BLOCK) {
            freeHead[k] = next;
            if (next == NO_BLOCK) nonEmpty &= ~(1L << k);
        } else {
            mem.writeLong(prev + NEXT, next);
        }
        if (next != NO_BLOCK) mem.writeLong(next + PREV, prev);
    }

    private int tagAt(long block) {
        if (block < 0 || block >= heapBytes) throw new IllegalArgumentException("offset outside the heap: " + block);
        return mem.readByte(tagBase + (block >>> MIN_SHIFT)) & 0xff;
    }

    private void setTag(long block, int tag) {
        mem.writeByte(tagBase + (block >>> MIN_SHIFT), (byte) tag);
    }

    /** The typed view over the arena; block offsets index into it. */
    public PointerBytesStore bytes() {
        return mem;
    }

    public ArenaMemory arena() {
        return arena;
    }

    public long heapBytes() {
        return heapBytes;
    }

    /** Largest order: one block of {@link #heapBytes()}. */
    public int maxOrder() {
        return maxOrder;
    }

    /** alloc calls that found nothing large enough. */
    public long allocFailures() {
        return allocFailures;
    }

    public long liveBlocks() {
        return liveBlocks;
    }

    /** Bytes in allocated blocks (block sizes, not requested sizes). */
    public long bytesInUse() {
        return bytesInUse;
    }

    /** Free blocks of order {@code k} (walks the list: for tests and stats, not the hot path). */
    public long freeBlocks(int k) {
        long n = 0;
        for (long b = freeHead[k]; b != NO_BLOCK; b = mem.readLong(b + NEXT)) n++;
        return n;
    }

    /** Order of the largest free block, -1 when nothing is free. */
    public int largestFreeOrder() {
        return 63 - Long.numberOfLeadingZeros(nonEmpty);
    }
}
