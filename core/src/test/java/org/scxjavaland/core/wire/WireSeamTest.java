package org.scxjavaland.core.wire;

import org.junit.jupiter.api.Test;
import org.scxjavaland.bpf.BpfException;
import org.scxjavaland.bpf.BpfObject;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load-time check of the BPF/Java seam, against the objects this build ships. */
class WireSeamTest {
    static final String SCHEDULER = "/org/scxjavaland/bpf/scx_javaland.bpf.o";
    static final String OBSERVE = "/org/scxjavaland/bpf/observe.bpf.o";
    static final String HARNESS = "/org/scxjavaland/bpf/harness.bpf.o";

    @Test
    void everyObjectOfThisBuildAgreesWithTheTwins() {
        try (BpfObject o = BpfObject.openResource(SCHEDULER)) {
            assertDoesNotThrow(() -> WireSeam.verify(o, WireSeam.SCHEDULER));
        }
        try (BpfObject o = BpfObject.openResource(OBSERVE)) {
            assertDoesNotThrow(() -> WireSeam.verify(o, WireSeam.OBSERVE));
        }
        try (BpfObject o = BpfObject.openResource(HARNESS)) {
            assertDoesNotThrow(() -> WireSeam.verify(o, WireSeam.HARNESS));
        }
    }

    @Test
    void aFieldAtAnotherOffsetIsNamed() {
        // the record as a build without run_total laid it out: everything after exec_runtime 8 bytes earlier
        StructLayout older = MemoryLayout.structLayout(
                JAVA_INT.withName("pid"), JAVA_INT.withName("cpu"), JAVA_LONG.withName("nr_cpus_allowed"),
                JAVA_LONG.withName("flags"), JAVA_LONG.withName("start_ts"), JAVA_LONG.withName("stop_ts"),
                JAVA_LONG.withName("exec_runtime"), JAVA_LONG.withName("weight"))
                .withName("scx_jl_queued_task");
        try (BpfObject o = BpfObject.openResource(SCHEDULER)) {
            BpfException e = assertThrows(BpfException.class, () -> WireSeam.verify(o, older));
            assertTrue(e.getMessage().contains("scx_jl_queued_task is 112 bytes there, 56 here"), e.getMessage());
            assertTrue(e.getMessage().contains("scx_jl_queued_task.weight is at byte 56 there, 48 here"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("make build"), e.getMessage());
        }
    }

    @Test
    void aStructTheObjectLacksOrAFieldItLacksIsNamed() {
        StructLayout renamed = MemoryLayout.structLayout(JAVA_INT.withName("pid"), JAVA_INT.withName("core"))
                .withName("scx_jl_queued_task");
        try (BpfObject o = BpfObject.openResource(OBSERVE)) {
            BpfException e = assertThrows(BpfException.class,
                    () -> WireSeam.verify(o, ExitInfoLayout.LAYOUT, renamed));
            assertTrue(e.getMessage().contains("no struct scx_jl_exit_info"), e.getMessage());
            assertTrue(e.getMessage().contains("scx_jl_queued_task.core is missing there"), e.getMessage());
        }
    }
}
