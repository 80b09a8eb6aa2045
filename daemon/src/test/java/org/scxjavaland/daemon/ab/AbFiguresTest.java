package org.scxjavaland.daemon.ab;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.sched.LatencyHistogram;
import org.scxjavaland.core.wire.ObserveStatsLayout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The arithmetic under ab's figures: /proc/PID/stat fields, percentiles over both histograms, medians. */
class AbFiguresTest {
    @Test
    void procStatReadsFieldsAfterTheLastParenthesis() {
        // A thread name with blanks and parentheses, as prctl(PR_SET_NAME) allows.
        String stat = "4242 (we ird) (x) S 1 4242 4242 0 -1 4194560 1234 0 56 0 250 75 0 0 20 0 30 0 1000 "
                + "3000000000 20000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        ProcStat p = ProcStat.parse(stat);
        assertEquals(1234 + 56, p.faults());
        assertEquals((250 + 75) * 10_000_000L, p.cpuNs());
    }

    @Test
    void percentileInterpolatesInsideTheBucket() {
        LatencyBuckets b = LatencyBuckets.of("dispatch");
        assertEquals(ObserveStatsLayout.LAT_BUCKETS, b.size());
        long[] c = new long[b.size()];
        int i = LatencyHistogram.bucketOf(16384); // [16384, 18432) ns
        c[i] = 100;
        assertEquals(16384 + 0.5 * 2048, b.percentile(c, 0.5), 1e-6);
        assertEquals(16384 + 0.99 * 2048, b.percentile(c, 0.99), 1e-6);
        c[LatencyHistogram.bucketOf(1000)] = 100; // as many in [960, 1024): the median is the top of that bucket
        assertEquals(1024, b.percentile(c, 0.5), 1e-6);
        assertTrue(Double.isNaN(b.percentile(new long[b.size()], 0.5)));
    }

    @Test
    void observeBucketsAreContiguous() {
        LatencyBuckets b = LatencyBuckets.of("observe");
        assertEquals(ObserveStatsLayout.LAT_BUCKETS, b.size());
        for (int i = 1; i < b.size(); i++) assertEquals(b.upper()[i - 1], b.lower()[i], "bucket " + i);
        long[] c = new long[b.size()];
        c[100] = 10;
        double p = b.percentile(c, 0.5);
        assertTrue(p >= b.lower()[100] && p <= b.upper()[100], p + " outside bucket 100");
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, AbReport.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, AbReport.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertTrue(Double.isNaN(AbReport.median(List.of())));
    }
}
