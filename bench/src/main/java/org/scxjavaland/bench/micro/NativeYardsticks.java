package org.scxjavaland.bench.micro;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * bench/native's libjlmicrobench.so: the C consumers and libbpf's user-ring producer. The C side times itself (see
 * jl_microbench.c), so the FFM call, once per batch, is charged to nobody.
 */
final class NativeYardsticks {
    /** Where the library is: -Dscx_javaland.microbench.lib, else bench/target/native (from the repo or bench/). */
    static final String LIB_PROPERTY = "scx_javaland.microbench.lib";
    private static final String LIB = "libjlmicrobench.so";

    /** struct jlmb_result: records, checksum, wall_ns, cpu_ns. */
    record Result(int err, long records, long checksum, long wallNs, long cpuNs) {
    }

    private final MethodHandle mmapOpen, mmapDrain, mmapClose;
    private final MethodHandle libbpfOpen, libbpfDrain, libbpfClose;
    private final MethodHandle urbOpen, urbProduce, urbClose;
    private final MemorySegment result;

    NativeYardsticks(Arena arena) {
        Path lib = locate();
        SymbolLookup syms = SymbolLookup.libraryLookup(lib, arena);
        Linker l = Linker.nativeLinker();
        FunctionDescriptor drain = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS);
        FunctionDescriptor close = FunctionDescriptor.ofVoid(ADDRESS);
        mmapOpen = l.downcallHandle(find(syms, "jlmb_mmap_open"), FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_LONG));
        mmapDrain = l.downcallHandle(find(syms, "jlmb_mmap_drain"), drain);
        mmapClose = l.downcallHandle(find(syms, "jlmb_mmap_close"), close);
        libbpfOpen = l.downcallHandle(find(syms, "jlmb_libbpf_open"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
        libbpfDrain = l.downcallHandle(find(syms, "jlmb_libbpf_drain"), drain);
        libbpfClose = l.downcallHandle(find(syms, "jlmb_libbpf_close"), close);
        urbOpen = l.downcallHandle(find(syms, "jlmb_urb_open"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
        urbProduce = l.downcallHandle(find(syms, "jlmb_urb_produce"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS));
        urbClose = l.downcallHandle(find(syms, "jlmb_urb_close"), close);
        result = arena.allocate(4 * 8L, 8);
    }

    static Path locate() {
        String p = System.getProperty(LIB_PROPERTY);
        if (p != null) return Path.of(p);
        for (Path c : new Path[]{Path.of("bench/target/native", LIB), Path.of("target/native", LIB)}) {
            if (Files.isRegularFile(c)) return c.toAbsolutePath();
        }
        throw new IllegalStateException(LIB + " not found under bench/target/native or target/native (built by"
                + " bench's Maven build, make -C bench/native); or set -D" + LIB_PROPERTY);
    }

    private static MemorySegment find(SymbolLookup syms, String name) {
        return syms.find(name).orElseThrow(() -> new IllegalStateException("no " + name + " in " + LIB));
    }

    MemorySegment mmapOpen(int fd, long size) {
        return open(mmapOpen, "our C mmap consumer", fd, size);
    }

    Result mmapDrain(MemorySegment h, long want) {
        return call(mmapDrain, h, want);
    }

    void mmapClose(MemorySegment h) {
        close(mmapClose, h);
    }

    MemorySegment libbpfOpen(int fd) {
        return open(libbpfOpen, "ring_buffer__new", fd, -1);
    }

    Result libbpfDrain(MemorySegment h, long want) {
        return call(libbpfDrain, h, want);
    }

    void libbpfClose(MemorySegment h) {
        close(libbpfClose, h);
    }

    MemorySegment urbOpen(int fd) {
        return open(urbOpen, "user_ring_buffer__new", fd, -1);
    }

    Result urbProduce(MemorySegment h, long count, long firstPid, long sliceNs) {
        try {
            int err = (int) urbProduce.invokeExact(h, count, firstPid, sliceNs, result);
            return read(err);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void urbClose(MemorySegment h) {
        close(urbClose, h);
    }

    private MemorySegment open(MethodHandle mh, String what, int fd, long size) {
        MemorySegment h;
        try {
            h = size >= 0 ? (MemorySegment) mh.invokeExact(fd, size) : (MemorySegment) mh.invokeExact(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (h.equals(MemorySegment.NULL)) throw new IllegalStateException(what + " failed on map fd " + fd);
        return h;
    }

    private Result call(MethodHandle mh, MemorySegment h, long want) {
        try {
            int err = (int) mh.invokeExact(h, want, result);
            return read(err);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private Result read(int err) {
        return new Result(err, result.get(JAVA_LONG, 0), result.get(JAVA_LONG, 8), result.get(JAVA_LONG, 16),
                result.get(JAVA_LONG, 24));
    }

    private static void close(MethodHandle mh, MemorySegment h) {
        try {
            mh.invokeExact(h);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
