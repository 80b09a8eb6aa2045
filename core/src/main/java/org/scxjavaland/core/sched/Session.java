package org.scxjavaland.core.sched;

import org.scxjavaland.core.transport.Transport;
import org.scxjavaland.core.transport.TransportProvider;

/**
 * One attachment of a kernel side to the daemon's loop: the sched_ext scheduler ({@code run}) or the tracepoint
 * observer ({@code observe}). The runner drives both the same way; only opening, attaching and the way it ends
 * differ.
 */
interface Session extends AutoCloseable {
    /** Opens (configures and loads) a session for a transport; nothing is attached yet. */
    @FunctionalInterface
    interface Opener {
        Session open(TransportProvider provider, SchedulerOptions options);
    }

    Transport transport();

    StatsSection stats();

    /** What is about to be attached, for the log line said before attaching. */
    String describe(String transportName, SchedulerOptions options);

    void attach();

    /**
     * Between the end of the loop and detaching, on the scheduling thread with the loop still usable: a session
     * whose kernel side keeps producing until detached settles its accounts here.
     */
    default void settle(SchedulingLoop loop) {
    }

    /** Detaches (idempotent). */
    void detach();

    /** Whether the kernel side has ended the session by itself (a volatile read, cheap enough for every loop turn). */
    boolean exited();

    ExitInfo exitInfo();

    /** After detaching: why the session ended, once the kernel side has said so. */
    ExitInfo awaitExitInfo();

    /** The observer's own counters, or null for a session that has none. */
    default ObserveSnapshot observed() {
        return null;
    }

    @Override
    void close();

    /** The end of every session: detach, then the transport, then the BPF object, each even if the one before failed. */
    static void close(Session s, org.scxjavaland.bpf.BpfObject object) {
        try {
            s.detach();
        } finally {
            try {
                s.transport().close();
            } finally {
                object.close();
            }
        }
    }
}
