package org.scxjavaland.core.policy;

/**
 * Layout of one task's state: a 64-byte arena block (the allocator's smallest). The node is also the run queue's
 * handle for the task: {@link #HEAP_INDEX} says where the task sits in the heap, -1 when it is not queued.
 */
final class TaskNode {
    static final int SIZE = 64;

    static final long PID = 0;              // int
    static final long PREV_CPU = 4;         // int: CPU it last ran on
    static final long VRUNTIME = 8;         // long: weighted time used (ns x 100 / weight)
    static final long DEADLINE = 16;        // long: vruntime + capped, weighted runtime since it last slept
    static final long KERNEL_ENQ_TS = 24;   // long: ns, when ops.enqueue queued it (the record's enq_ts)
    static final long ENQ_CNT = 32;         // long: kernel's enqueue generation, echoed in the decision
    static final long RUN_CHARGED = 40;     // long: the record's run_total already charged (no run twice, none lost)
    static final long HEAP_INDEX = 48;      // int: slot in the run queue, -1 = not queued
    static final long ATTRS = 52;           // int: WEIGHT_MASK, WOKEN, PINNED, as of the last record
    static final long UID = 56;             // long: the record's uid: which task holds this pid (pids are reused)

    /** ATTRS: p->scx.weight, 1..10000, 100 = nice 0. */
    static final int WEIGHT_MASK = 0xFFFF;
    /** ATTRS: the last record was a wake-up (SCX_ENQ_WAKEUP). */
    static final int WOKEN = 1 << 16;
    /** ATTRS: the task may run on one CPU only. */
    static final int PINNED = 1 << 17;

    private TaskNode() {
    }
}
