package org.scxjavaland.daemon.ab;

import org.scxjavaland.core.sched.LatencyHistogram;
import org.scxjavaland.core.sched.Log2Histogram;
import org.scxjavaland.core.wire.ObserveStatsLayout;

/**
 * The bucket bounds of the two latency histograms a daemon reports to ab ("dispatch": the loop's power-of-two
 * {@link Log2Histogram}; "observe": BPF's log-linear buckets, {@link LatencyHistogram}), and percentiles over
 * bucket counts. A percentile is interpolated linearly inside its bucket: the power-of-two buckets are a factor of
 * two wide, and their upper bound alone would make every p50 a power of two.
 */
public record LatencyBuckets(String kind, long[] lower, long[] upper) {

    public static LatencyBuckets of(String kind) {
        return switch (kind) {
            case "dispatch" -> {
                int n = Log2Histogram.BUCKETS;
                long[] lo = new long[n], hi = new long[n];
                for (int i = 0; i < n; i++) {
                    lo[i] = i == 0 ? 0 : Log2Histogram.upperBoundNs(i - 1);
                    // The +Inf bucket: twice its lower bound stands in for an upper bound.
                    hi[i] = i == n - 1 ? 2 * lo[i] : Log2Histogram.upperBoundNs(i);
                }
                yield new LatencyBuckets(kind, lo, hi);
            }
            case "observe" -> {
                int n = ObserveStatsLayout.LAT_BUCKETS;
                long[] lo = new long[n], hi = new long[n];
                for (int i = 0; i < n; i++) {
                    lo[i] = LatencyHistogram.lowerBound(i);
                    hi[i] = i == n - 1 ? 2 * lo[i] : LatencyHistogram.upperBound(i) + 1;
                }
                yield new LatencyBuckets(kind, lo, hi);
            }
            default -> throw new IllegalArgumentException("unknown latency histogram '" + kind + "'");
        };
    }

    public int size() {
        return lower.length;
    }

    /** The latency in ns below which a fraction {@code q} of the counted values lie; NaN without values. */
    public double percentile(long[] counts, double q) {
        long total = 0;
        for (long c : counts) total += c;
        if (total <= 0) return Double.NaN;
        double rank = q * total;
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] <= 0) continue;
            if (seen + counts[i] >= rank) {
                double f = (rank - seen) / counts[i];
                return lower[i] + f * (upper[i] - lower[i]);
            }
            seen += counts[i];
        }
        return upper[counts.length - 1];
    }
}
