package org.scxjavaland.core.sched;

/**
 * A histogram of nanosecond values in power-of-two buckets, preallocated: recording is a few arithmetic operations
 * and three array/field increments, no allocation, so the scheduling thread can record every decision. Written by
 * one thread; others read it racily (a reader may see a bucket one ahead of the count, never a torn value on a
 * 64-bit JVM), and publish it as a cumulative histogram (Prometheus' classic buckets).
 * <p>
 * Bucket {@code i} counts values in (2^(MIN_EXP+i-1), 2^(MIN_EXP+i)] ns; the first also takes everything smaller,
 * the last everything above 2^MAX_EXP ns (+Inf).
 */
public final class Log2Histogram {
    /** The first upper bound: 2^10 ns, about 1 microsecond. */
    public static final int MIN_EXP = 10;
    /** The last finite upper bound: 2^36 ns, about 69 seconds. */
    public static final int MAX_EXP = 36;
    /** Finite buckets plus +Inf. */
    public static final int BUCKETS = MAX_EXP - MIN_EXP + 2;

    private final long[] counts = new long[BUCKETS];
    private long sumNs;

    public void record(long ns) {
        // Without a branch (min/max compile to conditional moves): C2 compiles a branch its profile never saw taken
        // as a trap, and which buckets the warm-up reaches depends on the machine; the clamp to the first bucket
        // trapped after attaching in a fresh-clone run of scripts/check-alloc.sh, sending the loop back to the
        // interpreter.
        long v = Math.max(ns, 0);
        int exp = 64 - Long.numberOfLeadingZeros(Math.max(v, 1) - 1); // smallest e with 2^e >= v (0 for v <= 1)
        int i = Math.min(Math.max(exp - MIN_EXP, 0), BUCKETS - 1);
        counts[i]++;
        sumNs += v;
    }

    /** Values in bucket {@code i} (not cumulative). */
    public long count(int i) {
        return counts[i];
    }

    public long sumNs() {
        return sumNs;
    }

    /** The upper bound of bucket {@code i} in ns; {@code Long.MAX_VALUE} for the last (+Inf). */
    public static long upperBoundNs(int i) {
        return i == BUCKETS - 1 ? Long.MAX_VALUE : 1L << (MIN_EXP + i);
    }
}
