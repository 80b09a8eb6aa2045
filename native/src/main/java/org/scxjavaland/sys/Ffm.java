package org.scxjavaland.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The pieces every FFM binding of ours shares: the native linker, the C library lookup and errno capture.
 * <p>
 * Errno is captured by the linker ({@code captureCallState("errno")}) into a small segment passed as the first
 * argument of the handle. Hot paths own such a segment (one per instance, instances per thread); cold paths use
 * {@link #threadCapture()}, one segment per thread, so no call allocates.
 */
public final class Ffm {
    public static final Linker LINKER = Linker.nativeLinker();
    public static final SymbolLookup LIBC = LINKER.defaultLookup();
    public static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    // Arena.ofAuto: the segment lives as long as the thread's ThreadLocal map references it.
    private static final ThreadLocal<MemorySegment> THREAD_CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private Ffm() {
    }

    /** A new errno capture segment in {@code arena}. */
    public static MemorySegment newCapture(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    /** This thread's errno capture segment (allocated once per thread). */
    public static MemorySegment threadCapture() {
        return THREAD_CAPTURE.get();
    }

    /** The errno a call stored in {@code capture}; meaningful only when the call reported failure. */
    public static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    /** A downcall to a libc function, without errno. */
    public static MethodHandle libc(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(LIBC.findOrThrow(name), fd, options);
    }

    /** A downcall to a libc function whose first argument becomes the errno capture segment. */
    public static MethodHandle libcErrno(String name, FunctionDescriptor fd, Linker.Option... more) {
        return downcallErrno(LIBC.findOrThrow(name), fd, more);
    }

    /** A downcall to {@code symbol} (from any lookup) whose first argument becomes the errno capture segment. */
    public static MethodHandle downcallErrno(MemorySegment symbol, FunctionDescriptor fd, Linker.Option... more) {
        Linker.Option[] all = new Linker.Option[more.length + 1];
        all[0] = CAPTURE_ERRNO;
        System.arraycopy(more, 0, all, 1, more.length);
        return LINKER.downcallHandle(symbol, fd, all);
    }

    /** Rethrows what a downcall threw: invokeExact declares Throwable, but our handles throw only unchecked errors. */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("native call failed", t);
    }
}
