package org.scxjavaland.core.probe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each reader of /sys/kernel/sched_ext gets, from a copy of the directory as each kernel state leaves it. */
class SchedExtSysfsTest {
    @Test
    void aKernelWithoutSchedExtReadsAsAbsentAndNothingThrows(@TempDir Path sys) {
        SchedExtSysfs s = new SchedExtSysfs(sys.resolve("kernel/sched_ext"));
        assertFalse(s.present());
        assertNull(s.state());
        assertNull(s.ops());
        assertNull(s.switchAll());
        assertEquals(-1, s.number("hotplug_seq"));
        assertTrue(s.events().isEmpty());
    }

    @Test
    void aFreeKernelHasAStateAndNoScheduler(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("state"), "disabled\n");
        Files.writeString(dir.resolve("enable_seq"), "3\n");
        Files.writeString(dir.resolve("hotplug_seq"), "not a number\n");
        Files.createDirectories(dir.resolve("root"));
        Files.writeString(dir.resolve("root/ops"), "\n");
        SchedExtSysfs s = new SchedExtSysfs(dir);
        assertTrue(s.present());
        assertEquals("disabled", s.state());
        assertNull(s.ops(), "an empty ops name is no scheduler");
        assertEquals(3, s.number("enable_seq"));
        assertEquals(-1, s.number("hotplug_seq"));
        assertEquals(-1, s.number("nr_rejected"));
    }

    @Test
    void anAttachedSchedulerHasItsNameAndEventsInEitherSpelling(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("root"));
        Files.writeString(dir.resolve("state"), "enabled\n");
        Files.writeString(dir.resolve("root/ops"), "javaland_0.1.0\n");
        Files.writeString(dir.resolve("root/events"),
                "SCX_EV_SELECT_CPU_FALLBACK 4\nSCX_EV_BYPASS_DURATION: 120\nnot an event line\nSCX_EV_X y\n");
        SchedExtSysfs s = new SchedExtSysfs(dir);
        assertEquals("javaland_0.1.0", s.ops());
        assertEquals(Map.of("SCX_EV_SELECT_CPU_FALLBACK", 4L, "SCX_EV_BYPASS_DURATION", 120L), s.events());
    }
}
