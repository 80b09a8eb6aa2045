package org.scxjavaland.daemon.testing;

import org.scxjavaland.bpf.MapNames;
import org.scxjavaland.core.harness.HarnessProgram;
import org.scxjavaland.core.policy.SchedulingPolicy;
import org.scxjavaland.core.sched.ExitInfo;
import org.scxjavaland.core.sched.LoopHistograms;
import org.scxjavaland.core.sched.Policies;
import org.scxjavaland.core.sched.SchedulerOptions;
import org.scxjavaland.core.sched.SchedulerView;
import org.scxjavaland.core.sched.SchedulingLoop;
import org.scxjavaland.core.sched.Stat;
import org.scxjavaland.core.sched.StatsSection;
import org.scxjavaland.core.sched.StatsSnapshot;
import org.scxjavaland.core.transport.Transport;
import org.scxjavaland.core.transport.TransportOptions;
import org.scxjavaland.core.transport.TransportProvider;
import org.scxjavaland.core.transport.Transports;
import org.scxjavaland.core.wire.StatsLayout;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A live scheduler on a host without sched_ext: the real loop, policy and transport over real BPF maps, on a
 * scheduling thread of their own, with the harness BPF program as the kernel (a feeder thread produces tasks at a
 * steady pace and takes the decisions back). Seen through the same {@link SchedulerView} the daemon's stats socket
 * and metrics read, so they serve live, moving numbers.
 */
public final class HarnessScheduler implements SchedulerView, AutoCloseable {
    private static final int BATCH = 64;
    private static final int PID_SPAN = 2048;

    private final String transportName;
    private final HarnessProgram harness;
    private final Transport transport;
    private final SchedulingPolicy policy;
    private final StatsSection stats;
    private final SchedulingLoop loop;
    private final Thread scheduling;
    private final Thread feeder;
    private final AtomicLong decisionsTaken = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopped;

    public HarnessScheduler(String transportName) {
        this.transportName = transportName;
        TransportProvider provider = Transports.choose(transportName).provider();
        harness = HarnessProgram.open(provider, TransportOptions.DEFAULT);
        transport = provider.open(harness.maps(), TransportOptions.DEFAULT);
        policy = Policies.deadline().create(SchedulerOptions.defaults());
        stats = new StatsSection(harness.object().section(MapNames.SECTION_STATS), 2);
        loop = new SchedulingLoop(transport, policy, stats, stats, 1 << 16);
        scheduling = Thread.ofPlatform().daemon().name("scheduling").unstarted(() -> guard(() -> loop.run(() -> stopped)));
        feeder = Thread.ofPlatform().daemon().name("harness-feeder").unstarted(() -> guard(this::feed));
        scheduling.start();
        feeder.start();
    }

    /** A few thousand tasks a second: moving counters without taking the machine's CPUs from the VM tests. */
    private void feed() throws InterruptedException {
        long round = 0;
        while (!stopped) {
            long firstPid = 1000 + (round++ % (PID_SPAN / BATCH)) * BATCH;
            harness.produce(BATCH, firstPid, 0);
            long until = System.nanoTime() + 20_000_000L;
            while (System.nanoTime() < until && !stopped) {
                long n = harness.drain(BATCH).drained();
                decisionsTaken.addAndGet(n);
                if (n == 0) Thread.sleep(1);
            }
        }
    }

    private void guard(Body body) {
        try {
            body.run();
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    /** Decisions the harness took back so far. */
    public long decisionsTaken() {
        return decisionsTaken.get();
    }

    public Throwable failure() {
        return failure.get();
    }

    @Override
    public StatsSnapshot snapshot() {
        // racy reads of single-writer counters, as the runner's snapshot does; the harness counts as BPF would
        return StatsSnapshot.builder(transportName, "deadline")
                .readBpf(stats::get)
                .set(Stat.USER_DISPATCHES, decisionsTaken.get())
                .set(Stat.RUNNING, 1)
                .set(Stat.ONLINE_CPUS, 2)
                .set(Stat.HELD, policy.queued())
                .set(Stat.RECEIVED, transport.counters().received)
                .set(Stat.DECISIONS_REFUSED, transport.counters().sendFull)
                .set(Stat.DECISIONS_SENT, loop.counters().policyDecisions)
                .set(Stat.TASKS_BOUNCED, loop.counters().bouncedToShared)
                .set(Stat.EXITS, loop.counters().exitNotices)
                .set(Stat.ARENA_FAILURES, policy.counters().arenaFailures)
                .set(Stat.TASKS_TRACKED, policy.counters().tasksTracked)
                .set(Stat.REUSED_PIDS, policy.counters().reusedPids)
                .set(Stat.LATE_EXIT_NOTICES, policy.counters().lateExitNotices)
                .set(Stat.RECLAIMED, policy.counters().reclaimed)
                .build();
    }

    @Override
    public LoopHistograms histograms() {
        return loop.histograms();
    }

    @Override
    public boolean attached() {
        return !stopped;
    }

    @Override
    public ExitInfo lastExit() {
        return ExitInfo.RUNNING;
    }

    @Override
    public Map<Integer, Long> exitsByKind() {
        return Map.of();
    }

    @Override
    public int restarts() {
        return 0;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        feeder.join(10_000);
        scheduling.join(10_000);
        transport.close();
        harness.close();
        if (policy instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // the arena goes with the process anyway
            }
        }
    }
}
