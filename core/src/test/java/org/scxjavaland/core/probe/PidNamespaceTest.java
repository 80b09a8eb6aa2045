package org.scxjavaland.core.probe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The namespace test on links shaped as /proc/self/ns/pid presents them; a real namespace: PidNamespaceProcessTest. */
class PidNamespaceTest {
    @TempDir
    Path dir;

    private Optional<String> problemFor(String target) throws IOException {
        Path link = dir.resolve("pid");
        Files.createSymbolicLink(link, Path.of(target));
        return PidNamespace.problem(link);
    }

    @Test
    void theHostsNamespaceIsFine() throws IOException {
        assertEquals("pid:[4026531836]", PidNamespace.INITIAL, "PROC_PID_INIT_INO, 0xEFFFFFFC");
        assertEquals(Optional.empty(), problemFor("pid:[4026531836]"));
    }

    @Test
    void anotherNamespaceIsRefusedInOneLineThatSaysWhatToDo() throws IOException {
        String p = problemFor("pid:[4026532301]").orElseThrow();
        assertFalse(p.contains("\n"), p);
        assertTrue(p.contains("pid namespace of its own (pid:[4026532301], the host's is pid:[4026531836])"), p);
        assertTrue(p.contains("--pid=host"), p);
    }

    @Test
    void nothingToReadRefusesNothing() {
        assertEquals(Optional.empty(), PidNamespace.problem(dir.resolve("missing")));
        assertEquals(Optional.empty(), PidNamespace.problem(dir), "not a link");
    }
}
