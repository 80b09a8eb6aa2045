package org.scxjavaland.core.sim;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.policy.PolicyProviders;
import org.scxjavaland.core.sched.SchedulerOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The policy's promises (docs/policy.md), checked on the simulator that runs the daemon's own loop and policy against
 * a model of the BPF side and the kernel ({@link Simulation}): weighted CPU shares, low wake-up latency for sleepers
 * beside hogs, the wait bound under 4x overload, and the watchdog's 5 s in every scenario.
 */
class PolicySimulationTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    /** The kernel's watchdog (sched_ext_ops.timeout_ms): a runnable task waiting longer ejects the scheduler. */
    static final long WATCHDOG_NS = 5 * S;

    static void assertNoWaitBeyondTheWatchdog(Simulation sim) {
        assertTrue(sim.maxWaitNs() < WATCHDOG_NS, "a task waited " + sim.maxWaitNs() / 1e6 + " ms");
    }

    @Test
    void cpuSharesOfHogsFollowTheirWeights() {
        int[][] cases = {
                {2, -4, -2, 0, 0, 2, 5},            // 2 CPUs, 6 hogs
                {4, -2, -1, 0, 0, 0, 1, 2, 3, 5, 8, 10}, // 4 CPUs, 11 hogs
                {1, -5, 0, 5},                      // 1 CPU, 3 hogs
        };
        for (int[] c : cases) {
            int cpus = c[0];
            try (Simulation sim = new Simulation(SimParams.of(cpus, 42))) {
                long totalW = 0;
                for (int i = 1; i < c.length; i++) totalW += sim.add(SimTask.hog(100 + i, c[i]), i * MS).weight();
                long warmup = 5 * S, end = 65 * S;
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
                System.out.println(report + "\n  " + sim.counters());
                assertNoWaitBeyondTheWatchdog(sim);
            }
        }
    }

    /**
     * An RT thread on each CPU waking every millisecond (the VM workload nice5rt: cyclictest -S beside the hogs) cuts
     * every run into pieces the kernel resumes without a record. Shares still follow the weights: every piece is
     * charged (run_total), not only the last. Charging the last piece only, this test saw a nice -5 hog get 0.246 of
     * the hogs' CPU for 0.348, and the VM a nice 0:5 ratio of 2.31 for 3.06 (05:22 UTC 2026-12-03,
     * bench/results/c11-rt-vm-20261203T0522Z-before.txt).
     */
    @Test
    void sharesFollowTheWeightsWhenAHigherClassInterruptsEveryRun() {
        try (Simulation sim = new Simulation(SimParams.of(2, 21))) {
            // nice -5 and 0 get the same slice (the full one): charged their last piece only, everyone sat at the
            // clock's floor and took turns of equal length, 1:1 where the weights say 3:1
            int[] nice = {-5, -5, 0, 0, 5, 5};
            for (int i = 0; i < nice.length; i++) sim.add(SimTask.hog(700 + i, nice[i]), i * MS);
            sim.higherClassEvery(MS, 50_000);
            sim.run(5 * S, 45 * S);
            long w = 0, cpu = 0;
            for (SimTask t : sim.tasks()) if (t.pid >= 700) { w += t.weight(); cpu += t.measuredCpuNs(); }
            StringBuilder report = new StringBuilder("hogs beside a higher class:");
            for (SimTask t : sim.tasks()) {
                if (t.pid < 700) continue;
                double share = (double) t.measuredCpuNs() / cpu, expected = (double) t.weight() / w;
                report.append(String.format(" %s %.4f vs %.4f (%+.2f%%)", t, share, expected, (share / expected - 1) * 100));
                assertTrue(Math.abs(share / expected - 1) <= 0.10, t + ": " + share + " of the hogs' CPU vs " + expected);
            }
            System.out.println(report + "\n  " + sim.counters());
            assertNoWaitBeyondTheWatchdog(sim);
        }
    }

    /**
     * A higher class holds CPU 1 for 950 ms of every second (a SCHED_FIFO busy loop; the kernel's deadline server runs
     * sched_ext there about 50 ms a second): the two hogs share what is left evenly. The hog the busy loop interrupts
     * comes back through ops.enqueue (7.x, SCX_ENQ_IMMED) and waits in the shared DSQ, where CPU 0 takes it in turn;
     * left at the head of CPU 1's local DSQ, it waited there for the loop to let go: the VM (rthog) gave 28.7 % and
     * 71.3 % of a CPU where EEVDF gives 44.7 % each.
     */
    @Test
    void hogsShareWhatAHigherClassLeavesWhenItHoldsACpu() {
        try (Simulation sim = new Simulation(SimParams.of(2, 5))) {
            SimTask a = sim.add(SimTask.hog(800, 0), 0);
            SimTask b = sim.add(SimTask.hog(801, 0), MS);
            sim.higherClassOn(1, 1000 * MS, 950 * MS, 100 * MS);
            sim.run(5 * S, 45 * S);
            double sa = a.measuredCpuNs() / 40e9, sb = b.measuredCpuNs() / 40e9;
            System.out.printf("hogs beside a higher class on CPU 1: %.4f and %.4f of a CPU%n  %s%n", sa, sb,
                    sim.counters());
            assertTrue(Math.min(sa, sb) / Math.max(sa, sb) >= 0.9, "shares " + sa + " and " + sb);
            assertTrue(sa + sb >= 1.0, "together at least CPU 0: " + (sa + sb));
            assertNoWaitBeyondTheWatchdog(sim);
        }
    }

    /**
     * The scheduling thread, woken onto CPU 1 in the deadline server's last moments there, runs on CPU 0 when the busy
     * loop takes CPU 1 again: it waits in DIRECT, which any CPU takes. Inserted into CPU 1's local DSQ (with or
     * without SCX_ENQ_IMMED, which the kernel does not re-check while a task waits), it waited for the server's next
     * turn, 930-950 ms in the VM, and no decision was made meanwhile (ftrace, 2026-12-04,
     * bench/results/rthog-sched-thread-vm-20261204T1040Z.txt). Tasks waking on CPU 1 (a kworker's timer, as
     * rcu_preempt's there) send the records that wake the thread onto CPU 1.
     */
    @Test
    void schedulingThreadLeavesACpuAHigherClassTakes() {
        try (Simulation sim = new Simulation(SimParams.of(2, 5))) {
            sim.add(SimTask.hog(810, 0), 0);
            sim.add(SimTask.hog(811, 0), MS);
            sim.add(SimTask.periodic(812, 0, 50_000, 3 * MS, MS).pinnedTo(1), 2 * MS);
            sim.higherClassOn(1, 1000 * MS, 950 * MS, 100 * MS);
            sim.run(5 * S, 45 * S);
            long wait = sim.schedulingThread().maxWaitNs();
            System.out.printf("the scheduling thread beside a higher class on CPU 1: longest wait %.2f ms%n  %s%n",
                    wait / 1e6, sim.counters());
            assertTrue(wait < SchedulerOptions.defaults().sliceNs(), "the scheduling thread waited " + wait / 1e6 + " ms");
        }
    }

    /**
     * Woken from the other CPU (the record's irq_work ran there), the scheduling thread is taken by whichever CPU
     * dispatches first; it waits for the CPU it woke on only when that CPU is the one waking it. Where a kick takes as
     * long as a single-threaded emulator's turn to the other vCPU, waiting for it held every decision: in the VM A/B's
     * hackbench loop such wake-ups waited 1.46 ms at the median against 0.036 ms on its own CPU (ftrace, 2026-12-04).
     */
    @Test
    void schedulingThreadWokenFromTheOtherCpuIsNotHeldForItsOwn() {
        try (Simulation sim = new Simulation(SimParams.of(2, 7).withLatencies(1_500_000L, 10_000L))) {
            for (int i = 0; i < 16; i++) sim.add(SimTask.periodic(900 + i, 0, 100_000, 2 * MS, MS), i * 100_000L);
            sim.run(2 * S, 10 * S);
            SimTask st = sim.schedulingThread();
            long p50 = st.waitPercentile(50), p99 = st.waitPercentile(99);
            System.out.printf("the scheduling thread, kicks at 1.5 ms: waits p50 %.3f ms p99 %.3f ms over %d%n  %s%n",
                    p50 / 1e6, p99 / 1e6, st.waitCount(), sim.counters());
            // held for its own CPU on every wake-up: p50 1.04 ms here (seed 7); taken by the first CPU: 0.65 ms
            assertTrue(p50 < 850_000, "the scheduling thread's median wait was " + p50 / 1e6 + " ms");
            assertNoWaitBeyondTheWatchdog(sim);
        }
    }

    /**
     * A decided task that starts on a CPU the waiting scheduling thread may take gives way to it at once. Woken onto
     * an idle CPU with nothing waiting, a task goes straight to that CPU's local DSQ, which the kernel runs without
     * ops.dispatch; when the thread wakes in the moment between (here a kick takes 1.5 ms, as an IPI can under
     * single-threaded TCG), jl_enqueue_sched_thread finds nothing on that CPU to preempt, and the task then held the
     * thread for its 15 ms burst (the VM's 21.1 ms late start under the fifo transport, 2026-12-04). Without the cut
     * in jl_running: 20-63 waits over 5 ms in 30 s, the longest 13-16 ms, under either policy (seeds 1-4); with it
     * the longest is 2.9-3.0 ms, two kicks.
     */
    @Test
    void aDecidedTaskStartingWhereTheSchedulingThreadWaitsGivesWay() {
        for (String policy : new String[]{"deadline", "fifo"}) {
            try (Simulation sim = new Simulation(SimParams.of(2, 1).withLatencies(1_500_000L, 10_000L),
                    PolicyProviders.find(policy))) {
                sim.add(SimTask.hog(700, 0), 0);
                for (int i = 0; i < 3; i++) sim.add(SimTask.periodic(800 + i, 0, 15 * MS, 10 * MS, 20 * MS), 3 * MS + i * 700_000L);
                for (int i = 0; i < 20; i++) sim.add(SimTask.periodic(900 + i, 0, MS / 5, 5 * MS, 10 * MS), 5 * MS + i * 300_000L);
                sim.run(2 * S, 32 * S);
                SimTask st = sim.schedulingThread();
                long over5 = Arrays.stream(st.waits()).filter(w -> w > 5 * MS).count();
                System.out.printf("%s, kicks at 1.5 ms, bursts beside the thread: its longest wait %.2f ms, %d over 5 ms,"
                        + " of %d%n  %s%n", policy, st.maxWaitNs() / 1e6, over5, st.waitCount(), sim.counters());
                assertTrue(st.maxWaitNs() < 5 * MS, policy + ": the scheduling thread waited " + st.maxWaitNs() / 1e6 + " ms");
                assertNoWaitBeyondTheWatchdog(sim);
            }
        }
    }

    /** With sleepers and bursty tasks taking CPU in between, the hogs still split what is left by weight. */
    @Test
    void hogsSplitWhatOthersLeaveByWeight() {
        try (Simulation sim = new Simulation(SimParams.of(2, 11))) {
            int[] hogNice = {-3, -1, 0, 2, 4};
            List<SimTask> hogs = new ArrayList<>();
            for (int i = 0; i < hogNice.length; i++) hogs.add(sim.add(SimTask.hog(900 + i, hogNice[i]), i * MS));
            sim.add(SimTask.periodic(950, 0, MS / 2, 5 * MS, 10 * MS), 2 * MS);
            sim.add(SimTask.periodic(951, -5, 30 * MS, 20 * MS, 20 * MS), 3 * MS);
            sim.add(SimTask.periodic(952, 5, 8 * MS, 4 * MS, 8 * MS), 4 * MS);
            sim.run(5 * S, 65 * S);
            long hogCpu = hogs.stream().mapToLong(SimTask::measuredCpuNs).sum();
            long hogW = hogs.stream().mapToLong(SimTask::weight).sum();
            StringBuilder report = new StringBuilder(String.format("hogs got %.2f of 2 CPUs:", hogCpu / 60e9));
            for (SimTask h : hogs) {
                double share = (double) h.measuredCpuNs() / hogCpu;
                double expected = (double) h.weight() / hogW;
                report.append(String.format(" %s %.4f vs %.4f (%+.2f%%)", h, share, expected, (share / expected - 1) * 100));
                assertTrue(Math.abs(share / expected - 1) <= 0.10, h + ": " + share + " of the hogs' CPU vs " + expected);
            }
            System.out.println(report);
            assertNoWaitBeyondTheWatchdog(sim);
        }
    }

    /**
     * A task that wakes from a sleep while every CPU runs a hog: its record wakes the scheduling thread, which takes
     * a CPU at once (SCX_ENQ_PREEMPT), decides, and on blocking again hands that CPU to the woken task, whose deadline
     * is ahead of every hog's. Checked in every case: the sleeper never waits as long as one hog slice, hogs were
     * preempted, and the p99 ratio (hogs / sleeper) is at least 5.
     */
    @Test
    void aMostlySleepingTaskWaitsFarLessThanTheHogsBesideIt() {
        int[][] cases = {{2, 4}, {4, 4}, {2, 6}}; // CPUs, overload
        for (int[] c : cases) {
            int cpus = c[0], overload = c[1];
            try (Simulation sim = new Simulation(SimParams.of(cpus, 7))) {
                int nHogs = overload * cpus;
                List<SimTask> hogs = new ArrayList<>();
                for (int i = 0; i < nHogs; i++) hogs.add(sim.add(SimTask.hog(200 + i, 0), i * MS));
                // runs 0.5 ms, then sleeps 5 to 15 ms: an interactive task, under 5% of a CPU
                SimTask sleeper = sim.add(SimTask.periodic(300, 0, MS / 2, 5 * MS, 10 * MS), 3 * MS);
                sim.run(5 * S, 65 * S);
                long[] hogWaits = hogs.stream().flatMapToLong(h -> Arrays.stream(h.waits())).toArray();
                long hogP99 = SimTask.percentile(hogWaits, 99);
                long sleeperP99 = sleeper.waitPercentile(99);
                double ratio = (double) hogP99 / sleeperP99;
                System.out.printf("%dx overload, %d hogs on %d CPUs: sleeper p99 wait %.3f ms (p50 %.3f, max %.3f, n=%d);"
                                + " hogs p99 %.3f ms (p50 %.3f); ratio %.1f; %d preemptions%n",
                        overload, nHogs, cpus, sleeperP99 / 1e6, sleeper.waitPercentile(50) / 1e6,
                        sleeper.maxWaitNs() / 1e6, sleeper.waitCount(), hogP99 / 1e6,
                        SimTask.percentile(hogWaits, 50) / 1e6, ratio, sim.preemptions());
                assertTrue(sleeper.waitCount() > 1000, "the sleeper ran " + sleeper.waitCount() + " times");
                long hogSlice = sim.policy().params().sliceNs(); // weight 100: the full slice
                assertTrue(sleeper.maxWaitNs() < hogSlice,
                        "the sleeper waited " + sleeper.maxWaitNs() + " ns: as long as one hog slice " + hogSlice);
                assertTrue(sim.preemptions() > 0, "no hog was ever preempted");
                assertTrue(ratio >= 5, "sleeper p99 " + sleeperP99 + " ns vs hogs p99 " + hogP99 + " ns");
                assertNoWaitBeyondTheWatchdog(sim);
            }
        }
    }

    @Test
    void noRunnableTaskWaitsLongerThanItsBoundUnderFourfoldOverload() {
        try (Simulation sim = new Simulation(SimParams.of(2, 99))) {
            sim.checkWaitBound();
            // CPU demand about 4.9 CPUs' worth per CPU: 6 hogs of mixed nice, 6 bursty tasks (30 ms on, 10-30 ms off)
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
                demand += t.isHog() ? 1000 : 1000 * t.burstNs() / (t.burstNs() + t.sleepNs() + t.sleepJitterNs() / 2);
            }
            assertTrue(demand >= 4 * 1000 * 2, "demand " + demand / 1000.0 + " CPUs is under 4x overload");
            sim.run(2 * S, 62 * S);
            assertTrue(sim.maxDecidedSliceNs() <= sim.policy().params().sliceNs());
            StringBuilder report = new StringBuilder(String.format("demand %.2f CPUs on 2 CPUs, %d waits checked%n",
                    demand / 1000.0, sim.waitsChecked()));
            for (SimTask t : sim.tasks()) {
                report.append(String.format("  %s max wait %.2f ms, p99 %.2f ms, at most %.0f%% of its bound%n",
                        t, t.maxWaitNs() / 1e6, t.waitPercentile(99) / 1e6, 100 * sim.worstWaitToBound(t)));
                assertTrue(t.waitCount() > 0, t + " never ran");
            }
            System.out.print(report);
            assertTrue(sim.waitsChecked() > 10_000, "only " + sim.waitsChecked() + " waits checked");
            assertNull(sim.waitBoundViolation());
            assertEquals(0, sim.policy().counters().arenaFailures);
            assertNoWaitBeyondTheWatchdog(sim);
        }
    }

    /**
     * The bound is not vacuous: a storm of sleepers waking together, each with a slice of credit and runs long enough
     * to use it, keeps the hogs waiting for a good part of their bound (43 % each; the bound takes the credit, the cap
     * and the slices in force, which shrink under contention).
     */
    @Test
    void aWakeStormApproachesTheBoundWithoutExceedingIt() {
        try (Simulation sim = new Simulation(SimParams.of(2, 5))) {
            sim.checkWaitBound();
            List<SimTask> hogs = new ArrayList<>();
            for (int i = 0; i < 2; i++) hogs.add(sim.add(SimTask.hog(700 + i, 0), 0));
            // 8 tasks that sleep 400 ms and then want 100 ms of CPU, all in step
            for (int i = 0; i < 8; i++) sim.add(SimTask.periodic(800 + i, 0, 100 * MS, 400 * MS, 0), 50 * MS);
            sim.run(1 * S, 31 * S);
            for (SimTask t : sim.tasks()) {
                System.out.printf("storm: %s max wait %.1f ms, at most %.0f%% of its bound%n",
                        t, t.maxWaitNs() / 1e6, 100 * sim.worstWaitToBound(t));
            }
            assertNull(sim.waitBoundViolation());
            for (SimTask h : hogs) {
                assertTrue(sim.worstWaitToBound(h) >= 0.25,
                        h + " waited at most " + sim.worstWaitToBound(h) + " of its bound: the storm did not stress it");
            }
            assertNoWaitBeyondTheWatchdog(sim);
        }
    }

    /**
     * More sleepers' demand than CPUs (stress-ng --sleep beside other stressors in the VM soak). A clock that moved
     * only when a later deadline started stood still while the sleepers, each floored one slice below it at every
     * wake-up, ran: once a task was above the clock (a hog, or a sleeper that had used up its credit) a steady stream
     * of newcomers below kept it waiting (in the VM: "stress-ng-sleep failed to run for 5.476s"). The clock now also
     * moves with the service the CPUs deliver (jl_advance_clock).
     */
    @Test
    void sleepersDemandingMoreThanTheCpusStarveNoTask() {
        try (Simulation sim = new Simulation(SimParams.of(2, 17))) {
            for (int i = 0; i < 2; i++) sim.add(SimTask.hog(900 + i, 0), i * MS);
            // 500 tasks that run 0.1 ms and sleep 10-20 ms: 3.3 CPUs' worth of demand on 2 CPUs
            for (int i = 0; i < 500; i++) sim.add(SimTask.periodic(1000 + i, 0, MS / 10, 10 * MS, 10 * MS), 3 * MS + i * 20_000L);
            sim.run(1 * S, 21 * S);
            SimTask worst = sim.tasks().get(0);
            for (SimTask t : sim.tasks()) {
                if (t.maxWaitNs() > worst.maxWaitNs()) worst = t;
                assertTrue(t.waitCount() > 0, t + " never ran");
            }
            System.out.printf("sleeper crowd: the longest wait %.1f ms (%s)%n", worst.maxWaitNs() / 1e6, worst);
            assertTrue(worst.maxWaitNs() < WATCHDOG_NS / 5, worst + " waited " + worst.maxWaitNs() / 1e6 + " ms");
        }
    }

    /**
     * The daemon's other threads (JIT, GC) are placed by BPF in the shared DSQ. Placed at vtime_now every time, with
     * more CPU-bound such threads than CPUs, nothing decided past vtime_now ever ran: two hogs waited the whole 20 s
     * (the watchdog would have ejected the scheduler after 5 s). They now carry a vruntime of their own (jl_task's
     * helper_vtime), charged like the policy's tasks, so the hogs get their turns.
     */
        @Test
    void moreCpuBoundDaemonThreadsThanCpusDoNotStarveOtherTasks() {
        try (Simulation sim = new Simulation(SimParams.of(2, 42))) {
            for (int j = 0; j < 3; j++) sim.add(SimTask.daemonThread(50 + j, SimTask.FOREVER, 0), j * MS);
            for (int i = 0; i < 2; i++) sim.add(SimTask.hog(100 + i, 0), 10 * MS + i * MS);
            sim.run(0, 20 * S);
            assertNoWaitBeyondTheWatchdog(sim);
        }
    }
}
