package org.scxjavaland.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A reusable {@code struct rusage} holder: {@link #read(int)} (or {@link LibC#getrusage}) refreshes the fields
 * without allocating, so the scheduling thread can check its own page faults (RUSAGE_THREAD) on the hot path.
 */
public final class RUsage implements AutoCloseable {
    // x86-64 struct rusage: two struct timeval, then 14 longs.
    private static final long SIZE = 144;
    private static final long UTIME = 0, STIME = 16, MAXRSS = 32, MINFLT = 64, MAJFLT = 72, NVCSW = 120, NIVCSW = 128;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment seg = arena.allocate(SIZE, 8);
    private final MemorySegment capture = Ffm.newCapture(arena);

    /** Minor page faults. */
    public long minflt;
    /** Major page faults (needed I/O). */
    public long majflt;
    /** User CPU time, microseconds. */
    public long utimeMicros;
    /** System CPU time, microseconds. */
    public long stimeMicros;
    /** Peak resident set, KiB. */
    public long maxrssKib;
    public long voluntaryCtxSwitches;
    public long involuntaryCtxSwitches;

    /** Refreshes the fields for {@code who} (LibC.RUSAGE_SELF or LibC.RUSAGE_THREAD); returns this. */
    public RUsage read(int who) {
        int r;
        try {
            r = (int) LibC.GETRUSAGE.invokeExact(capture, who, seg);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
        if (r != 0) throw new ErrnoException("getrusage(" + who + ")", Ffm.errno(capture));
        utimeMicros = seg.get(JAVA_LONG, UTIME) * 1_000_000L + seg.get(JAVA_LONG, UTIME + 8);
        stimeMicros = seg.get(JAVA_LONG, STIME) * 1_000_000L + seg.get(JAVA_LONG, STIME + 8);
        maxrssKib = seg.get(JAVA_LONG, MAXRSS);
        minflt = seg.get(JAVA_LONG, MINFLT);
        majflt = seg.get(JAVA_LONG, MAJFLT);
        voluntaryCtxSwitches = seg.get(JAVA_LONG, NVCSW);
        involuntaryCtxSwitches = seg.get(JAVA_LONG, NIVCSW);
        return this;
    }

    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "RUsage[minflt=" + minflt + ", majflt=" + majflt + ", utime=" + utimeMicros + "us, stime="
                + stimeMicros + "us]";
    }
}
