package org.scxjavaland.sys;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LibC calls that need neither root nor BPF. */
class LibCTest {

    @Test
    void pidAndTid() {
        assertEquals(ProcessHandle.current().pid(), LibC.getpid());
        int tid = LibC.gettid();
        assertTrue(tid > 0);
        int[] other = new int[1];
        Thread t = Thread.ofPlatform().start(() -> other[0] = LibC.gettid());
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertTrue(other[0] > 0 && other[0] != tid, "another thread has another tid");
    }

    @Test
    void memfdMappedTwiceShowsTheSameBytes() {
        long size = LibC.pageSize() * 4L;
        int fd = LibC.memfdCreate("libc-test", LibC.MFD_CLOEXEC);
        try {
            LibC.ftruncate(fd, size);
            MemorySegment a = LibC.mmap(size, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
            MemorySegment b = LibC.mmap(size, LibC.PROT_READ, LibC.MAP_SHARED, fd, 0);
            assertEquals(size, a.byteSize());
            a.set(JAVA_LONG, size - 8, 0x1234_5678_9abcL);
            assertEquals(0x1234_5678_9abcL, b.get(JAVA_LONG, size - 8));
            LibC.madvise(a, LibC.MADV_WILLNEED);
            LibC.munmap(a);
            LibC.munmap(b);
        } finally {
            LibC.close(fd);
        }
    }

    @Test
    void signalSetsTheDispositionAndReturnsThePreviousOne() throws Exception {
        // SIGWINCH: default action "ignore", and the JVM installs nothing for it
        long before = LibC.signal(LibC.SIGWINCH, LibC.SIG_IGN);
        try {
            assertEquals(LibC.SIG_DFL, before);
            assertTrue(sigIgn().testBit(LibC.SIGWINCH - 1), "SigIgn in /proc/self/status has SIGWINCH");
            assertEquals(LibC.SIG_IGN, LibC.signal(LibC.SIGWINCH, LibC.SIG_DFL));
            assertTrue(!sigIgn().testBit(LibC.SIGWINCH - 1), "SIGWINCH no longer ignored");
        } finally {
            LibC.signal(LibC.SIGWINCH, before);
        }
        ErrnoException e = assertThrows(ErrnoException.class, () -> LibC.signal(65, LibC.SIG_DFL));
        assertEquals(Errno.EINVAL, e.errno());
    }

    private static java.math.BigInteger sigIgn() throws java.io.IOException {
        String line = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("SigIgn:")).findFirst().orElseThrow();
        return new java.math.BigInteger(line.substring(7).trim(), 16);
    }

    @Test
    void failuresNameTheCallAndTheErrno() {
        ErrnoException e = assertThrows(ErrnoException.class, () -> LibC.close(-5));
        assertEquals(Errno.EBADF, e.errno());
        assertEquals("EBADF", e.errnoName());
        assertEquals("close(-5) failed: EBADF (Bad file descriptor)", e.getMessage());
        ErrnoException m = assertThrows(ErrnoException.class,
                () -> LibC.mmap(4096, LibC.PROT_READ, LibC.MAP_SHARED, -1, 0));
        assertEquals(Errno.EBADF, m.errno());
        assertTrue(m.getMessage().startsWith("mmap(len=4096"), m.getMessage());
    }

    @Test
    void epollSeesAnEventfd() {
        int ep = LibC.epollCreate1(LibC.EPOLL_CLOEXEC);
        int efd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        try (EpollEvents events = new EpollEvents(4)) {
            LibC.epollCtl(ep, LibC.EPOLL_CTL_ADD, efd, LibC.EPOLLIN, 0x1_0000_0007L);
            assertEquals(0, LibC.epollWait(ep, events, 0), "nothing written yet");
            assertEquals(0, LibC.eventfdRead(efd), "non-blocking read of an empty eventfd");
            LibC.eventfdWrite(efd, 3);
            assertEquals(1, LibC.epollWait(ep, events, 1000));
            assertEquals(LibC.EPOLLIN, events.events(0) & LibC.EPOLLIN);
            assertEquals(0x1_0000_0007L, events.data(0), "the unaligned 64-bit data field survives");
            assertEquals(3, LibC.eventfdRead(efd));
            assertEquals(0, LibC.epollWait(ep, events, 0), "drained");
        } finally {
            LibC.close(efd);
            LibC.close(ep);
        }
    }

    /**
     * The wait allocates nothing before C2 has compiled it: these calls run in the interpreter and C1 code, where no
     * escape analysis removes a per-call object. With errno captured on every call, the linker's slice of the
     * capture segment made about 40 bytes per call here.
     */
    @Test
    void epollWaitAllocatesNothingInAnyTier() {
        int ep = LibC.epollCreate1(LibC.EPOLL_CLOEXEC);
        try (EpollEvents events = new EpollEvents(4)) {
            // links the call site, and the method handles customise themselves after 127 calls (a class spun, once)
            for (int i = 0; i < 1_000; i++) LibC.epollWait(ep, events, 0);
            long bytes = ThreadAllocation.leastOf(3, () -> {
                for (int i = 0; i < 2_000; i++) LibC.epollWait(ep, events, 0);
            });
            assertTrue(bytes < 2_000, "2,000 waits allocated " + bytes + " bytes (the least of 3 windows)");
        } finally {
            LibC.close(ep);
        }
    }

    @Test
    void aFailedEpollWaitReportsItsErrno() {
        int ep = LibC.epollCreate1(LibC.EPOLL_CLOEXEC);
        LibC.close(ep);
        try (EpollEvents events = new EpollEvents(1)) {
            ErrnoException e = assertThrows(ErrnoException.class, () -> LibC.epollWait(ep, events, 0));
            assertEquals(Errno.EBADF, e.errno(), e.getMessage());
        }
    }

    /** What the first call of an interrupted wait leaves: the repeat returns what is ready, not 0. */
    @Test
    void theRepeatAfterATransientFailureReturnsTheReadyEvents() {
        int ep = LibC.epollCreate1(LibC.EPOLL_CLOEXEC);
        int efd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        try (EpollEvents events = new EpollEvents(4)) {
            LibC.epollCtl(ep, LibC.EPOLL_CTL_ADD, efd, LibC.EPOLLIN, 7);
            assertEquals(0, LibC.epollWaitFailed(ep, events));
            LibC.eventfdWrite(efd, 1);
            assertEquals(1, LibC.epollWaitFailed(ep, events));
            assertEquals(7, events.data(0));
        } finally {
            LibC.close(efd);
            LibC.close(ep);
        }
    }

    @Test
    void rusageOfThisThreadCountsFaults() {
        try (RUsage ru = new RUsage()) {
            ru.read(LibC.RUSAGE_THREAD);
            long before = ru.minflt;
            long size = LibC.pageSize() * 64L;
            MemorySegment m = LibC.mmap(size, LibC.PROT_READ | LibC.PROT_WRITE,
                    LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0);
            for (long off = 0; off < size; off += LibC.pageSize()) m.set(JAVA_LONG, off, off);
            LibC.munmap(m);
            ru.read(LibC.RUSAGE_THREAD);
            assertTrue(ru.minflt >= before + 64, "touching 64 fresh pages faults each: " + before + " -> " + ru.minflt);
            assertTrue(ru.utimeMicros + ru.stimeMicros >= 0);
        }
    }

    @Test
    void rlimitRoundTrip() {
        LibC.RLimit lim = LibC.getrlimit(LibC.RLIMIT_MEMLOCK);
        // setting the same values is always permitted
        LibC.setrlimit(LibC.RLIMIT_MEMLOCK, lim.current(), lim.max());
        assertEquals(lim, LibC.getrlimit(LibC.RLIMIT_MEMLOCK));
    }

    @Test
    void mlockOfASmallRegion() {
        long size = LibC.pageSize();
        MemorySegment m = LibC.mmap(size, LibC.PROT_READ | LibC.PROT_WRITE,
                LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0);
        try {
            LibC.mlock(m); // one page fits even the default 8 MiB unprivileged limit
            LibC.munlock(m);
        } finally {
            LibC.munmap(m);
        }
    }

    /**
     * What ProcessHygiene relies on to keep khugepaged away from the daemon: the flag reads back through prctl and the
     * kernel's own view, /proc/self/status (THP_enabled). Set on this test JVM, which it costs nothing.
     */
    @Test
    void thpDisableTakesThisProcessOutOfTransparentHugePages() throws Exception {
        LibC.prctl(LibC.PR_SET_THP_DISABLE, 1);
        assertEquals(1, LibC.prctl(LibC.PR_GET_THP_DISABLE, 0));
        String status = Files.readString(Path.of("/proc/self/status"));
        assertTrue(status.contains("THP_enabled:\t0"), "THP_enabled in /proc/self/status: " + status);
    }

    @Test
    void schedulerOfThisThreadAndClocks() {
        assertEquals(LibC.SCHED_OTHER, LibC.schedGetscheduler(0));
        LibC.schedSetscheduler(0, LibC.SCHED_OTHER, 0);
        LibC.schedYield();
        long a = LibC.clockGettimeNanos(LibC.CLOCK_MONOTONIC);
        long b = LibC.clockGettimeNanos(LibC.CLOCK_MONOTONIC);
        assertTrue(a > 0 && b >= a);
        ErrnoException e = assertThrows(ErrnoException.class, () -> LibC.schedSetscheduler(0, 4242, 0));
        assertEquals(Errno.EINVAL, e.errno());
    }

    @Test
    void unameIsLinux() {
        LibC.Uname u = LibC.uname();
        assertEquals("Linux", u.sysname());
        assertEquals("x86_64", u.machine());
        assertEquals(System.getProperty("os.version"), u.release());
    }
}
