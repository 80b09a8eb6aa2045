package org.scxjavaland.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Exit statuses seen from outside, as scripts see them: the daemon's Main in a JVM of its own (the path through
 * System.exit; libbpf is looked up once per process, so a missing one can only be shown this way) and the launcher
 * bin/scx_javaland, which must say in one line when it finds no JDK 25 or the build is missing.
 */
class ExitStatusProcessTest {
    private static final Path TOP = Path.of("").toAbsolutePath().getParent();

    private record Result(int exit, String out, String err) {
        void assertOneLine(ExitCode code, String expected) {
            String[] lines = err.strip().split("\n");
            assertEquals(1, lines.length, "one line on stderr, got: " + err);
            assertTrue(lines[0].startsWith("scx_javaland: ") && lines[0].contains(expected), lines[0]);
            assertEquals(code.code, exit, err);
        }
    }

    private static Result exec(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("still running after 60 s: " + cmd);
        }
        return new Result(p.exitValue(), out.get(), err.get());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** scx_javaland with {@code jvmArgs}, on this JVM and the test class path. */
    private static Result daemon(List<String> jvmArgs, String... args) throws Exception {
        return exec(TestJvm.command(jvmArgs, Main.class, args), Map.of());
    }

    @Test
    void aMissingLibbpfIsAnInstallationProblem() throws Exception {
        Result r = daemon(List.of("-Dscx_javaland.libbpf=/nonexistent/libbpf.so.1"), "run");
        r.assertOneLine(ExitCode.INSTALLATION, "cannot load libbpf /nonexistent/libbpf.so.1 (system property "
                + "scx_javaland.libbpf)");
    }

    @Test
    void usageAndUnsupportedKernelThroughSystemExit() throws Exception {
        daemon(List.of(), "run", "--slice-us=0").assertOneLine(ExitCode.USAGE, "slices must be positive");
        assumeFalse(Files.isDirectory(Path.of("/sys/kernel/sched_ext")), "this kernel has sched_ext");
        daemon(List.of(), "run").assertOneLine(ExitCode.UNSUPPORTED, "has no sched_ext");
    }

    /** A directory that looks like a JDK of {@code feature} to scripts/find-jdk.sh (release file, bin/java). */
    private static Path fakeJdk(Path dir, int feature) throws IOException {
        Files.createDirectories(dir.resolve("bin"));
        Files.writeString(dir.resolve("release"), "JAVA_VERSION=\"" + feature + ".0.2\"\n");
        Path java = dir.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** A JDK 17: the system's if there is one (/usr/lib/jvm/java-17-*), else a stand-in. */
    private static Path jdk17(Path tmp) throws IOException {
        Path sys = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        return Files.isExecutable(sys.resolve("bin/java")) ? sys : fakeJdk(tmp.resolve("jdk-17"), 17);
    }

    @Test
    void theLauncherWithOnlyAnOldJdkSaysSoInOneLine(@TempDir Path tmp) throws Exception {
        Path old = jdk17(tmp);
        Path jvms = Files.createDirectories(tmp.resolve("jvm"));
        fakeJdk(jvms.resolve("jdk-21"), 21);
        // PATH's java, if any, is the system's default (17 here): what the user has, not a JDK 25
        Path javaOnPath = Path.of("/usr/bin/java").toRealPath();
        assumeFalse(javaOnPath.toString().contains("25"), "the java on PATH is a JDK 25");
        Result r = exec(List.of(TOP.resolve("bin/scx_javaland").toString(), "check"),
                Map.of("JAVA_HOME", old.toString(), "SCX_JAVALAND_JDK_DIRS", jvms.toString(), "PATH", "/usr/bin:/bin"));
        r.assertOneLine(ExitCode.INSTALLATION, "no JDK 25 or newer found (JAVA_HOME=" + old + " is JDK 17; ");
        assertTrue(r.err().contains("; under " + jvms + ": JDK 21): install one, e.g. Temurin 25, and set JAVA_HOME"),
                r.err());
        assertEquals("", r.out());
    }

    @Test
    void findJdkFallsBackFromAnOldJavaHomeToANewerJdk(@TempDir Path tmp) throws Exception {
        Path jvms = Files.createDirectories(tmp.resolve("jvm"));
        fakeJdk(jvms.resolve("jdk-21"), 21);
        Path jdk26 = fakeJdk(jvms.resolve("jdk-26"), 26);
        Result r = exec(List.of(TOP.resolve("scripts/find-jdk.sh").toString()),
                Map.of("JAVA_HOME", jdk17(tmp).toString(), "SCX_JAVALAND_JDK_DIRS", "/nonexistent:" + jvms,
                        "PATH", "/usr/bin:/bin"));
        assertEquals(0, r.exit(), r.err());
        assertEquals(jdk26 + "\n", r.out());
    }

    @Test
    void theLauncherOfAnUnbuiltTreeSaysSoInOneLine(@TempDir Path tmp) throws Exception {
        for (String f : new String[]{"bin/scx_javaland", "scripts/find-jdk.sh"}) {
            Files.createDirectories(tmp.resolve(f).getParent());
            Files.copy(TOP.resolve(f), tmp.resolve(f));
        }
        Result r = exec(List.of(tmp.resolve("bin/scx_javaland").toString(), "check"),
                Map.of("JAVA_HOME", System.getProperty("java.home")));
        r.assertOneLine(ExitCode.INSTALLATION, "not built yet: run 'make build' in " + tmp + " first");
    }
}
