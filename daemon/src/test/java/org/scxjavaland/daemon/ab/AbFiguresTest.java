package org.scxjavaland.daemon.ab;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.sched.Log2Histogram;
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
    void percentileInterpolatesInsideThePowerOfTwoBucket() {
        LatencyBuckets b = LatencyBuckets.of("dispatch");
        assertEquals(Log2Histogram.BUCKETS, b.size());
        long[] c = new long[b.size()];
        c[5] = 100; // (2^14, 2^15] ns
        assertEquals(16384 + 0.5 * 16384, b.percentile(c, 0.5), 1e-6);
        assertEquals(16384 + 0.99 * 16384, b.percentile(c, 0.99), 1e-6);
        c[0] = 100; // as many at or below 1024 ns: the median is the top of bucket 0
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
