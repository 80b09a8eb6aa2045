package org.scxjavaland.core.sched;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Rehearses the loop and waits for the JIT ({@link JitSettle}), and does both again while a pass still gave the
 * compiler real work: at most {@link #MAX_PASSES} passes, all of them within one bound on the waiting.
 * <p>
 * Why once is not enough: a method's next compile is asked for by its own counters, not by the queue going idle.
 * Under the VM's emulation C2's queue is long when the rehearsal runs, so HotSpot gives the loop's methods C1's
 * cheaper limited-profile code (tier 2) and leaves the C2 compile to the next time their counters overflow. A JIT
 * log of a ringbuf daemon under {@code stress-ng --switch 4} (2026-12-02 18:13,
 * {@code bench/results/jit-switch-vm-20261202T1813Z.txt}) showed exactly that: the queue idle when the wait ended,
 * then C2 compiles of {@code SchedulingLoop.run}, {@code step}, {@code runOnce}, {@code SessionStop.shouldStop} and
 * {@code RingbufTransport.drain} 1-27 s after attaching, asked for by the attached loop's own calls. Another pass
 * over the empty channels makes those calls while waiting is still harmless; a pass after which the compiler
 * used at most a tenth of a CPU asked for nothing that mattered, and the next would not either.
 */
final class JitRehearsal {
    static final int MAX_PASSES = 4;

    /** The JIT wait with what is left of the bound. */
    interface Settle {
        JitSettle.Result await(long maxNanos);
    }

    private JitRehearsal() {}

    /**
     * @param compilerCpuNanos the compiler threads' CPU time so far, negative where it cannot be read
     * @return the passes made
     */
    static int run(Runnable rehearse, Settle settle, LongSupplier compilerCpuNanos, LongSupplier clock,
                   long maxNanos, BooleanSupplier stop, Consumer<String> log) {
        long t0 = clock.getAsLong();
        for (int pass = 1; ; pass++) {
            long start = clock.getAsLong();
            long cpuBefore = compilerCpuNanos.getAsLong();
            rehearse.run();
            JitSettle.Result settled = settle.await(Math.max(0, maxNanos - (clock.getAsLong() - t0)));
            long end = clock.getAsLong();
            long cpuAfter = compilerCpuNanos.getAsLong();
            // compiler threads come and go with the queue, and a thread gone takes its CPU time with it: never below 0
            long compiled = cpuBefore < 0 || cpuAfter < 0 ? -1 : Math.max(0, cpuAfter - cpuBefore);
            log.accept("rehearsal " + pass + ": " + settled.describe()
                    + (compiled < 0 ? "" : "; " + compiled / 1_000_000 + " ms of compiler CPU in this pass of "
                    + (end - start) / 1_000_000 + " ms"));
            boolean busy = compiled * JitSettle.IDLE_SHARE > end - start;
            if (!busy || !settled.settled() || pass == MAX_PASSES || end - t0 >= maxNanos || stop.getAsBoolean()) {
                return pass;
            }
        }
    }
}
