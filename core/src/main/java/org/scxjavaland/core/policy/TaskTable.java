package org.scxjavaland.core.policy;

import net.openhft.chronicle.bytes.PointerBytesStore;
import org.scxjavaland.core.alloc.BuddyAllocator;

/**
 * pid -> task node, open addressing with linear probing in one arena block. A slot is one long:
 * {@code pid << 32 | node / 64}, 0 = empty (pids are positive). Deletion shifts the following run back instead of
 * leaving tombstones, so lookups never degrade with churn. At most half the slots are used.
 * <p>Public so that a policy of another package keeps its per-task state as the deadline policy does (the FIFO
 * policy does): a node must come from the same allocator, which makes it 64-byte aligned, as the slot needs.
 */
public final class TaskTable {
    public static final long ABSENT = BuddyAllocator.NO_BLOCK;

    private final PointerBytesStore mem;
    private final long base;
    private final int mask;
    private final int maxEntries;
    private int size;

    /** Takes the table's block from {@code alloc}; throws IllegalStateException when it has no room for it. */
    public TaskTable(BuddyAllocator alloc, int maxEntries) {
        int slots = Integer.highestOneBit(Math.max(2, maxEntries) * 2 - 1) << 1;
        this.mem = alloc.bytes();
        this.base = alloc.alloc((long) slots * Long.BYTES);
        if (base == BuddyAllocator.NO_BLOCK) {
            throw new IllegalStateException("arena too small for a task table of " + slots + " slots");
        }
        this.mask = slots - 1;
        this.maxEntries = maxEntries;
        mem.zeroOut(base, base + (long) slots * Long.BYTES);
    }

    /** Bytes the table takes from the allocator for {@code maxEntries} tasks. */
    public static long bytesFor(int maxEntries) {
        return (long) (Integer.highestOneBit(Math.max(2, maxEntries) * 2 - 1) << 1) * Long.BYTES;
    }

    public int size() {
        return size;
    }

    /** The node of {@code pid}, or {@link #ABSENT}. */
    public long get(int pid) {
        if (pid <= 0) return ABSENT;
        for (int i = home(pid); ; i = (i + 1) & mask) {
            long e = slot(i);
            if (e == 0) return ABSENT;
            if ((int) (e >>> 32) == pid) return nodeOf(e);
        }
    }

    /** Adds a pid that is not in the table; false when the table is full or the pid is not positive. */
    public boolean put(int pid, long node) {
        if (pid <= 0 || size >= maxEntries) return false;
        int i = home(pid);
        while (slot(i) != 0) i = (i + 1) & mask;
        setSlot(i, ((long) pid << 32) | (node >>> 6));
        size++;
        return true;
    }

    /**
     * Starts tracking a pid the table does not hold: a node of {@code nodeSize} bytes from {@code alloc}, put under
     * the pid. Returns the node, or ABSENT when the arena or the table is full (the node goes back; counted in
     * {@code arenaFailures}: the policy then refuses the task, and the loop hands it back to the kernel).
     */
    public long track(int pid, BuddyAllocator alloc, long nodeSize, PolicyCounters counters) {
        long node = alloc.alloc(nodeSize);
        if (node == BuddyAllocator.NO_BLOCK) {
            counters.arenaFailures++;
            return ABSENT;
        }
        if (!put(pid, node)) {
            alloc.free(node);
            counters.arenaFailures++;
            return ABSENT;
        }
        counters.tasksTracked++;
        return node;
    }

    /** Removes a pid; returns its node, or ABSENT. */
    public long remove(int pid) {
        if (pid <= 0) return ABSENT;
        int i = home(pid);
        long e;
        while ((e = slot(i)) != 0 && (int) (e >>> 32) != pid) i = (i + 1) & mask;
        if (e == 0) return ABSENT;
        // close the gap: move back every later entry of the run whose home is not between the gap and itself
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            long f = slot(j);
            if (f == 0) break;
            int k = home((int) (f >>> 32));
            boolean stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
            if (stays) continue;
            setSlot(i, f);
            i = j;
        }
        setSlot(i, 0);
        size--;
        return nodeOf(e);
    }

    /** Slots of the table, for a scan with {@link #pidAt} and {@link #nodeAt}. */
    public int slotCount() {
        return mask + 1;
    }

    /**
     * The pid in slot {@code i}, 0 when the slot is empty. A removal moves later entries of its run back, possibly
     * into slot i: a scan that removes looks at the same slot again.
     */
    public int pidAt(int i) {
        return (int) (slot(i) >>> 32);
    }

    /** The node in slot {@code i} (meaningful when {@link #pidAt} is not 0). */
    public long nodeAt(int i) {
        return nodeOf(slot(i));
    }

    private int home(int pid) {
        int h = pid * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    private static long nodeOf(long e) {
        return (e & 0xffff_ffffL) << 6;
    }

    private long slot(int i) {
        return mem.readLong(base + ((long) i << 3));
    }

    private void setSlot(int i, long e) {
        mem.writeLong(base + ((long) i << 3), e);
    }
}
