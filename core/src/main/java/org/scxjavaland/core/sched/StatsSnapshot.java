package org.scxjavaland.core.sched;

/**
 * Every counter of a running scheduler at one moment: the one read point for --stats, the summary line and
 * (later) metrics. BPF counters come from .data.stats; the others from the loop, the transport and the policy.
 */
public record StatsSnapshot(
        String transport, String policy,
        long nrQueued, long userDispatches, long kernelDispatches, long cancelDispatches, long bounceDispatches,
        long failedDispatches, long congested, long exitNoticesLost, long nrRunning, long nrOnlineCpus,
        long heartbeats, long preemptKicks, long keptRunning, long idleClaimLost, long held,
        long received, long sendFull, long loopDispatched, long bouncedToShared, long arenaFailures,
        long tasksTracked, long exits, long pageFaults, long allocatedBytes, long runnableWeight, long vtimeNow,
        long directWakeups, long idleWhileWaiting, long resumed, long requeued, long reusedPids,
        long lateExitNotices, long reclaimed, ObserveSnapshot observe) {

    /** A snapshot of the scheduler, without observer counters. */
    public StatsSnapshot(String transport, String policy, long nrQueued, long userDispatches, long kernelDispatches,
                         long cancelDispatches, long bounceDispatches, long failedDispatches, long congested,
                         long exitNoticesLost, long nrRunning, long nrOnlineCpus, long heartbeats, long preemptKicks,
                         long keptRunning, long idleClaimLost, long held, long received, long sendFull,
                         long loopDispatched, long bouncedToShared, long arenaFailures, long tasksTracked, long exits,
                         long pageFaults, long allocatedBytes, long runnableWeight, long vtimeNow,
                         long directWakeups, long idleWhileWaiting, long resumed, long requeued,
                         long reusedPids, long lateExitNotices, long reclaimed) {
        this(transport, policy, nrQueued, userDispatches, kernelDispatches, cancelDispatches, bounceDispatches,
                failedDispatches, congested, exitNoticesLost, nrRunning, nrOnlineCpus, heartbeats, preemptKicks,
                keptRunning, idleClaimLost, held, received, sendFull, loopDispatched, bouncedToShared, arenaFailures,
                tasksTracked, exits, pageFaults, allocatedBytes, runnableWeight, vtimeNow, directWakeups, idleWhileWaiting,
                resumed, requeued, reusedPids, lateExitNotices, reclaimed, null);
    }

    /** One line in the spirit of scx_rustland's; counters that move are shown per period when a previous one exists. */
    public String line(StatsSnapshot prev) {
        String line = String.format("[javaland] %s policy=%s | tasks r: %d/%d held: %d tracked: %d exited: %d | in: %d | dispatch u: %d k: %d d: %d c: %d b: %d f: %d"
                        + " p: %d | cg: %d full: %d arena: %d | pf: %d alloc: %d B | w: %d clock: %.3f s",
                transport, policy, nrRunning, nrOnlineCpus, held, tasksTracked,
                delta(exits, prev == null ? 0 : prev.exits),
                delta(received, prev == null ? 0 : prev.received),
                delta(userDispatches, prev == null ? 0 : prev.userDispatches),
                delta(kernelDispatches, prev == null ? 0 : prev.kernelDispatches),
                delta(directWakeups, prev == null ? 0 : prev.directWakeups),
                cancelDispatches, bounceDispatches, failedDispatches,
                delta(preemptKicks, prev == null ? 0 : prev.preemptKicks), congested, sendFull, arenaFailures,
                pageFaults, allocatedBytes, runnableWeight, vtimeNow / 1e9);
        // Rare by design (pid reuse within an exit notice's delay, a full table): shown only once one has happened.
        if (reusedPids != 0 || lateExitNotices != 0 || reclaimed != 0) {
            line += String.format(" | pid reuse: %d late exits: %d reclaimed: %d", reusedPids, lateExitNotices, reclaimed);
        }
        return observe == null ? line : line + " " + observe.line(prev == null ? null : prev.observe);
    }

    private static long delta(long now, long before) {
        return now - before;
    }
}
