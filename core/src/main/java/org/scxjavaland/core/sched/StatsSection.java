package org.scxjavaland.core.sched;

import org.scxjavaland.core.policy.CpuView;
import org.scxjavaland.core.wire.StatsLayout;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The loop's view of a .data.stats section (struct scx_jl_stats): idle CPUs in, nr_scheduled out. The scheduler and
 * the harness program both have the section, so the warm-up and the real run use this one class, and the loop's call
 * sites stay monomorphic (a second receiver class appearing after attach would make the JIT recompile the hot path).
 */
public final class StatsSection implements CpuView, ScheduledCountSink {
    private final MemorySegment stats;
    private final int nrCpus;

    public StatsSection(MemorySegment stats, int nrCpus) {
        this.stats = stats;
        this.nrCpus = nrCpus;
    }

    @Override
    public int nrCpus() {
        return nrCpus;
    }

    @Override
    public boolean isIdle(int cpu) {
        if (cpu < 0 || cpu >= nrCpus) return false;
        long word = stats.get(JAVA_LONG, StatsLayout.IDLE_CPUS + (long) (cpu >>> 6) * Long.BYTES);
        return (word & (1L << (cpu & 63))) != 0;
    }

    @Override
    public long vtimeNow() {
        return stats.get(JAVA_LONG, StatsLayout.VTIME_NOW);
    }

    @Override
    public long runnableWeight() {
        return stats.get(JAVA_LONG, StatsLayout.RUNNABLE_WEIGHT);
    }

    @Override
    public void nrScheduled(long n) {
        stats.set(JAVA_LONG, StatsLayout.NR_SCHEDULED, n);
    }

    public long get(long offset) {
        return stats.get(JAVA_LONG, offset);
    }
}
