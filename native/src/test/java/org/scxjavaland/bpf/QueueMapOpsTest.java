package org.scxjavaland.bpf;

import org.junit.jupiter.api.Test;
import org.scxjavaland.sys.Bpf;
import org.scxjavaland.sys.Errno;
import org.scxjavaland.sys.ErrnoException;
import org.scxjavaland.sys.LibC;
import org.scxjavaland.sys.ThreadAllocation;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Queue pop and push through libbpf on real queue maps: needs root (skipped otherwise). */
class QueueMapOpsTest {
    private static void assumeRoot() {
        assumeTrue(LibC.geteuid() == 0, "needs root");
    }

    @Test
    void pushPopInOrderFullAndEmpty() {
        assumeRoot();
        int fd = Bpf.mapCreate(Bpf.MAP_TYPE_QUEUE, 0, 16, 3, 0, "t_queue");
        try (Arena arena = Arena.ofConfined()) {
            QueueMapOps queues = new QueueMapOps();
            MemorySegment v = arena.allocate(16, 8);
            for (long i = 1; i <= 3; i++) {
                v.set(JAVA_LONG, 0, i);
                v.set(JAVA_LONG, 8, -i);
                assertTrue(queues.push(fd, v, Bpf.BPF_ANY));
            }
            v.set(JAVA_LONG, 0, 99);
            assertFalse(queues.push(fd, v, Bpf.BPF_ANY), "full queue: E2BIG is false");
            for (long i = 1; i <= 3; i++) {
                assertTrue(queues.pop(fd, v));
                assertEquals(i, v.get(JAVA_LONG, 0));
                assertEquals(-i, v.get(JAVA_LONG, 8));
            }
            assertFalse(queues.pop(fd, v), "empty queue: ENOENT is false");
            assertEquals(8, queues.calls());
        } finally {
            LibC.close(fd);
        }
    }

    @Test
    void otherFailuresThrowWithTheirErrno() {
        assumeRoot();
        int fd = Bpf.mapCreate(Bpf.MAP_TYPE_QUEUE, 0, 16, 3, 0, "t_queue");
        LibC.close(fd);
        try (Arena arena = Arena.ofConfined()) {
            QueueMapOps queues = new QueueMapOps();
            MemorySegment v = arena.allocate(16, 8);
            ErrnoException pop = assertThrows(ErrnoException.class, () -> queues.pop(fd, v));
            assertEquals(Errno.EBADF, pop.errno(), pop.getMessage());
            ErrnoException push = assertThrows(ErrnoException.class, () -> queues.push(fd, v, Bpf.BPF_ANY));
            assertEquals(Errno.EBADF, push.errno(), push.getMessage());
        }
    }

    /**
     * The per-record calls allocate nothing before C2 has compiled them (interpreter and C1 code, no escape
     * analysis): the raw bpf() with errno captured made a capture-segment slice per call, about 120 bytes per
     * record in a C1-only fifo daemon (about 480 KB in each window here).
     */
    @Test
    void popAndPushAllocateNothingInAnyTier() {
        assumeRoot();
        int fd = Bpf.mapCreate(Bpf.MAP_TYPE_QUEUE, 0, 16, 1, 0, "t_queue");
        try (Arena arena = Arena.ofConfined()) {
            QueueMapOps queues = new QueueMapOps();
            MemorySegment v = arena.allocate(16, 8);
            // links the call sites; the method handles customise themselves after 127 calls (a class spun, once)
            cycle(queues, fd, v, 1_000);
            long least = ThreadAllocation.leastOf(3, () -> cycle(queues, fd, v, 1_000));
            assertTrue(least < 2_000,
                    "1,000 rounds of push, full push, pop and empty pop allocated " + least + " bytes (the least of 3 windows)");
        } finally {
            LibC.close(fd);
        }
    }

    /** Both outcomes of both calls, {@code n} times: push, push into the full queue, pop, pop from the empty one. */
    private static void cycle(QueueMapOps queues, int fd, MemorySegment v, int n) {
        for (int i = 0; i < n; i++) {
            if (!queues.push(fd, v, Bpf.BPF_ANY) || queues.push(fd, v, Bpf.BPF_ANY)
                    || !queues.pop(fd, v) || queues.pop(fd, v)) {
                throw new AssertionError("a one-entry queue did not fill and empty as expected at round " + i);
            }
        }
    }
}
