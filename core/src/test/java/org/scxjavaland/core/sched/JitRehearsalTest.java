package org.scxjavaland.core.sched;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pass logic on a fake clock: each pass takes 1 s, and the compiler works the given milliseconds in it. */
class JitRehearsalTest {
    private static final long MS = 1_000_000L;

    private final List<String> log = new ArrayList<>();
    private long now;
    private long compilerCpu;
    private int rehearsals;

    private int run(long[] compilerMsPerPass, boolean settles, long maxNanos, boolean stop) {
        return JitRehearsal.run(
                () -> {
                    compilerCpu += compilerMsPerPass[Math.min(rehearsals, compilerMsPerPass.length - 1)] * MS;
                    rehearsals++;
                    now += 400 * MS;
                },
                max -> {
                    now += 600 * MS;
                    return new JitSettle.Result(settles, 600 * MS, 0, 2);
                },
                () -> compilerCpu, () -> now, maxNanos, () -> stop, log::add);
    }

    @Test
    void repeatsWhileAPassKeepsTheCompilerBusy() {
        assertEquals(3, run(new long[] {5000, 300, 20}, true, 60_000 * MS, false));
        assertEquals(3, rehearsals);
        assertTrue(log.get(0).startsWith("rehearsal 1: JIT: idle"), log.get(0));
        assertTrue(log.get(1).endsWith("; 300 ms of compiler CPU in this pass of 1000 ms"), log.get(1));
    }

    @Test
    void aTenthOfACpuIsQuiet() {
        assertEquals(1, run(new long[] {100}, true, 60_000 * MS, false));
    }

    @Test
    void moreThanATenthIsBusy() {
        assertEquals(2, run(new long[] {101, 0}, true, 60_000 * MS, false));
    }

    @Test
    void stopsAtTheMostPasses() {
        assertEquals(JitRehearsal.MAX_PASSES, run(new long[] {900}, true, 60_000 * MS, false));
    }

    @Test
    void stopsWhenTheSettleRanOut() {
        assertEquals(1, run(new long[] {900}, false, 60_000 * MS, false), "the settle hit its bound");
    }

    @Test
    void stopsAtTheOverallBound() {
        assertEquals(2, run(new long[] {900}, true, 2_000 * MS, false));
    }

    @Test
    void stopsOnAStopRequest() {
        assertEquals(1, run(new long[] {900}, true, 60_000 * MS, true));
    }

    @Test
    void anUnreadableProcMakesOnePass() {
        int passes = JitRehearsal.run(() -> now += 400 * MS, max -> new JitSettle.Result(false, 0, 0, 0),
                () -> -1, () -> now, 60_000 * MS, () -> false, log::add);
        assertEquals(1, passes);
        assertEquals("rehearsal 1: JIT: no compiler threads to wait for after 0 ms (compiler threads: 0, 0 ms of CPU meanwhile)",
                log.get(0));
    }

    @Test
    void aCompilerThreadThatEndedCountsAsNoWork() {
        long[] cpu = {5000 * MS, 1000 * MS};
        int[] reads = {0};
        int passes = JitRehearsal.run(() -> now += 400 * MS, max -> {
                    now += 600 * MS;
                    return new JitSettle.Result(true, 600 * MS, 0, 1);
                },
                () -> cpu[Math.min(reads[0]++, 1)], () -> now, 60_000 * MS, () -> false, log::add);
        assertEquals(1, passes);
        assertTrue(log.get(0).endsWith("; 0 ms of compiler CPU in this pass of 1000 ms"), log.get(0));
    }
}
