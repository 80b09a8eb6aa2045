package org.scxjavaland.core.sched;

import org.scxjavaland.core.policy.PolicyCounters;
import org.scxjavaland.core.policy.SchedulingPolicy;
import org.scxjavaland.core.transport.TransportCounters;
import org.scxjavaland.core.transport.TransportProvider;
import org.scxjavaland.core.wire.StatsLayout;
import org.scxjavaland.sys.LibC;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;


/**
 * Runs the scheduler on the calling thread (which becomes the scheduling thread) until a stop request, the
 * configured duration, or the kernel ends it; reattaches in-process when the kernel asks for a restart. The same
 * runner, loop and policy serve {@code observe} ({@link #observing}): only the session (what is loaded and
 * attached in the kernel) differs.
 */
public final class SchedulerRunner implements SchedulerView {
    /**
     * Tasks pushed through the transport, the loop and the policy before attaching, so the hot path is compiled
     * (measured on the host: 3x10^5 leave the loop still allocating while the JIT settles, 2x10^6 do not), and the
     * most time it may take (under emulation, or on a slow machine, the compiler then works through its queue
     * before attaching: JitSettle).
     */
    static final long WARMUP_TASKS = 2_000_000;
    static final long WARMUP_MAX_NANOS = 20_000_000_000L;
    static final long SYNTHETIC_WARMUP_TASKS = 300_000;
    /** Decisions parked when both the policy and the channel are full: more than any ring we create holds. */
    static final int OVERFLOW_CAPACITY = 1 << 16;
    /**
     * Calls of the loop in the rehearsal, one step each on the empty channels: C2 compiles a method after about
     * 15,000 invocations plus loop back-edges, and each call counts two. Each step is an epoll_wait that returns at
     * once: about 0.3 s on this host, most of it after the compile has started, which leaves the compiler time to
     * finish before attaching (a busy compile queue delays it).
     */
    static final int REHEARSAL_RUNS = 40_000;
    /**
     * How long the compiler threads must stay idle before attaching, and the longest wait for it (JitSettle). Under
     * the VM's emulation the queue the warm-up leaves took about 30 s to compile; on this host it is empty at once.
     */
    static final long JIT_QUIET_NANOS = 500_000_000L;
    static final long JIT_MAX_WAIT_NANOS = 60_000_000_000L;

    private final TransportProvider provider;
    private final SchedulerOptions options;
    private final Consumer<String> log;
    private final PolicyFactory policyFactory;
    private final Session.Opener opener;
    private final Object sessionLock = new Object();
    private Session session;
    private SchedulingLoop loop;
    private SchedulingPolicy policy;
    private ThreadHealth health;
    private volatile int restarts;
    private boolean preloaded;
    /** Survive a reattach, so that metrics built on them do not reset. */
    private final LoopHistograms histograms = new LoopHistograms();
    private volatile boolean attached;
    private volatile ExitInfo lastExit = ExitInfo.RUNNING;
    /** Exits seen so far by SCX_EXIT_* kind; guarded by sessionLock. */
    private final java.util.Map<Integer, Long> exitsByKind = new java.util.TreeMap<>();

    /** Builds the policy for a session: {@link Policies}, for the policy {@code --policy} names. */
    @FunctionalInterface
    public interface PolicyFactory {
        SchedulingPolicy create(SchedulerOptions options);

        /** The policy's name, for the log, the summary line, the stats and the metrics. */
        default String name() {
            return "custom";
        }
    }

    /** A runner of the policy {@code options.policy()} names. */
    public SchedulerRunner(TransportProvider provider, SchedulerOptions options, Consumer<String> log) {
        this(provider, options, log, Policies.named(options.policy()));
    }

    public SchedulerRunner(TransportProvider provider, SchedulerOptions options, Consumer<String> log,
                           PolicyFactory policyFactory) {
        this(provider, options, log, policyFactory, SchedulerSession::open);
    }

    private SchedulerRunner(TransportProvider provider, SchedulerOptions options, Consumer<String> log,
                            PolicyFactory policyFactory, Session.Opener opener) {
        this.provider = provider;
        this.options = options;
        this.log = log;
        this.policyFactory = policyFactory;
        this.opener = opener;
    }

    /**
     * A runner whose kernel side is the tracepoint observer ({@code scx_javaland observe}) instead of the sched_ext
     * scheduler: the same loop and policy, fed by the live kernel, deciding without enforcing anything.
     */
    public static SchedulerRunner observing(TransportProvider provider, SchedulerOptions options,
                                            Tracepoints tracepoints, Consumer<String> log) {
        return new SchedulerRunner(provider, options, log, Policies.named(options.policy()),
                (p, o) -> ObserveSession.open(p, o, tracepoints, log));
    }

    public RunResult run(StopSignal stop) {
        ProcessHygiene.apply(log);
        warmUp();
        health = ThreadHealth.ofCurrentThread(LibC.gettid());
        long deadline = options.durationNs() > 0 ? System.nanoTime() + options.durationNs() : Long.MAX_VALUE;
        while (true) {
            Session s = opener.open(provider, options);
            SchedulingPolicy p = policyFactory.create(options);
            SchedulingLoop l = new SchedulingLoop(s.transport(), p, s.stats(), s.stats(), OVERFLOW_CAPACITY, histograms);
            ExitInfo exit;
            StatsSnapshot last;
            String stoppedBy;
            try {
                // Between attach and detach this thread must not block on anything but the ring: no log line, no
                // file write. A write (to a pipe, a journal, a network file system) can wait on a task that only
                // this thread can schedule, and the machine stalls. So everything to say is said before attaching.
                log.accept("attaching: " + s.describe(provider.name(), options) + "; policy=" + policyFactory.name());
                SessionStop sessionStop = new SessionStop(stop, s, deadline);
                JitRehearsal.run(() -> rehearse(s, l, sessionStop),
                        max -> JitSettle.await(JIT_QUIET_NANOS, max, stop::shouldStop),
                        JitSettle::compilerCpuNanos, System::nanoTime, JIT_MAX_WAIT_NANOS, stop::shouldStop, log);
                collectStartupGarbage();
                health.baseline();
                s.attach();
                attached = true;
                try {
                    l.run(sessionStop);
                } catch (RuntimeException | Error e) {
                    try {
                        s.detach();
                    } catch (RuntimeException d) {
                        e.addSuppressed(d); // the finally below closes the session, the link with it
                    }
                    throw LoopFailure.whileAttached(policyFactory.name(), e, s.observed() == null);
                }
                stoppedBy = sessionStop.reason();
                s.settle(l);
                s.detach();
                attached = false;
                exit = s.awaitExitInfo();
                last = snapshot();
                if (options.verbose()) log.accept(Accounting.of(last, l.counters(), p.counters(), l.held(), l.drainUnread()).line());
                lastExit = exit;
                synchronized (sessionLock) {
                    exitsByKind.merge(exit.kind(), 1L, Long::sum);
                }
            } finally {
                attached = false;
                synchronized (sessionLock) {
                    session = null;
                    s.close();
                }
            }
            log.accept("detached");
            if (exit.shouldRestart() && !stop.shouldStop() && System.nanoTime() < deadline) {
                restarts++;
                log.accept("the kernel asked for a restart (" + exit.describe() + "): reattaching");
                continue;
            }
            return new RunResult(exit, stoppedBy, last, restarts);
        }
    }

    /**
     * Runs the loop exactly as it will run once attached (the same loop, stop signal, transport, wait and snapshot
     * code) over the session's still-empty channels, then publishes the session to the stats thread. Whatever this
     * thread would otherwise do for the first time after attaching (link a call site, load or initialise a class,
     * spin a method handle's code, all of which may read files or allocate a lot) happens here instead, while
     * waiting is still harmless.
     */
    private void rehearse(Session s, SchedulingLoop l, SessionStop sessionStop) {
        if (!preloaded) {
            // One class per jar of ours: core, the policy's (not the daemon's when it came from a --policy-jar),
            // the transport's and native's (the FFM bindings every session calls).
            int n = ClassPreloader.preload(SchedulerRunner.class, provider.getClass(), s.transport().getClass(),
                    l.policy().getClass(), LibC.class);
            log.accept("preloaded " + n + " classes (nothing may be read from disk once attached)");
            preloaded = true;
        }
        sessionStop.rehearse(3);
        l.run(sessionStop);
        // the loop itself compiled (SchedulingLoop.run): one step per call, with the real stop signal
        for (int i = 0; i < REHEARSAL_RUNS; i++) {
            sessionStop.rehearse(2);
            l.run(sessionStop, 0, 0);
        }
        synchronized (sessionLock) {
            session = s;
            policy = l.policy();
            loop = l;
        }
        snapshot();
        s.exited();
        s.exitInfo();
    }

    /** The name of the policy this runner runs. */
    public String policyName() {
        return policyFactory.name();
    }

    /** Per-decision histograms of every session so far (written by the scheduling thread, read racily). */
    @Override
    public LoopHistograms histograms() {
        return histograms;
    }

    /**
     * Empties the young generation before attaching. Start-up and warm-up left it nearly full, and its first
     * collection, which copies what start-up kept, stopped every thread of the daemon 78-208 ms under the VM's
     * emulation, 42-108 s after the JVM started (mostly after attaching): every task that became ready meanwhile
     * waited for it (the A/B's p99.9 of about 120 ms on both transports; -Xlog:gc,safepoint, 2026-12-01). Here
     * it costs a pause while the kernel still schedules; afterwards only the daemon's side threads allocate, a few
     * tens of KB per second.
     */
    private static void collectStartupGarbage() {
        System.gc();
    }

    /** True between attach and detach. */
    @Override
    public boolean attached() {
        return attached;
    }

    /** How the last session ended ({@link ExitInfo#RUNNING} before any ended). */
    @Override
    public ExitInfo lastExit() {
        return lastExit;
    }

    /** Sessions ended so far, by SCX_EXIT_* kind. */
    @Override
    public java.util.Map<Integer, Long> exitsByKind() {
        synchronized (sessionLock) {
            return new java.util.TreeMap<>(exitsByKind);
        }
    }

    @Override
    public int restarts() {
        return restarts;
    }

    /** The latest counters, or null between sessions. Safe from any thread. */
    @Override
    public StatsSnapshot snapshot() {
        synchronized (sessionLock) {
            Session s = session;
            if (s == null) return null;
            StatsSection st = s.stats();
            TransportCounters tc = s.transport().counters();
            PolicyCounters pc = policy.counters();
            LoopCounters lc = loop.counters();
            StatsSnapshot.Builder b = StatsSnapshot.builder(provider.name(), policyFactory.name()).readBpf(st::get);
            // BPF's records not yet taken: tasks queued less task records received
            return b.set(Stat.IN_CHANNEL, Math.max(0, b.get(Stat.QUEUED) - (tc.received - lc.exitNotices)))
                    .set(Stat.RECEIVED, tc.received)
                    .set(Stat.DECISIONS_REFUSED, tc.sendFull)
                    .set(Stat.DECISIONS_SENT, lc.policyDecisions)
                    .set(Stat.TASKS_BOUNCED, lc.bouncedToShared)
                    .set(Stat.EXITS, lc.exitNotices)
                    .set(Stat.ARENA_FAILURES, pc.arenaFailures)
                    .set(Stat.TASKS_TRACKED, pc.tasksTracked)
                    .set(Stat.REUSED_PIDS, pc.reusedPids)
                    .set(Stat.LATE_EXIT_NOTICES, pc.lateExitNotices)
                    .set(Stat.RECLAIMED, pc.reclaimed)
                    .set(Stat.PAGE_FAULTS, health.faultsSinceBaseline())
                    .set(Stat.ALLOCATED_BYTES, health.allocatedSinceBaseline())
                    .observe(s.observed())
                    .build();
        }
    }

    /**
     * Through the harness program and the real transport where BPF allows (see HarnessWarmup); through a synthetic
     * transport otherwise, which still compiles the policy and most of the loop.
     */
    public void warmUp() {
        try {
            HarnessWarmup.Result r = HarnessWarmup.run(provider, options, policyFactory.create(options), WARMUP_TASKS,
                    WARMUP_MAX_NANOS);
            log.accept("warm-up: " + r.tasks() + " tasks and " + r.exits() + " exits through " + provider.name()
                    + ", the loop and the policy in " + r.millis() + " ms"
                    + (r.timedOut() ? " (time limit reached; the compiler finishes its queue before attaching)" : ""));
            return;
        } catch (RuntimeException e) {
            log.accept("warm-up through the harness program failed (" + LoopFailure.describe(e)
                    + "); warming up with synthetic tasks instead");
        }
        long t0 = System.nanoTime();
        int nrCpus = SchedulerSession.possibleCpus();
        MemorySegment statsMemory = Arena.ofAuto().allocate(StatsLayout.SIZE, 8);
        StatsSection scratch = new StatsSection(statsMemory, nrCpus);
        SchedulingLoop l = new SchedulingLoop(new WarmupTransport(SYNTHETIC_WARMUP_TASKS, nrCpus, statsMemory),
                policyFactory.create(options), scratch, scratch, OVERFLOW_CAPACITY);
        try {
            while (l.runOnce() > 0) {
                // until the synthetic transport is exhausted and the policy has sent everything
            }
        } catch (RuntimeException | Error e) {
            throw LoopFailure.inWarmup(policyFactory.name(), e);
        }
        log.accept("warm-up: " + SYNTHETIC_WARMUP_TASKS + " synthetic tasks in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
}
