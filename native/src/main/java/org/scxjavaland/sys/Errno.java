package org.scxjavaland.sys;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/** Linux errno numbers we test for, and their symbolic names and descriptions (from glibc, thread-safe). */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ENOSYS = 38;
    public static final int ENOTSUPP = 524; // kernel-internal, but bpf() leaks it to user space

    // glibc >= 2.32: both return static strings, unlike strerror(), so they are safe from any thread.
    private static final MethodHandle NAME = optional("strerrorname_np");
    private static final MethodHandle DESC = optional("strerrordesc_np");

    private Errno() {
    }

    /** "EPERM" for 1; "errno 1234" when the C library does not know the number. */
    public static String name(int errno) {
        if (errno == ENOTSUPP) return "ENOTSUPP";
        String s = call(NAME, errno);
        return s != null ? s : "errno " + errno;
    }

    /** "Operation not permitted" for 1. */
    public static String description(int errno) {
        if (errno == ENOTSUPP) return "Operation is not supported";
        String s = call(DESC, errno);
        return s != null ? s : "unknown error";
    }

    private static String call(MethodHandle h, int errno) {
        if (h == null) return null;
        try {
            MemorySegment p = (MemorySegment) h.invokeExact(errno);
            return p.equals(MemorySegment.NULL) ? null : p.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return null;
        }
    }

    private static MethodHandle optional(String symbol) {
        return Ffm.LIBC.find(symbol)
                .map(s -> Ffm.LINKER.downcallHandle(s, FunctionDescriptor.of(ADDRESS, JAVA_INT)))
                .orElse(null);
    }
}
