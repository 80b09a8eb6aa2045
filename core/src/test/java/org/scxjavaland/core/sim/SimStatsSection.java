package org.scxjavaland.core.sim;

import org.scxjavaland.core.policy.CpuView;
import org.scxjavaland.core.sched.ScheduledCountSink;

/** The simulated .data.stats section as the loop sees it (the twin of StatsSection): idle bits and vtime_now in. */
final class SimStatsSection implements CpuView, ScheduledCountSink {
    private final JavalandBpf.Stats stats;

    SimStatsSection(JavalandBpf.Stats stats) {
        this.stats = stats;
    }

    @Override
    public int nrCpus() {
        return stats.idleCpus.length;
    }

    @Override
    public boolean isIdle(int cpu) {
        return cpu >= 0 && cpu < stats.idleCpus.length && stats.idleCpus[cpu];
    }

    @Override
    public long vtimeNow() {
        return stats.vtimeNow;
    }

    @Override
    public long runnableWeight() {
        return stats.runnableWeight;
    }

    @Override
    public void nrScheduled(long n) {
        stats.nrScheduled = n;
    }
}
