package org.scxjavaland.sys;

import sun.misc.Unsafe;

import java.lang.reflect.Field;
import java.nio.ByteOrder;

/**
 * Unchecked loads and stores at absolute native addresses, for the transports' per-record hot paths only.
 * <p>
 * Why not MemorySegment there: each segment access repeats its bounds, alignment, read-only and liveness checks,
 * and C2 did not hoist them out of the ring loops (docs/benchmarks.md, "Transport micro-benchmark"); these methods
 * compile to one plain mov. Nothing here checks anything, so a caller must have checked, once per record, that the
 * range lies within memory it keeps mapped for as long as it uses the address (RingBufferConsumer and
 * UserRingBufferProducer check the ring's positions and lengths and refuse to run once closed).
 * <p>
 * The acquire/release pairs are sun.misc.Unsafe's volatile loads and ordered stores: on x86-64 both are plain movs
 * that the JIT may not reorder, which is what the kernel's smp_load_acquire/smp_store_release pair with. Needs
 * {@code --sun-misc-unsafe-memory-access=allow} (in bin/jvm-flags, as Chronicle Bytes needs it too), else JDK 25
 * prints a warning on first use.
 */
public final class RawMemory {
    private static final Unsafe U;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    static {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            U = (Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private RawMemory() {
    }

    public static byte getByte(long address) {
        return U.getByte(address);
    }

    public static int getInt(long address) {
        return U.getInt(address);
    }

    public static long getLong(long address) {
        return U.getLong(address);
    }

    public static void putInt(long address, int value) {
        U.putInt(address, value);
    }

    public static void putLong(long address, long value) {
        U.putLong(address, value);
    }

    public static int getIntAcquire(long address) {
        return U.getIntVolatile(null, address);
    }

    public static long getLongAcquire(long address) {
        return U.getLongVolatile(null, address);
    }

    public static void putIntRelease(long address, int value) {
        U.putOrderedInt(null, address, value);
    }

    public static void putLongRelease(long address, long value) {
        U.putOrderedLong(null, address, value);
    }

    /** The long whose store at an address writes {@code first} there and {@code second} 4 bytes after it. */
    public static long pairOfInts(int first, int second) {
        return LITTLE_ENDIAN ? (first & 0xFFFF_FFFFL) | (long) second << 32
                : (second & 0xFFFF_FFFFL) | (long) first << 32;
    }

    public static void copy(long src, long dst, long bytes) {
        U.copyMemory(src, dst, bytes);
    }
}
