package org.scxjavaland.daemon;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One list of JVM flags, bin/jvm-flags (a JDK argument file), for the daemon and for the build's own JVMs: the
 * launcher passes the file, and this JVM (started by surefire through pom.xml's argLine) got every flag in it. A
 * flag the tests run with cannot then be missing for the user.
 */
class LauncherFlagsTest {
    private static final Path TOP = Path.of("").toAbsolutePath().getParent();

    @Test
    void theLauncherAndTheTestsReadTheSameFlagsFile() throws Exception {
        List<String> flags = new ArrayList<>();
        for (String line : Files.readAllLines(TOP.resolve("bin/jvm-flags"))) {
            String f = line.replaceFirst("#.*", "").strip();
            if (!f.isEmpty()) flags.add(f);
        }
        assertTrue(flags.size() >= 3 && flags.stream().allMatch(f -> f.startsWith("-")), "flags found: " + flags);

        String launcher = Files.readString(TOP.resolve("bin/scx_javaland"));
        assertTrue(launcher.contains("flags+=(\"@$top/bin/jvm-flags\")"), "bin/scx_javaland passes bin/jvm-flags");

        List<String> mine = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> missing = flags.stream().filter(f -> !mine.contains(f)).toList();
        assertTrue(missing.isEmpty(), "this JVM lacks " + missing + " of bin/jvm-flags; it got " + mine);
    }
}
