package org.scxjavaland.bench;

import java.util.SplittableRandom;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * Brings an allocator to a fragmented steady state with one seeded sequence of operations, so that both allocators
 * see exactly the same requests: fill the heap to half with blocks of mixed sizes (mostly 64 B task nodes, some up to
 * 4 KiB), then churn (free a random live block, allocate a new one of a random size) as long again. Every allocator
 * places the blocks its own way; that placement is what is being compared.
 */
public final class Fragmenter {
    public static final long SEED = 20260423L;

    private final long heapBytes;
    private long[] liveOffset = new long[0];
    private long[] liveSize = new long[0];
    private int nLive;

    public Fragmenter(long heapBytes) {
        this.heapBytes = heapBytes;
    }

    /**
     * @param alloc size -> offset or -1
     * @param free  (offset, size) -> ignored
     */
    public void fragment(LongUnaryOperator alloc, LongBinaryOperator free) {
        SplittableRandom rnd = new SplittableRandom(SEED);
        int cap = (int) (heapBytes / 64);
        liveOffset = new long[cap];
        liveSize = new long[cap];
        nLive = 0;
        long target = heapBytes / 2;
        long inUse = 0;
        while (inUse < target) {
            long size = size(rnd);
            long off = alloc.applyAsLong(size);
            if (off < 0) break;
            liveOffset[nLive] = off;
            liveSize[nLive++] = size;
            inUse += size;
        }
        int churn = nLive;
        for (int i = 0; i < churn; i++) {
            int victim = rnd.nextInt(nLive);
            free.applyAsLong(liveOffset[victim], liveSize[victim]);
            liveOffset[victim] = liveOffset[nLive - 1];
            liveSize[victim] = liveSize[--nLive];
            long size = size(rnd);
            long off = alloc.applyAsLong(size);
            if (off >= 0) {
                liveOffset[nLive] = off;
                liveSize[nLive++] = size;
            }
        }
    }

    public int liveBlocks() {
        return nLive;
    }

    private static long size(SplittableRandom rnd) {
        int r = rnd.nextInt(100);
        if (r < 80) return 64;
        if (r < 95) return 65 + rnd.nextInt(448);
        return 513 + rnd.nextInt(4096 - 512);
    }
}
