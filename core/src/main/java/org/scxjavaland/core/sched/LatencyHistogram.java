package org.scxjavaland.core.sched;

import org.scxjavaland.core.wire.ObserveStatsLayout;

/**
 * Reads the observer's decision-latency histogram (intf.h, scx_jl_observe_stats.latency_hist): log-linear buckets,
 * 2^LAT_SUB_BITS per power of two, the first ones exact.
 */
public final class LatencyHistogram {
    private static final int SUB = 1 << ObserveStatsLayout.LAT_SUB_BITS;

    private LatencyHistogram() {
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
