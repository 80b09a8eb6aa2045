package org.scxjavaland.core.sched;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsSnapshotTest {
    private static StatsSnapshot withIdentityCounters(long reused, long late, long reclaimed) {
        return new StatsSnapshot("ringbuf", "deadline", 3, 100, 40, 1, 2, 0, 5, 0, 2, 2, 9, 7, 11, 12, 4,
                150, 6, 100, 0, 0, 17, 11, 0, 4096, 300, 5_000_000_000L, 13, 0, 8, 0, reused, late, reclaimed);
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
}
