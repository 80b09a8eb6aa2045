package org.scxjavaland.core.sched;

import java.util.Map;

/**
 * A running scheduler as its observers (stats socket, metrics) see it, from their own threads: every read is
 * non-blocking for the scheduling thread. {@link SchedulerRunner} is the real one; host tests drive the same loop
 * over the harness program behind this view.
 */
public interface SchedulerView {
    /** The latest counters, or null between sessions. */
    StatsSnapshot snapshot();

    /** Per-decision histograms (written by the scheduling thread, read racily). */
    LoopHistograms histograms();

    /** True while attached to the kernel. */
    boolean attached();

    /** How the last session ended ({@link ExitInfo#RUNNING} before any ended). */
    ExitInfo lastExit();

    /** Sessions ended so far, by SCX_EXIT_* kind. */
    Map<Integer, Long> exitsByKind();

    /** Reattachments after the kernel asked for a restart. */
    int restarts();
}
