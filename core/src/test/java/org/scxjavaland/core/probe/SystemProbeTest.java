package org.scxjavaland.core.probe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxjavaland.sys.Bpf;
import org.scxjavaland.sys.ErrnoException;
import org.scxjavaland.sys.LibC;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SystemProbeTest {
    private static final SystemFacts.LibbpfInfo NO_LIBBPF =
            new SystemFacts.LibbpfInfo(false, null, null, null, "not loaded in this test");
    private static final Privileges ROOT = new Privileges(0, 0x1ff_feff_ffffL, "test");

    private static void assumeRootBpf() {
        try {
            LibC.close(Bpf.mapCreate(Bpf.MAP_TYPE_QUEUE, 0, 8, 1, 0, "scx_jl_assume"));
        } catch (ErrnoException e) {
            assumeTrue(false, "needs root/CAP_BPF: " + e.getMessage());
        }
    }

    /** This host: kernel 6.18 with BPF, ring buffers and BTF, but no sched_ext; run as root by CI. */
    @Test
    void theRealHostHasRingBuffersAndBtfButNoSchedExt() {
        assumeRootBpf();
        assumeTrue(!Files.exists(Path.of("/sys/kernel/sched_ext")), "this test describes a host without sched_ext");
        SystemFacts f = new SystemProbe().probe();

        assertEquals(System.getProperty("os.version"), f.kernel().release());
        assertFalse(f.schedExt().present());
        assertTrue(f.btf().present() && f.btf().bytes() > 1_000_000, "BTF: " + f.btf());
        assertEquals(List.of(new SystemFacts.Support("RINGBUF", true, null),
                new SystemFacts.Support("USER_RINGBUF", true, null),
                new SystemFacts.Support("QUEUE", true, null)), f.mapTypes());
        assertTrue(f.privileges().has(Privileges.CAP_SYS_ADMIN), "root has CAP_SYS_ADMIN: " + f.privileges());
        assertEquals(Runtime.version().toString(), f.jdk().version());

        assertFalse(f.runnable());
        assertTrue(f.problems().get(0).startsWith("no sched_ext: /sys/kernel/sched_ext is missing"), f.problems().toString());
        // core's own test class path has no transport: that is a reason too, in the words auto would use
        assertTrue(f.problems().contains("no transport on the class path (transport-ringbuf, transport-fifo)"),
                f.problems().toString());
        assertNull(f.auto().name());
        JsonCheck.wellFormed(SystemFactsJson.of(f));
    }

    @Test
    void aFreeSchedExtWithBtfIsFineAndABusyOneIsNot(@TempDir Path sys) throws IOException {
        Path se = Files.createDirectories(sys.resolve("kernel/sched_ext"));
        Files.createDirectories(sys.resolve("kernel/btf"));
        Files.write(sys.resolve("kernel/btf/vmlinux"), new byte[4096]);
        Files.writeString(se.resolve("state"), "disabled\n");
        Files.writeString(se.resolve("switch_all"), "0\n");
        SystemProbe probe = new SystemProbe(sys, List.of(), () -> NO_LIBBPF, () -> ROOT);

        SystemFacts f = probe.probe();
        assertEquals(new SystemFacts.SchedExt(true, "disabled", null, "0"), f.schedExt());
        assertEquals(new SystemFacts.Btf(true, 4096), f.btf());
        assertEquals(List.of("no transport on the class path (transport-ringbuf, transport-fifo)",
                "libbpf unusable: not loaded in this test"), f.problems());

        Files.writeString(se.resolve("state"), "enabled\n");
        Files.createDirectories(se.resolve("root"));
        Files.writeString(se.resolve("root/ops"), "rustland\n");
        f = probe.probe();
        assertEquals(new SystemFacts.SchedExt(true, "enabled", "rustland", "0"), f.schedExt());
        assertEquals("sched_ext is enabled with scheduler 'rustland': only one sched_ext scheduler can run, stop it first",
                f.problems().get(0));
    }

    @Test
    void missingBtfAndPrivilegesAreReasons(@TempDir Path sys) throws IOException {
        Files.createDirectories(sys.resolve("kernel/sched_ext"));
        Files.writeString(sys.resolve("kernel/sched_ext/state"), "disabled");
        Privileges bpfOnly = new Privileges(1000, (1L << Privileges.CAP_BPF) | (1L << Privileges.CAP_PERFMON), "test");
        SystemFacts f = new SystemProbe(sys, List.of(), () -> NO_LIBBPF, () -> bpfOnly).probe();
        assertTrue(f.problems().get(0).startsWith("no kernel BTF: "), f.problems().toString());
        assertEquals("not privileged enough: missing CAP_SYS_ADMIN (run as root)", f.problems().get(1));
    }

    @Test
    void privilegesComeFromProcSelfStatus(@TempDir Path dir) throws IOException {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nUid:\t1000\t0\t0\t0\nCapInh:\t0000000000000000\n"
                + "CapEff:\t000001fffeffffff\nCapBnd:\t000001ffffffffff\n");
        Privileges p = Privileges.parse(status);
        assertEquals(0, p.euid());
        assertEquals(0x1fffeffffffL, p.capEff());
        assertTrue(p.has(Privileges.CAP_SYS_ADMIN) && p.has(Privileges.CAP_BPF) && p.has(Privileges.CAP_PERFMON));
        assertEquals(List.of(), p.missingForRun());

        Files.writeString(status, "Uid:\t1000\t1000\t1000\t1000\nCapEff:\t0000000000000000\n");
        p = Privileges.parse(status);
        assertEquals(List.of("CAP_SYS_ADMIN", "CAP_BPF", "CAP_PERFMON"), p.missingForRun());

        p = Privileges.parse(dir.resolve("no-proc-here"));
        assertFalse(p.known());
        assertTrue(p.missingForRun().get(0).startsWith("capabilities unknown (cannot read "), p.missingForRun().toString());
    }

    @Test
    void theRealProcessReadsItsOwnStatus() {
        Privileges p = Privileges.ofThisProcess();
        assertTrue(p.known(), p.source());
        assertTrue(p.euid() >= 0);
    }

    @Test
    void jsonEscapesWhatTheKernelOrALibraryMaySay() {
        SystemFacts f = new SystemFacts(new SystemFacts.Kernel("6.18", "#1 \"quoted\" \\ back\tslash", "x86_64"),
                new SystemFacts.SchedExt(false, null, null, null), new SystemFacts.Btf(false, 0),
                List.of(new SystemFacts.Support("RINGBUF", false, "line1\nline2\u0001")), List.of(),
                new SystemFacts.AutoChoice(null, "none"), new Privileges(-1, -1, "no /proc"),
                new SystemFacts.Jdk("25", "v", "/j"), NO_LIBBPF,
                new SystemFacts.Policies(List.of(new SystemFacts.Policy("p", "a \"quoted\" one", null)), null, null),
                List.of("a", "b"), List.of("c"));
        String json = SystemFactsJson.of(f);
        JsonCheck.wellFormed(json);
        assertTrue(json.startsWith("{\"runnable\":false,\"problems\":[\"a\",\"b\"],\"observe\":{\"possible\":false,"
                + "\"problems\":[\"c\"]},\"kernel\":{\"release\":\"6.18\","
                + "\"version\":\"#1 \\\"quoted\\\" \\\\ back\\tslash\""), json);
        assertTrue(json.contains("\"cause\":\"line1\\nline2\\u0001\""), json);
        assertTrue(json.contains("\"privileges\":{\"euid\":-1,\"cap_eff\":null,"), json);
        assertTrue(json.endsWith(",\"policies\":{\"chosen\":null,\"problem\":null,\"available\":[{\"name\":\"p\","
                + "\"description\":\"a \\\"quoted\\\" one\",\"jar\":null}]}}"), json);
        assertThrows(IllegalArgumentException.class, () -> JsonCheck.wellFormed("{\"a\":1,}"));
    }
}
