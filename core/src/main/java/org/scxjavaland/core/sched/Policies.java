package org.scxjavaland.core.sched;

import org.scxjavaland.core.alloc.BuddyAllocator;
import org.scxjavaland.core.policy.DeadlinePolicyProvider;
import org.scxjavaland.core.policy.PolicyOptions;
import org.scxjavaland.core.policy.PolicyProvider;
import org.scxjavaland.core.policy.PolicyProviders;
import org.scxjavaland.core.policy.SchedulingPolicy;

/**
 * The policy factory of the runner: one {@link PolicyProvider}'s policies on ONE arena, mapped and locked the first
 * time a policy is made and reused for the life of the daemon. Each new policy (warm-up, then one per session)
 * starts from an empty arena; the previous policy must no longer be used, which the runner guarantees.
 */
public final class Policies implements SchedulerRunner.PolicyFactory {
    private final PolicyProvider provider;
    private BuddyAllocator arena;

    private Policies(PolicyProvider provider) {
        this.provider = provider;
    }

    /** The deadline policy of docs/policy.md, found without the service loader. */
    public static Policies deadline() {
        return new Policies(new DeadlinePolicyProvider());
    }

    /** {@code --policy=NAME}; {@link PolicyProviders.UnknownPolicyException} for a name no provider has. */
    public static Policies named(String name) {
        return new Policies(PolicyProviders.find(name));
    }

    public static Policies of(PolicyProvider provider) {
        return new Policies(provider);
    }

    public PolicyProvider provider() {
        return provider;
    }

    @Override
    public String name() {
        return provider.name();
    }

    @Override
    public SchedulingPolicy create(SchedulerOptions options) {
        PolicyOptions po = PolicyOptions.of(options.sliceNs(), options.sliceMinNs());
        long heap = provider.arenaHeapBytes(po);
        // The options are the same for every session, so the size is too; the check only guards a provider whose
        // size varies (the larger arena then replaces the smaller one, between sessions).
        if (arena == null || arena.heapBytes() < heap) {
            if (arena != null) arena.arena().close();
            arena = BuddyAllocator.mapLocked(heap);
        } else {
            arena.reset();
        }
        return provider.create(po, arena);
    }
}
