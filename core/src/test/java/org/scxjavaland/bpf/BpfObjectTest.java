package org.scxjavaland.bpf;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.harness.HarnessProgram;
import org.scxjavaland.core.testing.BpfTestSupport;
import org.scxjavaland.core.wire.ConfigLayout;
import org.scxjavaland.core.wire.StatsLayout;
import org.scxjavaland.sys.Bpf;
import org.scxjavaland.sys.LibC;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** libbpf through FFM on bpf-src's harness object. Opening needs no privileges; loading needs root. */
class BpfObjectTest {

    @Test
    void theBundledLibbpfIsUsedAndIsAtLeast15() {
        Libbpf lib = Libbpf.get();
        assertEquals("bundled", lib.source(), lib.toString());
        assertTrue(lib.version().matches("v?1\\.(5|[6-9]|\\d\\d).*"), lib.version());
    }

    @Test
    void anOlderLibbpfIsRefusedWithItsVersion() {
        Path old = Path.of("/usr/lib/x86_64-linux-gnu/libbpf.so.1.1.2");
        assumeTrue(Files.exists(old), "no libbpf 1.1.2 of Debian 12 here");
        BpfException e = assertThrows(BpfException.class, () -> Libbpf.open(old.toString(), "system"));
        assertTrue(e.getMessage().contains("1.1") && e.getMessage().contains("need 1.5 or newer"), e.getMessage());
    }

    @Test
    void sectionsAndMapsAreFoundBeforeLoad() {
        try (BpfObject o = BpfObject.openResource(HarnessProgram.RESOURCE)) {
            assertEquals("harness", o.name());
            List<String> maps = o.mapNames();
            for (String m : List.of(MapNames.QUEUED_RINGBUF, MapNames.DISPATCHED_USER_RINGBUF, MapNames.QUEUED_QUEUE,
                    MapNames.DISPATCHED_QUEUE, MapNames.SECTION_CONFIG, MapNames.SECTION_STATS)) {
                assertTrue(maps.contains(m), m + " in " + maps);
                assertTrue(o.hasMap(m));
            }
            assertEquals(List.of(HarnessProgram.PROGRAM), o.programNames());
            MemorySegment config = o.section(MapNames.SECTION_CONFIG);
            assertEquals(ConfigLayout.SIZE, config.byteSize());
            assertEquals(5_000_000L, config.get(JAVA_LONG, ConfigLayout.SLICE_NS), "the C initialiser");
            assertEquals(StatsLayout.SIZE, o.section(MapNames.SECTION_STATS).byteSize());
            o.setMaxEntries(MapNames.QUEUED_RINGBUF, 3 * LibC.pageSize());
            assertEquals(4 * LibC.pageSize(), o.maxEntries(MapNames.QUEUED_RINGBUF), "libbpf rounds ring sizes up");
            assertEquals(Bpf.MAP_TYPE_USER_RINGBUF, o.mapType(MapNames.DISPATCHED_USER_RINGBUF));
            BpfException e = assertThrows(BpfException.class, () -> o.section(".data.nope"));
            assertTrue(e.getMessage().contains("has no map '.data.nope'"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> o.mapFd(MapNames.QUEUED_RINGBUF), "not loaded yet");
        }
    }

    @Test
    void loadedObjectSharesItsDataSectionsWithTheKernel() {
        BpfTestSupport.assumeBpf();
        try (BpfObject o = BpfObject.openResource(HarnessProgram.RESOURCE)) {
            MemorySegment configBefore = o.section(MapNames.SECTION_CONFIG);
            configBefore.set(JAVA_LONG, ConfigLayout.SLICE_NS, 123_456L);
            MemorySegment statsBefore = o.section(MapNames.SECTION_STATS);
            o.setMaxEntries(MapNames.QUEUED_QUEUE, 77);
            o.setAutocreate(MapNames.QUEUED_RINGBUF, true);
            o.load();
            assertTrue(o.isLoaded());
            assertThrows(IllegalStateException.class, () -> configBefore.get(JAVA_INT, 0),
                    "a writable .rodata view dies at load instead of faulting later");
            MemorySegment config = o.section(MapNames.SECTION_CONFIG);
            assertTrue(config.isReadOnly());
            assertEquals(123_456L, config.get(JAVA_LONG, ConfigLayout.SLICE_NS));
            assertEquals(77, o.maxEntries(MapNames.QUEUED_QUEUE), "the kernel's value");
            Bpf.MapInfo info = Bpf.mapInfo(o.mapFd(MapNames.QUEUED_RINGBUF));
            assertEquals(Bpf.MAP_TYPE_RINGBUF, info.type());
            assertTrue(o.programFd(HarnessProgram.PROGRAM) > 0);
            // .data is live: what BPF counts shows in the segment we took before load
            MemorySegment stats = o.section(MapNames.SECTION_STATS);
            assertEquals(statsBefore.address(), stats.address());
            stats.set(JAVA_LONG, StatsLayout.NR_SCHEDULED, 99);
            assertEquals(99, statsBefore.get(JAVA_LONG, StatsLayout.NR_SCHEDULED));
            BpfException e = assertThrows(BpfException.class, () -> o.mapFd("nope"));
            assertTrue(e.getMessage().startsWith("BPF object harness has no map 'nope'"), e.getMessage());
        }
    }

    @Test
    void aNotCreatedMapSaysSo() {
        BpfTestSupport.assumeBpf();
        try (BpfObject o = BpfObject.openResource(HarnessProgram.RESOURCE)) {
            o.setAutocreate(MapNames.QUEUED_RINGBUF, false);
            // in ringbuf mode (the default) the harness program uses queued_rb, so it cannot load without it
            o.setAutoload(HarnessProgram.PROGRAM, false);
            o.load();
            BpfException e = assertThrows(BpfException.class, () -> o.mapFd(MapNames.QUEUED_RINGBUF));
            assertEquals("map 'queued_rb' of harness was not created", e.getMessage());
            assertThrows(BpfException.class, () -> o.programFd(HarnessProgram.PROGRAM));
        }
    }

    @Test
    void aLoadFailureCarriesLibbpfsWarnings() {
        BpfTestSupport.assumeBpf();
        List<String> seen = new ArrayList<>();
        Libbpf.setLogSink((level, line) -> {
            synchronized (seen) {
                seen.add(line);
            }
        });
        try (BpfObject o = BpfObject.openResource(HarnessProgram.RESOURCE)) {
            o.setMaxEntries(MapNames.QUEUED_QUEUE, 0); // the kernel refuses an empty queue map
            BpfException e = assertThrows(BpfException.class, o::load);
            assertTrue(e.getMessage().startsWith("bpf_object__load(harness) failed: EINVAL (Invalid argument)"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("queued_q"), "libbpf's warning names the map:\n" + e.getMessage());
            assertFalse(o.isLoaded());
        } finally {
            Libbpf.setLogSink(null);
        }
        synchronized (seen) {
            assertTrue(seen.stream().anyMatch(s -> s.contains("queued_q")), "the sink got libbpf's lines");
        }
    }

    private static final String SCHEDULER = "/org/scxjavaland/bpf/scx_javaland.bpf.o";

    @Test
    void theSchedulerObjectExposesItsStructOpsBeforeLoad() {
        try (BpfObject o = BpfObject.openResource(SCHEDULER)) {
            assertTrue(o.hasMap(MapNames.STRUCT_OPS), o.mapNames().toString());
            assertTrue(o.hasMap(MapNames.SECTION_EXIT_INFO), o.mapNames().toString());
            MemorySegment config = o.section(MapNames.SECTION_CONFIG);
            MemorySegment ops = o.structOpsData(MapNames.STRUCT_OPS);
            long nameOff = Integer.toUnsignedLong(config.get(JAVA_INT, ConfigLayout.OPS_OFF_NAME));
            assertTrue(nameOff > 0 && nameOff < ops.byteSize(), "ops_off_name " + nameOff + " in " + ops.byteSize());
            assertEquals(MapNames.OPS_NAME, ops.getString(nameOff), "the name the C initialiser put in the ops");
            long timeoutOff = Integer.toUnsignedLong(config.get(JAVA_INT, ConfigLayout.OPS_OFF_TIMEOUT_MS));
            ops.set(JAVA_INT, timeoutOff, 4321);
            assertEquals(4321, o.structOpsData(MapNames.STRUCT_OPS).get(JAVA_INT, timeoutOff), "written in place");
        }
    }

    @Test
    void withoutSchedExtTheSchedulerFailsToLoadWithLibbpfsReason() {
        BpfTestSupport.assumeBpf();
        assumeTrue(!Files.exists(Path.of("/sys/kernel/sched_ext")), "this kernel has sched_ext");
        try (BpfObject o = BpfObject.openResource(SCHEDULER)) {
            BpfException e = assertThrows(BpfException.class, o::load);
            assertTrue(e.getMessage().startsWith("bpf_object__load(scx_javaland) failed: "), e.getMessage());
            assertTrue(e.getMessage().contains("sched_ext_ops"), e.getMessage());
        }
    }
}
