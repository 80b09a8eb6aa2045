package org.scxjavaland.core.sched;

/** Where the loop reports how many tasks user space holds (stats.nr_scheduled, which BPF reads). */
@FunctionalInterface
public interface ScheduledCountSink {
    void nrScheduled(long n);
}
