package org.scxjavaland.core.sim;

import org.scxjavaland.core.policy.CpuView;
import org.scxjavaland.core.policy.SchedulingPolicy;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.DispatchedTaskLayout;
import org.scxjavaland.core.wire.QueuedTask;
import org.scxjavaland.core.wire.QueuedTaskLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A discrete-event model of N CPUs under the policy, standing in for sched_ext + BPF: a task that becomes
 * runnable is handed to the policy as a queued-task record (built with QueuedTaskLayout in a scratch segment);
 * whenever a CPU is idle and the policy holds tasks, the simulator takes its next decision and runs the task on
 * the CPU it names (or the first idle one for 'any') for exactly the decided slice, or until its burst ends.
 * Wake-up preemption as BPF does it: when no CPU is idle and the policy's next decision carries
 * {@link DispatchedTaskLayout#DF_PREEMPT}, the running task with the latest deadline (the vtime of the decision
 * it runs under) is kicked if that deadline is later than the decision's. The kick takes effect
 * {@link #DEFAULT_KICK_LATENCY_NS} later (IPI and reschedule are not free; everything else here takes no time):
 * then the task is charged the time it ran and re-queued as a non-wakeup, and the freed CPU takes the policy's next
 * decision. (BPF kicks when it drains the decision; the simulator holds decisions until a CPU frees, so it checks
 * the flag of the queue's head.) Time is virtual.
 */
public final class CpuSimulator implements CpuView {
    private static final int WAKE = 0;
    private static final int SLICE_END = 1;
    private static final int KICK = 2;
    /** From a flagged decision to the kicked CPU taking it: an assumption, see docs/policy.md. */
    public static final long DEFAULT_KICK_LATENCY_NS = 100_000L;

    private record Event(long time, long seq, int kind, SimTask task, int cpu) {
    }

    private final int nrCpus;
    private final SchedulingPolicy policy;
    private final SimTask[] running;
    private final long[] runningDeadline;
    private final Event[] sliceEnds;
    private final boolean[] kicked;
    private final long kickLatencyNs;
    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) ->
            a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    private final Map<Integer, SimTask> byPid = new HashMap<>();
    private final List<SimTask> tasks = new ArrayList<>();
    private final SplittableRandom rnd;
    private final Arena scratchArena = Arena.ofConfined();
    private final MemorySegment scratch = scratchArena.allocate(QueuedTaskLayout.SIZE, 8);
    private final QueuedTask queued = new QueuedTask();
    private final DispatchedTask decision = new DispatchedTask();
    private long seq;
    private long now;
    private long measureFrom;
    private long dispatches;
    private long maxSliceNs;
    private long minSliceNs = Long.MAX_VALUE;
    private long preemptions;
    private long vtimeNow;

    public CpuSimulator(int nrCpus, SchedulingPolicy policy, long seed) {
        this(nrCpus, policy, seed, DEFAULT_KICK_LATENCY_NS);
    }

    public CpuSimulator(int nrCpus, SchedulingPolicy policy, long seed, long kickLatencyNs) {
        if (kickLatencyNs < 0) throw new IllegalArgumentException("kick latency " + kickLatencyNs);
        this.kickLatencyNs = kickLatencyNs;
        this.kicked = new boolean[nrCpus];
        this.nrCpus = nrCpus;
        this.policy = policy;
        this.running = new SimTask[nrCpus];
        this.runningDeadline = new long[nrCpus];
        this.sliceEnds = new Event[nrCpus];
        this.rnd = new SplittableRandom(seed);
    }

    /** Adds a task that becomes runnable (as a new task) at {@code atNs}. */
    public SimTask add(SimTask t, long atNs) {
        if (byPid.put(t.pid, t) != null) throw new IllegalArgumentException("duplicate pid " + t.pid);
        tasks.add(t);
        t.prevCpu = rnd.nextInt(nrCpus);
        schedule(atNs, WAKE, t, -1);
        return t;
    }

    public List<SimTask> tasks() {
        return tasks;
    }

    /** Runs until {@code endNs}; waits and CPU time count from {@code measureFromNs} on. */
    public void run(long measureFromNs, long endNs) {
        this.measureFrom = measureFromNs;
        while (!events.isEmpty() && events.peek().time <= endNs) {
            Event e = events.poll();
            now = e.time;
            if (e.kind == WAKE) {
                wake(e.task);
            } else if (e.kind == KICK) {
                kick(e.cpu, e.task);
            } else {
                sliceEnd(e.cpu);
            }
            dispatch();
        }
        // charge the slices still running at the end
        for (int c = 0; c < nrCpus; c++) {
            SimTask t = running[c];
            if (t != null) account(t, Math.max(t.startTs, measureFrom), endNs);
        }
        now = endNs;
    }

    private void wake(SimTask t) {
        t.execRuntime = 0; // ops.runnable: a wake-up starts a new exec_runtime
        t.burstLeft = t.burstNs;
        enqueue(t, QueuedTaskFlags.WAKEUP);
    }

    private void sliceEnd(int cpu) {
        sliceEnds[cpu] = null;
        stop(cpu);
    }

    /** The task on {@code cpu} stops now (slice over or preempted): charged, then re-queued or put to sleep. */
    private void stop(int cpu) {
        SimTask t = running[cpu];
        running[cpu] = null;
        long ran = now - t.startTs;
        t.stopTs = now;
        t.execRuntime += ran;
        t.burstLeft -= ran;
        account(t, Math.max(t.startTs, measureFrom), now);
        if (t.burstLeft > 0) {
            enqueue(t, 0);
        } else {
            long sleep = t.sleepNs + (t.sleepJitterNs > 0 ? rnd.nextLong(t.sleepJitterNs + 1) : 0);
            schedule(now + sleep, WAKE, t, -1);
        }
    }

    private void account(SimTask t, long from, long to) {
        if (to > from) t.measuredCpuNs += to - from;
        t.cpuTimeNs += to - t.startTs;
    }

    private void enqueue(SimTask t, long flags) {
        t.enqCnt++;
        t.runnableSince = now;
        MemorySegment s = scratch;
        s.set(JAVA_INT, QueuedTaskLayout.PID, t.pid);
        s.set(JAVA_INT, QueuedTaskLayout.CPU, t.prevCpu);
        s.set(JAVA_LONG, QueuedTaskLayout.NR_CPUS_ALLOWED, nrCpus);
        s.set(JAVA_LONG, QueuedTaskLayout.FLAGS, flags);
        s.set(JAVA_LONG, QueuedTaskLayout.START_TS, t.startTs);
        s.set(JAVA_LONG, QueuedTaskLayout.STOP_TS, t.stopTs);
        s.set(JAVA_LONG, QueuedTaskLayout.EXEC_RUNTIME, t.execRuntime);
        s.set(JAVA_LONG, QueuedTaskLayout.WEIGHT, t.weight);
        s.set(JAVA_LONG, QueuedTaskLayout.VTIME, 0);
        s.set(JAVA_LONG, QueuedTaskLayout.ENQ_CNT, t.enqCnt);
        byte[] comm = t.name.getBytes();
        for (int i = 0; i < QueuedTaskLayout.COMM_LEN; i++) {
            s.set(JAVA_BYTE, QueuedTaskLayout.COMM + i, i < comm.length && i < QueuedTaskLayout.COMM_LEN - 1 ? comm[i] : 0);
        }
        if (!policy.enqueue(queued.wrap(s, 0), now)) {
            throw new IllegalStateException("policy refused " + t + ": the arena is sized for every simulated task");
        }
    }

    private void dispatch() {
        while (policy.queued() > 0) {
            int idle = firstIdle();
            if (idle < 0 && !preemptForHead()) return;
            idle = firstIdle();
            if (!policy.peek(decision, this, now)) throw new IllegalStateException("queued() > 0 but peek is empty");
            SimTask t = byPid.get(decision.pid);
            if (t == null) throw new IllegalStateException("decision for an unknown pid: " + decision);
            if (decision.enqCnt != t.enqCnt) throw new IllegalStateException("stale enq_cnt in " + decision);
            if ((decision.flags & ~DispatchedTaskLayout.DF_PREEMPT) != 0) {
                throw new IllegalStateException("unexpected flags in " + decision);
            }
            int cpu = decision.cpu == DispatchedTaskLayout.CPU_ANY ? idle : decision.cpu;
            if (cpu < 0 || cpu >= nrCpus || running[cpu] != null) {
                throw new IllegalStateException("decision names a busy or bad CPU: " + decision);
            }
            policy.pop();
            long slice = decision.sliceNs;
            if (slice <= 0) throw new IllegalStateException("no slice in " + decision);
            maxSliceNs = Math.max(maxSliceNs, slice);
            minSliceNs = Math.min(minSliceNs, slice);
            dispatches++;
            running[cpu] = t;
            runningDeadline[cpu] = decision.vtime;
            if (decision.vtime - vtimeNow > 0) vtimeNow = decision.vtime; // BPF's ops.running
            t.prevCpu = cpu;
            t.startTs = now;
            t.recordWait(now - t.runnableSince, t.runnableSince >= measureFrom);
            sliceEnds[cpu] = schedule(now + Math.min(slice, t.burstLeft), SLICE_END, t, cpu);
        }
    }

    /**
     * Every CPU is busy: if the next decision may preempt and some running task's deadline is later than its own,
     * stop the one with the latest deadline. Returns whether a CPU was freed.
     */
    private boolean preemptForHead() {
        if (!policy.peek(decision, this, now)) throw new IllegalStateException("queued() > 0 but peek is empty");
        if ((decision.flags & DispatchedTaskLayout.DF_PREEMPT) == 0 || decision.cpu != DispatchedTaskLayout.CPU_ANY) {
            return false;
        }
        int victim = -1;
        for (int c = 0; c < nrCpus; c++) {
            if (kicked[c]) return false; // a CPU is already on its way to this (or an earlier) head
            if (runningDeadline[c] > decision.vtime && (victim < 0 || runningDeadline[c] > runningDeadline[victim])) {
                victim = c;
            }
        }
        if (victim < 0) return false;
        kicked[victim] = true;
        if (kickLatencyNs > 0) {
            schedule(now + kickLatencyNs, KICK, running[victim], victim);
            return false;
        }
        kick(victim, running[victim]);
        return true;
    }

    /**
     * The kicked CPU reschedules: the task it was kicked for stops early, unless its slice ended meanwhile. (The
     * kernel's kick would cut whatever runs there by then; the window is the kick latency, modelled as harmless.)
     */
    private void kick(int cpu, SimTask victim) {
        kicked[cpu] = false;
        if (running[cpu] != victim || sliceEnds[cpu] == null) return;
        events.remove(sliceEnds[cpu]);
        sliceEnds[cpu] = null;
        preemptions++;
        // the victim re-queues with a later deadline than the one it ran under, so it does not retake the CPU
        stop(cpu);
    }

    private int firstIdle() {
        for (int c = 0; c < nrCpus; c++) if (running[c] == null) return c;
        return -1;
    }

    private Event schedule(long at, int kind, SimTask t, int cpu) {
        Event e = new Event(at, seq++, kind, t, cpu);
        events.add(e);
        return e;
    }

    @Override
    public int nrCpus() {
        return nrCpus;
    }

    @Override
    public boolean isIdle(int cpu) {
        return running[cpu] == null;
    }

    @Override
    public long vtimeNow() {
        return vtimeNow;
    }

    public long dispatches() {
        return dispatches;
    }

    /** Running tasks stopped before their slice ended, for a woken task with an earlier deadline. */
    public long preemptions() {
        return preemptions;
    }

    public long maxSliceNs() {
        return maxSliceNs;
    }

    public long minSliceNs() {
        return minSliceNs;
    }

    /** The kernel's SCX_ENQ_WAKEUP, as BPF would pass it in queued_task.flags. */
    static final class QueuedTaskFlags {
        static final long WAKEUP = 1L;

        private QueuedTaskFlags() {
        }
    }
}
