package org.scxjavaland.daemon;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher (bin/scx_javaland) starts the daemon with every JVM flag the build's own JVMs get
 * ({@code scx.jvm.flags} in pom.xml: tests, benchmarks): a flag missing there works in every test and fails only
 * for the user.
 */
class LauncherFlagsTest {
    @Test
    void theLauncherPassesEveryFlagOfTheBuild() throws Exception {
        Path top = Path.of("").toAbsolutePath().getParent();
        String pom = Files.readString(top.resolve("pom.xml"));
        Matcher m = Pattern.compile("<scx\\.jvm\\.flags>(.*?)</scx\\.jvm\\.flags>").matcher(pom);
        assertTrue(m.find(), "scx.jvm.flags in pom.xml");
        String[] flags = m.group(1).trim().split("\\s+");
        assertTrue(flags.length >= 3, "flags found: " + String.join(" ", flags));

        String launcher = Files.readString(top.resolve("bin/scx_javaland"));
        List<String> missing = new ArrayList<>();
        for (String f : flags) {
            if (!Pattern.compile("(^|[\\s(])" + Pattern.quote(f) + "($|[\\s)])", Pattern.MULTILINE).matcher(launcher).find()) {
                missing.add(f);
            }
        }
        assertTrue(missing.isEmpty(), "bin/scx_javaland lacks " + missing);
    }
}
