package org.scxjavaland.core.policy;

import org.scxjavaland.core.alloc.BuddyAllocator;

/**
 * A pluggable policy, found through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.scxjavaland.core.policy.PolicyProvider}), chosen with {@code --policy=NAME}.
 * docs/writing-a-policy.md says what a policy must guarantee; {@code org.scxjavaland.core.policy.fifo} is the
 * worked example.
 *
 * <p>The daemon maps and locks one arena the first time it makes a policy, sized by {@link #arenaHeapBytes}, and
 * hands the same arena, emptied ({@link BuddyAllocator#reset}), to every later policy it makes (the warm-up's, then
 * one per session): the previous policy is no longer used by then. A policy keeps every per-task state in that arena
 * and allocates nothing on the Java heap per task, so the scheduling thread never waits on the garbage collector
 * or on a page fault while tasks wait on it.
 */
public interface PolicyProvider {
    /** The name users type: {@code --policy=NAME}; lower case letters, digits and '-'. */
    String name();

    /** One line for {@code --help}, {@code --policy=help} and the start-up log. */
    String description();

    /** Heap bytes of the arena {@link #create} needs for these options: a power of two, at least 64. */
    long arenaHeapBytes(PolicyOptions options);

    /** A new policy on {@code arena}, which is empty and holds at least {@link #arenaHeapBytes} bytes. */
    SchedulingPolicy create(PolicyOptions options, BuddyAllocator arena);
}
