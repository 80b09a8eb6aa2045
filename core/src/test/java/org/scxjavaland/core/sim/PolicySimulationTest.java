package org.scxjavaland.core.sim;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.alloc.ArenaMemory;
import org.scxjavaland.core.alloc.BuddyAllocator;
import org.scxjavaland.core.policy.DeadlinePolicy;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The policy's promises (docs/policy.md), checked on the discrete-event CPU simulator: weighted CPU shares,
 * low wake-up latency for sleepers beside hogs, and the stated wait bound under 4x overload.
 */
class PolicySimulationTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final DeadlinePolicy.Params PARAMS = DeadlinePolicy.Params.defaults().withMaxTasks(1024);

    private static DeadlinePolicy policy(Arena arena) {
        long heap = DeadlinePolicy.arenaHeapBytesFor(PARAMS.maxTasks());
        BuddyAllocator a = new BuddyAllocator(
                ArenaMemory.over(arena.allocate(BuddyAllocator.arenaBytesFor(heap), 4096)), heap);
        return new DeadlinePolicy(a, PARAMS);
    }

    @Test
    void cpuSharesOfHogsFollowTheirWeights() {
        int[][] cases = {
                {2, -4, -2, 0, 0, 2, 5},            // 2 CPUs, 6 hogs
                {4, -2, -1, 0, 0, 0, 1, 2, 3, 5, 8, 10}, // 4 CPUs, 11 hogs
                {1, -5, 0, 5},                      // 1 CPU, 3 hogs
        };
        for (int[] c : cases) {
            try (Arena arena = Arena.ofConfined()) {
                int cpus = c[0];
                CpuSimulator sim = new CpuSimulator(cpus, policy(arena), 42);
                long totalW = 0;
                for (int i = 1; i < c.length; i++) totalW += sim.add(SimTask.hog(100 + i, c[i]), i * MS).weight();
                long warmup = 5 * S, end = 125 * S;
                sim.run(warmup, end);
                double window = (double) (end - warmup) * cpus;
                StringBuilder report = new StringBuilder(cpus + " CPUs:");
                for (SimTask t : sim.tasks()) {
                    double expected = (double) t.weight() / totalW;
                    assertTrue(expected * cpus <= 1.0, "test setup: " + t + " would need more than one CPU");
                    double share = t.measuredCpuNs() / window;
                    double err = share / expected - 1;
                    report.append(String.format(" %s share %.4f expected %.4f (%+.2f%%)", t, share, expected, err * 100));
                    assertTrue(Math.abs(err) <= 0.10, t + ": share " + share + " vs expected " + expected);
                }
                System.out.println(report);
            }
        }
    }

    /** With sleepers and bursty tasks taking CPU in between, the hogs still split what is left by weight. */
    @Test
    void hogsSplitWhatOthersLeaveByWeight() {
        try (Arena arena = Arena.ofConfined()) {
            int cpus = 2;
            CpuSimulator sim = new CpuSimulator(cpus, policy(arena), 11);
            int[] hogNice = {-3, -1, 0, 2, 4};
            List<SimTask> hogs = new ArrayList<>();
            for (int i = 0; i < hogNice.length; i++) hogs.add(sim.add(SimTask.hog(900 + i, hogNice[i]), i * MS));
            sim.add(SimTask.periodic(950, 0, MS / 2, 5 * MS, 10 * MS), 2 * MS);
            sim.add(SimTask.periodic(951, -5, 30 * MS, 20 * MS, 20 * MS), 3 * MS);
            sim.add(SimTask.periodic(952, 5, 8 * MS, 4 * MS, 8 * MS), 4 * MS);
            sim.run(5 * S, 125 * S);
            long hogCpu = hogs.stream().mapToLong(SimTask::measuredCpuNs).sum();
            long hogW = hogs.stream().mapToLong(SimTask::weight).sum();
            StringBuilder report = new StringBuilder(String.format("hogs got %.2f of %d CPUs:", hogCpu / 120e9, cpus));
            for (SimTask h : hogs) {
                double share = (double) h.measuredCpuNs() / hogCpu;
                double expected = (double) h.weight() / hogW;
                report.append(String.format(" %s %.4f vs %.4f (%+.2f%%)", h, share, expected, (share / expected - 1) * 100));
                assertTrue(Math.abs(share / expected - 1) <= 0.10, h + ": " + share + " of the hogs' CPU vs " + expected);
            }
            System.out.println(report);
        }
    }

    /**
     * A woken task's decision carries the preempt flag: when no CPU is idle it takes the CPU of the running hog with
     * the latest deadline (a hog's deadline is a full cap past its vruntime, the sleeper's at most one slice past the
     * global vruntime), so it waits for no slice to end. Checked in every case: the sleeper never waits longer than
     * one hog slice, it did preempt, and the p99 ratio is at least 5 (4x overload on 2 and 4 CPUs, 6x on 2 CPUs).
     */
    @Test
    void aMostlySleepingTaskWaitsFarLessThanTheHogsBesideIt() {
        int[][] cases = {{2, 4}, {4, 4}, {2, 6}}; // CPUs, overload
        for (int[] c : cases) {
            int cpus = c[0], overload = c[1];
            try (Arena arena = Arena.ofConfined()) {
                CpuSimulator sim = new CpuSimulator(cpus, policy(arena), 7);
                int nHogs = overload * cpus;
                List<SimTask> hogs = new ArrayList<>();
                for (int i = 0; i < nHogs; i++) hogs.add(sim.add(SimTask.hog(200 + i, 0), i * MS));
                // runs 0.5 ms, then sleeps 5 to 15 ms: an interactive task, under 5% of a CPU
                SimTask sleeper = sim.add(SimTask.periodic(300, 0, MS / 2, 5 * MS, 10 * MS), 3 * MS);
                sim.run(5 * S, 65 * S);
                long[] hogWaits = hogs.stream().flatMapToLong(h -> java.util.Arrays.stream(h.waits())).toArray();
                long hogP99 = SimTask.percentile(hogWaits, 99);
                long sleeperP99 = sleeper.waitPercentile(99);
                double ratio = (double) hogP99 / sleeperP99;
                System.out.printf("%dx overload, %d hogs on %d CPUs: sleeper p99 wait %.3f ms (p50 %.3f, max %.3f, n=%d);"
                                + " hogs p99 %.3f ms (p50 %.3f); ratio %.2f; %d preemptions%n",
                        overload, nHogs, cpus, sleeperP99 / 1e6, sleeper.waitPercentile(50) / 1e6,
                        sleeper.maxWaitNs() / 1e6, sleeper.waitCount(), hogP99 / 1e6,
                        SimTask.percentile(hogWaits, 50) / 1e6, ratio, sim.preemptions());
                assertTrue(sleeper.waitCount() > 1000, "the sleeper ran " + sleeper.waitCount() + " times");
                long hogSlice = PARAMS.sliceNs() / (nHogs - cpus);
                assertTrue(sleeper.maxWaitNs() <= hogSlice,
                        "the sleeper waited " + sleeper.maxWaitNs() + " ns: longer than one hog slice " + hogSlice);
                assertTrue(sim.preemptions() > 0, "the sleeper never preempted a hog");
                assertTrue(ratio >= 5, "sleeper p99 " + sleeperP99 + " ns vs hogs p99 " + hogP99 + " ns");
            }
        }
    }

    @Test
    void noRunnableTaskWaitsLongerThanTheStatedBoundUnderFourfoldOverload() {
        try (Arena arena = Arena.ofConfined()) {
            int cpus = 2;
            DeadlinePolicy p = policy(arena);
            CpuSimulator sim = new CpuSimulator(cpus, p, 99);
            // CPU demand about 4.6 CPUs' worth per CPU: 6 hogs of mixed nice, 6 bursty tasks (30 ms on, 10-30 ms off)
            // and 2 short sleepers
            int[] hogNice = {-3, 0, 0, 2, 5, 10};
            for (int i = 0; i < hogNice.length; i++) sim.add(SimTask.hog(400 + i, hogNice[i]), i * MS);
            int[] burstyNice = {-5, -1, 0, 0, 4, 8};
            for (int i = 0; i < burstyNice.length; i++) {
                sim.add(SimTask.periodic(500 + i, burstyNice[i], 30 * MS, 10 * MS, 20 * MS), 2 * i * MS);
            }
            sim.add(SimTask.periodic(600, 0, MS / 2, 5 * MS, 10 * MS), 3 * MS);
            sim.add(SimTask.periodic(601, 0, 2 * MS, 20 * MS, 0), 4 * MS);
            long demand = 0;
            for (SimTask t : sim.tasks()) {
                demand += t.isHog() ? 1000 : 1000 * t.burstNs / (t.burstNs + t.sleepNs + t.sleepJitterNs / 2);
            }
            assertTrue(demand >= 4 * 1000 * cpus, "demand " + demand / 1000.0 + " CPUs is under 4x overload");
            sim.run(2 * S, 62 * S);
            long sliceMax = PARAMS.sliceNs();
            assertTrue(sim.maxSliceNs() <= sliceMax);
            StringBuilder report = new StringBuilder(String.format("demand %.2f CPUs on %d CPUs%n", demand / 1000.0, cpus));
            for (SimTask t : sim.tasks()) {
                long bound = waitBound(t, sim.tasks(), cpus, PARAMS);
                report.append(String.format("  %s max wait %.2f ms, p99 %.2f ms, bound %.1f ms%n",
                        t, t.maxWaitNs() / 1e6, t.waitPercentile(99) / 1e6, bound / 1e6));
                assertTrue(t.waitCount() > 0, t + " never ran");
                assertTrue(t.maxWaitNs() <= bound, t + " waited " + t.maxWaitNs() + " ns, bound " + bound + " ns");
            }
            System.out.print(report);
            assertEquals(0, p.counters().arenaFailures);
        }
    }

    /**
     * The bound is not vacuous: a storm of sleepers waking together, each with a full slice of credit and runs long
     * enough to use it, keeps the hogs waiting for a good part of their bound.
     */
    @Test
    @org.junit.jupiter.api.Disabled("the bound was derived for a clock that followed the largest vruntime sent; the clock"
            + " now follows the kernel's latest started deadline, waits are shorter, and the bound is being re-derived"
            + " with the simulator that drives the real loop (issue 8)")
    void aWakeStormApproachesTheBoundWithoutExceedingIt() {
        try (Arena arena = Arena.ofConfined()) {
            int cpus = 2;
            CpuSimulator sim = new CpuSimulator(cpus, policy(arena), 5);
            List<SimTask> hogs = new ArrayList<>();
            for (int i = 0; i < 2; i++) hogs.add(sim.add(SimTask.hog(700 + i, 0), 0));
            // 8 tasks that sleep 400 ms and then want 100 ms of CPU, all in step
            for (int i = 0; i < 8; i++) sim.add(SimTask.periodic(800 + i, 0, 100 * MS, 400 * MS, 0), 50 * MS);
            sim.run(1 * S, 31 * S);
            for (SimTask t : sim.tasks()) {
                long bound = waitBound(t, sim.tasks(), cpus, PARAMS);
                System.out.printf("storm: %s max wait %.1f ms, bound %.1f ms (%.0f%%)%n",
                        t, t.maxWaitNs() / 1e6, bound / 1e6, 100.0 * t.maxWaitNs() / bound);
                assertTrue(t.maxWaitNs() <= bound, t + " waited " + t.maxWaitNs() + " ns, bound " + bound + " ns");
            }
            for (SimTask h : hogs) {
                long bound = waitBound(h, sim.tasks(), cpus, PARAMS);
                assertTrue(h.maxWaitNs() * 4 >= bound, h + " max wait " + h.maxWaitNs() + " ns: the storm did not stress the bound " + bound);
            }
        }
    }

    /**
     * The bound of docs/policy.md: a task T queued while C CPUs are busy waits at most
     * {@code s + sum over other tasks X of (2 s + (s + K) w_X / w_T + S w_X / 100) / C}, with s the largest slice
     * handed out (at most S = sliceNs), K the runtime cap.
     */
    static long waitBound(SimTask t, List<SimTask> all, int cpus, DeadlinePolicy.Params p) {
        double s = p.sliceNs(), k = p.runtimeCapNs(), slice = p.sliceNs();
        double sum = 0;
        for (SimTask x : all) {
            if (x == t) continue;
            sum += 2 * s + (s + k) * x.weight() / (double) t.weight() + slice * x.weight() / 100.0;
        }
        return (long) (s + sum / cpus);
    }
}
