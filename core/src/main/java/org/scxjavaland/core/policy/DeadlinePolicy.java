package org.scxjavaland.core.policy;

import net.openhft.chronicle.bytes.PointerBytesStore;
import org.scxjavaland.core.alloc.BuddyAllocator;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.DispatchedTaskLayout;
import org.scxjavaland.core.wire.QueuedTask;

/**
 * scx_rustland's deadline model (docs/policy.md has the rules, the wait bound and how they were measured):
 * <ul>
 *   <li>vruntime grows by the time a task ran since its previous record (the growth of {@code run_total}: every
 *       piece of a run that a higher class interrupted, not only the last {@code [start_ts, stop_ts]}) x 100 /
 *       weight;</li>
 *   <li>a new task starts at the clock G; at every enqueue a task's vruntime, charged with what it ran, is kept
 *       within {@code [G - S, G + 2 S x 100 / weight]}: a sleeper keeps at most one slice of credit, a task that ran
 *       ahead at most two slices of its own charge of debt (S: the slice, less under contention, see
 *       {@link #scaleToContention});</li>
 *   <li>deadline = vruntime + min(exec_runtime, runtimeCapNs): a task that ran long without sleeping queues
 *       behind one that just woke;</li>
 *   <li>served in (deadline, enqueue time, pid) order, here and in the kernel's vtime DSQs (the decision's vtime is
 *       the deadline);</li>
 *   <li>G comes from the kernel: the latest deadline a CPU started a task with ({@link CpuView#vtimeNow}), less
 *       the cap (for a CPU hog, that is its vruntime), so it follows the front of the runnable set wherever the
 *       ordering happens (here when decisions wait, in the DSQs when they go out at once, as they do in the
 *       daemon's loop);</li>
 *   <li>slice = sliceNs x weight / 100, within [sliceMinNs, sliceNs]: a light task runs in short turns, so its
 *       larger vruntime charge per turn does not make it wait many slices at a time;</li>
 *   <li>CPU: the task's previous CPU when it is idle (or the task may run nowhere else), otherwise any;</li>
 *   <li>a woken task sent to any CPU carries {@link DispatchedTaskLayout#DF_PREEMPT}: if no CPU is idle it may
 *       take the CPU of the running task with the latest deadline, when that deadline is later than its own; a
 *       woken task pinned to one CPU carries it too, and may take that CPU on the same terms.</li>
 * </ul>
 * Every per-task state lives in the arena: the pid table, the task nodes and the run queue. Nothing on these paths
 * allocates on the Java heap. When the arena (or the table) is full, enqueue returns false and
 * {@link PolicyCounters#arenaFailures} moves; the caller sends the task to the kernel's shared queue.
 */
public final class DeadlinePolicy implements SchedulingPolicy, AutoCloseable {
    public static final long DEFAULT_SLICE_NS = 20_000_000L;
    public static final long DEFAULT_SLICE_MIN_NS = 1_000_000L;
    public static final int DEFAULT_MAX_TASKS = 32_768;
    /** The kernel's PID_MAX_LIMIT: more tasks than pids cannot exist. */
    public static final int MAX_TASKS_LIMIT = 1 << 22;
    private static final long WEIGHT_DEFAULT = 100;
    /**
     * Debt a task may carry above the clock, in credits of its own charge: two, as EEVDF clamps lag at two slices
     * (update_entity_lag). At one, a nice 0 hog's turn is exactly one credit of charge, so any run past its slice (a
     * tick late, kept by jl_keep_prev, resumed after a kworker) was forgiven down to the clamp: the simulator with
     * kworkers gave nice 0 : nice 5 3.2-3.6, the VM 3.3, where the weights say 3.03; at two, 3.02-3.04.
     */
    static final long DEBT_CREDITS = 2;
    private static final long WEIGHT_MAX = 10_000;
    /** The kernel's SCX_ENQ_WAKEUP in queued_task.flags. */
    private static final long ENQ_WAKEUP = 1L;
    /**
     * A node that is not queued and whose task has sent no record for this long (the kernel's clock) is taken back
     * when the table is full: its exit notice was lost to a full ring, or the task sleeps, and then it comes back as
     * a new task, which costs it at most a slice of sleeper credit.
     */
    static final long RECLAIM_IDLE_NS = 30_000_000_000L;

    /**
     * @param sliceNs      maximum slice and the sleeper credit (scx_rustland -s, 20 ms)
     * @param sliceMinNs   minimum slice (scx_rustland -S, 1 ms)
     * @param runtimeCapNs cap on the exec_runtime term of the deadline (here: sliceNs; rustland: 100 x sliceNs)
     * @param maxTasks     tasks tracked at once (running, sleeping or queued) before enqueue refuses
     */
    public record Params(long sliceNs, long sliceMinNs, long runtimeCapNs, int maxTasks) {
        public Params {
            if (sliceNs <= 0 || sliceMinNs <= 0 || sliceMinNs > sliceNs) {
                throw new IllegalArgumentException("need 0 < slice min (" + sliceMinNs + " ns) <= slice (" + sliceNs + " ns)");
            }
            if (runtimeCapNs < 0) throw new IllegalArgumentException("runtime cap must be >= 0: " + runtimeCapNs);
            if (maxTasks < 1 || maxTasks > MAX_TASKS_LIMIT) {
                throw new IllegalArgumentException("max tasks must be 1.." + MAX_TASKS_LIMIT + ": " + maxTasks);
            }
        }

        public static Params defaults() {
            return of(DEFAULT_SLICE_NS, DEFAULT_SLICE_MIN_NS);
        }

        /** The given slices, the cap at one slice, {@link #DEFAULT_MAX_TASKS}. */
        public static Params of(long sliceNs, long sliceMinNs) {
            return new Params(sliceNs, sliceMinNs, sliceNs, DEFAULT_MAX_TASKS);
        }

        public Params withMaxTasks(int n) {
            return new Params(sliceNs, sliceMinNs, runtimeCapNs, n);
        }

        public Params withRuntimeCapNs(long cap) {
            return new Params(sliceNs, sliceMinNs, cap, maxTasks);
        }
    }

    private final Params params;
    private final BuddyAllocator alloc;
    private final boolean ownsArena;
    private final PointerBytesStore mem;
    private final TaskTable table;
    private final RunQueue runQueue;
    private final PolicyCounters counters = new PolicyCounters();
    private long globalVruntime;
    /** The sleeper credit and the deadline's cap in vruntime, for the contention last seen (see {@link #peek}). */
    private long creditNs;
    private long capNs;
    /** The longest slice for the contention last seen: sliceNs, less past C x 100 runnable weight. */
    private long maxSliceNs;
    private long peeked = TaskTable.ABSENT;

    /**
     * A policy on an allocator the caller owns (and closes); needs {@link #arenaHeapBytesFor}(maxTasks) free in it
     * for the table and the run queue, plus 64 bytes per task.
     */
    public DeadlinePolicy(BuddyAllocator alloc, Params params) {
        this(alloc, params, false);
    }

    private DeadlinePolicy(BuddyAllocator alloc, Params params, boolean ownsArena) {
        this.params = params;
        this.alloc = alloc;
        this.ownsArena = ownsArena;
        this.mem = alloc.bytes();
        this.table = new TaskTable(alloc, params.maxTasks());
        this.runQueue = new RunQueue(alloc, params.maxTasks());
        this.creditNs = params.sliceNs();
        this.capNs = params.runtimeCapNs();
        this.maxSliceNs = params.sliceNs();
    }

    /** A policy on its own locked arena, sized by {@link #arenaHeapBytesFor}; {@link #close} unmaps it. */
    public static DeadlinePolicy create(Params params) {
        BuddyAllocator a = BuddyAllocator.mapLocked(arenaHeapBytesFor(params.maxTasks()));
        try {
            return new DeadlinePolicy(a, params, true);
        } catch (RuntimeException e) {
            a.arena().close();
            throw e;
        }
    }

    /**
     * Heap bytes (a power of two) that hold the table, the run queue and a node for each of {@code maxTasks} tasks,
     * with room to spare: 8 MiB for the default 32768 tasks.
     */
    public static long arenaHeapBytesFor(int maxTasks) {
        long need = TaskTable.bytesFor(maxTasks) + RunQueue.bytesFor(maxTasks) + (long) maxTasks * TaskNode.SIZE;
        return Long.highestOneBit(need - 1) << 2;
    }

    @Override
    public boolean enqueue(QueuedTask task, long nowNs) {
        int pid = task.pid();
        if (task.isExitNotice()) {
            taskExited(pid, task.uid());
            return true;
        }
        long weight = task.weight();
        if (weight <= 0) weight = WEIGHT_DEFAULT;
        else if (weight > WEIGHT_MAX) weight = WEIGHT_MAX;
        long runTotal = task.runTotal();

        long node = table.get(pid);
        if (node != TaskTable.ABSENT && mem.readLong(node + TaskNode.UID) != task.uid()) {
            // Another task under a reused pid: the old one's exit notice was lost (a full ring) or is still on its
            // way. Nothing of its state is this task's.
            forget(pid, node);
            counters.reusedPids++;
            node = TaskTable.ABSENT;
        }
        long v;
        if (node == TaskTable.ABSENT) {
            if (table.size() >= params.maxTasks()) reclaimIdle(task.enqTs());
            node = table.track(pid, alloc, TaskNode.SIZE, counters);
            if (node == TaskTable.ABSENT) return false;
            mem.writeInt(node + TaskNode.PID, pid);
            mem.writeInt(node + TaskNode.HEAP_INDEX, -1);
            mem.writeLong(node + TaskNode.UID, task.uid());
            // a new task starts level with the others; what it ran before we knew it is not charged
            v = globalVruntime;
        } else {
            int queuedAt = mem.readInt(node + TaskNode.HEAP_INDEX);
            if (queuedAt >= 0) {
                runQueue.removeAt(queuedAt);
                if (peeked == node) peeked = TaskTable.ABSENT;
                counters.superseded++;
            }
            // Charged first, then floored: BPF's jl_keep_prev keeps a task running for as long as its deadline plus
            // this charge stays ahead of what waits, and the clock moves on meanwhile; flooring the vruntime from
            // before the run would charge a long kept run twice (once by the floor, once by the charge).
            // Everything it ran since the record charged last, not only its last [start, stop]: a run that a higher
            // class (RT, deadline) interrupted resumes without a new enqueue, and its earlier pieces count too.
            v = mem.readLong(node + TaskNode.VRUNTIME);
            long ran = runTotal - mem.readLong(node + TaskNode.RUN_CHARGED);
            if (ran > 0) {
                v += ran * 100 / weight;
            }
            v = Math.max(v, globalVruntime - creditNs);
            // ...and at most two credits' worth of its own charge above it (a lag clamp, as EEVDF's): a task that
            // ran ahead while few competed (175 ms of vruntime ahead in the VM soak) would otherwise wait, once 80
            // tasks compete, for all of them to catch up: 7 s at their pace, past the watchdog's 5 s.
            v = Math.min(v, globalVruntime + DEBT_CREDITS * creditNs * WEIGHT_DEFAULT / weight);
        }
        // Not weight-scaled: equal offsets keep CPU hogs in vruntime order, so the dispatched vruntime (the global
        // clock) tracks the laggards and the one-slice floor never takes weighted credit away from a hog.
        long deadline = v + Math.min(task.execRuntime(), capNs);

        mem.writeInt(node + TaskNode.PREV_CPU, task.cpu());
        mem.writeLong(node + TaskNode.VRUNTIME, v);
        mem.writeLong(node + TaskNode.DEADLINE, deadline);
        mem.writeLong(node + TaskNode.KERNEL_ENQ_TS, task.enqTs());
        mem.writeLong(node + TaskNode.ENQ_CNT, task.enqCnt());
        mem.writeLong(node + TaskNode.RUN_CHARGED, runTotal);
        mem.writeInt(node + TaskNode.ATTRS, (int) weight | ((task.flags() & ENQ_WAKEUP) != 0 ? TaskNode.WOKEN : 0)
                | (task.nrCpusAllowed() == 1 ? TaskNode.PINNED : 0));
        runQueue.insert(node, pid, deadline, nowNs);
        return true;
    }

    @Override
    public void taskExited(int pid, long uid) {
        long node = table.get(pid);
        if (node == TaskTable.ABSENT) return;
        if (mem.readLong(node + TaskNode.UID) != uid) {
            // late: the pid is another task's by now, and that task's state stays
            counters.lateExitNotices++;
            return;
        }
        forget(pid, node);
        counters.exits++;
    }

    /**
     * Takes back the nodes not queued and not heard of for {@link #RECLAIM_IDLE_NS} before {@code nowKernelNs}: the
     * leak of exit notices lost to a full ring would otherwise fill the table for good (review C6). A scan of the
     * whole table, on this rare path only. Best effort: an entry that a removal moves across the scan's start may be
     * missed until the next scan.
     */
    private void reclaimIdle(long nowKernelNs) {
        for (int i = table.slotCount() - 1; i >= 0; ) {
            int pid = table.pidAt(i);
            if (pid != 0) {
                long node = table.nodeAt(i);
                if (mem.readInt(node + TaskNode.HEAP_INDEX) < 0
                        && nowKernelNs - mem.readLong(node + TaskNode.KERNEL_ENQ_TS) > RECLAIM_IDLE_NS) {
                    forget(pid, node);
                    counters.reclaimed++;
                    continue;       // a later entry may have moved into slot i
                }
            }
            i--;
        }
    }

    /** Drops the state of the task holding {@code pid} (its node), and its queued record if it has one. */
    private void forget(int pid, long node) {
        table.remove(pid);
        int queuedAt = mem.readInt(node + TaskNode.HEAP_INDEX);
        if (queuedAt >= 0) {
            runQueue.removeAt(queuedAt);
            counters.superseded++;
        }
        if (peeked == node) peeked = TaskTable.ABSENT;
        alloc.free(node);
        counters.tasksTracked--;
    }

    @Override
    public int queued() {
        return runQueue.size();
    }

    @Override
    public boolean peek(DispatchedTask out, CpuView cpus, long nowNs) {
        int n = runQueue.size();
        if (n == 0) return false;
        scaleToContention(cpus);
        // The kernel's clock is a deadline; a CPU hog's deadline is its vruntime plus the cap, so this is the
        // vruntime of the latest task started.
        long clock = cpus.vtimeNow() - capNs;
        if (clock - globalVruntime > 0) globalVruntime = clock;
        long node = runQueue.topNode();
        long slice = sliceFor(mem.readInt(node + TaskNode.ATTRS) & TaskNode.WEIGHT_MASK);
        int cpu = chooseCpu(node, cpus);
        out.set(mem.readInt(node + TaskNode.PID), cpu, preemptFlag(node, cpu), slice,
                mem.readLong(node + TaskNode.DEADLINE), mem.readLong(node + TaskNode.ENQ_CNT));
        out.timestamps(mem.readLong(node + TaskNode.KERNEL_ENQ_TS), runQueue.topEnqTs());
        peeked = node;
        return true;
    }

    @Override
    public void pop() {
        long node = peeked;
        if (node == TaskTable.ABSENT) return; // the peeked task exited or was re-queued meanwhile
        peeked = TaskTable.ABSENT;
        int at = mem.readInt(node + TaskNode.HEAP_INDEX);
        if (at < 0) return;
        runQueue.removeAt(at);
    }

    @Override
    public PolicyCounters counters() {
        return counters;
    }

    /** The clock G as last read from the CPUs: new tasks start here, sleepers are floored one slice below it. */
    public long globalVruntime() {
        return globalVruntime;
    }

    public Params params() {
        return params;
    }

    /** The sleeper credit in force: sliceNs, less under contention. */
    public long creditNs() {
        return creditNs;
    }

    /** The cap on a deadline's exec_runtime term in force: runtimeCapNs, less under contention. */
    public long capNs() {
        return capNs;
    }

    /** The longest slice in force: sliceNs, less under contention (never under sliceMinNs). */
    public long maxSliceNs() {
        return maxSliceNs;
    }

    /** The allocator holding every per-task state (for stats: bytes in use, failures). */
    public BuddyAllocator allocator() {
        return alloc;
    }

    /** Unmaps the arena if {@link #create} made it; an allocator passed in stays the caller's. */
    @Override
    public void close() {
        if (ownsArena) alloc.arena().close();
    }

    /**
     * The credit and the cap are one slice of real time, not of vruntime: with runnable weight W on C CPUs, vruntime
     * moves C x 100 / W times as fast as the clock on the wall, so past W = C x 100 they shrink by that factor. At a
     * fixed slice of vruntime, a task above the clock waited for every newcomer floored one slice below it to use two
     * slices of vruntime: 500 sleepers on 2 CPUs kept a hog waiting 4 s (the simulator; the watchdog ejects at 5 s).
     */
    private void scaleToContention(CpuView cpus) {
        long w = cpus.runnableWeight();
        long fair = (long) cpus.nrCpus() * WEIGHT_DEFAULT;
        if (w <= fair || fair <= 0) {
            creditNs = params.sliceNs();
            capNs = params.runtimeCapNs();
            maxSliceNs = params.sliceNs();
        } else {
            creditNs = Math.max(1, params.sliceNs() / w * fair);
            capNs = Math.max(1, params.runtimeCapNs() / w * fair);
            maxSliceNs = Math.max(params.sliceMinNs(), params.sliceNs() / w * fair);
        }
    }

    /**
     * A light task runs in shorter turns (its vruntime charge per turn is larger); under contention every turn is
     * shorter, as the credit and the cap are, so that the wait between turns stays near one slice of real time.
     */
    long sliceFor(long weight) {
        long s = maxSliceNs / WEIGHT_DEFAULT * weight;
        return Math.max(params.sliceMinNs(), Math.min(maxSliceNs, s));
    }

    /**
     * Only a task that just woke may preempt: it slept, so its deadline is at most one slice past G while a running
     * CPU hog's is a full cap past its vruntime. A task going to its idle previous CPU needs no CPU taken; one pinned
     * to a busy CPU does (cyclictest's measuring thread is; in the simulator such a sleeper waited for a hog's slice). A
     * task that was preempted or used up its slice re-queues without the flag, so preemption never chains between
     * CPU-bound tasks.
     */
    private long preemptFlag(long node, int cpu) {
        int attrs = mem.readInt(node + TaskNode.ATTRS);
        if ((attrs & TaskNode.WOKEN) == 0) return 0L;
        return cpu == DispatchedTaskLayout.CPU_ANY || (attrs & TaskNode.PINNED) != 0
                ? DispatchedTaskLayout.DF_PREEMPT : 0L;
    }

    private int chooseCpu(long node, CpuView cpus) {
        int prev = mem.readInt(node + TaskNode.PREV_CPU);
        if (prev >= 0 && prev < cpus.nrCpus()
                && ((mem.readInt(node + TaskNode.ATTRS) & TaskNode.PINNED) != 0 || cpus.isIdle(prev))) {
            return prev;
        }
        return DispatchedTaskLayout.CPU_ANY;
    }
}
