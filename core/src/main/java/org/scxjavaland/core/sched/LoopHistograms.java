package org.scxjavaland.core.sched;

import org.scxjavaland.core.wire.DispatchedTask;

/**
 * What the scheduling loop measures per decision: from ops.enqueue to the decision sent (the kernel's enqueue
 * timestamp against the daemon's CLOCK_MONOTONIC, which System.nanoTime reads on Linux), the wait in the daemon's
 * run queue, and the slice granted. Owned by the runner so that the counts survive a reattach. The enqueue-to-decision
 * latency goes into two histograms: power-of-two buckets for Prometheus, log-linear ones for {@code ab}.
 */
public final class LoopHistograms {
    public final Log2Histogram dispatchLatency = new Log2Histogram();
    public final LogLinearHistogram dispatchLatencyFine = new LogLinearHistogram();
    public final Log2Histogram runQueueWait = new Log2Histogram();
    public final Log2Histogram sliceGranted = new Log2Histogram();

    /** A decision just sent at {@code sentNs}; timestamps the policy did not know (0) are not recorded. */
    void sent(DispatchedTask d, long sentNs) {
        if (d.kernelEnqNs > 0) {
            dispatchLatency.record(sentNs - d.kernelEnqNs);
            dispatchLatencyFine.record(sentNs - d.kernelEnqNs);
        }
        if (d.receivedNs > 0) runQueueWait.record(sentNs - d.receivedNs);
        if (d.sliceNs > 0) sliceGranted.record(d.sliceNs);
    }
}
