package org.scxjavaland.core.sched;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.wire.ObserveStatsLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java reading of BPF's latency buckets (observe.bpf.c, obs_latency_bucket), and percentiles over them. */
class LatencyHistogramTest {
    /** obs_latency_bucket, written again from its C: the test's own model of the BPF side. */
    private static int bucketOf(long v) {
        if (v < 8) return (int) v;
        int e = 63 - Long.numberOfLeadingZeros(v);
        int i = ((e - 3 + 1) << 3) + (int) ((v >>> (e - 3)) & 7);
        return Math.min(i, ObserveStatsLayout.LAT_BUCKETS - 1);
    }

    @Test
    void everyBucketsBoundsMapBackToIt() {
        for (int i = 0; i < ObserveStatsLayout.LAT_BUCKETS - 1; i++) {
            assertEquals(i, bucketOf(LatencyHistogram.lowerBound(i)), "lower bound of bucket " + i);
            assertEquals(i, bucketOf(LatencyHistogram.upperBound(i)), "upper bound of bucket " + i);
            assertEquals(LatencyHistogram.upperBound(i) + 1, LatencyHistogram.lowerBound(i + 1), "no gap after " + i);
        }
        assertEquals(8, LatencyHistogram.lowerBound(8));
        assertEquals(16, LatencyHistogram.lowerBound(16));
        assertEquals(Long.MAX_VALUE, LatencyHistogram.upperBound(ObserveStatsLayout.LAT_BUCKETS - 1));
    }

    @Test
    void bucketsAreAtMostAnEighthWide() {
        for (int i = 8; i < ObserveStatsLayout.LAT_BUCKETS - 1; i++) {
            long lo = LatencyHistogram.lowerBound(i), hi = LatencyHistogram.upperBound(i);
            assertTrue(hi - lo + 1 <= lo / 8, "bucket " + i + ": " + lo + ".." + hi);
        }
    }

    @Test
    void percentilesReportTheUpperBoundOfTheBucketTheRankFallsIn() {
        long[] h = new long[ObserveStatsLayout.LAT_BUCKETS];
        h[bucketOf(10_000)] = 98;       // 98 samples near 10 us
        h[bucketOf(5_000_000)] = 2;     // 2 near 5 ms
        long p50 = LatencyHistogram.percentile(h, 0.50);
        long p99 = LatencyHistogram.percentile(h, 0.99);
        assertTrue(p50 >= 10_000 && p50 < 11_250, "p50 " + p50);
        assertTrue(p99 >= 5_000_000 && p99 < 5_625_000, "p99 " + p99);
        assertEquals(-1, LatencyHistogram.percentile(new long[ObserveStatsLayout.LAT_BUCKETS], 0.5), "no samples");
    }
}
