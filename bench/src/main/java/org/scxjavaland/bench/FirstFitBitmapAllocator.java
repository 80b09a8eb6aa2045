package org.scxjavaland.bench;

/**
 * The baseline: scx_rustland's first allocator design (Jan 2024), rebuilt for comparison. Fixed 64-byte blocks,
 * one used flag per block (here a bit in a long[]), and a linear first-fit scan from block 0 for enough consecutive
 * free blocks, flag by flag. free needs the size, as Rust's dealloc gets it from the Layout.
 */
public final class FirstFitBitmapAllocator {
    public static final int BLOCK = 64;
    public static final long NO_BLOCK = -1;

    private final long[] used;
    private final int blocks;
    private long failures;

    public FirstFitBitmapAllocator(long heapBytes) {
        this.blocks = (int) (heapBytes / BLOCK);
        this.used = new long[(blocks + 63) >>> 6];
    }

    /** Offset of {@code size} bytes (whole 64-byte blocks), or {@link #NO_BLOCK}. */
    public long alloc(long size) {
        int need = (int) ((size + BLOCK - 1) / BLOCK);
        if (need <= 0) need = 1;
        int run = 0;
        for (int b = 0; b < blocks; b++) {
            if (isUsed(b)) {
                run = 0;
                continue;
            }
            if (++run == need) {
                int first = b - need + 1;
                for (int i = first; i <= b; i++) used[i >>> 6] |= 1L << i;
                return (long) first * BLOCK;
            }
        }
        failures++;
        return NO_BLOCK;
    }

    public void free(long offset, long size) {
        int first = (int) (offset / BLOCK);
        int n = (int) ((size + BLOCK - 1) / BLOCK);
        if (n <= 0) n = 1;
        for (int i = first; i < first + n; i++) used[i >>> 6] &= ~(1L << i);
    }

    private boolean isUsed(int b) {
        return (used[b >>> 6] & (1L << b)) != 0;
    }

    public long failures() {
        return failures;
    }

    /** Blocks in use (for checks). */
    public long usedBlocks() {
        long n = 0;
        for (long w : used) n += Long.bitCount(w);
        return n;
    }
}
