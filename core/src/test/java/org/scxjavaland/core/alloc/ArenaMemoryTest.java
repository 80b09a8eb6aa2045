package org.scxjavaland.core.alloc;

import org.junit.jupiter.api.Test;
import org.scxjavaland.sys.ErrnoException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The locked arena, checked where the kernel reports it: this mapping's Rss and Locked lines in /proc/self/smaps. */
class ArenaMemoryTest {
    private static final long SIZE = 8L << 20;

    @Test
    void mappedArenaIsResidentAndLockedBeforeFirstUse() throws IOException {
        ArenaMemory m;
        try {
            m = ArenaMemory.mapLocked(SIZE);
        } catch (ErrnoException e) {
            // a user without CAP_IPC_LOCK and a small RLIMIT_MEMLOCK: nothing to check here
            assumeTrue(false, "cannot lock " + SIZE + " bytes: " + e.getMessage());
            return;
        }
        try (m) {
            assertTrue(m.locked());
            assertEquals(SIZE, m.size());
            long[] rssAndLocked = smapsKb(m.segment().address());
            assertEquals(SIZE / 1024, rssAndLocked[0], "Rss kB of the arena");
            assertEquals(SIZE / 1024, rssAndLocked[1], "Locked kB of the arena");
            // the typed view reaches the whole mapping
            m.bytes().writeLong(SIZE - 8, 0x1234_5678_9abcL);
            assertEquals(0x1234_5678_9abcL, m.segment().get(java.lang.foreign.ValueLayout.JAVA_LONG, SIZE - 8));
        }
    }

    private static long[] smapsKb(long address) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        String start = Long.toHexString(address);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.startsWith(start + "-")) continue;
            long rss = -1, locked = -1;
            for (int j = i + 1; j < lines.size() && !lines.get(j).matches("^[0-9a-f]+-[0-9a-f]+ .*"); j++) {
                String f = lines.get(j);
                if (f.startsWith("Rss:")) rss = kb(f);
                if (f.startsWith("Locked:")) locked = kb(f);
            }
            return new long[]{rss, locked};
        }
        throw new AssertionError("no mapping at 0x" + start + " in /proc/self/smaps");
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
