package org.scxjavaland.core.alloc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuddyAllocatorTest {
    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        arena.close();
    }

    private BuddyAllocator allocator(long heapBytes) {
        long size = BuddyAllocator.arenaBytesFor(heapBytes);
        return new BuddyAllocator(ArenaMemory.over(arena.allocate(size, 4096)), heapBytes);
    }

    @Test
    void ordersRoundUpToPowersOfTwoOf64Bytes() {
        assertEquals(0, BuddyAllocator.orderFor(1));
        assertEquals(0, BuddyAllocator.orderFor(64));
        assertEquals(1, BuddyAllocator.orderFor(65));
        assertEquals(1, BuddyAllocator.orderFor(128));
        assertEquals(2, BuddyAllocator.orderFor(129));
        assertEquals(10, BuddyAllocator.orderFor(64 * 1024));
        assertEquals(11, BuddyAllocator.orderFor(64 * 1024 + 1));
    }

    @Test
    void blocksAreAlignedToTheirSizeAndSized() {
        BuddyAllocator a = allocator(1 << 16);
        long small = a.alloc(10);
        long mid = a.alloc(200);
        long big = a.alloc(4096);
        assertEquals(64, a.blockSize(small));
        assertEquals(256, a.blockSize(mid));
        assertEquals(4096, a.blockSize(big));
        assertEquals(0, small % 64);
        assertEquals(0, mid % 256);
        assertEquals(0, big % 4096);
        assertEquals(3, a.liveBlocks());
        assertEquals(64 + 256 + 4096, a.bytesInUse());
    }

    @Test
    void splitsThenCoalescesBackToOneBlock() {
        BuddyAllocator a = allocator(1 << 12); // 64 leaves
        assertEquals(6, a.maxOrder());
        long first = a.alloc(64);
        // one leaf taken: one free block at each order below the top
        for (int k = 0; k < 6; k++) assertEquals(1, a.freeBlocks(k), "order " + k);
        assertEquals(0, a.freeBlocks(6));
        a.free(first);
        assertEquals(1, a.freeBlocks(6));
        for (int k = 0; k < 6; k++) assertEquals(0, a.freeBlocks(k));
        assertEquals(0, a.liveBlocks());
    }

    @Test
    void buddyOfAnAllocatedBlockIsNotMerged() {
        BuddyAllocator a = allocator(1 << 12);
        long x = a.alloc(64);
        long y = a.alloc(64);
        assertEquals(x ^ 64, y, "the second leaf is the first one's buddy");
        a.free(x);
        assertEquals(1, a.freeBlocks(0), "x cannot merge while y is in use");
        a.free(y);
        assertEquals(6, a.largestFreeOrder());
        assertEquals(1, a.freeBlocks(6));
    }

    @Test
    void exhaustionReturnsTheSentinelAndCounts() {
        BuddyAllocator a = allocator(1 << 12);
        long[] blocks = new long[64];
        for (int i = 0; i < 64; i++) {
            blocks[i] = a.alloc(64);
            assertNotEquals(BuddyAllocator.NO_BLOCK, blocks[i]);
        }
        assertEquals(-1, a.largestFreeOrder());
        assertEquals(BuddyAllocator.NO_BLOCK, a.alloc(1));
        assertEquals(BuddyAllocator.NO_BLOCK, a.alloc(1 << 20), "larger than the heap");
        assertEquals(2, a.allocFailures());
        a.free(blocks[17]);
        assertEquals(blocks[17], a.alloc(64), "the freed leaf is found again");
        assertEquals(BuddyAllocator.NO_BLOCK, a.alloc(128), "no two adjacent free leaves");
    }

    @Test
    void badFreesAreRejected() {
        BuddyAllocator a = allocator(1 << 12);
        long x = a.alloc(128);
        assertThrows(IllegalArgumentException.class, () -> a.free(x + 64), "inside a block");
        assertThrows(IllegalArgumentException.class, () -> a.free(x + 8), "misaligned");
        assertThrows(IllegalArgumentException.class, () -> a.free(1 << 12), "outside the heap");
        assertThrows(IllegalArgumentException.class, () -> a.free(-1));
        a.free(x);
        assertThrows(IllegalArgumentException.class, () -> a.free(x), "double free");
    }

    @Test
    void rejectsBadGeometry() {
        assertThrows(IllegalArgumentException.class, () -> allocator(3000));
        assertThrows(IllegalArgumentException.class, () -> allocator(32));
        assertThrows(IllegalArgumentException.class,
                () -> new BuddyAllocator(ArenaMemory.over(arena.allocate(4096, 64)), 4096), "no room for the tags");
    }

    @Test
    void resetFreesEverything() {
        BuddyAllocator a = allocator(1 << 14);
        for (int i = 0; i < 100; i++) a.alloc(64 + i);
        a.reset();
        assertEquals(0, a.liveBlocks());
        assertEquals(0, a.bytesInUse());
        assertEquals(1, a.freeBlocks(a.maxOrder()));
        assertTrue(a.alloc(1 << 14) == 0);
    }
}
