package org.scxjavaland.core.sched;

import org.scxjavaland.core.wire.DispatchedTask;

/**
 * Decisions that could not be sent yet and that the policy does not hold: tasks the policy refused (arena full)
 * while the channel to the kernel was also full. Primitive arrays allocated once, FIFO, so nothing is dropped and
 * nothing is allocated on the scheduling path.
 */
final class OverflowQueue {
    private final int[] pid;
    private final long[] vtime;
    private final long[] enqCnt;
    private int head;
    private int size;

    OverflowQueue(int capacity) {
        pid = new int[capacity];
        vtime = new long[capacity];
        enqCnt = new long[capacity];
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    boolean offer(int p, long v, long e) {
        if (size == pid.length) return false;
        int i = (head + size) % pid.length;
        pid[i] = p;
        vtime[i] = v;
        enqCnt[i] = e;
        size++;
        return true;
    }

    /** Fills {@code out} with the oldest entry as a shared-queue decision with the default slice. */
    void peek(DispatchedTask out, int anyCpu) {
        out.set(pid[head], anyCpu, 0, 0, vtime[head], enqCnt[head]);
    }

    void pop() {
        head = (head + 1) % pid.length;
        size--;
    }
}
