package org.scxjavaland.core.sched;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Log2HistogramTest {
    private static int bucketOf(long ns) {
        Log2Histogram h = new Log2Histogram();
        h.record(ns);
        int found = -1;
        for (int i = 0; i < Log2Histogram.BUCKETS; i++) {
            if (h.count(i) == 1) {
                assertEquals(-1, found, "one bucket per value");
                found = i;
            }
        }
        return found;
    }

    @Test
    void bucketBoundsAreThePowersOfTwoFromTheFirstToTheLast() {
        int last = Log2Histogram.BUCKETS - 1;
        assertEquals(0, bucketOf(Long.MIN_VALUE));
        assertEquals(0, bucketOf(-5));
        assertEquals(0, bucketOf(0));
        assertEquals(0, bucketOf(1));
        assertEquals(0, bucketOf(2));
        assertEquals(0, bucketOf(1L << Log2Histogram.MIN_EXP));
        assertEquals(1, bucketOf((1L << Log2Histogram.MIN_EXP) + 1));
        assertEquals(1, bucketOf(1L << (Log2Histogram.MIN_EXP + 1)));
        assertEquals(2, bucketOf((1L << (Log2Histogram.MIN_EXP + 1)) + 1));
        assertEquals(last - 1, bucketOf(1L << Log2Histogram.MAX_EXP));
        assertEquals(last, bucketOf((1L << Log2Histogram.MAX_EXP) + 1));
        assertEquals(last, bucketOf(Long.MAX_VALUE));
    }

    @Test
    void theSumCountsNegativeValuesAsZero() {
        Log2Histogram h = new Log2Histogram();
        h.record(-7);
        h.record(5);
        h.record(3000);
        assertEquals(3005, h.sumNs());
    }
}
