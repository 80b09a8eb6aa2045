package org.scxjavaland.core.sched;

import org.scxjavaland.core.alloc.BuddyAllocator;
import org.scxjavaland.core.policy.DeadlinePolicy;

/**
 * The default policy factory: the deadline policy of docs/policy.md on ONE arena, mapped and locked the first time a
 * policy is made and reused for the life of the daemon. Each new policy (warm-up, then one per session) starts from
 * an empty arena; the previous policy must no longer be used, which the runner guarantees.
 */
public final class Policies implements SchedulerRunner.PolicyFactory {
    private BuddyAllocator arena;

    public static Policies deadline() {
        return new Policies();
    }

    @Override
    public DeadlinePolicy create(SchedulerOptions options) {
        DeadlinePolicy.Params params = DeadlinePolicy.Params.of(options.sliceNs(), options.sliceMinNs());
        if (arena == null) {
            arena = BuddyAllocator.mapLocked(DeadlinePolicy.arenaHeapBytesFor(params.maxTasks()));
        } else {
            arena.reset();
        }
        return new DeadlinePolicy(arena, params);
    }
}
