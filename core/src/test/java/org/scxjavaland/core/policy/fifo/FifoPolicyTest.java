package org.scxjavaland.core.policy.fifo;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.scxjavaland.core.alloc.ArenaMemory;
import org.scxjavaland.core.alloc.BuddyAllocator;
import org.scxjavaland.core.policy.CpuView;
import org.scxjavaland.core.policy.QueuedTaskRecords;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.DispatchedTaskLayout;
import org.scxjavaland.core.wire.QueuedTaskLayout;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FifoPolicyTest {
    private static final long SLICE = 5_000_000L;
    private final Arena arena = Arena.ofConfined();
    private final QueuedTaskRecords rec = new QueuedTaskRecords(arena.allocate(QueuedTaskLayout.SIZE, 8));
    private final DispatchedTask out = new DispatchedTask();
    private long vtimeNow;
    private final CpuView cpus = new CpuView() {
        public int nrCpus() { return 4; }
        public boolean isIdle(int cpu) { return cpu == 2; }
        public long vtimeNow() { return vtimeNow; }
    };

    @AfterEach
    void close() {
        arena.close();
    }

    private FifoPolicy policy(int maxTasks) {
        long heap = FifoPolicy.arenaHeapBytesFor(maxTasks);
        return new FifoPolicy(new BuddyAllocator(
                ArenaMemory.over(arena.allocate(BuddyAllocator.arenaBytesFor(heap), 4096)), heap), SLICE, maxTasks);
    }

    private void enqueue(FifoPolicy p, int pid, int cpu, long enqCnt, long enqTs) {
        rec.task(pid, cpu, 100 + pid, 0, 0, 0, enqCnt);
        assertTrue(p.enqueue(rec.enqueuedAt(enqTs), enqTs));
    }

    private int popPid(FifoPolicy p) {
        assertTrue(p.peek(out, cpus, 0), "nothing queued");
        p.pop();
        return out.pid;
    }

    @Test
    void tasksLeaveInArrivalOrderWithTheSameSliceWhateverTheirWeight() {
        FifoPolicy p = policy(16);
        for (int pid = 10; pid < 15; pid++) enqueue(p, pid, 0, pid * 10L, 1000 + pid);
        assertEquals(5, p.queued());
        for (int pid = 10; pid < 15; pid++) {
            assertTrue(p.peek(out, cpus, 0));
            assertEquals(pid, out.pid);
            assertEquals(SLICE, out.sliceNs);
            assertEquals(0, out.flags, "no preemption");
            assertEquals(1000 + pid, out.vtime, "the kernel's enqueue time");
            assertEquals(pid * 10L, out.enqCnt);
            p.pop();
        }
        assertFalse(p.peek(out, cpus, 0));
        assertEquals(0, p.queued());
        assertEquals(0, p.counters().tasksTracked, "nothing held once dispatched");
    }

    @Test
    void aTaskQueuedAgainGoesToTheBackWithItsNewRecord() {
        FifoPolicy p = policy(16);
        enqueue(p, 10, 0, 1, 100);
        enqueue(p, 11, 0, 1, 200);
        enqueue(p, 10, 0, 2, 300);
        assertEquals(2, p.queued());
        assertEquals(1, p.counters().superseded);
        assertEquals(11, popPid(p));
        assertEquals(10, popPid(p));
        assertEquals(2, out.enqCnt);
    }

    @Test
    void anExitTakesAWaitingTaskOutAndAnUnknownOneIsIgnored() {
        FifoPolicy p = policy(16);
        enqueue(p, 10, 0, 1, 100);
        enqueue(p, 11, 0, 1, 200);
        enqueue(p, 12, 0, 1, 300);
        p.taskExited(11, QueuedTaskRecords.uidOf(11));
        p.taskExited(99, QueuedTaskRecords.uidOf(99));
        assertEquals(2, p.queued());
        assertEquals(1, p.counters().exits);
        assertEquals(1, p.counters().superseded, "the exited task's record is never decided");
        // exits between peek and pop: pop must not take the next task
        assertTrue(p.peek(out, cpus, 0));
        p.taskExited(10, QueuedTaskRecords.uidOf(10));
        p.pop();
        assertEquals(12, popPid(p));
        assertEquals(0, p.counters().tasksTracked);
    }

    /** The former holder of a reused pid exits late: the new task's waiting record stays and is decided. */
    @Test
    void aLateExitNoticeForAReusedPidLeavesTheNewTasksRecord() {
        FifoPolicy p = policy(16);
        rec.task(10, 0, 100, 0, 0, 0, 1);
        p.enqueue(rec.asTask(77), 100);                                 // the task now holding pid 10
        p.taskExited(10, QueuedTaskRecords.uidOf(10));                 // its former holder's notice
        assertEquals(1, p.queued());
        assertEquals(1, p.counters().lateExitNotices);
        assertEquals(0, p.counters().exits);
        assertEquals(10, popPid(p));
    }

    @Test
    void thePreviousCpuWhenIdleOrPinnedElseAny() {
        FifoPolicy p = policy(16);
        enqueue(p, 10, 2, 1, 100);
        enqueue(p, 11, 1, 1, 200);
        p.enqueue(rec.pinned(12, 3), 300);
        assertEquals(2, cpuOf(p));
        assertEquals(DispatchedTaskLayout.CPU_ANY, cpuOf(p));
        assertEquals(3, cpuOf(p));
    }

    private int cpuOf(FifoPolicy p) {
        popPid(p);
        return out.cpu;
    }

    @Test
    void theVtimeStaysWithinASliceOfTheKernelsClock() {
        FifoPolicy p = policy(16);
        enqueue(p, 10, 0, 1, 1_000);
        vtimeNow = 100 * SLICE;
        assertEquals(10, popPid(p));
        assertEquals(99 * SLICE, out.vtime);
    }

    @Test
    void aFullTableOrArenaRefusesAndCountsAndRoomComesBackOnDispatch() {
        FifoPolicy p = policy(3);
        for (int pid = 1; pid <= 3; pid++) enqueue(p, pid, 0, 1, pid);
        rec.task(4, 0, 100, 0, 0, 0, 1);
        assertFalse(p.enqueue(rec.enqueuedAt(4), 4));
        assertEquals(1, p.counters().arenaFailures);
        assertEquals(3, p.queued());
        assertEquals(1, popPid(p));
        enqueue(p, 4, 0, 1, 5);

        // an arena with room for the table and one node only
        long heap = 128;
        FifoPolicy tiny = new FifoPolicy(new BuddyAllocator(
                ArenaMemory.over(arena.allocate(BuddyAllocator.arenaBytesFor(heap), 4096)), heap), SLICE, 4);
        enqueue(tiny, 1, 0, 1, 1);
        rec.task(2, 0, 100, 0, 0, 0, 1);
        assertFalse(tiny.enqueue(rec.enqueuedAt(2), 2));
        assertEquals(1, tiny.counters().arenaFailures);
    }
}
