package org.scxjavaland.transport.fifo;

import org.scxjavaland.bpf.BpfMapLookup;
import org.scxjavaland.bpf.MapNames;
import org.scxjavaland.bpf.QueueMapOps;
import org.scxjavaland.core.wire.DispatchedTaskLayout;
import org.scxjavaland.core.wire.QueuedTaskLayout;
import org.scxjavaland.sys.Bpf;
import org.scxjavaland.sys.ErrnoException;
import org.scxjavaland.sys.LibC;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The two queue maps of the BPF object, created directly in the kernel with the object's names, value sizes and
 * types, plus a second bpf() user playing the BPF side (push queued records, pop decisions) where a test does not
 * need a BPF program to do it.
 */
final class QueueMapPair implements BpfMapLookup, AutoCloseable {
    final int queuedFd;
    final int dispatchedFd;
    final int capacity;
    // One bpf() user per kernel-side role, so a producer thread and a decision-consumer thread can run at once.
    private final QueueMapOps producer = new QueueMapOps();
    private final QueueMapOps dispatcher = new QueueMapOps();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment record = arena.allocate(QueuedTaskLayout.SIZE, 8);
    final MemorySegment decision = arena.allocate(DispatchedTaskLayout.SIZE, 8);

    QueueMapPair(int capacity) {
        this.capacity = capacity;
        this.queuedFd = Bpf.mapCreate(Bpf.MAP_TYPE_QUEUE, 0, (int) QueuedTaskLayout.SIZE, capacity, 0,
                MapNames.QUEUED_QUEUE);
        int d;
        try {
            d = Bpf.mapCreate(Bpf.MAP_TYPE_QUEUE, 0, (int) DispatchedTaskLayout.SIZE, capacity, 0,
                    MapNames.DISPATCHED_QUEUE);
        } catch (RuntimeException e) {
            LibC.closeQuietly(queuedFd);
            throw e;
        }
        this.dispatchedFd = d;
    }

    /** Skips the calling test unless this process may create queue maps (root or CAP_BPF). */
    static void assumeQueueMaps() {
        try {
            LibC.close(Bpf.mapCreate(Bpf.MAP_TYPE_QUEUE, 0, 8, 1, 0, "scx_jl_assume"));
        } catch (ErrnoException | LinkageError e) {
            assumeTrue(false, "needs root/CAP_BPF to create BPF queue maps: " + e.getMessage());
        }
    }

    @Override
    public int mapFd(String mapName) {
        return switch (mapName) {
            case MapNames.QUEUED_QUEUE -> queuedFd;
            case MapNames.DISPATCHED_QUEUE -> dispatchedFd;
            default -> throw new IllegalArgumentException("no map '" + mapName + "' in this test object");
        };
    }

    @Override
    public int maxEntries(String mapName) {
        mapFd(mapName);
        return capacity;
    }

    /** Pushes a queued-task record the way the BPF side's enqueue does; false when the queue is full. */
    boolean produce(int pid, long enqCnt) {
        record.set(JAVA_INT, QueuedTaskLayout.PID, pid);
        record.set(JAVA_INT, QueuedTaskLayout.CPU, pid & 1);
        record.set(JAVA_LONG, QueuedTaskLayout.NR_CPUS_ALLOWED, 2);
        record.set(JAVA_LONG, QueuedTaskLayout.FLAGS, 0x8);
        record.set(JAVA_LONG, QueuedTaskLayout.START_TS, 1000L + pid);
        record.set(JAVA_LONG, QueuedTaskLayout.STOP_TS, 2000L + pid);
        record.set(JAVA_LONG, QueuedTaskLayout.EXEC_RUNTIME, 3000L + pid);
        record.set(JAVA_LONG, QueuedTaskLayout.WEIGHT, 100);
        record.set(JAVA_LONG, QueuedTaskLayout.VTIME, 7L * pid);
        record.set(JAVA_LONG, QueuedTaskLayout.ENQ_CNT, enqCnt);
        byte[] comm = "task".getBytes();
        record.asSlice(QueuedTaskLayout.COMM, QueuedTaskLayout.COMM_LEN).fill((byte) 0);
        MemorySegment.copy(comm, 0, record, JAVA_BYTE, QueuedTaskLayout.COMM, comm.length);
        return producer.push(queuedFd, record, Bpf.BPF_ANY);
    }

    /** Pushes a record whose start_ts is {@code stamp} (latency measurements); false when full. */
    boolean produceStamped(int pid, long stamp) {
        record.set(JAVA_INT, QueuedTaskLayout.PID, pid);
        record.set(JAVA_LONG, QueuedTaskLayout.START_TS, stamp);
        record.set(JAVA_LONG, QueuedTaskLayout.ENQ_CNT, pid);
        return producer.push(queuedFd, record, Bpf.BPF_ANY);
    }

    /** Pops one decision into {@link #decision} the way the BPF side's dispatch does; false when empty. */
    boolean consumeDecision() {
        return dispatcher.pop(dispatchedFd, decision);
    }

    int decisionPid() { return decision.get(JAVA_INT, DispatchedTaskLayout.PID); }
    int decisionCpu() { return decision.get(JAVA_INT, DispatchedTaskLayout.CPU); }
    long decisionFlags() { return decision.get(JAVA_LONG, DispatchedTaskLayout.FLAGS); }
    long decisionSlice() { return decision.get(JAVA_LONG, DispatchedTaskLayout.SLICE_NS); }
    long decisionVtime() { return decision.get(JAVA_LONG, DispatchedTaskLayout.VTIME); }
    long decisionEnqCnt() { return decision.get(JAVA_LONG, DispatchedTaskLayout.ENQ_CNT); }

    @Override
    public void close() {
        arena.close();
        LibC.closeQuietly(queuedFd);
        LibC.closeQuietly(dispatchedFd);
    }
}
