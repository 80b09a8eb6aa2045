package org.scxjavaland.core.sim;

import org.scxjavaland.core.wire.DispatchedTaskLayout;

import static org.scxjavaland.core.sim.SchedExtCore.SCX_ENQ_IMMED;
import static org.scxjavaland.core.sim.SchedExtCore.SCX_ENQ_REENQ;
import static org.scxjavaland.core.sim.SchedExtCore.SCX_ENQ_WAKEUP;
import static org.scxjavaland.core.sim.SchedExtCore.SCX_KICK_IDLE;
import static org.scxjavaland.core.sim.SchedExtCore.SCX_KICK_PREEMPT;

/**
 * A Java twin of bpf-src/src/scx_javaland.bpf.c: one method per function there, under the same name, doing the same
 * steps in the same order, so that a change to the C code has an obvious place to be mirrored. The kernel's kfuncs
 * are {@link SchedExtCore}'s methods; the rings are {@link SimRings}.
 * <p>
 * Left out, because no simulated task needs them: kswapd/kcompactd/khugepaged (the daemon's other threads are
 * simulated: {@link SimTask#daemonThread}; per-CPU kthreads: {@link SimTask#perCpuKthread}), exit notices (no
 * simulated task exits), the FIFO transport.
 */
final class JavalandBpf {
    /** struct jl_cpu_run, one per CPU. */
    private static final class CpuRun {
        long deadline;
        boolean preemptible;
        int resumePid;
        long resumeEnqCnt;
        long resumeProjected;
        boolean released;
    }

    // jl_config
    private final long sliceNs;
    private final long sliceMinNs;
    private final int schedTid;

    // the DSQs jl_init creates
    final Dsq[] cpuDsqs;
    final Dsq shared = new Dsq("SHARED", true);
    final Dsq direct = new Dsq("DIRECT", false);
    final Dsq fallback = new Dsq("FALLBACK", false);

    private final CpuRun[] cpuRuns;
    private final SchedExtCore k;
    private final SimRings rings;
    final Stats stats;

    /** struct scx_jl_stats: the counters, and what the daemon reads (vtime_now, idle_cpus). */
    static final class Stats {
        long nrQueued;
        long nrUserDispatches;
        long nrKernelDispatches;
        long nrCancelDispatches;
        long nrBounceDispatches;
        long nrFailedDispatches;
        long nrSchedCongested;
        long nrPreemptKicks;
        long nrIdleClaimLost;
        long nrKeptRunning;
        long nrRequeued;
        /** Not in struct scx_jl_stats: the largest slice a decision asked for (the simulator checks it). */
        long maxDecidedSlice;
        long nrHeartbeats;
        long nrDaemonWakeups;
        long nrScheduled;
        long vtimeNow;
        long runnableWeight;
        long nrDirectWakeups;
        long nrResumed;
        long nrSchedThreadCuts;
        final boolean[] idleCpus;

        Stats(int nrCpus) {
            idleCpus = new boolean[nrCpus];
        }
    }

    JavalandBpf(SchedExtCore k, SimRings rings, long sliceNs, long sliceMinNs, int schedTid) {
        this.k = k;
        this.rings = rings;
        this.sliceNs = sliceNs;
        this.sliceMinNs = sliceMinNs;
        this.schedTid = schedTid;
        int n = k.nrCpus();
        cpuDsqs = new Dsq[n];
        cpuRuns = new CpuRun[n];
        for (int i = 0; i < n; i++) {
            cpuDsqs[i] = new Dsq("CPU" + i, true);
            cpuRuns[i] = new CpuRun();
        }
        stats = new Stats(n);
    }

    private boolean jlIsSchedThread(SimTask p) {
        return schedTid != 0 && p.pid == schedTid;
    }

    /** The daemon's threads (daemon_tgid); no kernel helper is simulated (see the class comment). */
    private boolean jlIsBpfPlaced(SimTask p) {
        return p.daemonThread;
    }

    private boolean jlIsPerCpuKthread(SimTask p) {
        return p.perCpuKthread;
    }

    private boolean jlKickIdleCpu(SimTask p) {
        int cpu = k.scxBpfPickIdleCpu(p);
        if (cpu < 0) return false;
        k.scxBpfKickCpu(cpu, SCX_KICK_IDLE);
        return true;
    }

    /** jl_kick_any_idle_cpu: any idle online CPU. */
    private void jlKickAnyIdleCpu() {
        jlKickIdleCpu(null);
    }

    void jlKickForWakeup(SimTask p, long vtime) {
        int cpu = k.scxBpfPickIdleCpu(p);
        if (cpu >= 0) {
            k.scxBpfKickCpu(cpu, SCX_KICK_IDLE);
            return;
        }
        int victim = -1;
        long latest = vtime;
        for (int i = 0; i < cpuDsqs.length; i++) {
            CpuRun run = cpuRuns[i];
            if (!run.preemptible || run.deadline - latest <= 0 || !p.mayRunOn(i)) continue;
            latest = run.deadline;
            victim = i;
        }
        if (victim >= 0) jlPreemptCpu(victim, vtime);
    }

    /** jl_preempt_cpu: one kick per running task, if it runs under a decision with a later deadline. */
    boolean jlPreemptCpu(int cpu, long vtime) {
        CpuRun run = cpuRuns[cpu];
        if (!run.preemptible || run.deadline - vtime <= 0) return false;
        run.preemptible = false;
        k.scxBpfKickCpu(cpu, SCX_KICK_PREEMPT);
        stats.nrPreemptKicks++;
        return true;
    }

    private long jlBpfPlacedSlice(SimTask p) {
        return jlIsSchedThread(p) ? sliceNs : sliceMinNs;
    }

    /** jl_nothing_waits: no task waits in a DSQ, in the ring or in the daemon. */
    private boolean jlNothingWaits() {
        return stats.nrScheduled == 0 && !rings.recordsPending() && k.scxBpfDsqNrQueued(shared) <= 0
                && k.scxBpfDsqNrQueued(fallback) <= 0 && k.scxBpfDsqNrQueued(direct) <= 0;
    }

    private void jlPlaceWoken(SimTask p) {
        p.enqCnt++;
        p.deadline = stats.vtimeNow;
        p.decided = true;
        p.decidedSlice = sliceNs;
    }

    /** jl_sync_wakeup (the waker's PF_EXITING is not simulated: no simulated task exits while waking another). */
    private void jlSyncWakeup(SimTask p) {
        if (jlIsBpfPlaced(p) || !jlNothingWaits()) return;
        jlPlaceWoken(p);
        k.scxBpfDsqInsertVtime(p, shared, sliceNs, stats.vtimeNow, 0);
        stats.nrDirectWakeups++;
        if (k.measuring()) directWakeupsMeasured++;
    }

    /** Direct wake-ups in the measured part of a run (the simulator's own count, not BPF's). */
    long directWakeupsMeasured;

    int jlSelectCpu(SimTask p, int prevCpu, long wakeFlags) {
        SchedExtCore.Selected s = k.scxBpfSelectCpuDfl(p, prevCpu);
        if (!s.idle()) {
            if (jlIsSchedThread(p)) return jlSchedThreadCpu(p, s.cpu());
            if ((wakeFlags & SchedExtCore.SCX_WAKE_SYNC) != 0) jlSyncWakeup(p);
            return s.cpu();
        }
        if (jlIsBpfPlaced(p)) {
            k.scxBpfDsqInsertLocal(p, jlBpfPlacedSlice(p), 0);
            stats.nrKernelDispatches++;
            return s.cpu();
        }
        if (jlIsPerCpuKthread(p) || !jlNothingWaits() || s.cpu() >= cpuDsqs.length
                || k.scxBpfDsqNrQueued(cpuDsqs[s.cpu()]) > 0) {
            return s.cpu();
        }
        jlPlaceWoken(p);
        k.scxBpfDsqInsertLocal(p, sliceNs, SCX_ENQ_IMMED);
        stats.nrDirectWakeups++;
        if (k.measuring()) directWakeupsMeasured++;
        return s.cpu();
    }

    /** jl_sched_thread_cpu: the CPU of the wake-up record that woke it, if that CPU runs a task it may preempt; else prev. */
    private int jlSchedThreadCpu(SimTask p, int prevCpu) {
        int here = p.wakerCpu;
        if (here >= 0 && here != prevCpu && cpuRuns[here].preemptible && p.mayRunOn(here)) return here;
        if (!cpuRuns[prevCpu].released) return prevCpu;
        for (int i = 0; i < cpuDsqs.length; i++) {   // never where a higher class holds the CPU
            if (!cpuRuns[i].released && p.mayRunOn(i)) return i;
        }
        return prevCpu;
    }

    /** sched_thread_home (CPU + 1, 0: any CPU) and sched_thread_home_ts. */
    private int schedThreadHome;
    private long schedThreadHomeTs;
    /** sched_thread_cut_armed: one cut per wake-up of the thread that nothing was kicked for (jlRunning). */
    private boolean schedThreadCutArmed;

    private void jlEnqueueSchedThread(SimTask p, long enqFlags) {
        int cpu = k.scxBpfTaskCpu(p);
        CpuRun run = cpuRuns[cpu];
        k.scxBpfDsqInsert(p, direct, sliceNs, enqFlags);   // always DIRECT: never left in a local DSQ
        schedThreadHome = 0;
        schedThreadCutArmed = false;
        if ((enqFlags & SCX_ENQ_WAKEUP) == 0 || run.released) {
            jlKickIdleCpu(p);
            return;
        }
        if (!run.preemptible) {
            if (jlKickIdleCpu(p)) return;
            schedThreadCutArmed = true;   // nothing kicked for it: a decided task starting next gives way (jlRunning)
        } else {
            run.preemptible = false;
            k.scxBpfKickCpu(cpu, SCX_KICK_PREEMPT);
        }
        // only when that CPU is the one waking it (the ring buffer's irq_work there; a timeout: its own CPU's timer)
        int waking = p.wakerCpu >= 0 ? p.wakerCpu : cpu;
        if (waking != cpu) return;
        schedThreadHome = cpu + 1;   // waits for the CPU it woke on (jl_may_take_sched_thread)
        schedThreadHomeTs = k.bpfKtimeGetNs();
    }

    private boolean jlMayTakeSchedThread(int cpu) {
        int home = schedThreadHome;
        if (home == 0 || home == cpu + 1) return true;
        return cpuRuns[home - 1].released || k.bpfKtimeGetNs() - schedThreadHomeTs > sliceMinNs;
    }

    private void jlEnqueueHelper(SimTask p, long enqFlags) {
        long floor = stats.vtimeNow - sliceNs;
        long ceiling = stats.vtimeNow + sliceNs;
        long vtime = p.helperVtime - floor > 0 ? p.helperVtime : floor;
        if (vtime - ceiling > 0) vtime = ceiling;
        p.helperVtime = vtime;
        p.deadline = vtime;
        p.helper = true;
        p.decided = false;
        k.scxBpfDsqInsertVtime(p, shared, sliceMinNs, vtime, enqFlags);
    }

    void jlEnqueue(SimTask p, long enqFlags) {
        if (jlIsPerCpuKthread(p)) {
            k.scxBpfDsqInsertLocal(p, sliceNs, enqFlags);
            stats.nrKernelDispatches++;
            return;
        }
        if (jlIsSchedThread(p)) {
            jlEnqueueSchedThread(p, enqFlags);
            stats.nrKernelDispatches++;
            return;
        }
        if (jlIsBpfPlaced(p)) {
            jlEnqueueHelper(p, enqFlags);
            stats.nrKernelDispatches++;
            jlKickIdleCpu(p);
            return;
        }
        if (jlRequeueDecided(p, enqFlags)) return;
        p.enqCnt++;
        p.decided = false;
        p.lastRecordRun = p.runTotal - p.runSent;
        p.runSent = p.runTotal;
        SimRings.Queued rec = new SimRings.Queued(p.pid, k.scxBpfTaskCpu(p), p.nrCpusAllowed(k.nrCpus()), enqFlags,
                p.startTs, p.stopTs, p.execRuntime, p.runTotal, p.weight, p.dsqVtime, p.enqCnt, k.now(), 1L << 40 | p.pid, p.name);
        if (rings.produce(rec)) {
            stats.nrQueued++;
            return;
        }
        k.scxBpfDsqInsert(p, fallback, sliceNs, enqFlags);
        stats.nrSchedCongested++;
        jlKickIdleCpu(p);
    }

    /** jl_requeue_decided: a decided task the kernel hands back (7.x IMMED) waits in the shared DSQ at its deadline. */
    private boolean jlRequeueDecided(SimTask p, long enqFlags) {
        if ((enqFlags & SCX_ENQ_REENQ) == 0 || !p.decided || p.decidedSlice == 0) return false;
        long slice = p.slice != 0 ? p.slice : p.decidedSlice;
        CpuRun run = cpuRuns[k.scxBpfTaskCpu(p)];
        if (run.resumePid == p.pid) run.resumePid = 0;
        k.scxBpfDsqInsertVtime(p, shared, slice, p.deadline + jlUnsentCharge(p, 0), 0);
        stats.nrRequeued++;
        jlKickIdleCpu(p);
        return true;
    }

    /** Called for each decision drained in jlDispatch. */
    boolean jlOnDecision(SimRings.Decision d, SimRings.Drain dr) {
        long slice = d.sliceNs() != 0 ? d.sliceNs() : sliceNs;
        long flags = 0;
        int cpu = d.cpu();
        if (d.pid() <= 0) {
            stats.nrFailedDispatches++;
            return false;
        }
        SimTask p = k.bpfTaskFromPid(d.pid());
        if (p == null) {
            stats.nrCancelDispatches++;
            return false;
        }
        if (p.enqCnt != d.enqCnt()) {
            stats.nrCancelDispatches++;
            return false;
        }
        k.trace(() -> String.format("%10.3f ms cpu%d decision %s cpu %d vtime %d slice %.2f ms%s", k.now() / 1e6,
                dr.cpu, p.name, cpu, d.vtime(), slice / 1e6,
                (d.flags() & DispatchedTaskLayout.DF_PREEMPT) != 0 ? " PREEMPT" : ""));
        p.deadline = d.vtime();
        p.decided = true;
        p.decidedSlice = slice;
        stats.maxDecidedSlice = Math.max(stats.maxDecidedSlice, slice);
        if (cpu == DispatchedTaskLayout.CPU_ANY) {
            k.scxBpfDsqInsertVtime(p, shared, slice, d.vtime(), flags);
            if (dr.drained > 1) {
                if ((d.flags() & DispatchedTaskLayout.DF_PREEMPT) != 0) jlKickForWakeup(p, d.vtime());
                else jlKickIdleCpu(p);
            }
        } else if (cpu < 0 || cpu >= cpuDsqs.length || !p.mayRunOn(cpu)) {
            k.scxBpfDsqInsertVtime(p, shared, slice, d.vtime(), flags);
            stats.nrBounceDispatches++;
            jlKickIdleCpu(p);
        } else if (cpu == dr.cpu || p.nrCpusAllowed(k.nrCpus()) == 1
                || (!cpuRuns[cpu].released && k.scxBpfTestAndClearCpuIdle(cpu))) {
            k.scxBpfDsqInsertVtime(p, cpuDsqs[cpu], slice, d.vtime(), flags);
            if (cpu != dr.cpu && !((d.flags() & DispatchedTaskLayout.DF_PREEMPT) != 0 && jlPreemptCpu(cpu, d.vtime()))) {
                k.scxBpfKickCpu(cpu, SCX_KICK_IDLE);
            }
        } else {
            k.scxBpfDsqInsertVtime(p, shared, slice, d.vtime(), flags);
            stats.nrIdleClaimLost++;
            jlKickIdleCpu(p);
        }
        stats.nrUserDispatches++;
        k.decisionInserted(p);
        return false;
    }

    void jlTookOther(long drained) {
        if (drained > 0 && k.scxBpfDsqNrQueued(shared) > 0) jlKickAnyIdleCpu();
    }

    private static boolean jlDsqDueBefore(Dsq dsq, long vtime) {
        SimTask head = dsq.first();
        return head != null && head.dsqVtime - vtime <= 0;
    }

    private static long jlUnsentCharge(SimTask t, long running) {
        return (t.runTotal - t.runSent + running) * 100 / (t.weight != 0 ? t.weight : 1);
    }

    /** jl_keep_sched_thread: a busy scheduling thread keeps its CPU at slice end unless a higher class holds it. */
    private boolean jlKeepSchedThread(SimTask prev, int cpu) {
        if (prev == null || !prev.onRq || !jlIsSchedThread(prev) || cpuRuns[cpu].released) return false;
        prev.slice = sliceNs;
        return true;
    }

    boolean jlKeepPrev(SimTask prev, int cpu) {
        if (prev == null || !prev.onRq) return false;
        if (!prev.decided || prev.decidedSlice == 0) return false;
        if (k.scxBpfDsqNrQueued(fallback) > 0) return false;
        long projected = prev.deadline + jlUnsentCharge(prev, k.bpfKtimeGetNs() - prev.startTs);
        if (jlDsqDueBefore(shared, projected)) return false;
        if (cpu >= 0 && cpu < cpuDsqs.length && jlDsqDueBefore(cpuDsqs[cpu], projected)) return false;
        prev.slice = prev.decidedSlice;
        jlAdvanceClockFor(prev, k.bpfKtimeGetNs());
        stats.nrKeptRunning++;
        k.trace(() -> String.format("%10.3f ms cpu%d keeps %s (jl_keep_prev: projected %d)", k.now() / 1e6, cpu,
                prev.name, projected));
        return true;
    }

    /** jl_resume_interrupted: jl_keep_prev for a decided task that something else interrupted. */
    boolean jlResumeInterrupted(int cpu) {
        CpuRun run = cpuRuns[cpu];
        if (run.resumePid == 0) return false;
        int pid = run.resumePid;
        if (k.scxBpfDsqNrQueued(fallback) > 0 || jlDsqDueBefore(shared, run.resumeProjected)
                || (cpu < cpuDsqs.length && jlDsqDueBefore(cpuDsqs[cpu], run.resumeProjected))) {
            return false; // what is due first runs; the claim stands
        }
        run.resumePid = 0;
        SimTask p = k.bpfTaskFromPid(pid);
        if (p == null || p.decided || p.decidedSlice == 0 || p.enqCnt != run.resumeEnqCnt || !p.onRq
                || !p.mayRunOn(cpu)) {
            return false;
        }
        p.enqCnt++;
        p.decided = true;
        p.deadline = run.resumeProjected; // runs under the deadline it was projected with
        k.scxBpfDsqInsertLocal(p, p.decidedSlice, SCX_ENQ_IMMED);
        stats.nrResumed++;
        k.trace(() -> String.format("%10.3f ms cpu%d resumes %s (jl_resume_interrupted)", k.now() / 1e6, cpu, p.name));
        return true;
    }

    void jlDispatch(int cpu, SimTask prev) {
        SimRings.Drain dr = new SimRings.Drain(k.scxBpfDispatchNrSlots(), cpu);
        rings.drain(dr, this::jlOnDecision);

        if (jlKeepSchedThread(prev, cpu)) {
            jlTookOther(dr.drained);
            return;
        }
        if (jlMayTakeSchedThread(cpu) && k.scxBpfDsqMoveToLocal(direct, SCX_ENQ_IMMED)) {
            jlTookOther(dr.drained);
            return;
        }
        if (jlKeepPrev(prev, cpu)) {
            jlTookOther(dr.drained);
            return;
        }
        if (jlResumeInterrupted(cpu)) {
            jlTookOther(dr.drained);
            return;
        }
        // tasks that could not reach the daemon must not starve behind a busy shared queue
        if (k.scxBpfDsqNrQueued(fallback) > 0 && (k.bpfGetPrandomU32() & 3) == 0 && k.scxBpfDsqMoveToLocal(fallback)) {
            jlTookOther(dr.drained);
            return;
        }
        // this CPU's own DSQ and the shared one hold deadlines of the same policy: the earlier head goes first
        if (cpu >= 0 && cpu < cpuDsqs.length) {
            SimTask own = cpuDsqs[cpu].first();
            SimTask sh = shared.first();
            if (own != null && !(sh != null && sh.dsqVtime - own.dsqVtime < 0)
                    && k.scxBpfDsqMoveToLocal(cpuDsqs[cpu], SCX_ENQ_IMMED)) {
                jlTookOther(dr.drained);
                return;
            }
        }
        if (k.scxBpfDsqMoveToLocal(shared, SCX_ENQ_IMMED)) return;
        if (cpu >= 0 && cpu < cpuDsqs.length && k.scxBpfDsqMoveToLocal(cpuDsqs[cpu], SCX_ENQ_IMMED)) {
            jlTookOther(dr.drained);
            return;
        }
        k.scxBpfDsqMoveToLocal(fallback);
    }

    void jlRunnable(SimTask p, long enqFlags) {
        p.execRuntime = 0;
        if (p.runnableWeight == 0) {
            p.runnableWeight = p.weight;
            stats.runnableWeight += p.runnableWeight;
        }
    }

    void jlQuiescent(SimTask p) {
        stats.runnableWeight -= p.runnableWeight;
        p.runnableWeight = 0;
    }

    private void jlAdvanceClock(long runtime) {
        stats.vtimeNow += runtime * 100 / Math.max(100, stats.runnableWeight);
    }

    private void jlAdvanceClockFor(SimTask t, long now) {
        if (now - t.clockTs > 0) jlAdvanceClock(now - t.clockTs);
        t.clockTs = now;
    }

    void jlRunning(SimTask p) {
        int cpu = k.scxBpfTaskCpu(p);
        CpuRun run = cpuRuns[cpu];
        p.startTs = k.bpfKtimeGetNs();
        p.clockTs = p.startTs;
        if (jlIsSchedThread(p)) schedThreadCutArmed = false;
        if ((p.decided || (p.helper && !jlIsSchedThread(p))) && p.deadline - stats.vtimeNow > 0) stats.vtimeNow = p.deadline;
        run.preemptible = p.decided && !jlIsBpfPlaced(p) && !jlIsPerCpuKthread(p);
        run.deadline = p.deadline;
        // a decided task starting where the waiting scheduling thread may run gives way to it, once per wake-up
        if (schedThreadCutArmed && run.preemptible && k.scxBpfDsqNrQueued(direct) > 0 && jlMayTakeSchedThread(cpu)) {
            schedThreadCutArmed = false;
            run.preemptible = false;
            k.scxBpfKickCpu(cpu, SCX_KICK_PREEMPT);
            stats.nrSchedThreadCuts++;
        }
        // a decided task due after the interrupted one ends its claim; one due before it (a woken task) does not
        if (p.decided && !(run.resumePid != 0 && p.deadline - run.resumeProjected < 0)) run.resumePid = 0;
    }

    void jlStopping(SimTask p, boolean runnable) {
        CpuRun run = cpuRuns[k.scxBpfTaskCpu(p)];
        run.preemptible = false;
        long now = k.bpfKtimeGetNs();
        p.stopTs = now;
        p.execRuntime += now - p.startTs;
        p.runTotal += now - p.startTs;
        if (runnable && p.decided && !jlIsBpfPlaced(p)) {
            run.resumePid = p.pid;
            run.resumeEnqCnt = p.enqCnt + 1;
            run.resumeProjected = p.deadline + jlUnsentCharge(p, 0);
        }
        jlAdvanceClockFor(p, now);
        if (p.helper) p.helperVtime += (now - p.startTs) * 100 / p.weight;
    }

    void jlCpuRelease(int cpu) {
        cpuRuns[cpu].released = true;
        if (schedThreadHome == cpu + 1 && k.scxBpfDsqNrQueued(direct) > 0) {   // another CPU takes the thread now
            schedThreadHome = 0;
            jlKickAnyIdleCpu();
        }
    }

    void jlCpuAcquire(int cpu) {
        cpuRuns[cpu].released = false;
    }

    void jlUpdateIdle(int cpu, boolean idle) {
        stats.idleCpus[cpu] = idle;
    }

    /** jl_heartbeat_fn: the safety net for lost wake-ups. */
    void jlHeartbeat() {
        stats.nrHeartbeats++;
        if (rings.recordsPending()) {
            rings.forceWakeup();
            stats.nrDaemonWakeups++;
        }
        for (int cpu = 0; cpu < stats.idleCpus.length; cpu++) {
            if (stats.idleCpus[cpu]) {
                k.scxBpfKickCpu(cpu, SCX_KICK_IDLE);
                break;
            }
        }
    }
}
