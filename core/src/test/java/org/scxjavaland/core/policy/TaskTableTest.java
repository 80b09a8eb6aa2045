package org.scxjavaland.core.policy;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.alloc.ArenaMemory;
import org.scxjavaland.core.alloc.BuddyAllocator;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class TaskTableTest {
    private static final long NODE = 64;

    @Test
    void trackPutsANewNodeUnderThePidAndGivesTheNodeBackWhenTheTableIsFull() {
        try (Arena arena = Arena.ofConfined()) {
            long heap = 4096;
            BuddyAllocator alloc = new BuddyAllocator(
                    ArenaMemory.over(arena.allocate(BuddyAllocator.arenaBytesFor(heap), 4096)), heap);
            TaskTable table = new TaskTable(alloc, 2);
            PolicyCounters counters = new PolicyCounters();

            long a = table.track(10, alloc, NODE, counters);
            long b = table.track(11, alloc, NODE, counters);
            assertNotEquals(TaskTable.ABSENT, a);
            assertNotEquals(TaskTable.ABSENT, b);
            assertEquals(a, table.get(10));
            assertEquals(b, table.get(11));
            assertEquals(2, counters.tasksTracked);

            // the table is full: the node track took must go back to the allocator
            long probe = alloc.alloc(NODE);
            alloc.free(probe);
            assertEquals(TaskTable.ABSENT, table.track(12, alloc, NODE, counters));
            assertEquals(TaskTable.ABSENT, table.get(12));
            assertEquals(1, counters.arenaFailures);
            assertEquals(2, counters.tasksTracked);
            assertEquals(probe, alloc.alloc(NODE), "the refused task's node was freed");
        }
    }

    @Test
    void trackCountsAnArenaWithNoRoomAsAFailure() {
        try (Arena arena = Arena.ofConfined()) {
            long heap = 128; // the table's block and one node
            BuddyAllocator alloc = new BuddyAllocator(
                    ArenaMemory.over(arena.allocate(BuddyAllocator.arenaBytesFor(heap), 4096)), heap);
            TaskTable table = new TaskTable(alloc, 4);
            PolicyCounters counters = new PolicyCounters();
            assertNotEquals(TaskTable.ABSENT, table.track(1, alloc, NODE, counters));
            assertEquals(TaskTable.ABSENT, table.track(2, alloc, NODE, counters));
            assertEquals(1, counters.arenaFailures);
            assertEquals(1, table.size());
        }
    }
}
