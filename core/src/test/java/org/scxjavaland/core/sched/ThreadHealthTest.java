package org.scxjavaland.core.sched;

import org.junit.jupiter.api.Test;
import org.scxjavaland.sys.LibC;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadHealthTest {
    static Object sink;

    @Test
    void nothingIsCountedBeforeTheBaselineAndWhatFollowsItIs() {
        ThreadHealth h = ThreadHealth.ofCurrentThread(LibC.gettid());
        for (int i = 0; i < 1000; i++) sink = new byte[1024];   // start-up: not the attached thread's business
        assertEquals(0, h.allocatedSinceBaseline(), "before the baseline");
        assertEquals(0, h.faultsSinceBaseline(), "before the baseline");
        h.baseline();
        for (int i = 0; i < 100; i++) sink = new byte[1024];
        long a = h.allocatedSinceBaseline();
        assertTrue(a >= 100 * 1024 && a < 1000 * 1024, "counted from the baseline: " + a);
        assertTrue(h.faultsSinceBaseline() >= 0);
    }
}
