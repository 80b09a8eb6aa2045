package org.scxjavaland.core.sched;

import java.util.Locale;

/**
 * The observer's own counters at one moment (section .data.observe), beside the scheduler's counters of the same
 * {@link StatsSnapshot}: what the tracepoints produced, what the channel could not take, what BPF drained back, and
 * the decision latency histogram.
 *
 * @param tracepoints  tp_btf or raw_tp
 * @param attachedNanos System.nanoTime() when the tracepoints were attached
 * @param atNanos      System.nanoTime() of this reading
 * @param events       records the kernel side tried to hand over (= produced + dropped)
 * @param dropped      records the channel had no room for
 * @param drained      decisions BPF read back
 * @param latencyHist  the histogram's buckets (LatencyHistogram)
 */
public record ObserveSnapshot(String tracepoints, long attachedNanos, long atNanos,
                              long events, long wakeups, long wakeupsNew, long preempted, long exits,
                              long produced, long dropped, long untracked, long drained, long latencySamples,
                              long latencyMaxNs, long[] latencyHist) {

    /** Events per second since {@code prev}, or since attaching when there is none. */
    public double eventsPerSec(ObserveSnapshot prev) {
        return rate(events, prev == null ? 0 : prev.events, prev);
    }

    public double decisionsPerSec(ObserveSnapshot prev) {
        return rate(drained, prev == null ? 0 : prev.drained, prev);
    }

    /**
     * Latency percentile in ns over the samples since {@code prev} (all of them when null); -1 without samples. At
     * most the largest sample BPF recorded: a percentile is its bucket's upper bound, up to 12.5 % above the samples
     * in it, and the top bucket's could exceed every sample (p99 3,146 µs beside a maximum of 3,077 µs, in a run of
     * 73 samples).
     */
    public long latencyPercentileNs(double q, ObserveSnapshot prev) {
        long[] h = latencyHist.clone();
        if (prev != null) {
            for (int i = 0; i < h.length; i++) h[i] -= prev.latencyHist[i];
        }
        return Math.min(LatencyHistogram.percentile(h, q), latencyMaxNs);
    }

    /** The observer's part of a --stats line: per period when {@code prev} is given. */
    public String line(ObserveSnapshot prev) {
        return String.format(Locale.ROOT, "| observe ev/s: %.0f dec/s: %.0f drop: %d lat p50: %s p99: %s",
                eventsPerSec(prev), decisionsPerSec(prev), dropped - (prev == null ? 0 : prev.dropped),
                micros(latencyPercentileNs(0.50, prev)), micros(latencyPercentileNs(0.99, prev)));
    }

    /** The observer's key=value pairs of the summary line, over the whole run. */
    public String summary() {
        return String.format(Locale.ROOT, " tracepoints=%s seconds=%.1f events=%d events_per_s=%.0f produced=%d"
                        + " dropped=%d untracked=%d decisions_drained=%d decisions_per_s=%.0f latency_p50_us=%s"
                        + " latency_p99_us=%s latency_max_us=%s",
                tracepoints, seconds(null), events, eventsPerSec(null), produced, dropped, untracked, drained,
                decisionsPerSec(null), micros(latencyPercentileNs(0.50, null)),
                micros(latencyPercentileNs(0.99, null)), micros(latencySamples == 0 ? -1 : latencyMaxNs));
    }

    private double seconds(ObserveSnapshot prev) {
        return (atNanos - (prev == null ? attachedNanos : prev.atNanos)) / 1e9;
    }

    private double rate(long now, long before, ObserveSnapshot prev) {
        double s = seconds(prev);
        return s <= 0 ? 0 : (now - before) / s;
    }

    /** ns as microseconds with one decimal, or "-" when there is no value. */
    static String micros(long ns) {
        return ns < 0 ? "-" : String.format(Locale.ROOT, "%.1f", ns / 1000.0);
    }
}
