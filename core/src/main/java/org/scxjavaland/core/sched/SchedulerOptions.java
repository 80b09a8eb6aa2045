package org.scxjavaland.core.sched;

import org.scxjavaland.core.policy.PolicyProviders;
import org.scxjavaland.core.transport.TransportOptions;

/**
 * What {@code scx_javaland run} asks of the scheduler.
 *
 * @param sliceNs     maximum slice (scx_rustland's -s, default 20 ms)
 * @param sliceMinNs  minimum slice (scx_rustland's -S, default 1 ms)
 * @param partial     only SCHED_EXT tasks (SCX_OPS_SWITCH_PARTIAL)
 * @param exitDumpLen kernel debug dump size on exit, 0 = kernel default
 * @param timeoutMs   sched_ext watchdog timeout
 * @param durationNs  detach after this long, 0 = until stopped
 * @param opsName     the name the kernel shows for the scheduler (sysfs, kernel log): {@link OpsName#of}
 * @param policy      the policy's name ({@code --policy}, a {@link org.scxjavaland.core.policy.PolicyProvider})
 */
public record SchedulerOptions(long sliceNs, long sliceMinNs, boolean partial, boolean verbose, int exitDumpLen,
                               int timeoutMs, long durationNs, TransportOptions transport, String opsName,
                               String policy) {
    public SchedulerOptions {
        OpsName.check(opsName);
        if (policy == null || policy.isBlank()) throw new IllegalArgumentException("no policy named");
    }

    public SchedulerOptions withPolicy(String name) {
        return new SchedulerOptions(sliceNs, sliceMinNs, partial, verbose, exitDumpLen, timeoutMs, durationNs,
                transport, opsName, name);
    }

    public static SchedulerOptions defaults() {
        return new SchedulerOptions(20_000_000L, 1_000_000L, false, false, 0, 5000, 0, TransportOptions.DEFAULT,
                OpsName.BASE, PolicyProviders.DEFAULT);
    }
}
