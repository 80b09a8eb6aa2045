package org.scxjavaland.core.alloc;

import net.openhft.chronicle.bytes.PointerBytesStore;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded random alloc/free against a shadow map of live blocks: no two live blocks overlap, every block keeps the
 * bytes written into it (a free-list link written into a live block would show), a failure happens only when no
 * free block of the needed order exists, and freeing everything leaves one block.
 */
class BuddyAllocatorRandomizedTest {
    private static final long SEED = 0x5c7_1a7dL;
    private static final int OPERATIONS = 1_200_000;
    private static final long HEAP = 1 << 22; // 4 MiB, 65536 leaves

    @Test
    void millionsOfRandomOperationsKeepBlocksDisjointAndCoalesceToOne() {
        try (Arena arena = Arena.ofConfined()) {
            BuddyAllocator a = new BuddyAllocator(
                    ArenaMemory.over(arena.allocate(BuddyAllocator.arenaBytesFor(HEAP), 4096)), HEAP);
            PointerBytesStore mem = a.bytes();
            SplittableRandom rnd = new SplittableRandom(SEED);
            TreeMap<Long, Long> live = new TreeMap<>();
            long[] order = new long[70_000];
            int n = 0;
            long allocs = 0, frees = 0, failures = 0;
            long bytes = 0;
            for (int op = 0; op < OPERATIONS; op++) {
                // drift between mostly-allocating and mostly-freeing phases so the heap both fills up and drains
                boolean grow = ((op >>> 16) & 1) == 0;
                boolean doAlloc = n == 0 || rnd.nextInt(100) < (grow ? 60 : 40);
                if (doAlloc) {
                    long size = randomSize(rnd);
                    long b = a.alloc(size);
                    if (b == BuddyAllocator.NO_BLOCK) {
                        failures++;
                        assertTrue(a.largestFreeOrder() < BuddyAllocator.orderFor(size),
                                "alloc(" + size + ") failed although a large enough block is free");
                        continue;
                    }
                    long bs = a.blockSize(b);
                    assertTrue(bs >= size && b % bs == 0 && b >= 0 && b + bs <= HEAP, "bad block " + b + "/" + bs);
                    Map.Entry<Long, Long> below = live.floorEntry(b);
                    if (below != null && below.getKey() + below.getValue() > b) fail("overlaps " + below);
                    Map.Entry<Long, Long> above = live.ceilingEntry(b);
                    if (above != null && above.getKey() < b + bs) fail("overlaps " + above);
                    live.put(b, bs);
                    order[n++] = b;
                    mem.writeLong(b, ~b);
                    mem.writeLong(b + bs - 8, b);
                    allocs++;
                    bytes += bs;
                } else {
                    int i = rnd.nextInt(n);
                    long b = order[i];
                    order[i] = order[--n];
                    long bs = live.remove(b);
                    assertEquals(~b, mem.readLong(b), "head of block " + b + " was overwritten");
                    assertEquals(b, mem.readLong(b + bs - 8), "tail of block " + b + " was overwritten");
                    a.free(b);
                    frees++;
                    bytes -= bs;
                }
                if ((op & 0xffff) == 0) {
                    assertEquals(live.size(), a.liveBlocks());
                    assertEquals(bytes, a.bytesInUse());
                }
            }
            assertTrue(allocs + frees + failures >= 1_000_000, "ops: " + (allocs + frees + failures));
            assertTrue(failures > 0, "the run never filled the heap: " + failures);
            while (n > 0) {
                long b = order[--n];
                a.free(b);
                live.remove(b);
            }
            assertEquals(0, a.liveBlocks());
            assertEquals(0, a.bytesInUse());
            assertEquals(a.maxOrder(), a.largestFreeOrder());
            assertEquals(1, a.freeBlocks(a.maxOrder()));
            for (int k = 0; k < a.maxOrder(); k++) assertEquals(0, a.freeBlocks(k), "order " + k);
            assertNotEquals(BuddyAllocator.NO_BLOCK, a.alloc(HEAP), "the whole heap is one block again");
            System.out.printf("allocs=%d frees=%d failures=%d%n", allocs, frees, failures);
        }
    }

    /** Mostly small blocks (task nodes), sometimes up to 64 KiB (tables). */
    private static long randomSize(SplittableRandom rnd) {
        int r = rnd.nextInt(100);
        if (r < 70) return 1 + rnd.nextInt(64);
        if (r < 95) return 1 + rnd.nextInt(1024);
        return 1 + rnd.nextInt(64 * 1024);
    }
}
