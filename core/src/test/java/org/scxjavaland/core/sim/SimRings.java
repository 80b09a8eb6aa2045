package org.scxjavaland.core.sim;

import java.util.ArrayDeque;
import java.util.function.IntConsumer;

/**
 * The two rings between the BPF side and the daemon, and the kernel side of them: a Java twin of
 * bpf-src/src/transport.bpf.h for the ring-buffer transport (jl_produce with the adaptive wake-up, jl_drain with its
 * budget, jl_records_pending, jl_force_wakeup). Records and decisions are kept as values here; {@link SimTransport}
 * turns records into the real wire layout (QueuedTaskLayout) on the daemon's side.
 */
final class SimRings {
    /** struct scx_jl_queued_task. */
    record Queued(int pid, int cpu, long nrCpusAllowed, long flags, long startTs, long stopTs, long execRuntime,
                  long runTotal, long weight, long vtime, long enqCnt, long enqTs, long uid, String comm) {
    }

    /** struct scx_jl_dispatched_task. */
    record Decision(int pid, int cpu, long flags, long sliceNs, long vtime, long enqCnt) {
    }

    /** struct jl_drain: the draining state on ops.dispatch's stack. */
    static final class Drain {
        int budget;
        final int cpu;
        long drained;

        Drain(int budget, int cpu) {
            this.budget = budget;
            this.cpu = cpu;
        }
    }

    /** jl_on_decision: returns true to stop draining. */
    interface DecisionHandler {
        boolean onDecision(Decision d, Drain dr);
    }

    final ArrayDeque<Queued> queued = new ArrayDeque<>();
    final ArrayDeque<Decision> dispatched = new ArrayDeque<>();
    private final int queuedSlots;
    final int dispatchedSlots;
    private final IntConsumer wakeConsumer;
    long produced;
    long wakeups;

    /**
     * @param wakeConsumer the ring buffer's irq_work, given the CPU that submitted a wake-up's record (-1: another
     *                     record, or a timer's): wakes the daemon if it waits in epoll
     */
    SimRings(int queuedSlots, int dispatchedSlots, IntConsumer wakeConsumer) {
        this.queuedSlots = queuedSlots;
        this.dispatchedSlots = dispatchedSlots;
        this.wakeConsumer = wakeConsumer;
    }

    /**
     * jl_produce: false when the ring is full (the caller keeps the task in the kernel). bpf_ringbuf_submit with
     * flags 0 wakes the consumer only when it had consumed everything before this record.
     */
    boolean produce(Queued rec) {
        if (queued.size() >= queuedSlots) return false;
        boolean caughtUp = queued.isEmpty();
        queued.add(rec);
        produced++;
        if (caughtUp) {
            wakeups++;
            // jl_cpu_run.woke_rec: the scheduling thread may follow a wake-up's record to its CPU, not a slice's end
            wakeConsumer.accept((rec.flags() & SchedExtCore.SCX_ENQ_WAKEUP) != 0 ? rec.cpu() : -1);
        }
        return true;
    }

    /** jl_records_pending. */
    boolean recordsPending() {
        return !queued.isEmpty();
    }

    /** jl_force_wakeup: a discarded record with BPF_RB_FORCE_WAKEUP. */
    void forceWakeup() {
        wakeups++;
        wakeConsumer.accept(-1);
    }

    /** jl_drain/jl_take: at most dr.budget decisions, each to the handler. */
    long drain(Drain dr, DecisionHandler handler) {
        if (dr.budget == 0) return 0;
        while (!dispatched.isEmpty()) {
            Decision d = dispatched.poll();
            dr.drained++;
            if (handler.onDecision(d, dr)) break;
            if (--dr.budget == 0) break;
        }
        return dr.drained;
    }
}
