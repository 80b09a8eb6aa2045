package org.scxjavaland.core.sched;

/**
 * Where the loop reports how many tasks user space holds (stats.nr_scheduled in BPF). Kept as an interface so that the
 * host tests can drive the loop against the harness program, which has no stats section.
 */
@FunctionalInterface
public interface ScheduledCountSink {
    void nrScheduled(long n);

    ScheduledCountSink NONE = n -> { };
}
