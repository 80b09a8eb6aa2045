package org.scxjavaland.core.sim;

import java.util.Arrays;

/**
 * A simulated task: runs bursts of {@code burstNs} of CPU, then sleeps {@code sleepNs} (plus seeded jitter);
 * a CPU hog has an endless burst. Keeps what the kernel would report (start/stop/exec_runtime/enq_cnt) and what
 * the tests measure (CPU time, waits from becoming runnable to running).
 */
public final class SimTask {
    public static final long FOREVER = Long.MAX_VALUE / 4;

    final int pid;
    final String name;
    final int nice;
    final long weight;
    final long burstNs;
    final long sleepNs;
    final long sleepJitterNs;

    // kernel-side state
    long startTs;
    long stopTs;
    long execRuntime;
    long enqCnt;
    int prevCpu;
    long burstLeft;
    long runnableSince = -1;

    // measurements
    long cpuTimeNs;
    long measuredCpuNs;
    private long[] waits = new long[1024];
    private int nWaits;
    long maxWaitNs;

    public SimTask(int pid, String name, int nice, long burstNs, long sleepNs, long sleepJitterNs) {
        this.pid = pid;
        this.name = name;
        this.nice = nice;
        this.weight = NiceWeights.weight(nice);
        this.burstNs = burstNs;
        this.sleepNs = sleepNs;
        this.sleepJitterNs = sleepJitterNs;
    }

    public static SimTask hog(int pid, int nice) {
        return new SimTask(pid, "hog" + pid, nice, FOREVER, 0, 0);
    }

    public static SimTask periodic(int pid, int nice, long burstNs, long sleepNs, long jitterNs) {
        return new SimTask(pid, "per" + pid, nice, burstNs, sleepNs, jitterNs);
    }

    void recordWait(long w, boolean measuring) {
        if (!measuring) return;
        if (nWaits == waits.length) waits = Arrays.copyOf(waits, nWaits * 2);
        waits[nWaits++] = w;
        if (w > maxWaitNs) maxWaitNs = w;
    }

    public int pid() { return pid; }
    public String name() { return name; }
    public long weight() { return weight; }
    public int nice() { return nice; }
    public boolean isHog() { return burstNs >= FOREVER; }
    /** CPU time received while measuring. */
    public long measuredCpuNs() { return measuredCpuNs; }
    public long maxWaitNs() { return maxWaitNs; }
    public int waitCount() { return nWaits; }

    public long[] waits() {
        return Arrays.copyOf(waits, nWaits);
    }

    /** The p-th percentile (0..100) of this task's waits, nearest rank. */
    public long waitPercentile(double p) {
        return percentile(waits(), p);
    }

    public static long percentile(long[] values, double p) {
        if (values.length == 0) return 0;
        long[] v = values.clone();
        Arrays.sort(v);
        int rank = (int) Math.ceil(p / 100.0 * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    @Override
    public String toString() {
        return name + "(pid " + pid + ", nice " + nice + ", w " + weight + ")";
    }
}
