package org.scxjavaland.core.sched;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsSnapshotTest {
    private static StatsSnapshot withIdentityCounters(long reused, long late, long reclaimed) {
        return StatsSnapshot.builder("ringbuf", "deadline").set(Stat.USER_DISPATCHES, 100)
                .set(Stat.VTIME_NOW, 5_000_000_000L).set(Stat.REUSED_PIDS, reused).set(Stat.LATE_EXIT_NOTICES, late)
                .set(Stat.RECLAIMED, reclaimed).build();
    }

    @Test
    void theLineNamesPidReuseOnlyOnceSomethingHappened() {
        assertFalse(withIdentityCounters(0, 0, 0).line(null).contains("pid reuse"), "quiet when nothing happened");
        String line = withIdentityCounters(3, 5, 7).line(null);
        assertTrue(line.endsWith("| pid reuse: 3 late exits: 5 reclaimed: 7"), line);
        assertTrue(withIdentityCounters(0, 0, 1).line(null).contains("reclaimed: 1"), "any one of the three shows them");
    }

    @Test
    void theSummaryCarriesTheThreeCounters() {
        String summary = new RunResult(ExitInfo.OBSERVER_DETACHED, "signal", withIdentityCounters(3, 5, 7), 0).summaryLine();
        assertTrue(summary.contains(" reused_pids=3 late_exit_notices=5 reclaimed=7 "), summary);
    }

    @Test
    void theSummaryNamesEveryStatThatHasAKeyWithItsOwnValue() {
        StatsSnapshot.Builder b = StatsSnapshot.builder("fifo", "deadline");
        for (Stat s : Stat.values()) b.set(s, 1000 + s.ordinal());
        String summary = new RunResult(ExitInfo.OBSERVER_DETACHED, "signal", b.build(), 2).summaryLine();
        assertTrue(summary.startsWith("summary: transport=fifo policy=deadline "), summary);
        for (Stat s : Stat.values()) {
            if (s.summaryKey() != null) {
                assertTrue(summary.contains(" " + s.summaryKey() + "=" + (1000 + s.ordinal()) + " "), s + ": " + summary);
            }
        }
        assertTrue(summary.contains(" restarts=2 "), summary);
    }

    @Test
    void theLineShowsPerPeriodCountsAgainstThePreviousSnapshot() {
        StatsSnapshot before = StatsSnapshot.builder("ringbuf", "deadline").set(Stat.USER_DISPATCHES, 100)
                .set(Stat.CANCEL_DISPATCHES, 4).build();
        StatsSnapshot now = StatsSnapshot.builder("ringbuf", "deadline").set(Stat.USER_DISPATCHES, 250)
                .set(Stat.CANCEL_DISPATCHES, 6).build();
        String line = now.line(before);
        assertTrue(line.contains("dispatch u: 150 "), line);
        assertTrue(line.contains(" c: 6 "), "cancels are totals: " + line);
        assertTrue(now.line(null).contains("dispatch u: 250 "), now.line(null));
    }
}
