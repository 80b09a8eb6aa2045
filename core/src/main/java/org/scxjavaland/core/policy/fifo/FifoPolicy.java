package org.scxjavaland.core.policy.fifo;

import net.openhft.chronicle.bytes.PointerBytesStore;
import org.scxjavaland.core.alloc.BuddyAllocator;
import org.scxjavaland.core.policy.CpuView;
import org.scxjavaland.core.policy.PolicyCounters;
import org.scxjavaland.core.policy.SchedulingPolicy;
import org.scxjavaland.core.policy.TaskTable;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.DispatchedTaskLayout;
import org.scxjavaland.core.wire.QueuedTask;

/**
 * scx_rlfifo's policy ({@code --policy=fifo}): tasks in the order they arrive, each to its previous CPU when that is
 * idle, else to any CPU, for one fixed slice; no weights, no preemption. The template for a policy of one's own
 * (docs/writing-a-policy.md): it uses only what any policy may, and keeps every per-task state in the arena.
 * <p>A task is held only while it waits: a 64-byte node in a doubly linked list, found by pid through a
 * {@link TaskTable} so that a newer record of the same task, or its exit, takes it out in O(1).
 */
public final class FifoPolicy implements SchedulingPolicy {
    private static final int NODE = 64;
    private static final long PID = 0, CPU = 4, ALLOWED = 8, ENQ_TS = 16, ENQ_CNT = 24, RECEIVED = 32, NEXT = 40, PREV = 48,
            UID = 56;
    private static final long NONE = BuddyAllocator.NO_BLOCK;

    private final BuddyAllocator arena;
    private final PointerBytesStore mem;
    private final TaskTable table;
    private final long sliceNs;
    private final PolicyCounters counters = new PolicyCounters();
    private long head = NONE, tail = NONE, peeked = NONE;
    private int queued;

    public FifoPolicy(BuddyAllocator arena, long sliceNs, int maxTasks) {
        this.arena = arena;
        this.mem = arena.bytes();
        this.table = new TaskTable(arena, maxTasks);
        this.sliceNs = sliceNs;
    }

    /** The table, and a node per task, with a buddy's worth of room to spare. */
    public static long arenaHeapBytesFor(int maxTasks) {
        return Long.highestOneBit(TaskTable.bytesFor(maxTasks) + (long) maxTasks * NODE - 1) << 2;
    }

    @Override
    public boolean enqueue(QueuedTask task, long nowNs) {
        int pid = task.pid();
        if (task.isExitNotice()) {
            taskExited(pid, task.uid());
            return true;
        }
        long node = table.get(pid);
        if (node != TaskTable.ABSENT) {
            if (mem.readLong(node + UID) != task.uid()) counters.reusedPids++;
            // The kernel enqueued the task again: only the newer record can still be applied (enq_cnt), and it
            // arrived now, so the task goes to the back.
            unlink(node);
            counters.superseded++;
        } else {
            node = table.track(pid, arena, NODE, counters);
            if (node == NONE) return false;
        }
        mem.writeInt(node + PID, pid);
        mem.writeInt(node + CPU, task.cpu());
        mem.writeLong(node + ALLOWED, task.nrCpusAllowed());
        mem.writeLong(node + ENQ_TS, task.enqTs());
        mem.writeLong(node + ENQ_CNT, task.enqCnt());
        mem.writeLong(node + UID, task.uid());
        mem.writeLong(node + RECEIVED, nowNs);
        mem.writeLong(node + NEXT, NONE);
        mem.writeLong(node + PREV, tail);
        if (tail == NONE) head = node;
        else mem.writeLong(tail + NEXT, node);
        tail = node;
        queued++;
        return true;
    }

    @Override
    public void taskExited(int pid, long uid) {
        long node = table.get(pid);
        if (node == TaskTable.ABSENT) return; // not waiting: nothing held
        if (mem.readLong(node + UID) != uid) {
            counters.lateExitNotices++;    // another task holds the pid now: its record stays
            return;
        }
        table.remove(pid);
        unlink(node);
        arena.free(node);
        counters.superseded++;
        counters.tasksTracked--;
        counters.exits++;
    }

    @Override
    public int queued() {
        return queued;
    }

    @Override
    public boolean peek(DispatchedTask out, CpuView cpus, long nowNs) {
        if (head == NONE) return false;
        long node = head;
        int prev = mem.readInt(node + CPU);
        boolean stay = prev >= 0 && prev < cpus.nrCpus() && (cpus.isIdle(prev) || mem.readLong(node + ALLOWED) == 1);
        // The vtime orders the decision in BPF's vtime DSQs, and BPF reads it as a deadline on its own clock
        // (vtime_now: the latest one a CPU started, advanced by runtime x 100 / runnable weight), next to the
        // vtimes it gives the daemon's other threads (vtime_now +- a slice) and the wake-ups it places itself
        // (vtime_now). The kernel's enqueue time keeps the arrival order and moves with that clock, in ns as it
        // does: a sequence number would sit far below it, and those threads would wait behind every task. The
        // floor keeps it within a slice of the clock when the clock runs ahead of real time (light tasks advance
        // it faster than 1 ns per ns), or those threads would wait for the real clock to catch up.
        long vtime = Math.max(mem.readLong(node + ENQ_TS), cpus.vtimeNow() - sliceNs);
        out.set(mem.readInt(node + PID), stay ? prev : DispatchedTaskLayout.CPU_ANY, 0, sliceNs, vtime,
                mem.readLong(node + ENQ_CNT));
        out.timestamps(mem.readLong(node + ENQ_TS), mem.readLong(node + RECEIVED));
        peeked = node;
        return true;
    }

    @Override
    public void pop() {
        long node = peeked;
        if (node == NONE) return; // the peeked task exited or was queued again meanwhile
        table.remove(mem.readInt(node + PID));
        unlink(node);
        arena.free(node);
        counters.tasksTracked--;
    }

    @Override
    public PolicyCounters counters() {
        return counters;
    }

    private void unlink(long node) {
        long next = mem.readLong(node + NEXT), prev = mem.readLong(node + PREV);
        if (prev == NONE) head = next;
        else mem.writeLong(prev + NEXT, next);
        if (next == NONE) tail = prev;
        else mem.writeLong(next + PREV, prev);
        if (peeked == node) peeked = NONE;
        queued--;
    }
}
