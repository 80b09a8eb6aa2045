package org.scxjavaland.core.policy;

import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.QueuedTask;

/**
 * Decides order, CPU and slice. Knows nothing of transports: the scheduling loop feeds it queued tasks and asks it
 * for decisions. Called from the scheduling thread only; allocates nothing on the Java heap per task.
 */
public interface SchedulingPolicy {
    /**
     * Takes a task that wants a CPU. Returns false when the policy cannot hold it (arena exhausted): the caller
     * then sends the task straight back to the kernel's shared queue, so nothing is lost.
     */
    boolean enqueue(QueuedTask task, long nowNs);

    /**
     * The task is gone: forget its state. {@code uid} says which task (intf.h): a pid is reused, and a notice that
     * arrives after another task took the pid must leave that task's state alone.
     */
    void taskExited(int pid, long uid);

    /** Tasks held, waiting for a decision. */
    int queued();

    /** Fills {@code out} with the next decision without removing the task; false when nothing is queued. */
    boolean peek(DispatchedTask out, CpuView cpus, long nowNs);

    /** Removes the task that the last successful {@link #peek} described (its decision was sent). */
    void pop();

    /** Policy counters for stats and metrics (arena failures, tasks tracked, ...). */
    PolicyCounters counters();
}
