package org.scxjavaland.core.sched;

import org.scxjavaland.core.transport.QueuedTaskHandler;
import org.scxjavaland.core.transport.Transport;
import org.scxjavaland.core.transport.TransportCounters;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.QueuedTask;
import org.scxjavaland.core.wire.QueuedTaskLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;


/**
 * Synthetic queued tasks for warming the loop and the policy up before attaching, where the harness program cannot
 * be loaded: under a freshly started JVM the first rounds run interpreted, 20-100x slower (far slower still under
 * emulation), while real tasks would be waiting. The tasks and the CPUs' view come from {@link WarmupLoad}, as in
 * the harness warm-up.
 */
final class WarmupTransport implements Transport {
    private static final int BATCH = 256;
    private final MemorySegment records = Arena.ofAuto().allocate(QueuedTaskLayout.SIZE * BATCH, 8);
    private final QueuedTask view = new QueuedTask();
    private final TransportCounters counters = new TransportCounters();
    private final WarmupLoad load;
    private final MemorySegment stats;
    private final long total;
    private long produced;

    /** stats: the .data.stats memory the loop's {@link StatsSection} reads, shown a changing load. */
    WarmupTransport(long total, int nrCpus, MemorySegment stats) {
        this.total = total;
        this.load = new WarmupLoad(nrCpus);
        this.stats = stats;
    }

    @Override
    public String name() {
        return "warmup";
    }

    @Override
    public int drain(QueuedTaskHandler handler, int max) {
        int n = (int) Math.min(Math.min(max, BATCH), total - produced);
        if (n <= 0) return 0;
        load.fill(records, n);
        load.showCpus(stats);
        for (int i = 0; i < n; i++) {
            handler.onTask(view.wrap(records, (long) i * QueuedTaskLayout.SIZE));
        }
        produced += n;
        counters.received += n;
        return n;
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
