package org.scxjavaland.core.policy;

import org.scxjavaland.core.alloc.BuddyAllocator;

/** The default policy, {@code --policy=deadline}: {@link DeadlinePolicy} (docs/policy.md). */
public final class DeadlinePolicyProvider implements PolicyProvider {
    public static final String NAME = "deadline";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "scx_rustland's deadline model: weighted vruntime, sleepers first, wake-up preemption";
    }

    @Override
    public long arenaHeapBytes(PolicyOptions options) {
        return DeadlinePolicy.arenaHeapBytesFor(options.maxTasks());
    }

    @Override
    public DeadlinePolicy create(PolicyOptions options, BuddyAllocator arena) {
        return new DeadlinePolicy(arena, DeadlinePolicy.Params.of(options.sliceNs(), options.sliceMinNs())
                .withMaxTasks(options.maxTasks()));
    }
}
