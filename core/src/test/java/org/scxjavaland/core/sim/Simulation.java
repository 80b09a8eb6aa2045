package org.scxjavaland.core.sim;

import org.scxjavaland.core.alloc.ArenaMemory;
import org.scxjavaland.core.alloc.BuddyAllocator;
import org.scxjavaland.core.policy.DeadlinePolicy;
import org.scxjavaland.core.policy.DeadlinePolicyProvider;
import org.scxjavaland.core.policy.PolicyOptions;
import org.scxjavaland.core.policy.PolicyProvider;
import org.scxjavaland.core.policy.SchedulingPolicy;
import org.scxjavaland.core.sched.DaemonWiring;
import org.scxjavaland.core.sched.SchedulerOptions;
import org.scxjavaland.core.sched.SchedulingLoop;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The whole system in virtual time: the real {@link SchedulingLoop} and a policy ({@link DeadlinePolicy} unless
 * another {@link PolicyProvider} is given), built as SchedulerRunner builds them (default options), running as a simulated task ({@link SimDaemon}) over a simulated
 * transport ({@link SimTransport}, {@link SimRings}), a Java twin of the BPF code ({@link JavalandBpf}) and a model of
 * the sched_ext core ({@link SchedExtCore}). Deterministic for a seed: nothing reads a real clock except the loop's
 * System.nanoTime for the policy's enqueue time, which only breaks ties between records of one round (the loop sends
 * every decision at once, so the policy's queue is empty between rounds).
 */
public final class Simulation implements AutoCloseable {
    /** The scheduling thread's tid (jl_config.sched_tid); simulated tasks use other pids. */
    public static final int SCHED_TID = 1;

    private final Arena arena = Arena.ofConfined();
    private final SimParams params;
    private final EventQueue events = new EventQueue();
    private final SchedExtCore kernel;
    private final JavalandBpf bpf;
    private final SimRings rings;
    private final SimTransport transport;
    private final SchedulingPolicy policy;
    private final SchedulingLoop loop;
    private final SimDaemon daemon;
    private final List<SimTask> tasks = new ArrayList<>();
    private WaitBound waitBound;

    public Simulation(SimParams params) {
        this(params, new DeadlinePolicyProvider());
    }

    /** The system running the policy {@code provider} makes, as {@code --policy} would choose it. */
    public Simulation(SimParams params, PolicyProvider provider) {
        this.params = params;
        SchedulerOptions options = SchedulerOptions.defaults();
        SplittableRandom rnd = new SplittableRandom(params.seed());
        kernel = new SchedExtCore(events, params, rnd);
        SimDaemon[] d = new SimDaemon[1];
        rings = new SimRings(params.recordRingSlots(), params.decisionRingSlots(), cpu -> d[0].wakeUp(cpu));
        bpf = new JavalandBpf(kernel, rings, options.sliceNs(), options.sliceMinNs(), SCHED_TID);
        transport = new SimTransport(rings, arena);
        // Policies.create's policy, on memory that is not locked
        PolicyOptions po = PolicyOptions.of(options.sliceNs(), options.sliceMinNs());
        long heap = provider.arenaHeapBytes(po);
        policy = provider.create(po, new BuddyAllocator(
                ArenaMemory.over(arena.allocate(BuddyAllocator.arenaBytesFor(heap), 4096)), heap));
        loop = DaemonWiring.loop(transport, policy, new SimStatsSection(bpf.stats));
        daemon = new SimDaemon(SimTask.schedulingThread(SCHED_TID), loop, transport, rings, params, events);
        d[0] = daemon;
        kernel.add(daemon.task, 0);
        kernel.attach(bpf, daemon);
        daemon.start(kernel);
    }

    /** Adds a task that becomes runnable at {@code atNs}. */
    public SimTask add(SimTask t, long atNs) {
        if (t.pid == SCHED_TID) throw new IllegalArgumentException("pid " + SCHED_TID + " is the scheduling thread");
        tasks.add(t);
        kernel.add(t, atNs);
        return t;
    }

    /** The simulated tasks, the daemon's thread not included. */
    public List<SimTask> tasks() {
        return tasks;
    }

    public SimTask schedulingThread() {
        return daemon.task;
    }

    public SimParams params() {
        return params;
    }

    /** The deadline policy (its parameters and clock); only for a simulation of the default policy. */
    public DeadlinePolicy policy() {
        return (DeadlinePolicy) policy;
    }

    /** The policy, whichever it is. */
    public SchedulingPolicy schedulingPolicy() {
        return policy;
    }

    /** Prints every switch, decision and kept slice to {@code out} (to read what a scenario does). */
    /** A higher class takes each busy CPU for {@code runNs} every {@code periodNs} ({@link SchedExtCore#higherClassEvery}). */
    public void higherClassEvery(long periodNs, long runNs) {
        kernel.higherClassEvery(periodNs, runNs, 0);
    }

    /** A higher class holds CPU {@code cpu} for {@code runNs} of every {@code periodNs} from {@code atNs} on. */
    public void higherClassOn(int cpu, long periodNs, long runNs, long atNs) {
        kernel.higherClassOn(cpu, periodNs, runNs, atNs);
    }

    public void trace(java.util.function.Consumer<String> out) {
        kernel.trace = out;
    }

    /** Checks every wait against the wait bound of docs/policy.md (see {@link WaitBound}); call before {@link #run}. */
    public void checkWaitBound() {
        waitBound = new WaitBound(kernel, bpf, rings, transport, policy(), params, daemon.task, tasks);
        kernel.observer = new SchedExtCore.Observer() {
            @Override
            public void decided(SimTask p) {
                waitBound.decided(p);
            }

            @Override
            public void started(SimTask p) {
                waitBound.started(p);
            }
        };
    }

    /** Waits checked against the bound. */
    public long waitsChecked() {
        return waitBound.checked;
    }

    /** The first wait longer than its bound, or null. */
    public String waitBoundViolation() {
        return waitBound.firstViolation;
    }

    /** The largest (wait / its bound) of the task's waits. */
    public double worstWaitToBound(SimTask t) {
        return waitBound.worstRatio(t);
    }

    /** Runs until {@code endNs}; CPU time and waits count from {@code measureFromNs} on. Call once. */
    public void run(long measureFromNs, long endNs) {
        kernel.measureFrom(measureFromNs);
        if (waitBound != null) waitBound.measureFrom(measureFromNs);
        events.runUntil(endNs);
        List<SimTask> all = new ArrayList<>(tasks);
        all.add(daemon.task);
        kernel.finish(all);
    }

    /** The longest wait of any task (the daemon's thread included): the watchdog's view. */
    public long maxWaitNs() {
        long m = daemon.task.maxWaitNs();
        for (SimTask t : tasks) m = Math.max(m, t.maxWaitNs());
        return m;
    }

    /** Running tasks whose slice was cut: by the scheduling thread waking (SCX_ENQ_PREEMPT) or by a kick. */
    public long preemptions() {
        return kernel.preemptedByDaemon + kernel.preemptedByKick;
    }

    public long preemptKicks() {
        return bpf.stats.nrPreemptKicks;
    }

    /** The largest slice any decision asked for. */
    public long maxDecidedSliceNs() {
        return bpf.stats.maxDecidedSlice;
    }

    /** Wake-ups BPF placed on an idle CPU itself (jl_select_cpu), in the measured part of the run. */
    public long directWakeups() {
        return bpf.directWakeupsMeasured;
    }

    public long keptRunning() {
        return bpf.stats.nrKeptRunning;
    }

    /** Interrupted decided tasks BPF ran again before their decision came back (jl_resume_interrupted). */
    public long resumed() {
        return bpf.stats.nrResumed;
    }

    public String counters() {
        JavalandBpf.Stats s = bpf.stats;
        return String.format("rounds %d (timeouts %d), records %d, direct wake-ups %d, decisions %d, cancelled %d, claim lost %d,"
                        + " kept by jl_keep_prev %d, resumed %d, thread cuts %d, requeued %d, kept last %d, slices expired %d, preempted by the daemon %d,"
                        + " by kicks %d (%d kicks), congested %d, context switches %d, daemon CPU %.2f%%",
                daemon.rounds, daemon.timeouts, s.nrQueued, s.nrDirectWakeups, s.nrUserDispatches, s.nrCancelDispatches,
                s.nrIdleClaimLost, s.nrKeptRunning, s.nrResumed, s.nrSchedThreadCuts, s.nrRequeued, kernel.keptLast, kernel.slicesExpired, kernel.preemptedByDaemon,
                kernel.preemptedByKick, s.nrPreemptKicks, s.nrSchedCongested, kernel.contextSwitches,
                100.0 * daemon.task.cpuTimeNs / Math.max(1, events.now()) / params.nrCpus());
    }

    @Override
    public void close() {
        arena.close();
    }
}
