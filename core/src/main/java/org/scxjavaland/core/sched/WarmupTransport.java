package org.scxjavaland.core.sched;

import org.scxjavaland.core.transport.QueuedTaskHandler;
import org.scxjavaland.core.transport.Transport;
import org.scxjavaland.core.transport.TransportCounters;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.QueuedTask;
import org.scxjavaland.core.wire.QueuedTaskLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Synthetic queued tasks for warming the loop and the policy up before attaching: under a freshly started JVM the
 * first rounds run interpreted, 20-100x slower (far slower still under emulation), while real tasks would be
 * waiting. It feeds a realistic mix (a few hundred pids, varied weights and run times, exit notices) through the
 * same code paths the real transports use.
 */
final class WarmupTransport implements Transport {
    private static final int PIDS = 512;
    private final MemorySegment record = Arena.ofAuto().allocate(QueuedTaskLayout.SIZE, 8);
    private final QueuedTask view = new QueuedTask();
    private final TransportCounters counters = new TransportCounters();
    private final long total;
    private long produced;
    private long clock = 1_000_000_000L;

    WarmupTransport(long total) {
        this.total = total;
    }

    boolean done() {
        return produced >= total;
    }

    @Override
    public String name() {
        return "warmup";
    }

    @Override
    public int drain(QueuedTaskHandler handler, int max) {
        int n = 0;
        while (n < max && produced < total) {
            fill(produced++);
            handler.onTask(view.wrap(record, 0));
            n++;
        }
        counters.received += n;
        return n;
    }

    private void fill(long i) {
        int pid = 100_000 + (int) (i % PIDS);
        boolean exit = i % 997 == 0;
        long ran = 50_000 + (i * 7919) % 5_000_000;
        clock += 10_000;
        record.set(JAVA_INT, QueuedTaskLayout.PID, pid);
        record.set(JAVA_INT, QueuedTaskLayout.CPU, exit ? QueuedTaskLayout.CPU_EXITED : (int) (i & 1));
        record.set(JAVA_LONG, QueuedTaskLayout.NR_CPUS_ALLOWED, i % 5 == 0 ? 1 : 2);
        record.set(JAVA_LONG, QueuedTaskLayout.FLAGS, i & 1);
        record.set(JAVA_LONG, QueuedTaskLayout.START_TS, clock - ran);
        record.set(JAVA_LONG, QueuedTaskLayout.STOP_TS, clock);
        record.set(JAVA_LONG, QueuedTaskLayout.EXEC_RUNTIME, ran * (1 + i % 3));
        record.set(JAVA_LONG, QueuedTaskLayout.WEIGHT, i % 7 == 0 ? 1024 : i % 11 == 0 ? 15 : 100);
        record.set(JAVA_LONG, QueuedTaskLayout.VTIME, 0);
        record.set(JAVA_LONG, QueuedTaskLayout.ENQ_CNT, i);
    }

    @Override
    public boolean send(DispatchedTask task) {
        counters.sent++;
        return true;
    }

    @Override
    public void awaitWork(long timeoutNanos) {
    }

    @Override
    public TransportCounters counters() {
        return counters;
    }

    @Override
    public void close() {
    }
}
