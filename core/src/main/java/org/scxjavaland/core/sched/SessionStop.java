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
    /** Checks left before a rehearsal stops; after it, negative, and 0 again only after 2^63 checks. */
    private long checksLeft = Long.MAX_VALUE;

    SessionStop(StopSignal user, Session session, long deadline) {
        this.user = user;
        this.session = session;
        this.deadline = deadline;
    }

    /** The next run of the loop stops after {@code checks} checks, whatever else happens. */
    void rehearse(int checks) {
        checksLeft = checks;
    }

    /**
     * Without a branch for the rehearsal, and every condition evaluated (as || does anyway when none holds): the
     * rehearsal runs this thousands of times, and a branch it always took would be compiled with the other side as
     * a trap that the first check after attaching would take, back to the interpreter.
     */
    @Override
    public boolean shouldStop() {
        return --checksLeft == 0 | user.shouldStop() | session.exited() | System.nanoTime() > deadline;
    }

    String reason() {
        return session.exited() ? "kernel" : user.shouldStop() ? "signal" : "duration";
    }
}
