package org.scxjavaland.transport.ringbuf;

import org.scxjavaland.bpf.BpfMapLookup;
import org.scxjavaland.bpf.MapNames;
import org.scxjavaland.core.transport.QueuedTaskHandler;
import org.scxjavaland.core.transport.Transport;
import org.scxjavaland.core.transport.TransportCounters;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.sys.Bpf;
import org.scxjavaland.sys.EpollEvents;
import org.scxjavaland.sys.LibC;

/**
 * The main transport: queued tasks from a RINGBUF read in place, decisions into a USER_RINGBUF written in place.
 * The only syscall is epoll_wait when there is nothing to do.
 * <p>
 * Sleeping: the kernel wakes a ring's waiter only when the consumer has caught up (consumer_pos equal to the
 * committed record's position), so {@link #awaitWork} sleeps only when everything has been consumed and
 * consumer_pos is published; the consumer publishes before every drain returns.
 */
public final class RingbufTransport implements Transport {
    public static final String NAME = "ringbuf";

    private final TransportCounters counters;
    private final RingBufferConsumer queued;
    private final UserRingBufferProducer dispatched;
    private final int epfd;
    private final EpollEvents events = new EpollEvents(1);
    private boolean closed;

    RingbufTransport(RingBufferConsumer queued, UserRingBufferProducer dispatched, int queuedFd,
                     TransportCounters counters) {
        this.queued = queued;
        this.dispatched = dispatched;
        this.counters = counters;
        int ep = LibC.epollCreate1(LibC.EPOLL_CLOEXEC);
        try {
            LibC.epollCtl(ep, LibC.EPOLL_CTL_ADD, queuedFd, LibC.EPOLLIN, queuedFd);
        } catch (RuntimeException e) {
            LibC.closeQuietly(ep);
            events.close();
            throw e;
        }
        this.epfd = ep;
    }

    /** Maps queued_rb and dispatched_urb of a loaded object, sized as the kernel holds them. */
    public static RingbufTransport open(BpfMapLookup maps) {
        TransportCounters counters = new TransportCounters();
        int queuedFd = maps.mapFd(MapNames.QUEUED_RINGBUF);
        requireType(queuedFd, MapNames.QUEUED_RINGBUF, Bpf.MAP_TYPE_RINGBUF);
        requireType(maps.mapFd(MapNames.DISPATCHED_USER_RINGBUF), MapNames.DISPATCHED_USER_RINGBUF,
                Bpf.MAP_TYPE_USER_RINGBUF);
        RingBufferConsumer consumer = RingBufferConsumer.map(queuedFd, maps.maxEntries(MapNames.QUEUED_RINGBUF),
                counters);
        UserRingBufferProducer producer = null;
        try {
            producer = UserRingBufferProducer.map(maps.mapFd(MapNames.DISPATCHED_USER_RINGBUF),
                    maps.maxEntries(MapNames.DISPATCHED_USER_RINGBUF), counters);
            return new RingbufTransport(consumer, producer, queuedFd, counters);
        } catch (RuntimeException e) {
            consumer.close();
            if (producer != null) producer.close();
            throw e;
        }
    }

    /** Mapping a map of another type would read garbage as records: refuse it with a clear message. */
    private static void requireType(int fd, String name, int type) {
        Bpf.MapInfo info = Bpf.mapInfo(fd);
        if (info.type() != type) {
            throw new IllegalArgumentException("map " + name + " is a " + info.typeName() + ", not a "
                    + Bpf.mapTypeName(type));
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int drain(QueuedTaskHandler handler, int max) {
        return queued.drain(handler, max);
    }

    @Override
    public boolean send(DispatchedTask task) {
        return dispatched.send(task);
    }

    @Override
    public void awaitWork(long timeoutNanos) {
        if (queued.producerAhead() || timeoutNanos < 0) return;
        long ms = (timeoutNanos + 999_999) / 1_000_000; // 0 stays 0: epoll_wait polls without blocking
        counters.waits++;
        counters.syscalls++;
        LibC.epollWait(epfd, events, (int) Math.min(ms, Integer.MAX_VALUE));
    }

    @Override
    public TransportCounters counters() {
        return counters;
    }

    /** The kernel-to-user ring (positions, for diagnostics and tests). */
    public RingBufferConsumer queued() {
        return queued;
    }

    /** The user-to-kernel ring (positions, for diagnostics and tests). */
    public UserRingBufferProducer dispatched() {
        return dispatched;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            LibC.closeQuietly(epfd);
            events.close();
        } finally {
            try {
                queued.close();
            } finally {
                dispatched.close();
            }
        }
    }
}
