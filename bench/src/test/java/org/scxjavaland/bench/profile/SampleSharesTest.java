package org.scxjavaland.bench.profile;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SampleSharesTest {
    @Test
    void aLibraryFrameIsChargedToTheFirstOfOurFramesBelowIt() {
        assertEquals(SampleShares.ALLOCATOR, SampleShares.selfPart(List.of(
                "jdk.internal.misc.Unsafe", "net.openhft.chronicle.bytes.PointerBytesStore",
                "org.scxjavaland.core.alloc.BuddyAllocator", "org.scxjavaland.core.policy.DeadlinePolicy",
                "org.scxjavaland.core.sched.SchedulingLoop")));
        assertEquals("policy", SampleShares.selfPart(List.of(
                "jdk.internal.foreign.AbstractMemorySegmentImpl", "org.scxjavaland.core.policy.RunQueue",
                "org.scxjavaland.core.sched.SchedulingLoop")));
        assertEquals("transport", SampleShares.selfPart(List.of(
                "org.scxjavaland.transport.ringbuf.RingBufferConsumer", "org.scxjavaland.core.sched.SchedulingLoop")));
    }

    @Test
    void aStackWithoutOurFramesIsTheJvmsOwn() {
        assertEquals(SampleShares.NOT_OURS, SampleShares.selfPart(List.of("java.lang.Thread", "jdk.jfr.internal.X")));
        assertEquals(SampleShares.NOT_OURS, SampleShares.selfPart(List.of()));
        assertEquals(SampleShares.NOT_OURS, SampleShares.selfPart(List.of("java.lang.Thread",
                "org.scxjavaland.bench.profile.LoopProfile")), "the profile's driver is no part of the scheduler");
    }
}
