package org.scxjavaland.core.sched;

/**
 * When a session's loop stops: the user asked (signal), the kernel ended the scheduler, or the duration is up.
 * A concrete class rather than a lambda: a lambda's call site is linked the first time it runs, which spins a class
 * at run time, and the first run of the real loop happens after attaching, when this thread must not wait on
 * anything (see SchedulerRunner). The rehearsal mode stops after a given number of checks, so that the very same
 * loop code can run once before attaching.
 */
final class SessionStop implements StopSignal {
    private final StopSignal user;
    private final Session session;
    private final long deadline;
    private int rehearsalChecks;

    SessionStop(StopSignal user, Session session, long deadline) {
        this.user = user;
        this.session = session;
        this.deadline = deadline;
    }

    /** The next run of the loop stops after {@code checks} checks, whatever else happens. */
    void rehearse(int checks) {
        rehearsalChecks = checks;
    }

    @Override
    public boolean shouldStop() {
        if (rehearsalChecks > 0) {
            return --rehearsalChecks == 0;
        }
        return user.shouldStop() || session.exited() || System.nanoTime() > deadline;
    }

    String reason() {
        return session.exited() ? "kernel" : user.shouldStop() ? "signal" : "duration";
    }
}
