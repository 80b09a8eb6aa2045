package org.scxjavaland.daemon;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.probe.Privileges;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How the daemon lifts RLIMIT_MEMLOCK before attaching, in child JVMs started as root with a low hard limit
 * (util-linux {@code prlimit}) and capabilities taken from the bounding set ({@code setpriv}), so each case arises
 * whatever this machine grants. Root without CAP_SYS_RESOURCE (a container, a sandbox) was warned on every start
 * that locking "may fail", though CAP_IPC_LOCK locks past the limit: a false alarm, seen on this project's own build
 * hosts. Now only a process that really cannot lock past the limit is warned, and the soft limit still rises to the
 * hard one.
 */
class MemlockLimitTest {
    private static final long SOFT = 64 * 1024;
    private static final long HARD = 8 * 1024 * 1024;

    private static List<String> run(String... dropCaps) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("prlimit", "--memlock=" + SOFT + ":" + HARD));
        if (dropCaps.length > 0) {
            cmd.addAll(List.of("setpriv", "--bounding-set=" + String.join(",", dropCaps), "--"));
        }
        cmd.addAll(TestJvm.command(List.of(), MemlockProbe.class));
        Path out = Files.createTempFile("memlock-probe", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("the probe did not finish within 60 s: " + Files.readString(out));
            }
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "probe exit status; output " + lines);
            return lines;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void assumeRootWithTools() {
        assumeTrue(Privileges.ofThisProcess().euid() == 0, "needs root (prlimit, setpriv)");
        for (String tool : List.of("prlimit", "setpriv")) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin", tool)), tool + " (util-linux) not found");
        }
    }

    private static String line(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + prefix + "' line in " + lines));
    }

    @Test
    void withoutCapSysResourceButWithCapIpcLockThereIsNoWarningAndTheSoftLimitRises() throws Exception {
        assumeRootWithTools();
        assumeTrue(Privileges.ofThisProcess().has(Privileges.CAP_IPC_LOCK),
                "this process has no CAP_IPC_LOCK to hand on");
        List<String> lines = run("-sys_resource");
        assertEquals("ipc_lock: true sys_resource: false", line(lines, "ipc_lock:"), "the case arose");
        assertEquals("warning: none", line(lines, "warning:"));
        assertEquals("limit: " + HARD + " " + HARD, line(lines, "limit:"));
    }

    @Test
    void withoutCapIpcLockEitherTheWarningSaysWhatStaysAndWhy() throws Exception {
        assumeRootWithTools();
        List<String> lines = run("-sys_resource", "-ipc_lock");
        assertEquals("ipc_lock: false sys_resource: false", line(lines, "ipc_lock:"), "the case arose");
        String warning = line(lines, "warning:");
        assertTrue(warning.contains("RLIMIT_MEMLOCK stays at 8192 KiB"), warning);
        assertTrue(warning.contains("EPERM"), warning);
        assertTrue(warning.contains("lacks CAP_IPC_LOCK"), warning);
        assertEquals("limit: " + HARD + " " + HARD, line(lines, "limit:"));
    }

    @Test
    void withCapSysResourceTheLimitIsLifted() throws Exception {
        assumeRootWithTools();
        assumeTrue(Privileges.ofThisProcess().has(Privileges.CAP_SYS_RESOURCE),
                "this process has no CAP_SYS_RESOURCE to hand on");
        List<String> lines = run();
        assertEquals("warning: none", line(lines, "warning:"));
        assertEquals("limit: -1 -1", line(lines, "limit:"));
    }
}
