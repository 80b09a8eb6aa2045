package org.scxjavaland.core.wire;

/**
 * One scheduling decision, as the policy fills it in. A mutable holder so that the scheduling thread
 * reuses one instance instead of allocating per task.
 */
public final class DispatchedTask {
    public int pid;
    public int cpu = DispatchedTaskLayout.CPU_ANY;
    public long flags;
    public long sliceNs;
    public long vtime;
    public long enqCnt;
    /**
     * Not sent: when ops.enqueue queued the task (kernel clock) and when the daemon received it (0 = unknown), for
     * the loop's latency histograms.
     */
    public long kernelEnqNs;
    public long receivedNs;

    public DispatchedTask set(int pid, int cpu, long flags, long sliceNs, long vtime, long enqCnt) {
        this.kernelEnqNs = 0;
        this.receivedNs = 0;
        this.pid = pid;
        this.cpu = cpu;
        this.flags = flags;
        this.sliceNs = sliceNs;
        this.vtime = vtime;
        this.enqCnt = enqCnt;
        return this;
    }

    /** The task's enqueue and receive times (CLOCK_MONOTONIC ns); a policy that knows them sets them after set(). */
    public DispatchedTask timestamps(long kernelEnqNs, long receivedNs) {
        this.kernelEnqNs = kernelEnqNs;
        this.receivedNs = receivedNs;
        return this;
    }

    @Override
    public String toString() {
        return "DispatchedTask[pid=" + pid + ", cpu=" + cpu + ", flags=" + flags + ", sliceNs=" + sliceNs
                + ", vtime=" + vtime + ", enqCnt=" + enqCnt + "]";
    }
}
