package org.scxjavaland.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.scxjavaland.core.alloc.ArenaMemory;
import org.scxjavaland.core.alloc.BuddyAllocator;
import org.scxjavaland.sys.ErrnoException;

import java.lang.foreign.Arena;

import java.util.concurrent.TimeUnit;

/**
 * One alloc+free pair on a fragmented arena (see {@link Fragmenter}): the buddy allocator against the first-fit
 * bitmap design scx_rustland started with, same heap size, same request sequence, same run. The buddy allocator
 * works in a locked arena mapped the way the daemon maps it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class AllocatorBenchmark {
    /** 16 MiB: twice what the default policy needs for 32768 tasks. */
    static final long HEAP = 16L << 20;

    @State(Scope.Thread)
    public static class Buddy {
        @Param({"64", "1024"})
        public long size;
        BuddyAllocator alloc;

        @Setup(Level.Trial)
        public void setUp() {
            try {
                alloc = BuddyAllocator.mapLocked(HEAP);
            } catch (ErrnoException e) {
                // not allowed to lock this much (no root, small RLIMIT_MEMLOCK): same code on unlocked memory
                System.err.println("bench: arena not locked (" + e.getMessage() + ")");
                alloc = new BuddyAllocator(ArenaMemory.over(Arena.global().allocate(
                        BuddyAllocator.arenaBytesFor(HEAP), 4096)), HEAP);
            }
            new Fragmenter(HEAP).fragment(alloc::alloc, (off, size) -> {
                alloc.free(off);
                return 0;
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            alloc.arena().close();
        }
    }

    @State(Scope.Thread)
    public static class FirstFit {
        @Param({"64", "1024"})
        public long size;
        FirstFitBitmapAllocator alloc;

        @Setup(Level.Trial)
        public void setUp() {
            alloc = new FirstFitBitmapAllocator(HEAP);
            new Fragmenter(HEAP).fragment(alloc::alloc, (off, size) -> {
                alloc.free(off, size);
                return 0;
            });
        }
    }

    @Benchmark
    public long buddyAllocFree(Buddy s, ThreadCpuClock clock) {
        clock.ops++;
        long b = s.alloc.alloc(s.size);
        s.alloc.free(b);
        return b;
    }

    @Benchmark
    public long firstFitAllocFree(FirstFit s, ThreadCpuClock clock) {
        clock.ops++;
        long b = s.alloc.alloc(s.size);
        s.alloc.free(b, s.size);
        return b;
    }
}
