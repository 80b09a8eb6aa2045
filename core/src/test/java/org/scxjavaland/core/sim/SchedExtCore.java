package org.scxjavaland.core.sim;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The part of the kernel's sched_ext core (kernel/sched/ext.c, kernel/sched/ext_idle.c) that decides what runs where,
 * reduced to what changes an outcome here:
 * <ul>
 *   <li>each CPU runs what its local DSQ hands it; {@link #schedule} is __schedule: balance_one (keep a runnable prev
 *       that has slice left; else the local DSQ; else ops.dispatch, up to SCX_DSP_MAX_LOOPS times while it inserts
 *       something; else keep a runnable prev with its slice refilled to SCX_SLICE_DFL: "keep last", since
 *       SCX_OPS_ENQ_LAST is not set), then put_prev (a runnable prev goes back to ops.enqueue) and set_next;</li>
 *   <li>a slice is charged only at update_curr and its end is noticed only at a tick: a task runs up to a tick
 *       past its slice;</li>
 *   <li>ops.stopping/ops.running/ops.runnable/ops.update_idle where the kernel calls them (a kept prev gets
 *       neither stopping nor running);</li>
 *   <li>the built-in idle mask (scx_bpf_select_cpu_dfl, scx_bpf_pick_idle_cpu and scx_bpf_test_and_clear_cpu_idle
 *       claim a CPU; a CPU that stays idle through a schedule() is idle again without an ops.update_idle);</li>
 *   <li>kicks and remote reschedules take {@link SimParams#ipiNs}; SCX_KICK_PREEMPT and SCX_ENQ_PREEMPT zero the
 *       running task's slice; a local DSQ insert into an idle CPU, or a wake-up onto it, reschedules it.</li>
 * </ul>
 * A higher class (RT, deadline) is modelled only as {@link #higherClassEvery}: it takes a busy CPU for a while, and
 * the task it interrupts resumes from the head of its local DSQ without ops.enqueue.
 * Not modelled otherwise: other scheduling classes (no CFS tasks), SMT and LLC topology in the idle pick (CPUs are
 * picked round-robin, as cpumask_any_distribute does), the cost of schedule() itself, migrations between rqs
 * beyond what the DSQs do, the dispatch buffer (ops.dispatch's inserts act at once: jl_dispatch's first
 * scx_bpf_dsq_move_to_local flushes them before anything reads a DSQ), the watchdog (tests check waits instead).
 */
final class SchedExtCore {
    static final long SCX_SLICE_DFL = 20_000_000L;
    static final int SCX_DSP_DFL_MAX_BATCH = 32;
    static final int SCX_DSP_MAX_LOOPS = 32;
    static final long SCX_ENQ_WAKEUP = 1L;
    /** A synchronous wake-up (the waker blocks next): no simulated task wakes another, so never passed yet. */
    static final long SCX_WAKE_SYNC = 16L;
    static final long SCX_ENQ_HEAD = 1L << 4;
    static final long SCX_ENQ_PREEMPT = 1L << 32;
    /** 7.x: the task runs at once and stays, or comes back through ops.enqueue with SCX_ENQ_REENQ. */
    static final long SCX_ENQ_IMMED = 1L << 33;
    static final long SCX_ENQ_REENQ = 1L << 40;
    static final long SCX_KICK_IDLE = 1L;
    static final long SCX_KICK_PREEMPT = 1L << 1;

    record Selected(int cpu, boolean idle) {
    }

    /** The sched_ext part of one CPU's rq. */
    static final class Cpu {
        final int id;
        final Dsq local;
        SimTask curr;
        /** This CPU's bit in the built-in idle mask. */
        boolean builtinIdle = true;
        boolean inBalance;
        boolean reschedPending;
        /** When curr's slice was last charged (update_curr). */
        long sliceSince;
        /** dspc->nr_tasks: inserts and moves of the current ops.dispatch. */
        int dspNrTasks;
        /** Until when a higher class holds this CPU (0: it does not): schedule() picks nothing before then. */
        long higherClassUntil;
        /** rq->scx.cpu_released: ops.cpu_release was called, ops.cpu_acquire not yet. */
        boolean cpuReleased;

        Cpu(int id) {
            this.id = id;
            this.local = new Dsq("local" + id, false);
        }
    }

    /** Sees decisions enter DSQs and tasks start (the wait bound check). */
    interface Observer {
        void decided(SimTask p);

        void started(SimTask p);
    }

    private final EventQueue events;
    private final SimParams params;
    private final Cpu[] cpus;
    private final Map<Integer, SimTask> byPid = new HashMap<>();
    private final SplittableRandom rnd;
    private JavalandBpf bpf;
    private SimDaemon daemon;
    Observer observer;
    private long measureFrom;
    private int distributeCursor = -1;
    private boolean inSelectCpu;
    private Cpu dispatching;

    /** Where a trace of every switch goes, when set (for reading a simulation, not for tests). */
    Consumer<String> trace;

    long contextSwitches;
    long slicesExpired;
    long keptLast;
    /** Running tasks whose slice SCX_ENQ_PREEMPT cut: the scheduling thread waking with no idle CPU. */
    long preemptedByDaemon;
    /** Running tasks whose slice SCX_KICK_PREEMPT cut (jl_kick_for_wakeup). */
    long preemptedByKick;

    SchedExtCore(EventQueue events, SimParams params, SplittableRandom rnd) {
        this.events = events;
        this.params = params;
        this.rnd = rnd;
        this.cpus = new Cpu[params.nrCpus()];
        for (int i = 0; i < cpus.length; i++) cpus[i] = new Cpu(i);
    }

    void attach(JavalandBpf bpf, SimDaemon daemon) {
        this.bpf = bpf;
        this.daemon = daemon;
        // every CPU starts idle (on the real system the bits are right from each CPU's first transition on)
        for (Cpu c : cpus) bpf.jlUpdateIdle(c.id, true);
        events.after(params.tickNs(), this::tick);
        events.after(params.heartbeatNs(), this::heartbeat);
    }

    void trace(Supplier<String> line) {
        if (trace != null) trace.accept(line.get());
    }

    boolean isRunning(SimTask t) {
        return t.cpu >= 0 && cpus[t.cpu].curr == t;
    }

    /** CPU time so far, the stretch it is running now included. */
    long cpuTimeNow(SimTask t) {
        return t.cpuTimeNs + (isRunning(t) ? now() - t.runStart : 0);
    }

    /** ops.dispatch inserted a decision (called by jl_on_decision's twin after the insert). */
    void decisionInserted(SimTask p) {
        if (observer != null) observer.decided(p);
    }

    int nrCpus() {
        return cpus.length;
    }

    long now() {
        return events.now();
    }

    boolean measuring() {
        return now() >= measureFrom;
    }

    void measureFrom(long ns) {
        measureFrom = ns;
    }

    /** A task the simulation knows; it becomes runnable at {@code atNs} (fork and exec are not modelled). */
    void add(SimTask t, long atNs) {
        if (byPid.put(t.pid, t) != null) throw new IllegalArgumentException("duplicate pid " + t.pid);
        t.cpu = rnd.nextInt(cpus.length);
        if (t.onlyCpu() >= 0) {
            if (t.onlyCpu() >= cpus.length) throw new IllegalArgumentException(t + " pinned to a CPU that does not exist");
            t.cpu = t.onlyCpu();
        }
        if (!t.schedulingThread) events.at(atNs, () -> wakeForBurst(t));
    }

    private void wakeForBurst(SimTask t) {
        t.burstLeft = t.burstNs;
        tryToWakeUp(t);
    }

    // ---- the scheduler core ----

    /** try_to_wake_up: ops.select_cpu, then enqueue_task_scx on the chosen CPU's rq. */
    void tryToWakeUp(SimTask p) {
        if (p.onRq) return;
        p.onRq = true;
        p.runnableSince = now();
        inSelectCpu = true;
        int cpu = bpf.jlSelectCpu(p, p.cpu, 0);
        inSelectCpu = false;
        p.cpu = cpu;
        Cpu c = cpus[cpu];
        bpf.jlRunnable(p, SCX_ENQ_WAKEUP);
        if (p.directSlice >= 0) {
            long slice = p.directSlice;
            p.directSlice = -1;
            p.immed = false;    // a fresh enqueue ends IMMED's protection; the direct insert may set it again
            dispatchEnqueueLocal(c, p, slice, SCX_ENQ_WAKEUP | p.directFlags);
        } else {
            p.immed = false;
            bpf.jlEnqueue(p, SCX_ENQ_WAKEUP);
        }
        // wakeup_preempt: sched_ext is above the idle class, so an idle CPU reschedules
        if (c.curr == null) resched(c);
    }

    /** __schedule on {@code c}: balance_one, pick_task_scx, put_prev_task_scx, set_next_task_scx. */
    void schedule(Cpu c) {
        c.reschedPending = false;
        if (c.higherClassUntil > now()) return;     // the higher class runs; sched_ext picks when it is done
        SimTask prev = c.curr;
        updateCurr(c);
        boolean prevOnRq = prev != null && prev.onRq;
        if (balanceOne(c, prev, prevOnRq)) {
            if (prev.slice == 0) prev.slice = SCX_SLICE_DFL;
            return;
        }
        SimTask next = c.local.pollFirst();
        if (next != null && next.slice == 0) next.slice = SCX_SLICE_DFL;
        if (prevOnRq) putPrevTask(c, prev);
        setNextTask(c, prev, next);
    }

    /** Returns true when prev keeps the CPU (SCX_RQ_BAL_KEEP); otherwise the local DSQ holds the next task, if any. */
    private boolean balanceOne(Cpu c, SimTask prev, boolean prevOnRq) {
        if (c.cpuReleased) {    // balance_one: sched_ext has the CPU again
            bpf.jlCpuAcquire(c.id);
            c.cpuReleased = false;
        }
        if (prevOnRq && prev.slice > 0) return true;
        if (!c.local.isEmpty()) return false;
        c.inBalance = true;
        dispatching = c;
        try {
            for (int loops = SCX_DSP_MAX_LOOPS; ; ) {
                c.dspNrTasks = 0;
                bpf.jlDispatch(c.id, prev);
                if (prevOnRq && prev.slice > 0) return true;
                if (!c.local.isEmpty()) return false;
                if (--loops == 0) {
                    scxBpfKickCpu(c.id, 0);
                    break;
                }
                if (c.dspNrTasks == 0) break;
            }
        } finally {
            dispatching = null;
            c.inBalance = false;
        }
        if (prevOnRq) {
            keptLast++;
            trace(() -> String.format("%10.3f ms cpu%d keeps %s (keep last)", now() / 1e6, c.id, prev.name));
        }
        return prevOnRq;
    }

    private void putPrevTask(Cpu c, SimTask prev) {
        bpf.jlStopping(prev, true);
        stopWork(prev);
        prev.runnableSince = now();
        if (prev.slice > 0 && prev.immed) {
            bpf.jlEnqueue(prev, SCX_ENQ_REENQ);     // an IMMED task preempted by a higher class: SCX_TASK_REENQ_PREEMPTED
        } else if (prev.slice > 0) {
            c.local.insertHead(prev); // preempted by a higher class (higherClassEvery): resumes without an enqueue
        } else {
            prev.immed = false;
            bpf.jlEnqueue(prev, 0);
        }
    }

    private void setNextTask(Cpu c, SimTask prev, SimTask next) {
        c.curr = next;
        if (next == null) {
            c.builtinIdle = true; // idle to idle refreshes the mask without ops.update_idle
            if (prev != null) trace(() -> String.format("%10.3f ms cpu%d %s -> idle", now() / 1e6, c.id, prev.name));
            if (prev != null) bpf.jlUpdateIdle(c.id, true);
            return;
        }
        if (prev == null) {
            c.builtinIdle = false;
            bpf.jlUpdateIdle(c.id, false);
        }
        contextSwitches++;
        if (trace != null) {
            trace.accept(String.format("%10.3f ms cpu%d %s -> %s (slice %.2f ms, deadline %d, vtime_now %d)",
                    now() / 1e6, c.id, prev == null ? "idle" : prev.name + (prev.onRq ? "" : " (sleeps)"), next.name,
                    next.slice / 1e6, next.decided ? next.deadline : -1, bpf.stats.vtimeNow));
        }
        next.cpu = c.id;
        next.runStart = now();
        c.sliceSince = now();
        if (next.runnableSince >= 0) {
            next.recordWait(now() - next.runnableSince, next.runnableSince >= measureFrom);
            if (observer != null) observer.started(next);
            next.runnableSince = -1;
        }
        bpf.jlRunning(next);
        startWork(c, next);
    }

    /**
     * From {@code atNs} on, every {@code periodNs} a task of a higher class (an RT thread waking on a timer, as
     * cyclictest -S does) takes each busy CPU for {@code runNs}: put_prev_task_scx stops the running task still
     * runnable and, its slice not used up, puts it back at the head of the local DSQ, where it resumes afterwards
     * with no ops.enqueue (and no record). An idle CPU is left alone. The CPUs' timers are spread over the period.
     */
    void higherClassEvery(long periodNs, long runNs, long atNs) {
        if (runNs <= 0 || runNs >= periodNs) throw new IllegalArgumentException("need 0 < run < period");
        for (Cpu c : cpus) events.at(atNs + c.id * periodNs / cpus.length, () -> higherClassRuns(c, periodNs, runNs));
    }

    /**
     * As {@link #higherClassEvery}, on CPU {@code cpu} only: with {@code runNs} near {@code periodNs}, a SCHED_FIFO
     * busy loop beside which only the kernel's deadline server for sched_ext runs anything there (7.3: 50 ms of every
     * second).
     */
    void higherClassOn(int cpu, long periodNs, long runNs, long atNs) {
        if (runNs <= 0 || runNs >= periodNs) throw new IllegalArgumentException("need 0 < run < period");
        events.at(atNs, () -> higherClassRuns(cpus[cpu], periodNs, runNs));
    }

    private void higherClassRuns(Cpu c, long periodNs, long runNs) {
        events.after(periodNs, () -> higherClassRuns(c, periodNs, runNs));
        SimTask prev = c.curr;
        if (prev == null || c.higherClassUntil > now()) return;
        updateCurr(c);
        if (!c.cpuReleased) {   // switch_class: once until sched_ext has the CPU again
            bpf.jlCpuRelease(c.id);
            c.cpuReleased = true;
        }
        putPrevTask(c, prev);
        c.curr = null;          // not idle: no ops.update_idle, and the idle mask keeps the CPU busy
        c.higherClassUntil = now() + runNs;
        trace(() -> String.format("%10.3f ms cpu%d %s -> a higher class for %.3f ms", now() / 1e6, c.id, prev.name,
                runNs / 1e6));
        events.after(runNs, () -> {
            c.higherClassUntil = 0;
            schedule(c);
            if (c.curr == null) bpf.jlUpdateIdle(c.id, true);     // the higher class left it idle
        });
    }

    /** update_curr_scx: charges the running task's slice. */
    private void updateCurr(Cpu c) {
        SimTask t = c.curr;
        if (t == null) return;
        long ran = now() - c.sliceSince;
        t.slice = Math.max(0, t.slice - ran);
        c.sliceSince = now();
    }

    /** task_tick_scx on every CPU: a slice that ran out is noticed here, and only here. */
    private void tick() {
        for (Cpu c : cpus) {
            if (c.curr == null) continue;
            updateCurr(c);
            if (c.curr.slice == 0) {
                slicesExpired++;
                schedule(c);
            }
        }
        events.after(params.tickNs(), this::tick);
    }

    private void heartbeat() {
        bpf.jlHeartbeat();
        events.after(params.heartbeatNs(), this::heartbeat);
    }

    private void resched(Cpu c) {
        if (c.reschedPending) return;
        c.reschedPending = true;
        events.after(params.ipiNs(), () -> {
            if (c.reschedPending) schedule(c);
        });
    }

    /** dispatch_enqueue into a local DSQ, then local_dsq_post_enq. */
    private void dispatchEnqueueLocal(Cpu c, SimTask p, long slice, long flags) {
        p.slice = slice;
        if ((flags & SCX_ENQ_IMMED) != 0) p.immed = true;
        if ((flags & SCX_ENQ_HEAD) != 0) c.local.insertHead(p);
        else c.local.insert(p);
        if (c.inBalance) return;
        boolean preempt = false;
        if ((flags & SCX_ENQ_PREEMPT) != 0 && c.curr != null && p != c.curr) {
            updateCurr(c);
            if (c.curr.slice > 0) preemptedByDaemon++;
            c.curr.slice = 0;
            preempt = true;
        }
        if (preempt || c.curr == null) resched(c);
    }

    // ---- the task's work: bursts, or the daemon's rounds ----

    private void startWork(Cpu c, SimTask t) {
        long work = t.schedulingThread ? daemon.onCpu() : t.burstLeft;
        t.workSince = now();
        if (work < SimTask.FOREVER) t.workDone = events.after(work, () -> workDone(c, t));
    }

    /** The task leaves the CPU: what it ran is taken off its work and counted as its CPU time. */
    private void stopWork(SimTask t) {
        EventQueue.cancel(t.workDone);
        t.workDone = null;
        long ran = now() - t.workSince;
        if (t.schedulingThread) daemon.offCpu(ran);
        else if (t.burstLeft < SimTask.FOREVER) t.burstLeft -= ran;
        t.account(t.runStart, now(), measureFrom);
    }

    private void workDone(Cpu c, SimTask t) {
        if (c.curr != t) throw new IllegalStateException(t + " finished work on CPU " + c.id + " running " + c.curr);
        t.workDone = null;
        if (t.schedulingThread) {
            long next = daemon.roundDone();
            if (next >= 0) {
                t.workSince = now();
                t.workDone = events.after(next, () -> workDone(c, t));
                return;
            }
            block(c, t);
            daemon.waiting();
            return;
        }
        t.burstLeft = 0;
        block(c, t);
        long sleep = t.sleepNs + (t.sleepJitterNs > 0 ? rnd.nextLong(t.sleepJitterNs + 1) : 0);
        events.after(sleep, () -> wakeForBurst(t));
    }

    /** The running task sleeps: dequeue_task_scx (ops.stopping, not runnable), then schedule(). */
    private void block(Cpu c, SimTask t) {
        updateCurr(c);
        t.onRq = false;
        bpf.jlStopping(t, false);
        bpf.jlQuiescent(t);
        stopWork(t);
        schedule(c);
    }

    /** Charges what runs at the end of a run, and notes the waits still going on. */
    void finish(Iterable<SimTask> tasks) {
        for (Cpu c : cpus) {
            if (c.curr != null) c.curr.account(c.curr.runStart, now(), measureFrom);
        }
        for (SimTask t : tasks) {
            if (t.runnableSince >= 0 && t.runnableSince >= measureFrom) t.noteOngoingWait(now() - t.runnableSince);
        }
    }

    // ---- kfuncs ----

    long bpfKtimeGetNs() {
        return now();
    }

    int bpfGetPrandomU32() {
        return rnd.nextInt();
    }

    SimTask bpfTaskFromPid(int pid) {
        return byPid.get(pid);
    }

    int scxBpfTaskCpu(SimTask p) {
        return p.cpu;
    }

    int scxBpfDispatchNrSlots() {
        return SCX_DSP_DFL_MAX_BATCH;
    }

    int scxBpfDsqNrQueued(Dsq dsq) {
        return dsq.size();
    }

    /**
     * SCX_DSQ_LOCAL: from ops.select_cpu, the CPU it returns (applied at enqueue); from ops.dispatch, the dispatching
     * CPU's; else the task's rq.
     */
    void scxBpfDsqInsertLocal(SimTask p, long slice, long flags) {
        if (inSelectCpu) {
            p.directSlice = slice;
            p.directFlags = flags;
            return;
        }
        if (dispatching != null) {
            checkInCustody(p, dispatching.local);
            p.cpu = dispatching.id;
            dispatching.dspNrTasks++;
            dispatchEnqueueLocal(dispatching, p, slice, flags);
            return;
        }
        dispatchEnqueueLocal(cpus[p.cpu], p, slice, flags);
    }

    void scxBpfDsqInsert(SimTask p, Dsq dsq, long slice, long flags) {
        checkInCustody(p, dsq);
        p.slice = slice;
        dsq.insert(p);
        if (dispatching != null) dispatching.dspNrTasks++;
    }

    void scxBpfDsqInsertVtime(SimTask p, Dsq dsq, long slice, long vtime, long flags) {
        checkInCustody(p, dsq);
        p.slice = slice;
        dsq.insertVtime(p, vtime);
        if (dispatching != null) dispatching.dspNrTasks++;
    }

    /**
     * The kernel drops an insert from ops.dispatch of a task the BPF side does not own (finish_dispatch checks
     * ops_state); the BPF code checks enq_cnt first, so such an insert means the loop or the policy sent a second
     * decision for one record. (Inserts from ops.enqueue are of the task being enqueued.)
     */
    private void checkInCustody(SimTask p, Dsq dsq) {
        if (dispatching == null) return;
        boolean running = p.cpu >= 0 && cpus[p.cpu].curr == p;
        if (!p.onRq || p.dsq != null || running) {
            throw new IllegalStateException("insert of " + p + " into " + dsq.name + " while it is "
                    + (!p.onRq ? "asleep" : running ? "running" : "in " + p.dsq.name));
        }
    }

    boolean scxBpfDsqMoveToLocal(Dsq dsq) {
        return scxBpfDsqMoveToLocal(dsq, 0);
    }

    /** scx_bpf_dsq_move_to_local___v2 (7.x): with enqueue flags (SCX_ENQ_IMMED). */
    boolean scxBpfDsqMoveToLocal(Dsq dsq, long flags) {
        Cpu c = dispatching;
        SimTask t = dsq.firstFor(c.id);
        if (t == null) return false;
        dsq.remove(t);
        if ((flags & SCX_ENQ_IMMED) != 0) t.immed = true;
        c.local.insert(t);
        c.dspNrTasks++;
        return true;
    }

    void scxBpfKickCpu(int cpu, long flags) {
        Cpu c = cpus[cpu];
        events.after(params.ipiNs(), () -> kickArrives(c, flags));
    }

    /** kick_one_cpu / kick_one_cpu_if_idle on the target. */
    private void kickArrives(Cpu c, long flags) {
        if ((flags & SCX_KICK_IDLE) != 0) {
            if (c.curr == null) schedule(c); // can_skip_idle_kick: a busy CPU goes through schedule() anyway
            return;
        }
        if ((flags & SCX_KICK_PREEMPT) != 0 && c.curr != null) {
            updateCurr(c);
            if (c.curr.slice > 0) preemptedByKick++;
            c.curr.slice = 0;
        }
        schedule(c);
    }

    /** scx_pick_idle_cpu: the next idle CPU after the last one picked (cpumask_any_distribute), claimed. */
    int scxBpfPickIdleCpu(SimTask p) {
        for (int i = 1; i <= cpus.length; i++) {
            int cpu = (distributeCursor + i) % cpus.length;
            if (cpus[cpu].builtinIdle && (p == null || p.mayRunOn(cpu))) {
                cpus[cpu].builtinIdle = false;
                distributeCursor = cpu;
                return cpu;
            }
        }
        return -1;
    }

    boolean scxBpfTestAndClearCpuIdle(int cpu) {
        if (!cpus[cpu].builtinIdle) return false;
        cpus[cpu].builtinIdle = false;
        return true;
    }

    /** scx_select_cpu_dfl without topology: prev_cpu if idle, else any idle CPU (both claimed), else prev_cpu. */
    Selected scxBpfSelectCpuDfl(SimTask p, int prevCpu) {
        if (scxBpfTestAndClearCpuIdle(prevCpu)) return new Selected(prevCpu, true);
        int cpu = scxBpfPickIdleCpu(p);
        if (cpu >= 0) return new Selected(cpu, true);
        return new Selected(prevCpu, false);
    }
}
