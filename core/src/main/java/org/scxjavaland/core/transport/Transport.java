package org.scxjavaland.core.transport;

import org.scxjavaland.core.wire.DispatchedTask;

/**
 * One open channel pair between the BPF side and the daemon: queued tasks in, decisions out. Used by a single
 * scheduling thread; implementations are not thread-safe and allocate nothing per record.
 */
public interface Transport extends AutoCloseable {
    String name();

    /**
     * Hands up to {@code max} queued-task records to {@code handler}, in the order the kernel produced them,
     * without blocking. Returns how many were delivered (0 when there is nothing to read).
     */
    int drain(QueuedTaskHandler handler, int max);

    /**
     * Sends one decision. Returns false when the channel is full right now (counted in
     * {@link TransportCounters#sendFull}); the caller keeps the task and tries again later. Never drops silently.
     */
    boolean send(DispatchedTask task);

    /**
     * Sleeps until queued records may be available, or until {@code timeoutNanos} passes. Callers drain fully
     * before calling it (the ring buffer only signals a consumer that has caught up). With a timeout of 0 it runs
     * the same path, system calls included, without sleeping: the warm-up compiles it that way.
     */
    void awaitWork(long timeoutNanos);

    TransportCounters counters();

    @Override
    void close();
}
