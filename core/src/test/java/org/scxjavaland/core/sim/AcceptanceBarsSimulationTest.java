package org.scxjavaland.core.sim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

import static org.scxjavaland.core.sim.PolicySimulationTest.MS;
import static org.scxjavaland.core.sim.PolicySimulationTest.S;
import static org.scxjavaland.core.sim.PolicySimulationTest.assertNoWaitBeyondTheWatchdog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance bars of issue 8, which the VM checks on the real kernel, here on 2 simulated CPUs: what the
 * simulator says must not be better than what the kernel does (a bar met here and missed there is a defect of the
 * simulator). Each scenario runs 10 s after 2 s of settling, like the VM's quick check.
 */
class AcceptanceBarsSimulationTest {
    private static final int CPUS = 2;

    /** CPU time of the tasks of one nice level over that of another, in the same run. */
    private static double ratio(Simulation sim, int niceA, int niceB) {
        long a = 0, b = 0;
        for (SimTask t : sim.tasks()) {
            if (!t.isHog()) continue;
            if (t.nice() == niceA) a += t.measuredCpuNs();
            else if (t.nice() == niceB) b += t.measuredCpuNs();
        }
        return (double) a / b;
    }

    private static Simulation hogs(long seed, int... nices) {
        Simulation sim = new Simulation(SimParams.of(CPUS, seed));
        for (int i = 0; i < nices.length; i++) sim.add(SimTask.hog(100 + i, nices[i]), i * MS);
        return sim;
    }

    /**
     * Hogs of the given nice values while a kworker runs 0.65 ms every 25 ms on each CPU and the daemon answers as
     * slowly as under emulation (1 ms wake-up and IPI, 0.7 ms per round: the VM's ftrace).
     */
    private static Simulation hogsBesideKworkersOnAVmLikeMachine(long seed, int... nices) {
        long us = MS / 1000;
        Simulation sim = new Simulation(SimParams.of(CPUS, seed).withLatencies(MS, MS).withRoundCost(700 * us, 5 * us));
        for (int i = 0; i < nices.length; i++) sim.add(SimTask.hog(100 + i, nices[i]), i * MS);
        for (int cpu = 0; cpu < CPUS; cpu++) sim.add(SimTask.perCpuKthread(300 + cpu, cpu, 650 * us, 25 * MS), (7 + cpu) * MS);
        return sim;
    }

    /**
     * {@link #hogsBesideKworkersOnAVmLikeMachine}, and three nice 0 tasks that wake every 4-12 ms for 60 µs (what
     * rcu_preempt, unbound kworkers and the shell do in the VM): the daemon decides them, so they preempt the hogs.
     */
    private static Simulation hogsBesideKworkersAndWakersOnAVmLikeMachine(long seed, int... nices) {
        Simulation sim = hogsBesideKworkersOnAVmLikeMachine(seed, nices);
        for (int i = 0; i < 3; i++) sim.add(SimTask.periodic(400 + i, 0, 60 * MS / 1000, 8 * MS, 4 * MS), (11 + i) * MS);
        return sim;
    }

    /** The weights say 3.03; the VM (ab04241, 10 s, 2+2 hogs, two boots) 3.09, EEVDF 3.06-3.08 in the same boots. */
    @Test
    void niceZeroAndNiceFiveHogsShareByTheirWeights() {
        try (Simulation sim = hogs(42, 0, 0, 5, 5)) {
            sim.run(2 * S, 12 * S);
            double r = ratio(sim, 0, 5);
            System.out.printf("nice 0:5 CPU ratio %.2f (VM 3.09 in two boots, 2026-12-01 21:56 and 22:38)%n  %s%n", r, sim.counters());
            assertTrue(r >= 2.5 && r <= 4.0, "nice 0:5 ratio " + r);
            assertNoWaitBeyondTheWatchdog(sim);
        }
    }

    /**
     * sched_ext weights 100 and 1 (nice 19's 15 / 1024 rounds to 1): the ratio is within 10 % of 100. It was 119 while
     * the clock moved only when runs stopped: the nice 0 hogs, kept running 480 ms at a time, ran ahead of a clock
     * that stood still, and the lag clamp forgave them 80 ms of each run. The VM measured 84-104 (median 97) with the
     * same code (ftrace experiment, 2026-12-01; docs/policy.md).
     */
    @Test
    void niceNineteenHogsGetAFractionOfWhatNiceZeroHogsGet() {
        try (Simulation sim = hogs(42, 0, 0, 19, 19)) {
            sim.run(2 * S, 12 * S);
            double r = ratio(sim, 0, 19);
            System.out.printf("nice 0:19 CPU ratio %.1f (weights 100)%n  %s%n", r, sim.counters());
            assertTrue(r >= 90 && r <= 110, "nice 0:19 ratio " + r);
            assertNoWaitBeyondTheWatchdog(sim);
        }
    }

    /**
     * The same hogs while a kworker runs 0.65 ms every 25 ms on each CPU and the daemon answers as slowly as under
     * emulation (1 ms wake-up and IPI, 0.7 ms per round: the VM's ftrace). A kworker takes the CPU at a nice 0 hog's
     * slice end; when it sleeps, the hog's decision is still on its way. Without jl_resume_interrupted the CPU took
     * what waited in the DSQs, a nice 19 hog, every time: ratio 13, below the acceptance bar of 20 (the VM measured
     * 55-66 with fewer interruptions). With it the interrupted hog runs again when it is still due first.
     */
    @Test
    void niceNineteenHogsGetNoExtraTurnsWhenKworkersInterruptTheNiceZeroOnes() {
        try (Simulation sim = hogsBesideKworkersOnAVmLikeMachine(42, 0, 0, 19, 19)) {
            sim.run(2 * S, 12 * S);
            double r = ratio(sim, 0, 19);
            System.out.printf("nice 0:19 CPU ratio %.1f beside kworkers, VM-like daemon costs (weights 100)%n  %s%n", r,
                    sim.counters());
            assertTrue(r >= 100 / 1.5 && r <= 100 * 1.5, "nice 0:19 ratio " + r);
            assertTrue(sim.resumed() > 0, "no interrupted task was resumed: " + sim.counters());
            assertNoWaitBeyondTheWatchdog(sim);
        }
    }

    /**
     * The same machine with tasks that wake, preempt a nice 0 hog and sleep again within 60 µs. The interrupted hog
     * resumes when the woken task sleeps (its decision is still on its way). When any decided task's start ended
     * that claim, the CPU went to a nice 19 hog instead, whose deadline, far ahead, became the clock: the nice 0
     * hogs were then floored up to it. Ratio 82.0 on seed 41 that way (the VM measured 67-84); 93 on each seed now.
     */
    @Test
    void niceNineteenHogsGetNoExtraTurnsWhenWokenTasksPreemptTheNiceZeroOnes() {
        assertSharesWithinTenPercentOnThreeSeeds(seed -> hogsBesideKworkersAndWakersOnAVmLikeMachine(seed, 0, 0, 19, 19),
                19, 100, "beside kworkers and woken tasks, VM-like daemon costs");
    }

    /**
     * The same interruptions beside nice 5 hogs, on three seeds: the shares stay within 10 % of the weights (100 : 33).
     * Two faults gave nice 0 more, and this test fails with either back. The lag clamp at one credit forgave every
     * overrun of a nice 0 hog's slice (3.2-3.6; the VM measured 3.3). A task resumed after an interruption kept the
     * deadline of its last decision, so BPF's later projections forgot the runs between and one nice 0 hog kept its
     * CPU for 9.8 s of 10 (4.07).
     */
    @Test
    void niceFiveHogsGetTheirWeightWhenKworkersInterruptTheNiceZeroOnes() {
        assertSharesWithinTenPercentOnThreeSeeds(seed -> hogsBesideKworkersOnAVmLikeMachine(seed, 0, 0, 5, 5), 5, 100.0 / 33,
                "beside kworkers, VM-like daemon costs");
    }

    /**
     * Two nice 0 hogs and two of nice {@code niced} on the given machine, seeds 41-43: the CPU ratio is within 10 % of
     * the weights' on every seed, an interrupted task was resumed, and no task waited as long as the watchdog allows.
     */
    private static void assertSharesWithinTenPercentOnThreeSeeds(LongFunction<Simulation> machine, int niced,
                                                                 double weights, String what) {
        for (long seed = 41; seed <= 43; seed++) {
            try (Simulation sim = machine.apply(seed)) {
                sim.run(2 * S, 12 * S);
                double r = ratio(sim, 0, niced);
                System.out.printf("seed %d: nice 0:%d CPU ratio %.2f %s (weights %.2f)%n  %s%n", seed, niced, r, what,
                        weights, sim.counters());
                assertTrue(Math.abs(r / weights - 1) <= 0.10, "seed " + seed + ": nice 0:" + niced + " ratio " + r);
                assertTrue(sim.resumed() > 0, "no interrupted task was resumed: " + sim.counters());
                assertNoWaitBeyondTheWatchdog(sim);
            }
        }
    }

    /** SCHED_IDLE's kernel weight 3 is sched_ext weight 1 (the minimum). */
    @Test
    void aWeightOneHogGetsUnderFivePercentOfACpuBesideNiceZeroHogs() {
        try (Simulation sim = new Simulation(SimParams.of(CPUS, 42))) {
            for (int i = 0; i < CPUS; i++) sim.add(SimTask.hog(100 + i, 0), i * MS);
            SimTask idle = sim.add(SimTask.hogOfWeight(110, 1), 3 * MS);
            sim.run(2 * S, 12 * S);
            double share = idle.measuredCpuNs() / 10e9;
            double byWeight = CPUS * 1.0 / (CPUS * 100 + 1);
            System.out.printf("weight-1 hog beside %d nice-0 hogs: %.2f%% of a CPU (weights %.2f%%)%n", CPUS, 100 * share,
                    100 * byWeight);
            assertTrue(share < 0.05, "the weight-1 hog got " + share + " of a CPU");
            assertTrue(Math.abs(share / byWeight - 1) <= 0.10, "the weight-1 hog got " + share + " of a CPU");
            assertNoWaitBeyondTheWatchdog(sim);
        }
    }

    /** One hog per CPU and a task that runs 2 ms every 10 ms: each hog keeps at least 45 % of a CPU. */
    @Test
    void hogsOnEveryCpuKeepMostOfItBesideAPeriodicSleeper() {
        try (Simulation sim = new Simulation(SimParams.of(CPUS, 42))) {
            List<SimTask> hogs = new ArrayList<>();
            for (int i = 0; i < CPUS; i++) hogs.add(sim.add(SimTask.hog(100 + i, 0), i * MS));
            SimTask sleeper = sim.add(SimTask.periodic(120, 0, 2 * MS, 8 * MS, 0), 3 * MS);
            sim.run(2 * S, 12 * S);
            StringBuilder report = new StringBuilder("hogs beside a 2 ms / 10 ms sleeper:");
            for (SimTask h : hogs) report.append(String.format(" %.1f%%", 100 * h.measuredCpuNs() / 10e9));
            System.out.println(report + String.format("; the sleeper %.1f%%, wait p99 %.3f ms",
                    100 * sleeper.measuredCpuNs() / 10e9, sleeper.waitPercentile(99) / 1e6));
            for (SimTask h : hogs) {
                assertTrue(h.measuredCpuNs() >= 0.45 * 10 * S, h + " got " + h.measuredCpuNs() + " ns");
            }
            assertNoWaitBeyondTheWatchdog(sim);
        }
    }

    /**
     * Two hogs per CPU and a task that runs 0.5 ms after sleeping 5-15 ms: from its wake-up to running it waits for
     * the scheduling thread's round and a reschedule, not for a slice to end (that would be up to a tick past 20 ms).
     */
    @Test
    void aWokenSleeperWaitsLittleBesideTwoHogsPerCpu() {
        try (Simulation sim = new Simulation(SimParams.of(CPUS, 7))) {
            for (int i = 0; i < 2 * CPUS; i++) sim.add(SimTask.hog(100 + i, 0), i * MS);
            SimTask sleeper = sim.add(SimTask.periodic(120, 0, MS / 2, 5 * MS, 10 * MS), 3 * MS);
            sim.run(2 * S, 12 * S);
            System.out.printf("woken sleeper beside 2 hogs per CPU: wait p50 %.3f ms, p99 %.3f ms, max %.3f ms (n=%d)%n",
                    sleeper.waitPercentile(50) / 1e6, sleeper.waitPercentile(99) / 1e6, sleeper.maxWaitNs() / 1e6,
                    sleeper.waitCount());
            assertTrue(sleeper.waitCount() > 500);
            assertTrue(sleeper.waitPercentile(99) < MS, "p99 " + sleeper.waitPercentile(99) + " ns");
            assertEquals(0, sim.directWakeups(), "a wake-up skipped the daemon while hogs waited: " + sim.counters());
            assertNoWaitBeyondTheWatchdog(sim);
        }
    }

    /**
     * The same sleeper pinned to one CPU, as cyclictest's measuring thread is, on each CPU in turn: on one of them the
     * scheduling thread runs on the other CPU, and without the kick for a pinned wake-up (jl_preempt_cpu) the
     * sleeper waited for its own CPU's hog to end a slice: p50 3.5 ms, p99 7.9 ms here.
     */
    @Test
    void aWokenSleeperPinnedToABusyCpuWaitsLittleWhereverTheSchedulingThreadRuns() {
        for (int pin = 0; pin < CPUS; pin++) {
            try (Simulation sim = new Simulation(SimParams.of(CPUS, 7))) {
                for (int i = 0; i < 2 * CPUS; i++) sim.add(SimTask.hog(100 + i, 0), i * MS);
                SimTask sleeper = sim.add(SimTask.periodic(120, 0, MS / 2, 5 * MS, 10 * MS).pinnedTo(pin), 3 * MS);
                sim.run(2 * S, 12 * S);
                System.out.printf("sleeper pinned to CPU %d beside 2 hogs per CPU: wait p50 %.3f ms, p99 %.3f ms, max %.3f ms (n=%d)%n  %s%n",
                        pin, sleeper.waitPercentile(50) / 1e6, sleeper.waitPercentile(99) / 1e6,
                        sleeper.maxWaitNs() / 1e6, sleeper.waitCount(), sim.counters());
                assertTrue(sleeper.waitCount() > 500);
                assertTrue(sleeper.waitPercentile(99) < MS, "pinned to CPU " + pin + ": p99 " + sleeper.waitPercentile(99) + " ns");
                assertNoWaitBeyondTheWatchdog(sim);
            }
        }
    }

    /**
     * One hog and a task that sleeps 1-2 ms between 0.2 ms runs, on 2 CPUs: a CPU is idle at nearly every wake-up
     * and nothing waits, so BPF places the woken task there itself (jl_select_cpu) instead of a round trip through
     * the daemon. The hog keeps its CPU, and the shares stay what the CPUs give.
     */
    @Test
    void aWakeUpOntoAnIdleCpuWithNothingWaitingSkipsTheDaemon() {
        try (Simulation sim = new Simulation(SimParams.of(CPUS, 11))) {
            SimTask hog = sim.add(SimTask.hog(100, 0), 0);
            SimTask sleeper = sim.add(SimTask.periodic(120, 0, MS / 5, MS, MS), 3 * MS);
            sim.run(S, 6 * S);
            long wakeups = sleeper.waitCount();
            System.out.printf("sleeper beside one hog on %d CPUs: %d runs, %d direct wake-ups, wait p99 %.3f ms; hog %.1f %%%n",
                    CPUS, wakeups, sim.directWakeups(), sleeper.waitPercentile(99) / 1e6,
                    100.0 * hog.measuredCpuNs() / (5.0 * S));
            System.out.println(sim.counters());
            assertTrue(wakeups > 1000, "the sleeper ran " + wakeups + " times");
            assertTrue(sim.directWakeups() >= wakeups * 9 / 10,
                    sim.directWakeups() + " of " + wakeups + " wake-ups skipped the daemon");
            assertTrue(sleeper.waitPercentile(99) < MS / 10, "p99 " + sleeper.waitPercentile(99) + " ns");
            assertNoWaitBeyondTheWatchdog(sim);
        }
    }
}
