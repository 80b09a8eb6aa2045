package org.scxjavaland.core.policy;

import net.openhft.chronicle.bytes.PointerBytesStore;
import org.scxjavaland.core.alloc.BuddyAllocator;

/**
 * Tasks waiting for a decision, a binary min-heap in one arena block, ordered by (deadline, enqueue time, pid).
 * An entry is 24 bytes (deadline, enqueue time, {@code pid << 32 | node / 64}) so that comparisons read only the
 * heap block; each task node keeps its entry's index so a queued task can be taken out when it is re-queued or exits.
 */
final class RunQueue {
    static final int ENTRY = 24;
    private static final long DEADLINE = 0;
    private static final long ENQ_TS = 8;
    private static final long KEY = 16;

    private final PointerBytesStore mem;
    private final long base;
    private final int capacity;
    private int size;

    RunQueue(BuddyAllocator alloc, int capacity) {
        this.mem = alloc.bytes();
        this.base = alloc.alloc((long) capacity * ENTRY);
        if (base == BuddyAllocator.NO_BLOCK) {
            throw new IllegalStateException("arena too small for a run queue of " + capacity + " tasks");
        }
        this.capacity = capacity;
    }

    static long bytesFor(int capacity) {
        return (long) capacity * ENTRY;
    }

    int size() {
        return size;
    }

    /** The node of the first task; only when size() > 0. */
    long topNode() {
        return nodeOf(mem.readLong(base + KEY));
    }

    /** When the first task was queued (the enqTs it was inserted with); only when size() > 0. */
    long topEnqTs() {
        return mem.readLong(base + ENQ_TS);
    }

    /** Queues {@code node}; the caller guarantees room (one entry per tracked task at most). */
    void insert(long node, int pid, long deadline, long enqTs) {
        if (size >= capacity) throw new IllegalStateException("run queue full");
        int i = size++;
        long key = ((long) pid << 32) | (node >>> 6);
        // sift up with the new entry held in locals
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            long p = at(parent);
            if (!less(deadline, enqTs, key, mem.readLong(p + DEADLINE), mem.readLong(p + ENQ_TS), mem.readLong(p + KEY))) {
                break;
            }
            moveEntry(parent, i);
            i = parent;
        }
        store(i, deadline, enqTs, key);
    }

    /** Takes the entry at heap index {@code i} out. */
    void removeAt(int i) {
        long gone = at(i);
        mem.writeInt(nodeOf(mem.readLong(gone + KEY)) + TaskNode.HEAP_INDEX, -1);
        int last = --size;
        if (i == last) return;
        long l = at(last);
        long d = mem.readLong(l + DEADLINE), t = mem.readLong(l + ENQ_TS), k = mem.readLong(l + KEY);
        // the last entry fills the hole; it may need to go up or down
        int parent = (i - 1) >>> 1;
        if (i > 0) {
            long p = at(parent);
            if (less(d, t, k, mem.readLong(p + DEADLINE), mem.readLong(p + ENQ_TS), mem.readLong(p + KEY))) {
                while (i > 0) {
                    parent = (i - 1) >>> 1;
                    p = at(parent);
                    if (!less(d, t, k, mem.readLong(p + DEADLINE), mem.readLong(p + ENQ_TS), mem.readLong(p + KEY))) break;
                    moveEntry(parent, i);
                    i = parent;
                }
                store(i, d, t, k);
                return;
            }
        }
        while (true) {
            int c = 2 * i + 1;
            if (c >= size) break;
            long ca = at(c);
            if (c + 1 < size) {
                long cb = at(c + 1);
                if (less(mem.readLong(cb + DEADLINE), mem.readLong(cb + ENQ_TS), mem.readLong(cb + KEY),
                        mem.readLong(ca + DEADLINE), mem.readLong(ca + ENQ_TS), mem.readLong(ca + KEY))) {
                    c++;
                    ca = cb;
                }
            }
            if (!less(mem.readLong(ca + DEADLINE), mem.readLong(ca + ENQ_TS), mem.readLong(ca + KEY), d, t, k)) break;
            moveEntry(c, i);
            i = c;
        }
        store(i, d, t, k);
    }

    private static boolean less(long d1, long t1, long k1, long d2, long t2, long k2) {
        if (d1 != d2) return d1 < d2;
        if (t1 != t2) return t1 < t2;
        return k1 < k2;
    }

    private long at(int i) {
        return base + (long) i * ENTRY;
    }

    private void moveEntry(int from, int to) {
        long f = at(from), t = at(to);
        long key = mem.readLong(f + KEY);
        mem.writeLong(t + DEADLINE, mem.readLong(f + DEADLINE));
        mem.writeLong(t + ENQ_TS, mem.readLong(f + ENQ_TS));
        mem.writeLong(t + KEY, key);
        mem.writeInt(nodeOf(key) + TaskNode.HEAP_INDEX, to);
    }

    private void store(int i, long deadline, long enqTs, long key) {
        long e = at(i);
        mem.writeLong(e + DEADLINE, deadline);
        mem.writeLong(e + ENQ_TS, enqTs);
        mem.writeLong(e + KEY, key);
        mem.writeInt(nodeOf(key) + TaskNode.HEAP_INDEX, i);
    }

    private static long nodeOf(long key) {
        return (key & 0xffff_ffffL) << 6;
    }
}
