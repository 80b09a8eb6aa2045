package org.scxjavaland.core.sched;

/**
 * An exception the scheduling loop or the policy threw: a bug, most likely in a policy of one's own
 * (--policy-jar). The runner detaches first (every task goes back to the kernel's own scheduler), then reports it in
 * one line that names the policy, the exception and where it was thrown; the stack trace is the cause's (-v).
 */
public final class LoopFailure extends RuntimeException {
    private LoopFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** Thrown while attached: the scheduler (or observer) is detached by the time the user reads this. */
    static LoopFailure whileAttached(String policy, Throwable cause, boolean scheduling) {
        return new LoopFailure("the scheduling loop failed (policy=" + policy + "): " + describe(cause) + "; detached"
                + (scheduling ? ", the kernel's own scheduler runs every task again" : ""), cause);
    }

    /** Thrown while warming up, before anything was attached. */
    static LoopFailure inWarmup(String policy, Throwable cause) {
        return new LoopFailure("the warm-up failed (policy=" + policy + "): " + describe(cause)
                + "; nothing was attached", cause);
    }

    /** {@code IllegalStateException: bug (at example.Policy.enqueue(Policy.java:49))}, on one line. */
    static String describe(Throwable t) {
        String s = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        StackTraceElement[] at = t.getStackTrace();
        if (at.length > 0) s += " (at " + at[0] + ")";
        return s.replaceAll("\\s*\\R\\s*", " ");
    }
}
