package org.scxjavaland.core.policy;

/**
 * What a policy is told about the run: the slices given on the command line ({@code --slice-us},
 * {@code --slice-us-min}) and how many tasks it must be able to hold at once. A policy may ignore what it has no use
 * for (the FIFO policy has one fixed slice).
 *
 * @param sliceNs    the slice (scx_rustland's -s): the deadline policy's longest, the FIFO policy's only one
 * @param sliceMinNs the shortest slice (scx_rustland's -S)
 * @param maxTasks   tasks the policy should be able to hold state for at once before enqueue refuses
 */
public record PolicyOptions(long sliceNs, long sliceMinNs, int maxTasks) {
    /** Enough for a busy machine: 32768 tasks (the kernel's default pid_max). */
    public static final int DEFAULT_MAX_TASKS = 32_768;
    /** The kernel's PID_MAX_LIMIT: more tasks than pids cannot exist. */
    public static final int MAX_TASKS_LIMIT = 1 << 22;

    public PolicyOptions {
        if (sliceNs <= 0 || sliceMinNs <= 0 || sliceMinNs > sliceNs) {
            throw new IllegalArgumentException("need 0 < slice min (" + sliceMinNs + " ns) <= slice (" + sliceNs + " ns)");
        }
        if (maxTasks < 1 || maxTasks > MAX_TASKS_LIMIT) {
            throw new IllegalArgumentException("max tasks must be 1.." + MAX_TASKS_LIMIT + ": " + maxTasks);
        }
    }

    public static PolicyOptions of(long sliceNs, long sliceMinNs) {
        return new PolicyOptions(sliceNs, sliceMinNs, DEFAULT_MAX_TASKS);
    }

    public PolicyOptions withMaxTasks(int n) {
        return new PolicyOptions(sliceNs, sliceMinNs, n);
    }
}
