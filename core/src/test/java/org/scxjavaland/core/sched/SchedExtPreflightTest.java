package org.scxjavaland.core.sched;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxjavaland.core.probe.Privileges;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * run's preflight against fake /sys/kernel trees (this host has no sched_ext, and a machine where another scheduler
 * is attached is not at hand): each problem is found, in order, with its kind and a message that says what to do.
 */
class SchedExtPreflightTest {
    private static final long ALL_CAPS = -1L >>> 1;
    private static final Privileges ROOT = new Privileges(0, ALL_CAPS, "test");
    private static final Privileges USER = new Privileges(1000, 0, "test");

    @TempDir
    Path sys;

    private void schedExt(String state, String ops) throws IOException {
        Files.createDirectories(sys.resolve("sched_ext/root"));
        Files.writeString(sys.resolve("sched_ext/state"), state + "\n");
        if (ops != null) Files.writeString(sys.resolve("sched_ext/root/ops"), ops + "\n");
    }

    private void btf() throws IOException {
        Files.createDirectories(sys.resolve("btf"));
        Files.writeString(sys.resolve("btf/vmlinux"), "BTF");
    }

    private SchedExtPreflight.Problem problem(Privileges p) {
        Optional<SchedExtPreflight.Problem> r = SchedExtPreflight.check(sys, p);
        assertTrue(r.isPresent(), "a problem");
        assertTrue(!r.get().message().contains("\n"), "one line: " + r.get().message());
        return r.get();
    }

    @Test
    void aKernelWithoutSchedExtComesFirst() {
        SchedExtPreflight.Problem p = problem(USER);
        assertEquals(SchedExtPreflight.Kind.NO_SCHED_EXT, p.kind());
        assertTrue(p.message().contains("has no sched_ext (" + sys.resolve("sched_ext") + " is missing)"), p.message());
        assertTrue(p.message().contains("make run"), p.message());
    }

    @Test
    void noBtf() throws IOException {
        schedExt("disabled", null);
        SchedExtPreflight.Problem p = problem(ROOT);
        assertEquals(SchedExtPreflight.Kind.NO_BTF, p.kind());
        assertTrue(p.message().contains("no BTF (" + sys.resolve("btf/vmlinux") + " is missing)"), p.message());
    }

    @Test
    void notRootNamesTheMissingCapabilities() throws IOException {
        schedExt("disabled", null);
        btf();
        SchedExtPreflight.Problem p = problem(USER);
        assertEquals(SchedExtPreflight.Kind.NOT_PERMITTED, p.kind());
        assertEquals("attaching a sched_ext scheduler needs root or CAP_SYS_ADMIN, CAP_BPF, CAP_PERFMON: run it with "
                + "sudo", p.message());
        // CAP_SYS_ADMIN alone is enough: the kernel accepts it in place of CAP_BPF and CAP_PERFMON
        assertTrue(SchedExtPreflight.check(sys, new Privileges(1000, 1L << Privileges.CAP_SYS_ADMIN, "test")).isEmpty());
    }

    @Test
    void aPidNamespaceOfItsOwnComesAfterPrivilegesAndBeforeAnotherScheduler() throws IOException {
        schedExt("enabled", "rustland");
        btf();
        Optional<String> ns = Optional.of("this process is in a pid namespace of its own");
        assertEquals(SchedExtPreflight.Kind.NOT_PERMITTED, SchedExtPreflight.check(sys, USER, ns).orElseThrow().kind());
        SchedExtPreflight.Problem p = SchedExtPreflight.check(sys, ROOT, ns).orElseThrow();
        assertEquals(SchedExtPreflight.Kind.FOREIGN_PID_NAMESPACE, p.kind());
        assertEquals(ns.get(), p.message());
    }

    @Test
    void anotherSchedulerAttachedIsNamed() throws IOException {
        btf();
        for (String state : new String[]{"enabled", "enabling", "disabling"}) {
            schedExt(state, "rustland_1.0.14_g3b1c2d4_x86_64_unknown_linux_gnu");
            SchedExtPreflight.Problem p = problem(ROOT);
            assertEquals(SchedExtPreflight.Kind.OCCUPIED, p.kind());
            assertEquals("another sched_ext scheduler, 'rustland_1.0.14_g3b1c2d4_x86_64_unknown_linux_gnu', is " + state
                    + " (" + sys.resolve("sched_ext/state") + "): only one can be attached; stop it first", p.message());
        }
    }

    @Test
    void aFreeSchedExtWithBtfAndRootPasses() throws IOException {
        schedExt("disabled", null);
        btf();
        assertEquals(Optional.empty(), SchedExtPreflight.check(sys, ROOT));
    }
}
