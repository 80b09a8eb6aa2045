package org.scxjavaland.core.sched;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.policy.DeadlinePolicy;
import org.scxjavaland.core.wire.QueuedTaskLayout;
import org.scxjavaland.core.wire.StatsLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The warm-up's load takes the branches a real load takes: each case below is one that, absent from the warm-up,
 * deoptimized a hot method right after attaching in the VM (docs/architecture.md "JVM hygiene").
 */
class WarmupLoadTest {
    private static final int BATCH = 256;
    private static final int BATCHES = 200;
    private static final int CPUS = 2;

    @Test
    void theLoadVariesEveryFieldThePolicyBranchesOn() {
        WarmupLoad load = new WarmupLoad(CPUS);
        MemorySegment records = Arena.ofAuto().allocate(QueuedTaskLayout.SIZE * BATCH, 8);
        MemorySegment stats = Arena.ofAuto().allocate(StatsLayout.SIZE, 8);
        Map<Integer, Long> lastStop = new HashMap<>();
        Set<Long> weights = new HashSet<>();
        Set<Integer> cpus = new HashSet<>();
        int exits = 0, exitsWhileQueued = 0, newTasks = 0, requeuedUnrun = 0, charged = 0, woken = 0, pinned = 0;
        int contended = 0, uncontended = 0, allBusy = 0, someIdle = 0, unannounced = 0, lateExits = 0;
        Map<Integer, Long> holder = new HashMap<>();
        long lastVtimeNow = Long.MIN_VALUE;
        boolean clockMoves = true;
        for (int b = 0; b < BATCHES; b++) {
            load.fill(records, BATCH);
            load.showCpus(stats);
            long w = stats.get(JAVA_LONG, StatsLayout.RUNNABLE_WEIGHT);
            if (w > CPUS * 100L) contended++; else uncontended++;
            long idle = stats.get(JAVA_LONG, StatsLayout.IDLE_CPUS);
            if (idle == 0) allBusy++; else someIdle++;
            assertEquals(0, idle & ~((1L << CPUS) - 1), "only possible CPUs are idle");
            long v = stats.get(JAVA_LONG, StatsLayout.VTIME_NOW);
            clockMoves &= v >= lastVtimeNow;
            lastVtimeNow = v;
            Set<Integer> inBatch = new HashSet<>();
            for (int i = 0; i < BATCH; i++) {
                long at = (long) i * QueuedTaskLayout.SIZE;
                int pid = records.get(JAVA_INT, at + QueuedTaskLayout.PID);
                int cpu = records.get(JAVA_INT, at + QueuedTaskLayout.CPU);
                long uid = records.get(JAVA_LONG, at + QueuedTaskLayout.UID);
                if (cpu == QueuedTaskLayout.CPU_EXITED) {
                    exits++;
                    if (uid != holder.getOrDefault(pid, uid)) {
                        lateExits++;        // another task took the pid first: a notice that must change nothing
                        continue;
                    }
                    if (inBatch.contains(pid)) exitsWhileQueued++;
                    lastStop.remove(pid);
                    holder.remove(pid);
                    continue;
                }
                Long before = holder.put(pid, uid);
                if (before != null && before != uid) unannounced++;    // its former task's notice is late or lost
                inBatch.add(pid);
                cpus.add(cpu);
                long start = records.get(JAVA_LONG, at + QueuedTaskLayout.START_TS);
                long stop = records.get(JAVA_LONG, at + QueuedTaskLayout.STOP_TS);
                if (!lastStop.containsKey(pid)) {
                    if (start == 0 && stop == 0) newTasks++;
                } else if (stop == lastStop.get(pid)) {
                    requeuedUnrun++;
                } else if (stop > start) {
                    charged++;
                }
                lastStop.put(pid, stop);
                if (records.get(JAVA_LONG, at + QueuedTaskLayout.FLAGS) == 1) woken++;
                if (records.get(JAVA_LONG, at + QueuedTaskLayout.NR_CPUS_ALLOWED) == 1) pinned++;
                weights.add(records.get(JAVA_LONG, at + QueuedTaskLayout.WEIGHT));
            }
        }
        int total = BATCH * BATCHES;
        String seen = "exits " + exits + ", exits while queued " + exitsWhileQueued + ", new " + newTasks
                + ", re-queued unrun " + requeuedUnrun + ", charged " + charged + ", woken " + woken + ", pinned "
                + pinned + ", weights " + weights + ", cpus " + cpus + ", contended " + contended + "/" + BATCHES
                + ", some idle " + someIdle + "/" + BATCHES + ", pids taken over unannounced " + unannounced
                + ", late exit notices " + lateExits;
        assertTrue(exits > total / 100, seen);
        assertTrue(exitsWhileQueued > 0, seen);
        assertTrue(newTasks > total / 100, seen);
        assertTrue(requeuedUnrun > total / 100, seen);
        assertTrue(charged > total / 2, seen);
        assertTrue(woken > total / 4 && woken < total * 3 / 4, seen);
        assertTrue(pinned > total / 20 && pinned < total / 2, seen);
        assertTrue(weights.size() >= 4 && weights.contains(100L) && weights.contains(1L), seen);
        assertEquals(Set.of(0, 1), cpus, seen);
        assertTrue(contended > BATCHES / 4 && uncontended > BATCHES / 4, seen);
        assertTrue(allBusy > 0 && someIdle > BATCHES / 4, seen);
        assertTrue(clockMoves, "the CPUs' clock never goes back");
        assertTrue(unannounced > total / 1000 && lateExits > total / 2000 && lateExits < unannounced, seen);
    }

    @Test
    void theLoopAndThePolicyReachTheirRarePathsOnIt() {
        MemorySegment stats = Arena.ofAuto().allocate(StatsLayout.SIZE, 8);
        StatsSection view = new StatsSection(stats, CPUS);
        try (DeadlinePolicy policy = DeadlinePolicy.create(DeadlinePolicy.Params.defaults())) {
            SchedulingLoop loop = new SchedulingLoop(new WarmupTransport(100_000, CPUS, stats), policy, view, view,
                    SchedulerRunner.OVERFLOW_CAPACITY);
            while (loop.runOnce() > 0) {
                // until the load is exhausted and every decision has gone out
            }
            var c = policy.counters();
            assertTrue(c.exits > 1000, "exits: " + c.exits);
            assertTrue(c.superseded > 100, "superseded: " + c.superseded);
            assertTrue(c.reusedPids > 10, "records of a task under a pid known as another's: " + c.reusedPids);
            assertTrue(c.lateExitNotices > 10, "late exit notices: " + c.lateExitNotices);
            assertEquals(0, c.arenaFailures);
            assertEquals(0, policy.queued());
            assertTrue(policy.creditNs() <= DeadlinePolicy.DEFAULT_SLICE_NS);
        }
    }
}
