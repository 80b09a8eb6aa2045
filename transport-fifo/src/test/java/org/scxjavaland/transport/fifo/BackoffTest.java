package org.scxjavaland.transport.fifo;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackoffTest {
    private static long[] steps(Backoff b, int n, long timeout) {
        long[] s = new long[n];
        for (int i = 0; i < n; i++) s[i] = b.next(timeout);
        return s;
    }

    @Test
    void spinsThenDoublesUpToTheCap() {
        Backoff b = new Backoff(2, 50_000, 1_000_000);
        assertArrayEquals(new long[]{0, 0, 50_000, 100_000, 200_000, 400_000, 800_000, 1_000_000, 1_000_000},
                steps(b, 9, Long.MAX_VALUE));
    }

    @Test
    void workResetsTheLadder() {
        Backoff b = new Backoff(1, 50_000, 1_000_000);
        steps(b, 6, Long.MAX_VALUE);
        b.reset();
        assertArrayEquals(new long[]{0, 50_000, 100_000}, steps(b, 3, Long.MAX_VALUE));
    }

    @Test
    void neverSleepsPastTheCallersTimeout() {
        Backoff b = new Backoff(0, 50_000, 1_000_000);
        assertArrayEquals(new long[]{50_000, 70_000, 70_000, 70_000}, steps(b, 4, 70_000));
        assertEquals(0, b.next(0), "a zero timeout is a poll");
    }

    @Test
    void rejectsANonsensicalLadder() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(-1, 50_000, 1_000_000));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(1, 0, 1_000_000));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(1, 2_000, 1_000));
    }
}
