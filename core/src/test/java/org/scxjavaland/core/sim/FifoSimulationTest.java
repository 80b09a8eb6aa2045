package org.scxjavaland.core.sim;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.policy.PolicyProviders;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scxjavaland.core.sim.PolicySimulationTest.MS;
import static org.scxjavaland.core.sim.PolicySimulationTest.S;
import static org.scxjavaland.core.sim.PolicySimulationTest.assertNoWaitBeyondTheWatchdog;

/**
 * The FIFO policy ({@code --policy=fifo}) on the simulator, found as the daemon finds it: what it promises is
 * round-robin, not weights. Every scenario also checks the watchdog's 5 s.
 */
class FifoSimulationTest {
    /** The slice of the default options (--slice-us 20000), the FIFO's only one. */
    private static final long SLICE = 20 * MS;

    private static Simulation fifo(int cpus, long seed) {
        return new Simulation(SimParams.of(cpus, seed), PolicyProviders.find("fifo"));
    }

    /** More hogs than CPUs, of every nice: each gets the same share, within 10 %. */
    @Test
    void hogsShareTheCpusEquallyWhateverTheirNice() {
        assertShares(new int[]{0, 0, 0, 0, 0, 0}, 2, 0.10);
        assertShares(new int[]{0, 0, 5, 5, 10, 19}, 2, 0.10);
    }

    /**
     * 8 hogs on 4 CPUs: 5 got 0.56 of a CPU, 3 got 0.40. Each slice that ends wakes the scheduling thread, which
     * preempts a hog on the CPU it takes, and a FIFO gives a task cut short no turn back (the deadline policy
     * charges only what ran); so the unequal cuts stay unequal. No starvation: within 25 %.
     */
    @Test
    void hogsOnFourCpusShareWithinAQuarter() {
        assertShares(new int[]{0, 0, 0, 0, 0, 0, 0, 0}, 4, 0.25);
    }

    private static void assertShares(int[] nices, int cpus, double tolerance) {
        try (Simulation sim = fifo(cpus, 42)) {
            for (int i = 0; i < nices.length; i++) sim.add(SimTask.hog(101 + i, nices[i]), (i + 1) * MS);
            sim.run(5 * S, 35 * S);
            double expected = (double) cpus / nices.length;
            StringBuilder report = new StringBuilder("fifo, " + cpus + " CPUs:");
            for (SimTask t : sim.tasks()) report.append(String.format(" %s %.3f", t, t.measuredCpuNs() / 30e9));
            System.out.println(report + " of a CPU, expected " + String.format("%.3f", expected) + "\n  " + sim.counters());
            for (SimTask t : sim.tasks()) {
                double share = t.measuredCpuNs() / 30e9;
                assertTrue(Math.abs(share / expected - 1) <= tolerance, t + ": " + share + " of a CPU vs " + expected);
            }
            assertNoWaitBeyondTheWatchdog(sim);
            assertEquals(0, sim.schedulingPolicy().counters().arenaFailures);
        }
    }

    /** As many hogs as CPUs: each keeps its CPU (all but what the daemon's thread takes). */
    @Test
    void asManyHogsAsCpusEachKeepACpu() {
        try (Simulation sim = fifo(4, 3)) {
            for (int i = 0; i < 4; i++) sim.add(SimTask.hog(100 + i, 0), i * MS);
            sim.run(2 * S, 12 * S);
            for (SimTask t : sim.tasks()) {
                assertTrue(t.measuredCpuNs() / 10e9 >= 0.95, t + " got " + t.measuredCpuNs() / 10e9 + " of a CPU");
            }
        }
    }

    /**
     * A task that runs 0.5 ms every 5 to 15 ms beside 4 hogs per CPU is not starved: no slice is longer than the
     * FIFO's fixed one, and it waits at most for everything queued ahead of it, about one slice per hog per CPU.
     */
    @Test
    void aPeriodicSleeperBesideHogsWaitsAtMostItsTurn() {
        int cpus = 2, hogs = 8;
        try (Simulation sim = fifo(cpus, 7)) {
            for (int i = 0; i < hogs; i++) sim.add(SimTask.hog(200 + i, i % 3 * 5), i * MS);
            SimTask sleeper = sim.add(SimTask.periodic(300, 0, MS / 2, 5 * MS, 10 * MS), 3 * MS);
            sim.run(5 * S, 35 * S);
            long bound = (hogs / cpus + 1) * SLICE + SimParams.of(cpus, 7).tickNs();
            System.out.printf("fifo, %d hogs on %d CPUs: sleeper ran %d times, wait p50 %.2f ms p99 %.2f ms max %.2f ms"
                            + " (bound %.0f ms); hogs' longest wait %.2f ms%n  %s%n",
                    hogs, cpus, sleeper.waitCount(), sleeper.waitPercentile(50) / 1e6, sleeper.waitPercentile(99) / 1e6,
                    sleeper.maxWaitNs() / 1e6, bound / 1e6, sim.maxWaitNs() / 1e6, sim.counters());
            assertTrue(sleeper.waitCount() > 300, "the sleeper ran " + sleeper.waitCount() + " times");
            assertTrue(sleeper.maxWaitNs() <= bound, "the sleeper waited " + sleeper.maxWaitNs() / 1e6 + " ms");
            assertTrue(sim.maxDecidedSliceNs() <= SLICE);
            assertNoWaitBeyondTheWatchdog(sim);
        }
    }

    /**
     * Weight-1 hogs (SCHED_IDLE) advance BPF's clock by their runtime x 100 / 100 each (the runnable weight counts
     * as at least 100), so with one on each CPU it runs ahead of real time, 2x here, and the daemon's other threads
     * are placed at that clock. With the kernel's enqueue time alone as the decisions' vtime, the thread waited
     * behind every hog's decision for the real clock to catch up: 6.6 s within 20 s, past the watchdog. The policy
     * keeps its vtimes within a slice of BPF's clock.
     */
    @Test
    void lightHogsDoNotStarveTheDaemonsOtherThreads() {
        try (Simulation sim = fifo(2, 42)) {
            for (int i = 0; i < 4; i++) sim.add(SimTask.hogOfWeight(100 + i, 1), i * MS);
            SimTask jit = sim.add(SimTask.daemonThread(50, 2 * MS, 50 * MS), 5 * MS);
            sim.run(1 * S, 21 * S);
            System.out.printf("fifo, weight-1 hogs: the daemon's thread waited at most %.2f ms (%d waits)%n",
                    jit.maxWaitNs() / 1e6, jit.waitCount());
            assertTrue(jit.waitCount() > 100, "the daemon's thread ran " + jit.waitCount() + " times");
            assertTrue(jit.maxWaitNs() < 4 * SLICE, "the daemon's thread waited " + jit.maxWaitNs() / 1e6 + " ms");
            assertNoWaitBeyondTheWatchdog(sim);
        }
    }

    /**
     * A scheduling thread busy past its slice (here 1 ms a record, a crowd of sleepers) is still runnable when its
     * slice ends, and ops.dispatch runs before the kernel enqueues it: unless dispatch keeps it, its CPU takes a hog
     * for a fixed 20 ms slice and the thread, queued only then, waits for the next dispatch anywhere, up to a slice
     * (the VM's late starts under --policy=fifo, 20.07-20.8 ms; jl_keep_sched_thread).
     */
    @Test
    void aBusySchedulingThreadKeepsItsCpuAtSliceEnd() {
        try (Simulation sim = new Simulation(SimParams.of(2, 23).withRoundCost(20_000L, MS),
                PolicyProviders.find("fifo"))) {
            for (int i = 0; i < 4; i++) sim.add(SimTask.hog(700 + i, 0), i * MS);
            for (int i = 0; i < 40; i++) sim.add(SimTask.periodic(800 + i, 0, MS / 10, 20 * MS, 20 * MS), 3 * MS + i * 500_000L);
            sim.run(2 * S, 12 * S);
            long wait = sim.schedulingThread().maxWaitNs();
            System.out.printf("fifo, a scheduling thread busy past its slice: longest wait %.2f ms%n  %s%n", wait / 1e6,
                    sim.counters());
            assertTrue(wait < SLICE / 2, "the scheduling thread waited " + wait / 1e6 + " ms");
            assertNoWaitBeyondTheWatchdog(sim);
        }
    }

    /** A crowd of short sleepers demanding more than the CPUs, beside hogs: everyone runs, nobody near 5 s. */
    @Test
    void sleepersDemandingMoreThanTheCpusStarveNoTask() {
        try (Simulation sim = fifo(2, 17)) {
            for (int i = 0; i < 2; i++) sim.add(SimTask.hog(900 + i, 0), i * MS);
            for (int i = 0; i < 500; i++) sim.add(SimTask.periodic(1000 + i, 0, MS / 10, 10 * MS, 10 * MS), 3 * MS + i * 20_000L);
            sim.run(1 * S, 21 * S);
            List<SimTask> all = new ArrayList<>(sim.tasks());
            SimTask worst = all.get(0);
            for (SimTask t : all) {
                if (t.maxWaitNs() > worst.maxWaitNs()) worst = t;
                assertTrue(t.waitCount() > 0, t + " never ran");
            }
            System.out.printf("fifo, sleeper crowd: the longest wait %.1f ms (%s)%n", worst.maxWaitNs() / 1e6, worst);
            assertNoWaitBeyondTheWatchdog(sim);
        }
    }
}
