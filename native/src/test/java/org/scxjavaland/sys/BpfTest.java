package org.scxjavaland.sys;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** bpf(2) on real maps: needs root (skipped otherwise), except the check of the unprivileged error message. */
class BpfTest {
    private static boolean root() {
        return LibC.geteuid() == 0;
    }

    @Test
    void unprivilegedMapCreationSaysEperm() {
        assumeTrue(!root(), "runs only without root");
        ErrnoException e = assertThrows(ErrnoException.class,
                () -> Bpf.mapCreate(Bpf.MAP_TYPE_RINGBUF, 0, 0, 4096, 0, "probe"));
        assertEquals(Errno.EPERM, e.errno());
        assertTrue(e.getMessage().startsWith("bpf(BPF_MAP_CREATE, RINGBUF) failed: EPERM (Operation not permitted)"),
                e.getMessage());
    }

    /** The kernel's EINVAL for a ring size it refuses, with the hint every probe shares (Bpf.mapCreateHint). */
    @Test
    void aRingTheKernelRefusesSaysWhatTheTypeNeeds() {
        assumeTrue(root(), "needs root");
        int page = LibC.pageSize();
        ErrnoException rb = assertThrows(ErrnoException.class,
                () -> Bpf.mapCreate(Bpf.MAP_TYPE_RINGBUF, 0, 0, 3 * page, 0, "probe"));
        assertEquals("bpf(BPF_MAP_CREATE, RINGBUF) failed: EINVAL (Invalid argument): RINGBUF maps need Linux 5.8+ "
                + "and a power-of-two number of pages", rb.getMessage());
        ErrnoException urb = assertThrows(ErrnoException.class,
                () -> Bpf.mapCreate(Bpf.MAP_TYPE_USER_RINGBUF, 0, 0, page + 8, 0, "probe"));
        assertTrue(urb.getMessage().endsWith(": USER_RINGBUF maps need Linux 6.1+ and a power-of-two number of pages"),
                urb.getMessage());
        ErrnoException q = assertThrows(ErrnoException.class,
                () -> Bpf.mapCreate(Bpf.MAP_TYPE_QUEUE, 4, 8, 2, 0, "probe"));   // a queue takes no key
        assertEquals("bpf(BPF_MAP_CREATE, QUEUE) failed: EINVAL (Invalid argument)", q.getMessage());
    }

    @Test
    void ringbufAndUserRingbufAreCreatedAndDescribed() {
        assumeTrue(root(), "needs root");
        int page = LibC.pageSize();
        for (int type : new int[] {Bpf.MAP_TYPE_RINGBUF, Bpf.MAP_TYPE_USER_RINGBUF}) {
            String name = "t_" + Bpf.mapTypeName(type).toLowerCase();
            int fd = Bpf.mapCreate(type, 0, 0, 4 * page, 0, name);
            try {
                Bpf.MapInfo info = Bpf.mapInfo(fd);
                assertEquals(type, info.type());
                assertEquals(4 * page, info.maxEntries());
                assertEquals(name, info.name());
            } finally {
                LibC.close(fd);
            }
        }
    }

    @Test
    void badRingSizeIsEinvalWithTheMapType() {
        assumeTrue(root(), "needs root");
        ErrnoException e = assertThrows(ErrnoException.class,
                () -> Bpf.mapCreate(Bpf.MAP_TYPE_RINGBUF, 0, 0, 12345, 0, null));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().startsWith("bpf(BPF_MAP_CREATE, RINGBUF) failed: EINVAL (Invalid argument)"),
                e.getMessage());
    }

    @Test
    void ringbufIsMappableAsLibbpfDoes() {
        assumeTrue(root(), "needs root");
        int page = LibC.pageSize();
        long size = 4L * page;
        int fd = Bpf.mapCreate(Bpf.MAP_TYPE_RINGBUF, 0, 0, (int) size, 0, "t_rb_mmap");
        try {
            MemorySegment cons = LibC.mmap(page, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
            MemorySegment prod = LibC.mmap(page + 2 * size, LibC.PROT_READ, LibC.MAP_SHARED, fd, page);
            assertEquals(0L, cons.get(JAVA_LONG, 0));
            assertEquals(0L, prod.get(JAVA_LONG, 0));
            ErrnoException e = assertThrows(ErrnoException.class, () -> LibC.mmap(page + 2 * size,
                    LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, page));
            assertEquals(Errno.EPERM, e.errno(), "the kernel keeps the producer side read-only");
            LibC.munmap(cons);
            LibC.munmap(prod);
        } finally {
            LibC.close(fd);
        }
    }
}
