package org.scxjavaland.core.transport;

/**
 * Counters of one transport. Written by the scheduling thread only; read by stats and metrics threads, which may
 * see a value a moment old (plain long fields, read racily on purpose: no fences on the hot path).
 */
public final class TransportCounters {
    /** Records delivered to the handler (exit notices included). */
    public long received;
    /** DISCARD records skipped. */
    public long discarded;
    /** Decisions accepted by the channel. */
    public long sent;
    /** Sends refused because the channel was full; the caller kept the task and retried. */
    public long sendFull;
    /** Times the thread slept waiting for work. */
    public long waits;
    /** bpf()/epoll_wait/other syscalls made by the transport. */
    public long syscalls;
}
