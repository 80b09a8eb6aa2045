package org.scxjavaland.core.sched;

import org.scxjavaland.core.wire.ObserveStatsLayout;

/**
 * The log-linear latency buckets of intf.h (scx_jl_observe_stats.latency_hist): 2^LAT_SUB_BITS per power of two, the
 * first ones exact. The observer's BPF fills them; the scheduling loop fills its own ({@link LogLinearHistogram}),
 * so that both kinds of run report percentiles at the same resolution.
 */
public final class LatencyHistogram {
    private static final int SUB = 1 << ObserveStatsLayout.LAT_SUB_BITS;

    private LatencyHistogram() {
    }

    /**
     * The bucket of a latency of {@code ns} (negative counts as 0): the Java twin of BPF's obs_latency_bucket.
     * Without a branch (min/max compile to conditional moves), for the reason given in Log2Histogram.record.
     */
    public static int bucketOf(long ns) {
        long v = Math.max(ns, 0);
        int e = 63 - Long.numberOfLeadingZeros(v);                    // the highest set bit; -1 for 0
        int base = Math.max(e - ObserveStatsLayout.LAT_SUB_BITS + 1, 0) << ObserveStatsLayout.LAT_SUB_BITS;
        int sub = (int) ((v >>> Math.max(e - ObserveStatsLayout.LAT_SUB_BITS, 0)) & (SUB - 1));
        // Below 2 * SUB, base + sub is v itself: the exact buckets need no case of their own.
        return Math.min(base + sub, ObserveStatsLayout.LAT_BUCKETS - 1);
    }

    /** The smallest latency in ns that falls into bucket {@code i} (the inverse of BPF's obs_latency_bucket). */
    public static long lowerBound(int i) {
        if (i < SUB) return i;
        int e = (i >> ObserveStatsLayout.LAT_SUB_BITS) + ObserveStatsLayout.LAT_SUB_BITS - 1;
        return (long) (SUB + (i & (SUB - 1))) << (e - ObserveStatsLayout.LAT_SUB_BITS);
    }

    /** The largest latency in ns of bucket {@code i}; the last bucket is open-ended (Long.MAX_VALUE). */
    public static long upperBound(int i) {
        if (i >= ObserveStatsLayout.LAT_BUCKETS - 1) return Long.MAX_VALUE;
        return lowerBound(i + 1) - 1;
    }

    /**
     * The latency below or at which a fraction {@code q} of the samples lie, reported as the upper bound of its
     * bucket (at most 12.5 % above the true value); -1 without samples. {@code counts} may be a difference of two
     * readings (one period).
     */
    public static long percentile(long[] counts, double q) {
        long total = 0;
        for (long c : counts) total += c;
        if (total <= 0) return -1;
        long rank = (long) Math.ceil(q * total);
        if (rank < 1) rank = 1;
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) return i == counts.length - 1 ? lowerBound(i) : upperBound(i);
        }
        return lowerBound(counts.length - 1);
    }
}
