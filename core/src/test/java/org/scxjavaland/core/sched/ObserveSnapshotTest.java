package org.scxjavaland.core.sched;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.wire.ObserveStatsLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ObserveSnapshotTest {
    private static ObserveSnapshot withSamples(long maxNs, long... samplesNs) {
        long[] hist = new long[ObserveStatsLayout.LAT_BUCKETS];
        for (long s : samplesNs) hist[LatencyHistogram.bucketOf(s)]++;
        return new ObserveSnapshot("tp_btf", 0, 1_000_000_000L, samplesNs.length, 0, 0, 0, 0, samplesNs.length, 0, 0,
                samplesNs.length, samplesNs.length, maxNs, hist);
    }

    /** The case seen on this host: 73 samples, the top ones in a bucket whose upper bound lies past the largest. */
    @Test
    void aPercentileIsNeverAboveTheLargestSample() {
        long[] samples = new long[73];
        for (int i = 0; i < samples.length; i++) samples[i] = 50_000 + i;
        samples[72] = 3_077_200;
        ObserveSnapshot s = withSamples(3_077_200, samples);
        long bucketTop = LatencyHistogram.upperBound(LatencyHistogram.bucketOf(3_077_200));
        assertEquals(true, bucketTop > 3_077_200, "the bucket reaches past the sample: " + bucketTop);
        assertEquals(3_077_200, s.latencyPercentileNs(0.99, null));
        assertEquals(3_077_200, s.latencyPercentileNs(0.99, withSamples(3_077_200)), "per period as well");
        assertEquals(LatencyHistogram.upperBound(LatencyHistogram.bucketOf(50_036)), s.latencyPercentileNs(0.50, null),
                "below the maximum, the bucket's upper bound as before");
        assertEquals(-1, withSamples(0).latencyPercentileNs(0.99, null), "no samples");
    }
}
