package org.scxjavaland.core.sim;

import java.util.Arrays;

/**
 * A simulated task: runs bursts of {@code burstNs} of CPU, then sleeps {@code sleepNs} (plus seeded jitter); a CPU
 * hog has an endless burst. The scheduling thread of the daemon is a task too ({@link #schedulingThread}): its work
 * is the loop's rounds, see {@link SimDaemon}.
 * <p>
 * The fields mirror where the state lives on the real system: the kernel's task_struct/sched_ext_entity, the BPF
 * side's task storage (struct jl_task), and what the tests measure (CPU time, waits from becoming runnable to
 * running).
 */
public final class SimTask {
    public static final long FOREVER = Long.MAX_VALUE / 4;

    final int pid;
    final String name;
    final int nice;
    final long weight;
    final long burstNs;
    final long sleepNs;
    final long sleepJitterNs;
    final boolean schedulingThread;
    /** Another thread of the daemon's process (JIT compiler, GC, metrics): BPF places it itself, never via a record. */
    final boolean daemonThread;

    // the kernel's view (task_struct, sched_ext_entity)
    /** SCX_TASK_QUEUED: runnable, running or waiting. */
    boolean onRq;
    /** task_cpu(): where it runs or last ran, or the rq it is queued on. */
    int cpu;
    /** p->scx.slice: what is left of its slice, as of the CPU's last update_curr. */
    long slice;
    long dsqVtime;
    Dsq dsq;
    long dsqSeq;
    /** A SCX_DSQ_LOCAL insert from ops.select_cpu, applied when the task is enqueued (-1: none). */
    long directSlice = -1;
    /** The enqueue flags of that insert. */
    long directFlags;
    /** SCX_TASK_IMMED: inserted into a local DSQ with SCX_ENQ_IMMED, until its next fresh enqueue. */
    boolean immed;
    long runStart;

    // the BPF side's task storage (struct jl_task in scx_javaland.bpf.c)
    long startTs;
    long stopTs;
    long clockTs;
    long execRuntime;
    long runTotal;
    long runSent;
    /** Not BPF state: what the last record's run_total added to the one before it (its charge, unweighted). */
    long lastRecordRun;
    long enqCnt;
    long deadline;
    /**
     * jl_decided(t): BPF keeps the enq_cnt the decision was made for (decided_for), so that a decision an enqueue on
     * another CPU overtook never counts as current. The simulation runs one event at a time, where nothing can
     * overtake, so a flag set and cleared at the same points says the same.
     */
    boolean decided;
    /** jl_task.helper / helper_vtime: placed by BPF in the shared DSQ with a vruntime of its own. */
    boolean helper;
    long helperVtime;
    /** The weight jl_runnable added to the runnable total (0: not runnable). */
    long runnableWeight;
    long decidedSlice;

    // the workload
    long burstLeft;
    /** When the current stretch of work started on the CPU (runStart, or the start of the daemon's round). */
    long workSince;
    EventQueue.Event workDone;
    long runnableSince = -1;
    /** The CPU whose wake-up record woke the scheduling thread last (the ring's irq_work), -1 for any other cause. */
    int wakerCpu = -1;

    // measurements
    long cpuTimeNs;
    long measuredCpuNs;
    private long[] waits = new long[1024];
    private int nWaits;
    long maxWaitNs;

    SimTask(int pid, String name, int nice, long weight, long burstNs, long sleepNs, long sleepJitterNs,
            boolean schedulingThread, boolean daemonThread) {
        if (weight < 1 || weight > 10_000) throw new IllegalArgumentException("weight " + weight);
        this.pid = pid;
        this.name = name;
        this.nice = nice;
        this.weight = weight;
        this.burstNs = burstNs;
        this.sleepNs = sleepNs;
        this.sleepJitterNs = sleepJitterNs;
        this.schedulingThread = schedulingThread;
        this.daemonThread = daemonThread || schedulingThread;
    }

    public SimTask(int pid, String name, int nice, long burstNs, long sleepNs, long sleepJitterNs) {
        this(pid, name, nice, NiceWeights.weight(nice), burstNs, sleepNs, sleepJitterNs, false, false);
    }

    public static SimTask hog(int pid, int nice) {
        return new SimTask(pid, "hog" + pid, nice, FOREVER, 0, 0);
    }

    /** A hog with a sched_ext weight no nice value gives: 1 is what SCHED_IDLE (kernel weight 3) becomes. */
    public static SimTask hogOfWeight(int pid, long weight) {
        return new SimTask(pid, "w" + weight + "hog" + pid, 0, weight, FOREVER, 0, 0, false, false);
    }

    public static SimTask periodic(int pid, int nice, long burstNs, long sleepNs, long jitterNs) {
        return new SimTask(pid, "per" + pid, nice, burstNs, sleepNs, jitterNs);
    }

    static SimTask schedulingThread(int pid) {
        return new SimTask(pid, "scx_javaland", 0, 100, 0, 0, 0, true, true);
    }

    /**
     * Another thread of the daemon (a JIT compiler thread still compiling after attaching, GC, the stats thread): runs
     * {@code burstNs}, sleeps {@code sleepNs}; BPF places it in the shared DSQ at the clock, never via the daemon.
     */
    public static SimTask daemonThread(int pid, long burstNs, long sleepNs) {
        return new SimTask(pid, "jvm" + pid, 0, 100, burstNs, sleepNs, 0, false, true);
    }

    /**
     * A per-CPU kernel thread (a kworker): runs {@code burstNs} on {@code cpu} every {@code sleepNs}; BPF puts it in that
     * CPU's local DSQ with a full slice, never via the daemon, and the running task keeps the CPU until its slice ends.
     */
    public static SimTask perCpuKthread(int pid, int cpu, long burstNs, long sleepNs) {
        SimTask t = new SimTask(pid, "kworker/" + cpu, 0, 100, burstNs, sleepNs, 0, false, false);
        t.perCpuKthread = true;
        return t.pinnedTo(cpu);
    }

    /** PF_KTHREAD with one allowed CPU (jl_is_per_cpu_kthread). */
    boolean perCpuKthread;

    /** The one CPU the task may run on (sched_setaffinity to one CPU, as cyclictest does), or -1: any. */
    private int onlyCpu = -1;

    /** Allows the task on {@code cpu} only; before it is added to a simulation. */
    public SimTask pinnedTo(int cpu) {
        onlyCpu = cpu;
        return this;
    }

    int onlyCpu() {
        return onlyCpu;
    }

    boolean mayRunOn(int cpu) {
        return onlyCpu < 0 || cpu == onlyCpu;
    }

    long nrCpusAllowed(int nrCpus) {
        return onlyCpu < 0 ? nrCpus : 1;
    }

    void account(long from, long to, long measureFrom) {
        cpuTimeNs += to - from;
        long f = Math.max(from, measureFrom);
        if (to > f) measuredCpuNs += to - f;
    }

    void recordWait(long w, boolean measuring) {
        if (!measuring) return;
        if (nWaits == waits.length) waits = Arrays.copyOf(waits, nWaits * 2);
        waits[nWaits++] = w;
        if (w > maxWaitNs) maxWaitNs = w;
    }

    /** A wait still going on when the run ends counts towards the longest wait (the watchdog would see it). */
    void noteOngoingWait(long w) {
        if (w > maxWaitNs) maxWaitNs = w;
    }

    public int pid() { return pid; }
    public String name() { return name; }
    public long weight() { return weight; }
    public int nice() { return nice; }
    public boolean isHog() { return burstNs >= FOREVER; }
    public long burstNs() { return burstNs; }
    public long sleepNs() { return sleepNs; }
    public long sleepJitterNs() { return sleepJitterNs; }
    /** CPU time received while measuring. */
    public long measuredCpuNs() { return measuredCpuNs; }
    /** The longest wait from becoming runnable to running, while measuring (a wait still going on included). */
    public long maxWaitNs() { return maxWaitNs; }
    public int waitCount() { return nWaits; }

    public long[] waits() {
        return Arrays.copyOf(waits, nWaits);
    }

    /** The p-th percentile (0..100) of this task's waits, nearest rank. */
    public long waitPercentile(double p) {
        return percentile(waits(), p);
    }

    public static long percentile(long[] values, double p) {
        if (values.length == 0) return 0;
        long[] v = values.clone();
        Arrays.sort(v);
        int rank = (int) Math.ceil(p / 100.0 * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    @Override
    public String toString() {
        return name + "(pid " + pid + ", nice " + nice + ", w " + weight + ")";
    }
}
