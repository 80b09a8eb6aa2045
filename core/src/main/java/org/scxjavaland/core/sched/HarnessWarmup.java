package org.scxjavaland.core.sched;

import org.scxjavaland.bpf.MapNames;
import org.scxjavaland.core.harness.HarnessProgram;
import org.scxjavaland.core.policy.SchedulingPolicy;
import org.scxjavaland.core.transport.Transport;
import org.scxjavaland.core.transport.TransportProvider;
import org.scxjavaland.core.wire.HarnessCtxLayout;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Compiles the hot path before attaching by running it for real: the chosen transport's own classes over real maps,
 * the loop and the policy, with the harness BPF program (BPF_PROG_TEST_RUN) producing tasks and taking decisions as
 * the kernel would. Warming up through a stand-in transport instead leaves the JIT to discover the real classes
 * after attaching, and recompile (and allocate, interpreted) while tasks wait. The tasks come from
 * {@link WarmupLoad}, a model of a busy machine, so that the branches compiled are those a real load takes.
 */
final class HarnessWarmup {
    private static final int BATCH = HarnessCtxLayout.INPUT_MAX;
    /**
     * Idle passes of the loop per round, each ending in the transport's wait with a zero timeout (epoll_wait for
     * ringbuf): with 2x10^6 tasks, about 31,000 calls, past C2's thresholds (15,000 invocations). Without them the
     * wait was first compiled seconds after attaching, and until then every call allocated (~35 KB/s on the host).
     */
    private static final int IDLE_STEPS_PER_ROUND = 4;
    /**
     * Every this many rounds the batch is produced on another thread while the loop runs, so that records arrive in
     * the middle of a drain as they do on a live machine (the consumer's re-read of the producer position finds
     * more); never seen before attaching, that branch deoptimized the drain with the whole handler inlined in it.
     */
    private static final int CONCURRENT_EVERY_ROUNDS = 4;
    /**
     * The idle wait while that batch is produced: a real, blocking one (epoll_wait woken by the ring; the fifo's
     * back-off past its spins), as the daemon's waits are, where every other wait of the warm-up only polls.
     */
    private static final long CONCURRENT_WAIT_NS = 1_000_000L;
    /**
     * In every eighth round one record in this many is discarded (ringbuf; ignored by fifo): the scheduler's forced
     * wake-ups of the daemon are discarded records, which the consumer skips. Absent here, the first one deoptimized
     * the drain in the VM.
     */
    private static final long DISCARD_EVERY = 64;
    /**
     * In every fourth concurrent round the first record stays reserved, BUSY, for this many turns of an empty BPF
     * loop (tens of microseconds on the host, not measured more closely) while the loop spins on it: the consumer
     * meets a record the kernel is still writing, as it does when it catches up with a CPU mid-enqueue. Left to
     * chance, this branch deoptimized the drain after attaching in 2 of 3 host runs (scripts/check-alloc.sh).
     */
    private static final long HOLD_LOOPS = 20_000;

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
        ExecutorService producer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "scx-warmup-producer");
            t.setDaemon(true);
            return t;
        });
        try (HarnessProgram harness = HarnessProgram.open(provider, options.transport());
             Transport transport = provider.open(harness.maps(), options.transport())) {
            int nrCpus = SchedulerSession.possibleCpus();
            MemorySegment statsMemory = harness.object().section(MapNames.SECTION_STATS);
            StatsSection stats = new StatsSection(statsMemory, nrCpus);
            SchedulingLoop loop = new SchedulingLoop(transport, policy, stats, stats, SchedulerRunner.OVERFLOW_CAPACITY);
            WarmupLoad load = new WarmupLoad(nrCpus);
            MemorySegment input = harness.input();
            long round = 0;
            while (done < tasks && System.nanoTime() < deadline) {
                load.fill(input, BATCH);
                load.showCpus(statsMemory);
                if (round % CONCURRENT_EVERY_ROUNDS == 0) {
                    // the harness is used by one thread at a time: this one only steps the loop meanwhile
                    long hold = round % 16 == 0 ? HOLD_LOOPS : 0;
                    Future<HarnessProgram.Produced> f = producer.submit(() -> harness.produceInput(BATCH, 0, hold));
                    while (!f.isDone()) loop.step(0, CONCURRENT_WAIT_NS);
                    await(f);
                } else {
                    harness.produceInput(BATCH, round % 8 == 1 ? DISCARD_EVERY : 0, 0);
                }
                // records pending: the wait returns at once, as it does when one arrives after a drain
                transport.awaitWork(0);
                while (loop.step(0, 0) > 0) {
                    done += harness.drain(BATCH).drained();
                }
                done += harness.drain(BATCH).drained();
                for (int i = 0; i < IDLE_STEPS_PER_ROUND; i++) loop.step(0, 0);
                round++;
            }
            // leave nothing behind in the policy: it is discarded, but its decisions must all have gone out
            while (loop.runOnce() > 0 || harness.drain(BATCH).drained() > 0) {
                Thread.onSpinWait();
            }
            exits = loop.counters().exitNotices;
        } finally {
            producer.shutdownNow();
        }
        return new Result(done, exits, (System.nanoTime() - t0) / 1_000_000, done < tasks);
    }

    private static void await(Future<HarnessProgram.Produced> f) {
        try {
            f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the warm-up", e);
        }
    }
}
