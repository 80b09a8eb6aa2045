package org.scxjavaland.bench.profile;

import org.scxjavaland.core.harness.HarnessProgram;

/**
 * The kernel's side of a profiled run, played by the harness BPF program: tasks are enqueued in batches and, after
 * {@code lifetime} enqueues each, exit and are replaced by tasks with new pids (what fork-heavy loads do). Every new
 * pid costs the policy one allocation from the arena and every exit one free, so the allocator works at a rate set
 * by the lifetime: lifetime 1 is a pure fork storm, every task scheduled once.
 * <p>
 * {@link #SLOTS} batches of pids are alive at once (4096 tasks, the size the daemon's warm-up keeps the policy's
 * table at) and at most two batches of decisions are outstanding, so a batch's decisions are back long before its
 * pids exit: no exit notice overtakes its own task.
 */
final class ChurnDriver {
    static final int BATCH = 256;
    static final int SLOTS = 16;
    private static final long FIRST_PID = 1000;
    /** Below the kernel's PID_MAX_LIMIT; pids wrap to FIRST_PID, far behind the 4096 alive. */
    private static final long PID_LIMIT = 4_000_000;

    private final HarnessProgram harness;
    private final int lifetime;
    private final long[] slotPid = new long[SLOTS];
    private final int[] visits = new int[SLOTS];
    private long nextPid = FIRST_PID;
    private long round;
    private long inFlight;
    private long decisions;
    private long enqueues;
    private long exits;
    private long newPids;

    ChurnDriver(HarnessProgram harness, int lifetime) {
        if (lifetime < 1) throw new IllegalArgumentException("lifetime must be >= 1: " + lifetime);
        this.harness = harness;
        this.lifetime = lifetime;
        for (int s = 0; s < SLOTS; s++) slotPid[s] = freshPids();
    }

    /** One batch: exits and replacements for the slot whose tasks have lived out their lifetime, then enqueues. */
    void step() {
        int s = (int) (round++ % SLOTS);
        if (visits[s] == lifetime) {
            expectAll(harness.produceExits(BATCH, slotPid[s]), "exit notices");
            exits += BATCH;
            slotPid[s] = freshPids();
            visits[s] = 0;
        }
        if (visits[s] == 0) newPids += BATCH;
        expectAll(harness.produce(BATCH, slotPid[s], 0), "tasks");
        visits[s]++;
        enqueues += BATCH;
        inFlight += BATCH;
        do {
            if (drain() == 0 && inFlight > BATCH) Thread.onSpinWait();
        } while (inFlight > BATCH);
    }

    /** Takes every outstanding decision (waiting at most {@code timeoutNanos}); false if some did not come. */
    boolean finish(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (inFlight > 0 && System.nanoTime() < deadline) {
            if (drain() == 0) Thread.onSpinWait();
        }
        return inFlight == 0;
    }

    /** Takes the decisions that are there (at most a batch); returns how many. */
    private long drain() {
        long d = harness.drain(BATCH).drained();
        inFlight -= d;
        decisions += d;
        return d;
    }

    long decisions() {
        return decisions;
    }

    long enqueues() {
        return enqueues;
    }

    long exits() {
        return exits;
    }

    /** Pids the policy met for the first time (one arena allocation each). */
    long newPids() {
        return newPids;
    }

    private long freshPids() {
        if (nextPid + BATCH > PID_LIMIT) nextPid = FIRST_PID;
        long first = nextPid;
        nextPid += BATCH;
        return first;
    }

    private static void expectAll(HarnessProgram.Produced p, String what) {
        if (p.produced() != BATCH) {
            throw new IllegalStateException("the ring took " + p.produced() + " of " + BATCH + " " + what
                    + ": the scheduling loop fell behind");
        }
    }
}
