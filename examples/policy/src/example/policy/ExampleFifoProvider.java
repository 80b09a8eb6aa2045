package example.policy;

import org.scxjavaland.core.alloc.BuddyAllocator;
import org.scxjavaland.core.policy.CpuView;
import org.scxjavaland.core.policy.PolicyCounters;
import org.scxjavaland.core.policy.PolicyOptions;
import org.scxjavaland.core.policy.PolicyProvider;
import org.scxjavaland.core.policy.SchedulingPolicy;
import org.scxjavaland.core.policy.fifo.FifoPolicy;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.QueuedTask;

/**
 * The smallest policy jar there is: the daemon's FIFO policy under the name {@code example-fifo}, behind a policy
 * class of the jar's own. It shows how a policy is packaged and loaded ({@code --policy-jar}); to write one, copy
 * FifoPolicy's code into {@link Policy} and change what it decides (docs/writing-a-policy.md).
 */
public final class ExampleFifoProvider implements PolicyProvider {
    @Override
    public String name() {
        return "example-fifo";
    }

    @Override
    public String description() {
        return "the FIFO policy, loaded from a jar (examples/policy)";
    }

    @Override
    public long arenaHeapBytes(PolicyOptions o) {
        return FifoPolicy.arenaHeapBytesFor(o.maxTasks());
    }

    @Override
    public SchedulingPolicy create(PolicyOptions o, BuddyAllocator arena) {
        return new Policy(new FifoPolicy(arena, o.sliceNs(), o.maxTasks()));
    }

    /** Called from the scheduling thread only, like every policy; allocates nothing per task. */
    public static final class Policy implements SchedulingPolicy {
        private final FifoPolicy fifo;

        Policy(FifoPolicy fifo) {
            this.fifo = fifo;
        }

        @Override
        public boolean enqueue(QueuedTask task, long nowNs) {
            return fifo.enqueue(task, nowNs);
        }

        @Override
        public void taskExited(int pid, long uid) {
            fifo.taskExited(pid, uid);
        }

        @Override
        public int queued() {
            return fifo.queued();
        }

        @Override
        public boolean peek(DispatchedTask out, CpuView cpus, long nowNs) {
            return fifo.peek(out, cpus, nowNs);
        }

        @Override
        public void pop() {
            fifo.pop();
        }

        @Override
        public PolicyCounters counters() {
            return fifo.counters();
        }
    }
}
