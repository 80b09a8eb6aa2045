package org.scxjavaland.core.sim;

import org.scxjavaland.core.transport.QueuedTaskHandler;
import org.scxjavaland.core.transport.Transport;
import org.scxjavaland.core.transport.TransportCounters;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.QueuedTask;
import org.scxjavaland.core.wire.QueuedTaskLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The daemon's end of {@link SimRings}, behind the real {@link Transport} SPI, so the real loop runs over it. Records
 * reach the loop in the wire layout (QueuedTaskLayout) through the real {@link QueuedTask} flyweight. Decisions the loop sends
 * during a round become visible to the BPF side when the round's CPU time has passed ({@link #publish}), not at once:
 * the loop sends them at the end of its round. {@link #awaitWork} is never called: the loop's wait is the simulated
 * thread blocking (see {@link SimDaemon}).
 */
final class SimTransport implements Transport {
    private final SimRings rings;
    private final TransportCounters counters = new TransportCounters();
    private final MemorySegment record;
    private final QueuedTask view = new QueuedTask();
    private final List<SimRings.Decision> pending = new ArrayList<>();

    SimTransport(SimRings rings, Arena arena) {
        this.rings = rings;
        this.record = arena.allocate(QueuedTaskLayout.SIZE, 8);
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public int drain(QueuedTaskHandler handler, int max) {
        int n = 0;
        while (n < max && !rings.queued.isEmpty()) {
            write(rings.queued.poll());
            handler.onTask(view.wrap(record, 0));
            n++;
        }
        counters.received += n;
        return n;
    }

    private void write(SimRings.Queued q) {
        record.set(JAVA_INT, QueuedTaskLayout.PID, q.pid());
        record.set(JAVA_INT, QueuedTaskLayout.CPU, q.cpu());
        record.set(JAVA_LONG, QueuedTaskLayout.NR_CPUS_ALLOWED, q.nrCpusAllowed());
        record.set(JAVA_LONG, QueuedTaskLayout.FLAGS, q.flags());
        record.set(JAVA_LONG, QueuedTaskLayout.START_TS, q.startTs());
        record.set(JAVA_LONG, QueuedTaskLayout.STOP_TS, q.stopTs());
        record.set(JAVA_LONG, QueuedTaskLayout.EXEC_RUNTIME, q.execRuntime());
        record.set(JAVA_LONG, QueuedTaskLayout.RUN_TOTAL, q.runTotal());
        record.set(JAVA_LONG, QueuedTaskLayout.WEIGHT, q.weight());
        record.set(JAVA_LONG, QueuedTaskLayout.VTIME, q.vtime());
        record.set(JAVA_LONG, QueuedTaskLayout.ENQ_CNT, q.enqCnt());
        record.set(JAVA_LONG, QueuedTaskLayout.ENQ_TS, q.enqTs());
        record.set(JAVA_LONG, QueuedTaskLayout.UID, q.uid());
        byte[] comm = q.comm().getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < QueuedTaskLayout.COMM_LEN; i++) {
            record.set(JAVA_BYTE, QueuedTaskLayout.COMM + i,
                    i < comm.length && i < QueuedTaskLayout.COMM_LEN - 1 ? comm[i] : 0);
        }
    }

    @Override
    public boolean send(DispatchedTask t) {
        if (rings.dispatched.size() + pending.size() >= rings.dispatchedSlots) {
            counters.sendFull++;
            return false;
        }
        pending.add(new SimRings.Decision(t.pid, t.cpu, t.flags, t.sliceNs, t.vtime, t.enqCnt));
        counters.sent++;
        return true;
    }

    /** Sent in the round in progress, not in the user ring yet. */
    List<SimRings.Decision> pending() {
        return pending;
    }

    /** The round's CPU time has passed: what it sent is in the user ring now. */
    void publish() {
        rings.dispatched.addAll(pending);
        pending.clear();
    }

    @Override
    public void awaitWork(long timeoutNanos) {
        throw new UnsupportedOperationException("the simulated scheduling thread blocks in virtual time (SimDaemon)");
    }

    @Override
    public TransportCounters counters() {
        return counters;
    }

    @Override
    public void close() {
    }
}
