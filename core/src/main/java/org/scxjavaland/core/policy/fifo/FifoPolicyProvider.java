package org.scxjavaland.core.policy.fifo;

import org.scxjavaland.core.alloc.BuddyAllocator;
import org.scxjavaland.core.policy.PolicyOptions;
import org.scxjavaland.core.policy.PolicyProvider;

/** {@code --policy=fifo}, registered in META-INF/services/org.scxjavaland.core.policy.PolicyProvider. */
public final class FifoPolicyProvider implements PolicyProvider {
    @Override
    public String name() {
        return "fifo";
    }

    @Override
    public String description() {
        return "scx_rlfifo's: arrival order, the previous CPU when idle else any, one fixed slice (--slice-us), no weights";
    }

    @Override
    public long arenaHeapBytes(PolicyOptions options) {
        return FifoPolicy.arenaHeapBytesFor(options.maxTasks());
    }

    @Override
    public FifoPolicy create(PolicyOptions options, BuddyAllocator arena) {
        return new FifoPolicy(arena, options.sliceNs(), options.maxTasks());
    }
}
