package org.scxjavaland.core.sched;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class LoopFailureTest {
    @Test
    void oneLineNamingThePolicyTheExceptionAndWhere() {
        var bug = new IllegalStateException("two\n  lines");
        bug.setStackTrace(new StackTraceElement[]{new StackTraceElement("my.Policy", "peek", "Policy.java", 12)});
        LoopFailure f = LoopFailure.whileAttached("mine", bug, true);
        assertEquals("the scheduling loop failed (policy=mine): IllegalStateException: two lines (at my.Policy.peek("
                + "Policy.java:12)); detached, the kernel's own scheduler runs every task again", f.getMessage());
        assertSame(bug, f.getCause(), "-v prints the policy's own stack trace");
        assertEquals("the scheduling loop failed (policy=mine): IllegalStateException: two lines (at my.Policy.peek("
                + "Policy.java:12)); detached", LoopFailure.whileAttached("mine", bug, false).getMessage(), "observe");
        assertEquals("the warm-up failed (policy=mine): NullPointerException; nothing was attached",
                LoopFailure.inWarmup("mine", withoutTrace(new NullPointerException())).getMessage());
    }

    private static <T extends Throwable> T withoutTrace(T t) {
        t.setStackTrace(new StackTraceElement[0]);
        return t;
    }
}
