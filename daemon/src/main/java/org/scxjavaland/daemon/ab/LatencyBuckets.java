package org.scxjavaland.daemon.ab;

import org.scxjavaland.core.sched.LatencyHistogram;
import org.scxjavaland.core.wire.ObserveStatsLayout;

/**
 * The bucket bounds of the two latency histograms a daemon reports to ab ("dispatch": the loop's enqueue-to-decision
 * latency; "observe": BPF's record-to-drain latency), both in {@link LatencyHistogram}'s log-linear buckets, an
 * eighth of a power of two wide, and percentiles over bucket counts, interpolated linearly inside a bucket.
 */
public record LatencyBuckets(String kind, long[] lower, long[] upper) {

    public static LatencyBuckets of(String kind) {
        return switch (kind) {
            case "dispatch", "observe" -> {
                int n = ObserveStatsLayout.LAT_BUCKETS;
                long[] lo = new long[n], hi = new long[n];
                for (int i = 0; i < n; i++) {
                    lo[i] = LatencyHistogram.lowerBound(i);
                    // The open-ended last bucket: twice its lower bound stands in for an upper bound.
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
