package org.scxjavaland.daemon.ab;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scxjavaland.core.testing.BpfTestSupport;
import org.scxjavaland.sys.Bpf;
import org.scxjavaland.sys.LibC;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The syscall counter of {@code ab} (syscount.bpf.c) on the host kernel, as root: this JVM makes a known number of
 * getppid() and bpf() calls through FFM, and the counter must see them within what the JVM's other threads (GC,
 * JIT, the test runner) add; calls of a process that is not the target are not counted.
 */
class SyscallCounterHostTest {
    private static final MethodHandle GETPPID = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().findOrThrow("getppid"), FunctionDescriptor.of(JAVA_INT));
    /** What the JVM's other threads may add during a loop of the test: futexes, timers, madvise, a few thousand. */
    private static final long SLACK = 20_000;
    private static SyscallCounter counter;

    @BeforeAll
    static void open() {
        BpfTestSupport.assumeBpf();
        counter = SyscallCounter.open();
    }

    @AfterAll
    static void close() {
        if (counter != null) counter.close();
    }

    @Test
    void countsThisProcessesGetppidAndBpfCallsApart() throws Throwable {
        counter.target(LibC.getpid());
        getppid(1000); // links the call site, so the measured loop is the calls alone

        int n = 200_000;
        SyscallCounter.Counts before = counter.read();
        getppid(n);
        SyscallCounter.Counts d = counter.read().minus(before);
        assertTrue(d.syscalls() >= n && d.syscalls() <= n + SLACK, "getppid x" + n + ": counted " + d);
        assertTrue(d.bpf() == 0, "no bpf() call was made, counted " + d.bpf());

        int m = 20_000;
        int fd = Bpf.mapCreate(Bpf.MAP_TYPE_ARRAY, 4, 8, 1, 0, "jl_syscount_t");
        try (Arena a = Arena.ofConfined()) {
            Bpf bpf = new Bpf();
            MemorySegment key = a.allocate(4), value = a.allocate(8);
            bpf.lookup(fd, key, value);
            long calls0 = bpf.calls();
            before = counter.read();
            for (int i = 0; i < m; i++) bpf.lookup(fd, key, value);
            d = counter.read().minus(before);
            long made = bpf.calls() - calls0;
            assertTrue(made == m, "the Bpf wrapper made " + made + " calls");
            assertTrue(d.bpf() == m, "bpf() x" + m + ": counted " + d.bpf());
            assertTrue(d.syscalls() >= m && d.syscalls() <= m + SLACK, "all syscalls: counted " + d.syscalls());
        } finally {
            LibC.close(fd);
        }
    }

    @Test
    void otherProcessesAreNotCounted() throws Throwable {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            // Past its start-up (the dynamic loader's ~100 calls): from then on it sits in one nanosleep.
            Thread.sleep(500);
            counter.target(sleeper.pid());
            SyscallCounter.Counts before = counter.read();
            getppid(100_000);
            SyscallCounter.Counts d = counter.read().minus(before);
            assertTrue(d.syscalls() < 100, "a sleeping process made " + d.syscalls() + " syscalls?");
        } finally {
            counter.target(0);
            sleeper.destroy();
        }
    }

    private static void getppid(int n) throws Throwable {
        for (int i = 0; i < n; i++) {
            int p = (int) GETPPID.invokeExact();
            if (p <= 0) throw new AssertionError("getppid " + p);
        }
    }
}
