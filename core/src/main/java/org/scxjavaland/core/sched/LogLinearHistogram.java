package org.scxjavaland.core.sched;

import org.scxjavaland.core.wire.ObserveStatsLayout;

/**
 * Nanosecond values in {@link LatencyHistogram}'s log-linear buckets (an eighth of a power of two wide),
 * preallocated: recording is a few arithmetic operations and two increments, no allocation, so the scheduling thread
 * can record every decision. Written by one thread, read racily by others (as {@link Log2Histogram}).
 * <p>
 * Beside the power-of-two histogram Prometheus gets, not instead of it: 256 classic buckets would be 256 time series
 * per scrape. This one is for the A/B comparison, whose percentiles compare two transports: inside a bucket twice
 * as wide as its lower bound, two p99s of 8.14 and 8.23 ms were interpolations, not a measured difference.
 */
public final class LogLinearHistogram {
    private final long[] counts = new long[ObserveStatsLayout.LAT_BUCKETS];

    public void record(long ns) {
        counts[LatencyHistogram.bucketOf(ns)]++;
    }

    /** Values in bucket {@code i} (not cumulative); bounds from {@link LatencyHistogram}. */
    public long count(int i) {
        return counts[i];
    }

    public static int buckets() {
        return ObserveStatsLayout.LAT_BUCKETS;
    }
}
