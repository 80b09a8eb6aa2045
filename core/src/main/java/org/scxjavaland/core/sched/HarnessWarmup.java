package org.scxjavaland.core.sched;

import org.scxjavaland.core.bpf.MapNames;
import org.scxjavaland.core.harness.HarnessProgram;
import org.scxjavaland.core.policy.SchedulingPolicy;
import org.scxjavaland.core.transport.Transport;
import org.scxjavaland.core.transport.TransportProvider;

/**
 * Compiles the hot path before attaching by running it for real: the chosen transport's own classes over real maps,
 * the loop and the policy, with the harness BPF program (BPF_PROG_TEST_RUN) producing tasks and taking decisions as
 * the kernel would. Warming up through a stand-in transport instead leaves the JIT to discover the real classes
 * after attaching, and recompile (and allocate, interpreted) while tasks wait.
 */
final class HarnessWarmup {
    private static final int BATCH = 256;
    /** Pids cycled through, so the policy's table reaches a steady size as in a real system. */
    private static final int PID_SPAN = 4096;
    /**
     * Every this many rounds the round's pids exit (and come back as new tasks a cycle later): the exit path, the
     * allocator's free and alloc, and the table's remove get compiled too, not only the enqueue of known tasks.
     */
    private static final int EXIT_EVERY_ROUNDS = 4;
    /**
     * Idle passes of the loop per round, each ending in the transport's wait with a zero timeout (epoll_wait for
     * ringbuf): with 2x10^6 tasks, about 31,000 calls, past C2's thresholds (15,000 invocations). Without them the
     * wait was first compiled seconds after attaching, and until then every call allocated (~35 KB/s on the host).
     */
    private static final int IDLE_STEPS_PER_ROUND = 4;

    /** tasks: decisions that came back; exits: exit notices the loop took. */
    record Result(long tasks, long exits, long millis, boolean timedOut) {
    }

    private HarnessWarmup() {
    }

    static Result run(TransportProvider provider, SchedulerOptions options, SchedulingPolicy policy, long tasks,
                      long maxNanos) {
        long t0 = System.nanoTime();
        long deadline = t0 + maxNanos;
        long done = 0;
        long exits;
        try (HarnessProgram harness = HarnessProgram.open(provider, options.transport());
             Transport transport = provider.open(harness.maps(), options.transport())) {
            StatsSection stats = new StatsSection(harness.object().section(MapNames.SECTION_STATS),
                    SchedulerSession.possibleCpus());
            SchedulingLoop loop = new SchedulingLoop(transport, policy, stats, stats, SchedulerRunner.OVERFLOW_CAPACITY);
            long round = 0;
            while (done < tasks && System.nanoTime() < deadline) {
                long firstPid = 1000 + (round % (PID_SPAN / BATCH)) * BATCH;
                harness.produce(BATCH, firstPid, 0);
                // records pending: the wait returns at once, as it does when one arrives after a drain
                transport.awaitWork(0);
                while (loop.step(0, 0) > 0) {
                    done += harness.drain(BATCH).drained();
                }
                done += harness.drain(BATCH).drained();
                for (int i = 0; i < IDLE_STEPS_PER_ROUND; i++) loop.step(0, 0);
                if (++round % EXIT_EVERY_ROUNDS == 0) harness.produceExits(BATCH, firstPid);
            }
            // leave nothing behind in the policy: it is discarded, but its decisions must all have gone out
            while (loop.runOnce() > 0 || harness.drain(BATCH).drained() > 0) {
                Thread.onSpinWait();
            }
            exits = loop.counters().exitNotices;
        }
        return new Result(done, exits, (System.nanoTime() - t0) / 1_000_000, done < tasks);
    }
}
