package org.scxjavaland.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scxjavaland.bpf.MapNames;
import org.scxjavaland.core.harness.HarnessProgram;
import org.scxjavaland.core.policy.DeadlinePolicy;
import org.scxjavaland.core.policy.SchedulingPolicy;
import org.scxjavaland.core.sched.Policies;
import org.scxjavaland.core.sched.ProcessHygiene;
import org.scxjavaland.core.sched.SchedulerOptions;
import org.scxjavaland.core.sched.SchedulingLoop;
import org.scxjavaland.core.sched.StatsSection;
import org.scxjavaland.core.testing.BpfTestSupport;
import org.scxjavaland.core.transport.Transport;
import org.scxjavaland.core.transport.TransportOptions;
import org.scxjavaland.core.transport.TransportProvider;
import org.scxjavaland.core.transport.Transports;
import org.scxjavaland.sys.LibC;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real scheduling loop and the real policy, over real BPF maps, with the harness program (run through
 * BPF_PROG_TEST_RUN) as the kernel side: what the daemon does under sched_ext, minus sched_ext.
 */
class SchedulingLoopHostTest {
    private static final int BATCH = 256;
    /** Distinct pids cycled through, so the policy's task table reaches a steady size. */
    private static final int PID_SPAN = 4096;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ringbuf", "fifo"})
    void theSamePolicyRunsOverEveryTransportAndEveryTaskComesBack(String transportName) throws Exception {
        BpfTestSupport.assumeBpf();
        TransportProvider provider = provider(transportName);
        try (Rig rig = new Rig(provider)) {
            assertInstanceOf(DeadlinePolicy.class, rig.policy, "the one shared policy");
            rig.pump(20_000);
            assertEquals(20_000, rig.drained, "every task produced came back as a decision, exactly once");
            assertEquals(20_000, rig.loop.counters().policyDecisions, "the loop sent one decision per task");
            assertEquals(0, rig.loop.counters().bouncedToShared, "the policy held every task");
            assertEquals(rig.loop.counters().taskRecords, rig.loop.counters().sent
                    + rig.policy.counters().superseded + rig.loop.held(), "every record received is decided, superseded or held");
        }
    }

    /**
     * Pid churn, as fork-heavy loads cause: every generation of pids is enqueued a few times and then exits. Each
     * exit frees the task's node (the allocator's free path), each new pid allocates one; at the end the policy
     * tracks nothing and the arena holds exactly what it held before the first task.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ringbuf", "fifo"})
    void tasksThatExitGiveTheirArenaBack(String transportName) throws Exception {
        BpfTestSupport.assumeBpf();
        TransportProvider provider = provider(transportName);
        try (Rig rig = new Rig(provider)) {
            DeadlinePolicy policy = (DeadlinePolicy) rig.policy;
            long baseline = policy.allocator().bytesInUse();
            int generations = 40;
            int lifetime = 3;
            for (int g = 0; g < generations; g++) {
                long firstPid = 10_000 + (long) g * BATCH;
                for (int k = 0; k < lifetime; k++) rig.pumpBatch(firstPid);
                rig.exitBatch(firstPid);
            }
            rig.awaitExits((long) generations * BATCH);
            assertEquals((long) generations * lifetime * BATCH, rig.drained, "every enqueue came back as a decision");
            assertEquals((long) generations * BATCH, policy.counters().exits, "every pid's exit was seen");
            assertEquals(0, policy.counters().tasksTracked, "no task outlives its exit");
            assertEquals(0, rig.loop.counters().bouncedToShared, "the policy held every task");
            assertEquals(baseline, policy.allocator().bytesInUse(), "the arena is back where it started");
        }
    }

    /**
     * Issue 3's bar: after warm-up, over 10^6 tasks, the scheduling thread allocates less than one heap byte per task
     * and takes no page fault at all (getrusage RUSAGE_THREAD on the thread itself).
     */
    @Test
    void steadyStateAllocatesNothingAndNeverFaults() throws Exception {
        BpfTestSupport.assumeBpf();
        TransportProvider provider = provider("ringbuf");
        try (Rig rig = new Rig(provider)) {
            // as the daemon does before attaching: every page locked, now and later
            ProcessHygiene.apply(line -> { });
            assertEquals(1, LibC.prctl(LibC.PR_GET_THP_DISABLE, 0), "khugepaged kept away from this process");
            rig.pump(2_000_000); // the daemon's warm-up (SchedulerRunner.WARMUP_TASKS): the hot path gets compiled
            rig.stop.requestMeasure();
            long before = rig.drained;
            rig.pump(1_000_000);
            rig.stop.requestStop();
            rig.thread.join(10_000);
            assertNull(rig.failure.get(), "the scheduling thread failed");
            long tasks = rig.drained - before;
            SchedThreadMeasure m = rig.stop;
            double bytesPerTask = (double) m.allocated / tasks;
            System.out.printf("steady state over %d tasks: %d bytes allocated (%.4f per task), %d minor + %d major faults%n",
                    tasks, m.allocated, bytesPerTask, m.minflt, m.majflt);
            assertTrue(tasks >= 1_000_000, "measured over at least 10^6 tasks, got " + tasks);
            assertTrue(bytesPerTask < 1.0, "heap bytes per task: " + bytesPerTask);
            assertEquals(0, m.minflt, "minor page faults of the scheduling thread");
            assertEquals(0, m.majflt, "major page faults of the scheduling thread");
        }
    }

    private static TransportProvider provider(String name) {
        return Transports.choose(name).provider();
    }

    /** The loop on its own thread, the harness on the test thread. */
    private static final class Rig implements AutoCloseable {
        final HarnessProgram harness;
        final Transport transport;
        final SchedulingPolicy policy;
        final SchedulingLoop loop;
        final SchedThreadMeasure stop = new SchedThreadMeasure();
        final Thread thread;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        long drained;
        private long round;

        Rig(TransportProvider provider) {
            TransportOptions options = TransportOptions.DEFAULT;
            harness = HarnessProgram.open(provider, options);
            transport = provider.open(harness.maps(), options);
            policy = Policies.deadline().create(SchedulerOptions.defaults());
            // the classes the daemon uses: the loop's call sites see the same receivers as in production
            StatsSection stats = new StatsSection(harness.object().section(MapNames.SECTION_STATS), 2);
            loop = new SchedulingLoop(transport, policy, stats, stats, 1 << 16);
            thread = Thread.ofPlatform().name("scheduling").start(() -> {
                try {
                    loop.run(stop);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
        }

        /** Produces {@code n} tasks in batches and waits until every one has come back as a decision. */
        void pump(long n) throws InterruptedException {
            long target = drained + n;
            while (drained < target) {
                int count = (int) Math.min(BATCH, target - drained);
                long firstPid = 1000 + (round++ % (PID_SPAN / BATCH)) * BATCH;
                HarnessProgram.Produced p = harness.produce(count, firstPid, 0);
                assertEquals(0, p.dropped(), "ring full: the loop fell behind");
                awaitDrained(drained + p.produced());
            }
        }

        /** One batch of {@link #BATCH} tasks with pids firstPid.., waited for until every decision is back. */
        void pumpBatch(long firstPid) throws InterruptedException {
            HarnessProgram.Produced p = harness.produce(BATCH, firstPid, 0);
            assertEquals(BATCH, p.produced(), "ring full: the loop fell behind");
            awaitDrained(drained + BATCH);
        }

        /** The exit notices of the batch with pids firstPid.. (they bring no decision back). */
        void exitBatch(long firstPid) {
            HarnessProgram.Produced p = harness.produceExits(BATCH, firstPid);
            assertEquals(BATCH, p.produced(), "ring full: the loop fell behind");
        }

        /** Waits until the loop has taken {@code n} exit notices in all. */
        void awaitExits(long n) throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (loop.counters().exitNotices < n) { // racy read of a single-writer counter: only waits on it
                if (failure.get() != null) throw new AssertionError("scheduling thread failed", failure.get());
                if (System.nanoTime() > deadline) throw new AssertionError("exit notices taken: "
                        + loop.counters().exitNotices + " of " + n);
                Thread.sleep(1);
            }
            stop.requestStop(); // the counters the test reads next are then final and visible (join)
            thread.join(10_000);
        }

        private void awaitDrained(long want) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (drained < want) {
                HarnessProgram.Drained d = harness.drain(BATCH);
                drained += d.drained();
                if (failure.get() != null) throw new AssertionError("scheduling thread failed", failure.get());
                if (System.nanoTime() > deadline) throw new AssertionError("decisions did not come back: "
                        + drained + " of " + want);
                if (d.drained() == 0) Thread.onSpinWait();
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.requestStop();
            thread.join(10_000);
            transport.close();
            harness.close();
        }
    }
}
