package org.scxjavaland.daemon;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.probe.Privileges;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * check in a real pid namespace of its own ({@code unshare --pid --fork --mount-proc}, as root): run is said not to
 * work there, for that reason; and the same command outside one does not say it. The VM end-to-end suite checks that
 * run itself refuses there on a sched_ext kernel (exit 3, nothing attached).
 */
class PidNamespaceProcessTest {
    private static final String REASON = "pid namespace of its own";

    private static String checkJson(boolean ownNamespace) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (ownNamespace) cmd.addAll(List.of("unshare", "--pid", "--fork", "--mount-proc"));
        cmd.addAll(TestJvm.command(List.of(), Main.class, "check", "--json"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "check finished within 60 s");
        String text = out.get();
        if (ownNamespace) assertEquals(CheckCommand.EXIT_NOT_RUNNABLE, p.exitValue(), text);
        return text;
    }

    @Test
    void checkSaysRunCannotWorkInAPidNamespaceOfItsOwn() throws Exception {
        assumeTrue(Privileges.ofThisProcess().euid() == 0, "unshare --pid needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "util-linux's unshare");
        assertFalse(checkJson(false).contains(REASON), "not said in the host's namespace");
        String inside = checkJson(true);
        assertTrue(inside.contains(REASON), inside);
        assertTrue(inside.contains("--pid=host"), inside);
    }
}
