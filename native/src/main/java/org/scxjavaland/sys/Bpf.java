package org.scxjavaland.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The raw bpf(2) system call (x86-64 syscall 321), without libbpf.
 * <p>
 * Static methods are for set-up paths (map creation, map info). The repeated operations (element lookup and
 * update, test runs) are instance methods: an instance owns its {@code union bpf_attr} and errno capture segments,
 * so a call allocates nothing once C2 has compiled it with FFM's checkNative inlined; in C1 code the linker's slice
 * of the capture segment allocates per call, so the fifo transport's per-record pop and push are not here but in
 * {@code org.scxjavaland.bpf.QueueMapOps} (libbpf's calls, which return -errno). An instance is used by one
 * thread at a time; give each thread its own.
 */
public final class Bpf implements AutoCloseable {
    public static final int BPF_MAP_CREATE = 0;
    public static final int BPF_MAP_LOOKUP_ELEM = 1;
    public static final int BPF_MAP_UPDATE_ELEM = 2;
    public static final int BPF_PROG_TEST_RUN = 10;
    public static final int BPF_OBJ_GET_INFO_BY_FD = 15;
    public static final int BPF_MAP_LOOKUP_AND_DELETE_ELEM = 21;

    public static final int MAP_TYPE_HASH = 1;
    public static final int MAP_TYPE_ARRAY = 2;
    public static final int MAP_TYPE_QUEUE = 22;
    public static final int MAP_TYPE_RINGBUF = 27;
    public static final int MAP_TYPE_USER_RINGBUF = 31;

    public static final long BPF_ANY = 0, BPF_EXIST = 2;

    private static final long SYS_BPF = 321;
    // Larger than any attr we fill; the kernel accepts a shorter size than its own union and zero-fills the rest.
    private static final long ATTR_SIZE = 128;
    private static final long MAP_INFO_SIZE = 88;
    private static final int OBJ_NAME_LEN = 16;

    private static final MethodHandle SYSCALL3 = Ffm.LINKER.downcallHandle(Ffm.LIBC.findOrThrow("syscall"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

    private final Arena arena = Arena.ofShared();
    private final MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
    private final MemorySegment capture = Ffm.newCapture(arena);
    private final long attrAddress = attr.address();
    private long calls;

    /** A per-thread instance for hot paths; see the class comment. */
    public Bpf() {
    }

    /** bpf() calls made through this instance (for transport counters). */
    public long calls() {
        return calls;
    }

    // ---- repeated operations --------------------------------------------------------------------------------

    /** Element lookup; returns false when the key is absent (ENOENT). */
    public boolean lookup(int mapFd, MemorySegment key, MemorySegment value) {
        elemAttr(mapFd, key.address(), value.address(), 0L);
        long r = invoke(BPF_MAP_LOOKUP_ELEM);
        if (r >= 0) return true;
        int e = Ffm.errno(capture);
        if (e == Errno.ENOENT) return false;
        throw new ErrnoException("bpf(BPF_MAP_LOOKUP_ELEM, fd " + mapFd + ")", e);
    }

    public void update(int mapFd, MemorySegment key, MemorySegment value, long flags) {
        elemAttr(mapFd, key.address(), value.address(), flags);
        if (invoke(BPF_MAP_UPDATE_ELEM) < 0) {
            throw new ErrnoException("bpf(BPF_MAP_UPDATE_ELEM, fd " + mapFd + ")", Ffm.errno(capture));
        }
    }

    /**
     * BPF_PROG_TEST_RUN with a context only (what SEC("syscall") programs take; the kernel copies the context
     * back into {@code ctxIn} after the run). {@code ctxOut} may be {@link MemorySegment#NULL}; syscall programs
     * require it to be. Returns the program's return value.
     */
    public int progTestRun(int progFd, MemorySegment ctxIn, MemorySegment ctxOut) {
        attr.fill((byte) 0);
        attr.set(JAVA_INT, 0, progFd);
        if (ctxIn.address() != 0) {
            attr.set(JAVA_INT, 40, (int) ctxIn.byteSize());
            attr.set(JAVA_LONG, 48, ctxIn.address());
        }
        if (ctxOut.address() != 0) {
            attr.set(JAVA_INT, 44, (int) ctxOut.byteSize());
            attr.set(JAVA_LONG, 56, ctxOut.address());
        }
        if (invoke(BPF_PROG_TEST_RUN) < 0) {
            throw new ErrnoException("bpf(BPF_PROG_TEST_RUN, prog fd " + progFd + ")", Ffm.errno(capture));
        }
        return attr.get(JAVA_INT, 4);
    }

    private void elemAttr(int mapFd, long key, long value, long flags) {
        // map_fd u32 @0, key u64 @8, value u64 @16, flags u64 @24; nothing else is read for these commands
        attr.set(JAVA_LONG, 0, mapFd & 0xffff_ffffL);
        attr.set(JAVA_LONG, 8, key);
        attr.set(JAVA_LONG, 16, value);
        attr.set(JAVA_LONG, 24, flags);
    }

    private long invoke(int cmd) {
        calls++;
        try {
            return (long) SYSCALL3.invokeExact(capture, SYS_BPF, (long) cmd, attrAddress, ATTR_SIZE);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public void close() {
        arena.close();
    }

    // ---- set-up paths ---------------------------------------------------------------------------------------

    /**
     * BPF_MAP_CREATE. Returns the new map's fd. {@code name} (may be null) is truncated to 15 bytes.
     * Failures name the map type, e.g. {@code bpf(BPF_MAP_CREATE, RINGBUF) failed: EPERM (Operation not permitted)}.
     */
    public static int mapCreate(int mapType, int keySize, int valueSize, int maxEntries, int flags, String name) {
        MemorySegment cap = Ffm.threadCapture();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment at = a.allocate(ATTR_SIZE, 8);
            at.set(JAVA_INT, 0, mapType);
            at.set(JAVA_INT, 4, keySize);
            at.set(JAVA_INT, 8, valueSize);
            at.set(JAVA_INT, 12, maxEntries);
            at.set(JAVA_INT, 16, flags);
            if (name != null) {
                byte[] b = name.getBytes(StandardCharsets.US_ASCII);
                MemorySegment.copy(b, 0, at, JAVA_BYTE, 28, Math.min(b.length, OBJ_NAME_LEN - 1));
            }
            long fd = syscall(cap, BPF_MAP_CREATE, at);
            if (fd < 0) {
                int e = Ffm.errno(cap);
                throw new ErrnoException("bpf(BPF_MAP_CREATE, " + mapTypeName(mapType) + ")", e,
                        mapCreateHint(mapType, e));
            }
            return (int) fd;
        }
    }

    /** What the kernel says about a map (BPF_OBJ_GET_INFO_BY_FD). */
    public record MapInfo(int type, int id, int keySize, int valueSize, int maxEntries, int flags, String name) {
        public String typeName() {
            return mapTypeName(type);
        }
    }

    public static MapInfo mapInfo(int mapFd) {
        MemorySegment cap = Ffm.threadCapture();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment info = a.allocate(MAP_INFO_SIZE, 8);
            MemorySegment at = a.allocate(ATTR_SIZE, 8);
            at.set(JAVA_INT, 0, mapFd);
            at.set(JAVA_INT, 4, (int) MAP_INFO_SIZE);
            at.set(JAVA_LONG, 8, info.address());
            if (syscall(cap, BPF_OBJ_GET_INFO_BY_FD, at) < 0) {
                throw new ErrnoException("bpf(BPF_OBJ_GET_INFO_BY_FD, map fd " + mapFd + ")", Ffm.errno(cap));
            }
            return new MapInfo(info.get(JAVA_INT, 0), info.get(JAVA_INT, 4), info.get(JAVA_INT, 8),
                    info.get(JAVA_INT, 12), info.get(JAVA_INT, 16), info.get(JAVA_INT, 20),
                    info.asSlice(24, OBJ_NAME_LEN).getString(0));
        }
    }

    public static String mapTypeName(int type) {
        return switch (type) {
            case MAP_TYPE_HASH -> "HASH";
            case MAP_TYPE_ARRAY -> "ARRAY";
            case MAP_TYPE_QUEUE -> "QUEUE";
            case MAP_TYPE_RINGBUF -> "RINGBUF";
            case MAP_TYPE_USER_RINGBUF -> "USER_RINGBUF";
            default -> "map type " + type;
        };
    }

    /**
     * What to do about a map the kernel would not create: the project's one table of such hints, so that every
     * probe says the same. EINVAL for a ring type means a kernel from before the type or a size the type refuses;
     * the probes ask for one page, so there it is the kernel.
     */
    static String mapCreateHint(int mapType, int errno) {
        return switch (errno) {
            case Errno.EPERM -> "needs root or CAP_BPF; is kernel.unprivileged_bpf_disabled set?";
            case Errno.ENOSYS -> "kernel built without CONFIG_BPF_SYSCALL";
            case Errno.EINVAL -> switch (mapType) {
                case MAP_TYPE_RINGBUF -> "RINGBUF maps need Linux 5.8+ and a power-of-two number of pages";
                case MAP_TYPE_USER_RINGBUF -> "USER_RINGBUF maps need Linux 6.1+ and a power-of-two number of pages";
                default -> null;
            };
            default -> null;
        };
    }

    private static long syscall(MemorySegment cap, int cmd, MemorySegment at) {
        try {
            return (long) SYSCALL3.invokeExact(cap, SYS_BPF, (long) cmd, at.address(), at.byteSize());
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }
}
