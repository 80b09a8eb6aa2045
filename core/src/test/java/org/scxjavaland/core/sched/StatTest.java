package org.scxjavaland.core.sched;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.wire.StatsLayout;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatTest {
    /** The one field of .data.stats no stat reports: the idle bitmap is state, not a count. */
    private static final Set<String> NOT_A_STAT = Set.of("idle_cpus");

    @Test
    void everyCounterBpfKeepsIsReportedExactlyOnce() {
        Map<Long, Stat> byOffset = new HashMap<>();
        for (Stat s : Stat.values()) {
            if (s.fromBpf()) assertEquals(null, byOffset.put(s.bpfOffset(), s), "two stats read one field: " + s);
        }
        for (MemoryLayout field : StatsLayout.LAYOUT.memberLayouts()) {
            String name = field.name().orElseThrow();
            if (NOT_A_STAT.contains(name)) continue;
            assertTrue(field instanceof ValueLayout, name);
            long offset = StatsLayout.LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement(name));
            assertNotNull(byOffset.remove(offset), "no stat reports .data.stats field " + name);
        }
        assertTrue(byOffset.isEmpty(), "stats read offsets that are no field: " + byOffset);
    }

    @Test
    void namesAreUniqueInEachPlaceTheyAppear() {
        unique(Stat::socketName);
        unique(Stat::meterName);
        unique(Stat::summaryKey);
    }

    @Test
    void everyStatSaysWhatItIsAndIsShownSomewhereOrKeptForAReason() {
        for (Stat s : Stat.values()) {
            String d = s.description();
            assertFalse(d.isBlank(), s.toString());
            assertTrue(d.endsWith(")") || Character.isLetter(d.charAt(d.length() - 1)),
                    "one sentence without a final period, as Prometheus HELP lines: " + s);
            assertEquals(s.socketName() == null, s.socketKind() == Stat.SocketKind.NONE, s.toString());
            assertEquals(s.meterName() == null, s.meterKind() == Stat.MeterKind.NONE, s.toString());
            if (s.meterName() != null) assertTrue(s.meterName().startsWith(Stat.METER_PREFIX), s.toString());
        }
    }

    private static void unique(Function<Stat, String> name) {
        Set<String> seen = new HashSet<>();
        for (Stat s : Stat.values()) {
            String n = name.apply(s);
            if (n != null) assertTrue(seen.add(n), "two stats named " + n);
        }
    }
}
