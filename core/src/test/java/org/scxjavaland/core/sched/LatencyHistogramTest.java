package org.scxjavaland.core.sched;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.wire.ObserveStatsLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java reading of BPF's latency buckets (observe.bpf.c, obs_latency_bucket), and percentiles over them. */
class LatencyHistogramTest {
    /** obs_latency_bucket, written again from its C with its branch: the test's own model of the BPF side. */
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
    void javaBucketsAreBpfsBuckets() {
        for (int i = 0; i < ObserveStatsLayout.LAT_BUCKETS; i++) {
            long lo = LatencyHistogram.lowerBound(i);
            for (long v : new long[] {lo - 1, lo, lo + 1, 2 * lo, 2 * lo + 1}) {
                if (v >= 0) assertEquals(bucketOf(v), LatencyHistogram.bucketOf(v), "value " + v);
            }
        }
        java.util.SplittableRandom r = new java.util.SplittableRandom(42);
        for (int k = 0; k < 100_000; k++) {
            long v = (r.nextLong() >>> 1) >>> r.nextInt(63);   // every magnitude, never negative
            assertEquals(bucketOf(v), LatencyHistogram.bucketOf(v), "value " + v);
        }
        assertEquals(0, LatencyHistogram.bucketOf(-5), "a negative latency (clocks apart) counts as 0");
        assertEquals(ObserveStatsLayout.LAT_BUCKETS - 1, LatencyHistogram.bucketOf(Long.MAX_VALUE));
    }

    @Test
    void theLoopsHistogramCountsWhereBpfWould() {
        LogLinearHistogram h = new LogLinearHistogram();
        long[] values = {0, 7, 8, 1_000, 8_140_000, 9_000_000, 1L << 40};
        for (long v : values) h.record(v);
        h.record(8_140_000);
        for (long v : values) {
            long expected = v == 8_140_000 ? 2 : 1;
            assertEquals(expected, h.count(bucketOf(v)), "bucket of " + v);
        }
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
