package org.scxjavaland.core.sched;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OpsNameTest {
    @Test
    void theVersionGoesIntoTheNameInCharactersTheKernelAccepts() {
        assertEquals("javaland_1.2.3", OpsName.of("1.2.3"));
        assertEquals("javaland_0.1.0_SNAPSHOT", OpsName.of("0.1.0-SNAPSHOT"));
        assertEquals("javaland", OpsName.of(null));
        assertEquals(OpsName.MAX_LEN, OpsName.of("9".repeat(300)).length());
        assertThrows(IllegalArgumentException.class, () -> OpsName.check("java-land"));
        assertThrows(IllegalArgumentException.class, () -> OpsName.check(""));
    }

    @Test
    void theNameReplacesTheStaticOneWholly() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ops = a.allocate(512);
            ops.fill((byte) 'x');
            SchedulerSession.writeName(ops, 100, "javaland_1.2.3");
            byte[] b = new byte[OpsName.MAX_LEN + 1];
            MemorySegment.copy(ops, JAVA_BYTE, 100, b, 0, b.length);
            assertEquals("javaland_1.2.3", new String(b, 0, 14));
            for (int i = 14; i < b.length; i++) assertEquals(0, b[i], "NUL-padded at " + i);
            assertEquals('x', ops.get(JAVA_BYTE, 99));
            assertEquals('x', ops.get(JAVA_BYTE, 100 + OpsName.MAX_LEN + 1));
        }
    }
}
