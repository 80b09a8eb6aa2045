package org.scxjavaland.transport.fifo;

import org.scxjavaland.core.transport.Transport;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures what the FIFO transport's idle wait costs on this machine (root; real queue maps): empty pops and
 * sleeps per second and CPU time of the scheduling thread when idle, and the delay from a push to its delivery
 * when records arrive sparsely (the daemon asleep), next to a busy-polling loop as the reference. Not a test:
 * run by hand, see docs/transports.md for the numbers and the command.
 */
public final class FifoWaitCost {
    public static void main(String[] args) throws Exception {
        long idleSecs = args.length > 0 ? Long.parseLong(args[0]) : 5;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        long maxSleepNs = args.length > 2 ? Long.parseLong(args[2]) * 1000 : Backoff.DEFAULT_MAX_SLEEP_NS;
        System.out.printf("back-off: %d immediate retries, sleeps %d us doubling to %d us; load %s%n",
                Backoff.DEFAULT_SPINS, Backoff.DEFAULT_MIN_SLEEP_NS / 1000, maxSleepNs / 1000,
                java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
        sleepPrecision();
        idle(idleSecs, maxSleepNs);
        latency(samples, "back-off", new Backoff(Backoff.DEFAULT_SPINS, Backoff.DEFAULT_MIN_SLEEP_NS, maxSleepNs),
                false);
        latency(samples, "busy-poll", new Backoff(0, 1, 1), true);
    }

    /** How long LockSupport.parkNanos really sleeps for the ladder's steps (timer slack, wake-up). */
    static void sleepPrecision() {
        for (long req : new long[]{50_000, 100_000, 200_000, 400_000, 800_000, 1_000_000}) {
            long[] d = new long[200];
            for (int i = 0; i < d.length; i++) {
                long t0 = System.nanoTime();
                LockSupport.parkNanos(req);
                d[i] = System.nanoTime() - t0;
            }
            Arrays.sort(d);
            System.out.printf("parkNanos(%4d us): p50 %6.1f us, p99 %6.1f us%n", req / 1000, d[100] / 1e3, d[198] / 1e3);
        }
    }

    static void idle(long secs, long maxSleepNs) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (QueueMapPair maps = new QueueMapPair(4096); Transport t = new FifoTransport(maps.queuedFd,
                maps.dispatchedFd, new Backoff(Backoff.DEFAULT_SPINS, Backoff.DEFAULT_MIN_SLEEP_NS, maxSleepNs))) {
            long cpu0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            long end = t0 + secs * 1_000_000_000L;
            while (System.nanoTime() < end) {
                if (t.drain(task -> { }, 256) == 0) t.awaitWork(100_000_000L);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
            System.out.printf("idle %.1f s: %.0f empty pops/s, %.0f sleeps/s, thread CPU %.2f%% of one core%n",
                    wall, (t.counters().syscalls - t.counters().waits) / wall, t.counters().waits / wall, 100 * cpu / wall);
        }
    }

    /**
     * A producer pushes one record every ~2-5 ms (so the consumer has backed off to its longest sleep) carrying
     * System.nanoTime() in start_ts; the consumer records the delay to delivery.
     */
    static void latency(int samples, String label, Backoff backoff, boolean spin) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (QueueMapPair maps = new QueueMapPair(4096);
             FifoTransport t = new FifoTransport(maps.queuedFd, maps.dispatchedFd, backoff)) {
            AtomicLong produced = new AtomicLong();
            Thread producer = Thread.ofPlatform().start(() -> {
                java.util.Random r = new java.util.Random(42);
                for (int i = 0; i < samples; i++) {
                    LockSupport.parkNanos(2_000_000L + r.nextInt(3_000_000));
                    maps.produceStamped(i, System.nanoTime());
                    produced.incrementAndGet();
                }
            });
            long[] delay = new long[samples];
            int[] n = {0};
            long cpu0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            while (n[0] < samples) {
                int got = t.drain(task -> delay[n[0]++] = System.nanoTime() - task.startTs(), 256);
                if (got == 0 && !spin) t.awaitWork(100_000_000L);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
            producer.join();
            Arrays.sort(delay);
            System.out.printf("%-9s push->delivery over %d sparse records: p50 %.0f us, p90 %.0f us, p99 %.0f us, "
                            + "max %.0f us; consumer CPU %.1f%% of one core, %.0f bpf()/s%n", label, samples,
                    delay[samples / 2] / 1e3, delay[samples * 9 / 10] / 1e3, delay[samples * 99 / 100] / 1e3,
                    delay[samples - 1] / 1e3, 100 * cpu / wall, (t.counters().syscalls - t.counters().waits) / wall);
        }
    }
}
