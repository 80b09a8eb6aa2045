package org.scxjavaland.bench.profile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxjavaland.core.testing.BpfTestSupport;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The profile behind issue 3's allocator figure measures what it claims: a short run of the real loop over a real
 * ring buffer under a fork storm (every task a new pid) does allocate and free once per task, and the recording
 * sees the allocator in the scheduling thread's samples. No share is asserted here: the figure comes from the
 * documented command (docs/benchmarks.md), not from a test on a noisy machine.
 */
class LoopProfileHostTest {
    @Test
    void aForkStormShowsTheAllocatorInTheSchedulingThreadsSamples(@TempDir Path dir) throws Exception {
        BpfTestSupport.assumeBpf();
        // 10 s: JFR delivered 63-170 of its 1 ms samples per second to the scheduling thread on this 2-CPU machine
        // (189, 222, 228, 311 and 508 in 3 s; 388 in 6 s; 2026-12-01), so 3 s left the 300 below to chance.
        LoopProfile.Options o = LoopProfile.Options.parse(new String[]{
                "--seconds=10", "--lifetime=1", "--warmup-tasks=300000", "--out=" + dir});
        LoopProfile.Result r = LoopProfile.run(o, line -> { });
        System.out.print(LoopProfile.report(o, r));

        assertTrue(r.tasks() > 10_000, "tasks while recording: " + r.tasks());
        assertEquals(r.exits(), r.loopExitNotices(), "every exit notice reached the loop");
        assertEquals(r.exits(), r.policyExits(), "every exit freed a task in the policy");
        assertTrue(Math.abs(r.newPids() - r.tasks()) <= ChurnDriver.BATCH * ChurnDriver.SLOTS,
                "lifetime 1: one new pid per task (" + r.newPids() + " for " + r.tasks() + ")");
        assertEquals(0, r.bounced(), "the policy held every task");
        assertEquals(0, r.arenaFailures(), "the arena never ran out");
        assertTrue(Files.size(r.recording()) > 0, "a recording was written");
        SampleShares.Tally t = r.shares().thread();
        assertTrue(t.samples() >= 300, "execution samples of the scheduling thread: " + t.samples());
        assertTrue(t.self().getOrDefault(SampleShares.ALLOCATOR, 0L) > 0,
                "the allocator runs twice per task here; a profile without a sample of it is blind: " + t.self());
    }

    @Test
    void badOptionsAreRefusedWithTheReason() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LoopProfile.Options.parse(new String[]{"--lifetime=0"}));
        assertEquals("--lifetime needs a positive integer, got '0'", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LoopProfile.Options.parse(new String[]{"--speed=3"}));
        assertTrue(e.getMessage().startsWith("unknown option --speed"), e.getMessage());
    }
}
