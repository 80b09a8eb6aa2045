package org.scxjavaland.bench;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.alloc.ArenaMemory;
import org.scxjavaland.core.alloc.BuddyAllocator;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The baseline is a working allocator, and the fragmented state both benchmarks start from is the same workload. */
class FirstFitBitmapAllocatorTest {

    @Test
    void firstFitTakesTheLowestRunThatFits() {
        FirstFitBitmapAllocator a = new FirstFitBitmapAllocator(64 * 16);
        assertEquals(0, a.alloc(64));
        assertEquals(64, a.alloc(100));      // two blocks: 1..2
        assertEquals(192, a.alloc(64));      // block 3
        a.free(64, 100);
        assertEquals(64, a.alloc(64), "the hole at block 1");
        assertEquals(256, a.alloc(128), "block 2 alone is too small: blocks 4..5");
        assertEquals(128, a.alloc(1), "block 2");
        assertEquals(FirstFitBitmapAllocator.NO_BLOCK, a.alloc(64 * 11));
        assertEquals(1, a.failures());
        assertEquals(6, a.usedBlocks());
    }

    @Test
    void bothAllocatorsAreFragmentedByTheSameRequests() {
        long heap = 1 << 22;
        FirstFitBitmapAllocator ff = new FirstFitBitmapAllocator(heap);
        Fragmenter f1 = new Fragmenter(heap);
        f1.fragment(ff::alloc, (off, size) -> {
            ff.free(off, size);
            return 0;
        });
        try (Arena arena = Arena.ofConfined()) {
            BuddyAllocator b = new BuddyAllocator(
                    ArenaMemory.over(arena.allocate(BuddyAllocator.arenaBytesFor(heap), 4096)), heap);
            Fragmenter f2 = new Fragmenter(heap);
            f2.fragment(b::alloc, (off, size) -> {
                b.free(off);
                return 0;
            });
            assertEquals(f1.liveBlocks(), f2.liveBlocks(), "same live set (no failures on either side)");
            assertEquals(f2.liveBlocks(), b.liveBlocks());
            assertEquals(0, ff.failures());
            assertEquals(0, b.allocFailures());
            assertTrue(b.bytesInUse() >= heap / 3, "the arena is well used: " + b.bytesInUse());
        }
    }
}
