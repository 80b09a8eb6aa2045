package org.scxjavaland.core.policy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.scxjavaland.core.alloc.ArenaMemory;
import org.scxjavaland.core.alloc.BuddyAllocator;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.DispatchedTaskLayout;
import org.scxjavaland.core.wire.QueuedTaskLayout;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadlinePolicyTest {
    private static final long MS = 1_000_000L;
    private final Arena arena = Arena.ofConfined();
    private final QueuedTaskRecords rec = new QueuedTaskRecords(arena.allocate(QueuedTaskLayout.SIZE, 8));
    private final DispatchedTask out = new DispatchedTask();

    @AfterEach
    void close() {
        arena.close();
    }

    private DeadlinePolicy policy(DeadlinePolicy.Params p) {
        long heap = DeadlinePolicy.arenaHeapBytesFor(p.maxTasks());
        return new DeadlinePolicy(new BuddyAllocator(
                ArenaMemory.over(arena.allocate(BuddyAllocator.arenaBytesFor(heap), 4096)), heap), p);
    }

    private DeadlinePolicy policy() {
        return policy(DeadlinePolicy.Params.defaults().withMaxTasks(64));
    }

    private static CpuView cpus(int n, int... idle) {
        return new CpuView() {
            public int nrCpus() { return n; }
            public boolean isIdle(int cpu) {
                for (int c : idle) if (c == cpu) return true;
                return false;
            }
            public long vtimeNow() { return 0; }
        };
    }

    /** Four busy CPUs whose latest started task had deadline {@code vtimeNow} (BPF's stats.vtime_now). */
    private static CpuView clock(long vtimeNow) {
        return new CpuView() {
            public int nrCpus() { return 4; }
            public boolean isIdle(int cpu) { return false; }
            public long vtimeNow() { return vtimeNow; }
        };
    }

    /** Two new tasks (pid and weight each) enter at the clock and are both dispatched: the policy knows them. */
    private void knownAndDispatched(DeadlinePolicy p, int pid1, int weight1, int pid2, int weight2) {
        p.enqueue(rec.task(pid1, 0, weight1, 0, 0, 0, 1), 0);
        p.enqueue(rec.task(pid2, 0, weight2, 0, 0, 0, 1), 0);
        popPid(p);
        popPid(p);
    }

    private int popPid(DeadlinePolicy p) {
        assertTrue(p.peek(out, cpus(4), 0));
        p.pop();
        return out.pid;
    }

    @Test
    void lessWeightedTimeUsedGoesFirstAndDecisionsEchoTheRecord() {
        DeadlinePolicy p = policy();
        // all three known, at vruntime 0; then each reports a 10 ms run at a different weight
        for (int pid = 1; pid <= 3; pid++) p.enqueue(rec.task(pid, 0, 100, 0, 0, 0, 1), 0);
        for (int i = 0; i < 3; i++) popPid(p);
        p.enqueue(rec.task(1, 0, 100, 0, 10 * MS, 0, 2), 1);  // +10 ms
        p.enqueue(rec.task(2, 1, 200, 0, 10 * MS, 0, 7), 2);  // +5 ms: heavier task, goes first
        p.enqueue(rec.task(3, 2, 50, 0, 10 * MS, 0, 3), 3);   // +20 ms
        assertTrue(p.peek(out, cpus(4), 5));
        assertEquals(2, out.pid);
        assertEquals(7, out.enqCnt);
        assertEquals(0, out.flags);
        assertEquals(5 * MS, out.vtime, "deadline = vruntime when exec_runtime is 0");
        p.pop();
        assertEquals(1, popPid(p));
        assertEquals(3, popPid(p));
        assertFalse(p.peek(out, cpus(4), 0));
    }

    @Test
    void onlyAWokenTaskSentToAnyCpuOrPinnedToABusyOneMayPreempt() {
        DeadlinePolicy p = policy();
        p.enqueue(rec.woken(1, 2, 1), 0);
        assertTrue(p.peek(out, cpus(4), 0));
        assertEquals(DispatchedTaskLayout.CPU_ANY, out.cpu);
        assertEquals(DispatchedTaskLayout.DF_PREEMPT, out.flags, "woken, previous CPU busy");
        p.pop();
        p.enqueue(rec.woken(1, 2, 2), 1);
        assertTrue(p.peek(out, cpus(4, 2), 1));
        assertEquals(2, out.cpu);
        assertEquals(0, out.flags, "woken, previous CPU idle: nothing to take");
        p.pop();
        p.enqueue(rec.task(1, 2, 100, 1, 5, 4, 3), 6);
        assertTrue(p.peek(out, cpus(4), 6));
        assertEquals(DispatchedTaskLayout.CPU_ANY, out.cpu);
        assertEquals(0, out.flags, "slice used up or preempted: no wake-up, no preemption");
        p.pop();
        rec.woken(1, 3, 4);
        assertTrue(p.enqueue(rec.pinnedToItsCpu(), 7));
        assertTrue(p.peek(out, cpus(4), 7));
        assertEquals(3, out.cpu);
        assertEquals(DispatchedTaskLayout.DF_PREEMPT, out.flags, "woken, pinned to a busy CPU: it may take it");
        p.pop();
        p.enqueue(rec.pinned(1, 3), 8);
        assertTrue(p.peek(out, cpus(4), 8));
        assertEquals(3, out.cpu);
        assertEquals(0, out.flags, "pinned, not woken: no preemption");
        p.pop();
    }

    @Test
    void newTasksStartAtTheKernelsClockAndSleepersKeepAtMostOneSlice() {
        DeadlinePolicy p = policy();
        knownAndDispatched(p, 1, 100, 2, 100);
        // the CPUs now run a task whose deadline is 520 ms: with the cap (20 ms) that is a hog at vruntime 500 ms
        p.enqueue(rec.task(1, 0, 100, 0, 500 * MS, 0, 2), 1);
        assertTrue(p.peek(out, clock(520 * MS), 1));
        p.pop();
        assertEquals(500 * MS, p.globalVruntime());
        // task 2 slept all along at vruntime 0: floored one slice (20 ms) below the clock
        p.enqueue(rec.task(2, 0, 100, 0, 0, 0, 2), 2);
        assertTrue(p.peek(out, clock(520 * MS), 2));
        assertEquals(480 * MS, out.vtime);
        p.pop();
        // a brand-new task starts at the clock
        p.enqueue(rec.task(3, 0, 100, 0, 0, 0, 1), 3);
        assertTrue(p.peek(out, clock(520 * MS), 3));
        assertEquals(500 * MS, out.vtime);
    }

    /**
     * BPF keeps a task whose slice ended running while its deadline plus the run's charge is still ahead of what waits
     * (jl_keep_prev), so one run can be long while the clock moves on: the run is charged once, from the vruntime it
     * ran under, and the floor applies to the result. (Flooring first charged it twice: found by the simulator, where
     * a hog kept for 464 ms came back 477 ms behind everyone.)
     */
    @Test
    void aLongRunIsChargedOnceWhileTheClockMovedOn() {
        DeadlinePolicy p = policy();
        knownAndDispatched(p, 1, 100, 3, 100);
        // meanwhile the other CPUs started a task with deadline 520 ms: the clock is 500 ms
        p.enqueue(rec.task(2, 0, 100, 0, 0, 0, 1), 0);
        assertTrue(p.peek(out, clock(520 * MS), 0));
        p.pop();
        assertEquals(500 * MS, p.globalVruntime());
        // task 1 ran 500 ms from vruntime 0 under one decision: vruntime 500 ms, deadline 500 ms + the 20 ms cap
        p.enqueue(rec.task(1, 0, 100, 0, 500 * MS, 500 * MS, 2), 1);
        assertTrue(p.peek(out, clock(520 * MS), 1));
        assertEquals(1, out.pid);
        assertEquals(520 * MS, out.vtime);
        p.pop();
        // task 3 ran 5 ms from vruntime 0 and then slept: 5 ms is still far behind the clock, so the floor decides
        // (one slice of credit, whatever it ran before sleeping); exec_runtime restarted when it woke
        p.enqueue(rec.task(3, 0, 100, 0, 5 * MS, 0, 2), 3);
        assertTrue(p.peek(out, clock(520 * MS), 3));
        assertEquals(3, out.pid);
        assertEquals(480 * MS, out.vtime);
    }

    @Test
    void theClockNeverGoesBackAndDecisionsSentAreNotTheClock() {
        DeadlinePolicy p = policy();
        // a task that ran 900 ms is sent at once (as the daemon's loop does): the clock must not follow it, or every
        // lighter task would be lifted to the heaviest one's vruntime (nice levels would collapse)
        p.enqueue(rec.task(1, 0, 100, 0, 900 * MS, 0, 1), 0);
        assertTrue(p.peek(out, clock(40 * MS), 0));
        p.pop();
        assertEquals(20 * MS, p.globalVruntime());
        p.enqueue(rec.task(2, 0, 100, 0, 0, 0, 1), 1);
        assertTrue(p.peek(out, clock(30 * MS), 1));
        assertEquals(20 * MS, p.globalVruntime(), "an older start does not move the clock back");
    }

    @Test
    void runtimeSinceSleepPushesTheDeadlineUpToTheCap() {
        DeadlinePolicy p = policy(DeadlinePolicy.Params.defaults().withMaxTasks(8).withRuntimeCapNs(15 * MS));
        p.enqueue(rec.task(1, 0, 100, 0, 0, 4 * MS, 1), 0);
        assertTrue(p.peek(out, cpus(4), 0));
        assertEquals(4 * MS, out.vtime);
        p.enqueue(rec.task(1, 0, 100, 0, 0, 400 * MS, 2), 0);
        assertTrue(p.peek(out, cpus(4), 0));
        assertEquals(15 * MS, out.vtime, "capped");
        assertEquals(2, out.enqCnt, "re-queued: the newer record replaced the older");
        assertEquals(1, p.queued());
    }

    @Test
    void aRunIsChargedOnceEvenIfReportedTwice() {
        DeadlinePolicy p = policy();
        p.enqueue(rec.task(1, 0, 100, 0, 0, 0, 1), 0);
        popPid(p);
        p.enqueue(rec.task(1, 0, 100, 10 * MS, 30 * MS, 0, 2), 1);
        p.enqueue(rec.task(1, 0, 100, 10 * MS, 30 * MS, 0, 3), 2); // dequeued and re-queued without running
        assertTrue(p.peek(out, cpus(4), 2));
        assertEquals(20 * MS, out.vtime);
    }

    @Test
    void everyPieceOfARunThatAHigherClassInterruptedIsCharged() {
        DeadlinePolicy p = policy();
        knownAndDispatched(p, 1, 100, 2, 100);
        // both ran 8 ms of CPU since their decision; an RT task took task 1's CPU twice meanwhile, and the kernel
        // resumed it each time without an enqueue, so its record's last [start, stop] shows only the last 2 ms
        p.enqueue(rec.task(2, 1, 100, 30 * MS, 38 * MS, 8 * MS, 2), 1);
        p.enqueue(rec.interruptedRun(1, 0, 100, 6 * MS, 40 * MS, 42 * MS, 8 * MS, 2), 2);
        assertTrue(p.peek(out, cpus(4), 2));
        assertEquals(2, out.pid, "the same CPU time, so the same deadline: enqueue order decides (charged 2 ms, task 1 "
                + "would go first)");
        assertEquals(8 * MS + 8 * MS, out.vtime, "vruntime 8 ms, plus 8 ms run since it last slept");
        p.pop();
        assertTrue(p.peek(out, cpus(4), 2));
        assertEquals(1, out.pid);
        assertEquals(8 * MS + 8 * MS, out.vtime, "charged its 6 ms of earlier pieces too, not its last 2 ms only");
    }

    @Test
    void equalDeadlinesGoInEnqueueOrderThenPid() {
        DeadlinePolicy p = policy();
        p.enqueue(rec.task(9, 0, 100, 0, 0, 0, 1), 5);
        p.enqueue(rec.task(4, 0, 100, 0, 0, 0, 1), 7);
        p.enqueue(rec.task(6, 0, 100, 0, 0, 0, 1), 5);
        assertEquals(6, popPid(p));
        assertEquals(9, popPid(p));
        assertEquals(4, popPid(p));
    }

    @Test
    void sliceFollowsTheWeightBetweenTheMinimumAndTheSlice() {
        DeadlinePolicy p = policy(new DeadlinePolicy.Params(20 * MS, 3 * MS, 20 * MS, 64));
        p.enqueue(rec.task(1, 0, 100, 0, 0, 0, 1), 0);
        assertTrue(p.peek(out, cpus(4), 0));
        assertEquals(20 * MS, out.sliceNs, "nice 0: the slice");
        p.pop();
        p.enqueue(rec.task(2, 0, 33, 0, 0, 0, 1), 0);
        assertTrue(p.peek(out, cpus(4), 0));
        assertEquals(20 * MS * 33 / 100, out.sliceNs, "nice 5 (weight 33): a third");
        p.pop();
        p.enqueue(rec.task(3, 0, 1, 0, 0, 0, 1), 0);
        assertTrue(p.peek(out, cpus(4), 0));
        assertEquals(3 * MS, out.sliceNs, "nice 19 (weight 1): floored at the minimum");
        p.pop();
        p.enqueue(rec.task(4, 0, 10_000, 0, 0, 0, 1), 0);
        assertTrue(p.peek(out, cpus(4), 0));
        assertEquals(20 * MS, out.sliceNs, "nice -20: capped at the slice");
    }

    @Test
    void previousCpuWhenIdleOrPinnedOtherwiseAny() {
        DeadlinePolicy p = policy();
        p.enqueue(rec.task(1, 2, 100, 0, 0, 0, 1), 0);
        assertTrue(p.peek(out, cpus(4, 2), 0));
        assertEquals(2, out.cpu);
        assertTrue(p.peek(out, cpus(4, 0, 1, 3), 0));
        assertEquals(DispatchedTaskLayout.CPU_ANY, out.cpu, "previous CPU busy");
        p.pop();
        p.enqueue(rec.task(2, 7, 100, 0, 0, 0, 1), 0);
        assertTrue(p.peek(out, cpus(4, 0, 1, 2, 3), 0));
        assertEquals(DispatchedTaskLayout.CPU_ANY, out.cpu, "previous CPU out of range");
        p.pop();
        p.enqueue(rec.pinned(3, 1), 0);
        assertTrue(p.peek(out, cpus(4), 0));
        assertEquals(1, out.cpu, "pinned: its only CPU even when busy");
    }

    @Test
    void exitNoticesFreeTheStateAndAQueuedExitLeavesTheQueue() {
        DeadlinePolicy p = policy();
        BuddyAllocator a = p.allocator();
        long base = a.liveBlocks();
        p.enqueue(rec.task(1, 0, 100, 0, 0, 0, 1), 0);
        p.enqueue(rec.task(2, 0, 100, 0, 0, 0, 1), 0);
        assertEquals(base + 2, a.liveBlocks());
        assertEquals(2, p.counters().tasksTracked);
        assertTrue(p.enqueue(rec.exitNotice(1), 1));
        p.taskExited(2, QueuedTaskRecords.uidOf(2));
        p.taskExited(2, QueuedTaskRecords.uidOf(2));   // twice, or never seen: ignored
        p.taskExited(77, QueuedTaskRecords.uidOf(77));
        assertEquals(0, p.queued());
        assertEquals(base, a.liveBlocks());
        assertEquals(0, p.counters().tasksTracked);
        assertEquals(2, p.counters().exits);
        assertFalse(p.peek(out, cpus(4), 0));
    }

    /**
     * Debt above the clock is clamped at two credits of the task's own charge (EEVDF clamps lag at two slices): a run
     * a little past its slice is charged in full, only a task far ahead is pulled back. At one credit a nice 0 hog's
     * overruns (a tick late, kept running, resumed after a kworker) were all forgiven.
     */
    @Test
    void debtAboveTheClockIsClampedAtTwoCreditsOfTheTasksOwnCharge() {
        DeadlinePolicy p = policy();
        knownAndDispatched(p, 1, 100, 2, 50);
        p.enqueue(rec.task(1, 0, 100, 0, 30 * MS, 0, 2), 1);   // a slice and a half, clock at 0
        assertTrue(p.peek(out, cpus(4), 2));
        assertEquals(30 * MS, out.vtime, "an overrun of half a slice is charged, not forgiven");
        p.pop();
        p.enqueue(rec.task(1, 0, 100, 30 * MS, 130 * MS, 0, 3), 3); // 100 ms more: 130 ms of vruntime
        assertTrue(p.peek(out, cpus(4), 4));
        assertEquals(40 * MS, out.vtime, "two credits (2 x 20 ms) above the clock at weight 100");
        p.pop();
        p.enqueue(rec.task(2, 0, 50, 0, 100 * MS, 0, 2), 5);   // 200 ms of vruntime at weight 50
        assertTrue(p.peek(out, cpus(4), 6));
        assertEquals(80 * MS, out.vtime, "two credits of its own charge at weight 50: 2 x 20 ms x 100 / 50");
    }

    /**
     * A pid is reused while the policy still holds the former task's state (its exit notice lost to a full ring, or
     * still on its way): the new task's record (another uid) starts from the clock like any new task, the former
     * task's queued record goes (that task will never run again), and the late notice, when it comes, changes nothing.
     */
    @Test
    void aTaskUnderAReusedPidInheritsNothingAndALateExitNoticeLeavesItAlone() {
        DeadlinePolicy p = policy();
        p.enqueue(rec.task(5, 0, 1, 0, 0, 0, 1), 0);
        assertEquals(5, popPid(p));
        p.enqueue(rec.task(5, 0, 1, 0, 80 * MS, 0, 2), 1);     // weight 1: 8 s of vruntime, clamped to 4 s
        assertTrue(p.peek(out, cpus(4), 2));
        assertEquals(4_000 * MS, out.vtime, "the former task is far behind the clock");
        rec.task(5, 1, 100, 0, 0, 0, 1);
        p.enqueue(rec.asTask(99), 3);
        assertEquals(1, p.queued(), "the former task's record went");
        assertEquals(1, p.counters().reusedPids);
        assertEquals(1, p.counters().superseded);
        assertEquals(1, p.counters().tasksTracked);
        assertTrue(p.peek(out, cpus(4), 4));
        assertEquals(5, out.pid);
        assertEquals(0, out.vtime, "a new task starts at the clock (0 here), not at its pid's former 2 s");
        assertEquals(1, out.enqCnt);
        p.taskExited(5, QueuedTaskRecords.uidOf(5));           // the former task's notice, late
        assertEquals(1, p.counters().lateExitNotices);
        assertEquals(1, p.queued(), "the new task's record stays");
        assertEquals(5, popPid(p));
        rec.exitNotice(5);
        assertTrue(p.enqueue(rec.asTask(99), 5));             // its own notice frees it
        assertEquals(0, p.counters().tasksTracked);
        assertEquals(1, p.counters().exits);
    }

    /**
     * Exit notices lost to a full ring leave nodes behind (review C6): once the table is full, the nodes of tasks that
     * are not queued and have sent nothing for RECLAIM_IDLE_NS are taken back; a queued task's never is.
     */
    @Test
    void whenTheTableIsFullNodesSilentForLongAreTakenBack() {
        DeadlinePolicy p = policy(DeadlinePolicy.Params.defaults().withMaxTasks(3));
        long t0 = 1_000 * MS;
        for (int pid = 1; pid <= 3; pid++) {
            rec.task(pid, 0, 100, 0, 0, 0, 1);
            assertTrue(p.enqueue(rec.enqueuedAt(t0), t0));
        }
        int ran1 = popPid(p), ran2 = popPid(p);     // they ran, then went silent (their exit notices lost)
        long soon = t0 + DeadlinePolicy.RECLAIM_IDLE_NS - MS;
        rec.task(4, 0, 100, 0, 0, 0, 1);
        assertFalse(p.enqueue(rec.enqueuedAt(soon), soon), "silent, but not for long enough: refused");
        assertEquals(0, p.counters().reclaimed);
        long late = t0 + DeadlinePolicy.RECLAIM_IDLE_NS + MS;
        rec.task(4, 0, 100, 0, 0, 0, 1);
        assertTrue(p.enqueue(rec.enqueuedAt(late), late));
        assertEquals(2, p.counters().reclaimed, "the nodes of " + ran1 + " and " + ran2);
        assertEquals(2, p.queued(), "the task still queued kept its node and its record");
        assertEquals(2, p.counters().tasksTracked);
        assertEquals(1, p.counters().arenaFailures);
        assertEquals(0, p.counters().superseded);
    }

    @Test
    void whenTheArenaIsFullEnqueueRefusesAndCounts() {
        DeadlinePolicy p = policy(DeadlinePolicy.Params.defaults().withMaxTasks(3));
        for (int pid = 1; pid <= 3; pid++) assertTrue(p.enqueue(rec.task(pid, 0, 100, 0, 0, 0, 1), 0));
        assertFalse(p.enqueue(rec.task(4, 0, 100, 0, 0, 0, 1), 0));
        assertEquals(1, p.counters().arenaFailures);
        assertTrue(p.enqueue(rec.task(2, 0, 100, 0, 0, 0, 2), 0), "a known task still fits");
        p.taskExited(1, QueuedTaskRecords.uidOf(1));
        assertTrue(p.enqueue(rec.task(4, 0, 100, 0, 0, 0, 1), 0), "room again after an exit");
        assertEquals(3, p.queued());
    }

    @Test
    void outOfArenaBlocksIsTheSameCleanPath() {
        // an allocator with room for the table and the queue but only a few task nodes
        DeadlinePolicy.Params params = DeadlinePolicy.Params.defaults().withMaxTasks(64);
        long heap = 4096; // table 1 KiB + queue 2 KiB leave 1 KiB: 16 nodes
        BuddyAllocator a = new BuddyAllocator(
                ArenaMemory.over(arena.allocate(BuddyAllocator.arenaBytesFor(heap), 4096)), heap);
        DeadlinePolicy p = new DeadlinePolicy(a, params);
        int accepted = 0;
        for (int pid = 1; pid <= 64; pid++) {
            if (p.enqueue(rec.task(pid, 0, 100, 0, 0, 0, 1), 0)) accepted++;
        }
        assertTrue(accepted > 0 && accepted < 64, "accepted " + accepted);
        assertEquals(64 - accepted, p.counters().arenaFailures);
        assertEquals(accepted, p.queued());
        assertTrue(a.allocFailures() > 0);
    }

    @Test
    void tableSurvivesChurnOfManyPids() {
        DeadlinePolicy p = policy(DeadlinePolicy.Params.defaults().withMaxTasks(512));
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        java.util.BitSet live = new java.util.BitSet();
        for (int i = 0; i < 200_000; i++) {
            int pid = 1 + rnd.nextInt(2000);
            if (live.get(pid) && rnd.nextBoolean()) {
                p.taskExited(pid, QueuedTaskRecords.uidOf(pid));
                live.clear(pid);
            } else if (live.cardinality() < 512 || live.get(pid)) {
                assertTrue(p.enqueue(rec.task(pid, 0, 100, 0, 0, 0, i), i));
                live.set(pid);
            }
            if (rnd.nextInt(4) == 0 && p.peek(out, cpus(4), i)) {
                assertTrue(live.get(out.pid));
                p.pop();
            }
        }
        assertEquals(live.cardinality(), p.counters().tasksTracked);
        for (int pid = live.nextSetBit(0); pid >= 0; pid = live.nextSetBit(pid + 1)) p.taskExited(pid, QueuedTaskRecords.uidOf(pid));
        assertEquals(0, p.counters().tasksTracked);
        assertEquals(0, p.queued());
        assertEquals(2, p.allocator().liveBlocks(), "only the table and the run queue are left");
    }
}
