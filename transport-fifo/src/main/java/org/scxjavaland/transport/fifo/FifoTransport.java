package org.scxjavaland.transport.fifo;

import org.scxjavaland.bpf.QueueMapOps;
import org.scxjavaland.core.transport.QueuedTaskHandler;
import org.scxjavaland.core.transport.Transport;
import org.scxjavaland.core.transport.TransportCounters;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.DispatchedTaskLayout;
import org.scxjavaland.core.wire.QueuedTask;
import org.scxjavaland.core.wire.QueuedTaskLayout;
import org.scxjavaland.sys.Bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.LockSupport;

/**
 * Queue maps both ways: every record read is one BPF_MAP_LOOKUP_AND_DELETE_ELEM into a scratch segment allocated
 * once, every decision one BPF_MAP_UPDATE_ELEM from another; a queue map copies values in and out under its
 * lock, so no memory ordering of ours is involved. Waiting is {@link Backoff}: a queue map cannot be polled.
 * Does not own the map fds (the BPF object does).
 */
final class FifoTransport implements Transport {
    private final int queuedFd;
    private final int dispatchedFd;
    private final Backoff backoff;
    private final QueueMapOps queues = new QueueMapOps();
    // Shared, not confined: the transport is opened on one thread and used on the scheduling thread.
    private final Arena arena = Arena.ofShared();
    private final MemorySegment in = arena.allocate(QueuedTaskLayout.SIZE, 8);
    private final MemorySegment out = arena.allocate(DispatchedTaskLayout.SIZE, 8);
    private final QueuedTask view = new QueuedTask();
    private final TransportCounters counters = new TransportCounters();
    private boolean workSinceWait;
    private long sleeps;
    private boolean closed;

    FifoTransport(int queuedFd, int dispatchedFd, Backoff backoff) {
        this.queuedFd = queuedFd;
        this.dispatchedFd = dispatchedFd;
        this.backoff = backoff;
    }

    @Override
    public String name() {
        return FifoTransportProvider.NAME;
    }

    /** Pops until {@code max} records or an empty queue; the empty pop (ENOENT) is the price of not knowing. */
    @Override
    public int drain(QueuedTaskHandler handler, int max) {
        int n = 0;
        try {
            while (n < max && queues.pop(queuedFd, in)) {
                n++;
                counters.received++;
                handler.onTask(view.wrap(in, 0));
            }
        } finally {
            countSyscalls();
        }
        if (n > 0) workSinceWait = true;
        return n;
    }

    @Override
    public boolean send(DispatchedTask task) {
        DispatchedTaskLayout.write(out, 0, task);
        boolean pushed;
        try {
            // BPF_ANY, never BPF_EXIST: with BPF_EXIST a full queue would silently drop its oldest decision.
            pushed = queues.push(dispatchedFd, out, Bpf.BPF_ANY);
        } finally {
            countSyscalls();
        }
        if (pushed) {
            counters.sent++;
            workSinceWait = true;
        } else {
            counters.sendFull++;
        }
        return pushed;
    }

    @Override
    public void awaitWork(long timeoutNanos) {
        if (workSinceWait) {
            workSinceWait = false;
            backoff.reset();
        }
        long sleep = backoff.next(timeoutNanos);
        if (sleep == 0) {
            Thread.onSpinWait();
            return;
        }
        counters.waits++;
        sleeps++;
        countSyscalls();
        LockSupport.parkNanos(sleep);
    }

    /** bpf() calls plus sleeps (a futex wait each), comparable with ringbuf's count of epoll_wait calls. */
    private void countSyscalls() {
        counters.syscalls = queues.calls() + sleeps;
    }

    @Override
    public TransportCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        arena.close();
    }
}
