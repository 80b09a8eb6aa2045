package org.scxjavaland.core.testing;

import org.scxjavaland.core.harness.HarnessProgram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scxjavaland.core.transport.Availability;
import org.scxjavaland.core.transport.QueuedTaskHandler;
import org.scxjavaland.core.transport.Transport;
import org.scxjavaland.core.transport.TransportOptions;
import org.scxjavaland.core.transport.TransportProvider;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.HarnessCtxLayout;
import org.scxjavaland.core.wire.QueuedTask;
import org.scxjavaland.core.wire.QueuedTaskLayout;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What every transport promises, checked on real maps with the harness BPF program as the kernel side.
 * A transport module subclasses it and names its provider. Needs root (skipped otherwise).
 */
public abstract class TransportConformanceSuite {
    /** The transport under test. */
    protected abstract TransportProvider provider();

    /** Small channels, so that "full" is reached quickly and ring positions wrap many times. */
    protected TransportOptions options() {
        return new TransportOptions(256);
    }

    protected HarnessProgram harness;
    protected Transport transport;

    @BeforeEach
    void openTransport() {
        BpfTestSupport.assumeBpf();
        Availability a = provider().availability();
        assumeTrue(a.available(), () -> provider().name() + " is not available here: " + a.cause());
        harness = HarnessProgram.open(provider(), options());
        transport = provider().open(harness.maps(), options());
    }

    @AfterEach
    void closeTransport() {
        try {
            if (transport != null) transport.close();
        } finally {
            if (harness != null) harness.close();
        }
    }

    /** Checks each record against the harness's formula for its index; remembers the first mismatch. */
    protected static final class Checker implements QueuedTaskHandler {
        long firstPid;
        long next;
        String firstError;

        Checker expect(long firstPid) {
            this.firstPid = firstPid;
            this.next = 0;
            return this;
        }

        @Override
        public void onTask(QueuedTask t) {
            if (firstError == null) {
                String e = HarnessProgram.expectRecord(t, next, firstPid);
                if (e != null) firstError = "record " + next + " (first pid " + firstPid + "): " + e;
            }
            next++;
        }
    }

    /** Drains until the transport reports nothing; returns how many records came. */
    protected long drainAll(QueuedTaskHandler handler) {
        long total = 0;
        for (int n; (n = transport.drain(handler, 64)) > 0; ) total += n;
        return total;
    }

    @Test
    void aBurstArrivesInOrderExactlyOnce() {
        var p = harness.produce(200, 1000, 0);
        assertEquals(200, p.produced());
        assertEquals(0, p.dropped());
        Checker c = new Checker().expect(1000);
        assertEquals(200, drainAll(c));
        assertNull(c.firstError);
        assertEquals(0, transport.drain(c, 64), "nothing is delivered twice");
        assertEquals(200, transport.counters().received);
    }

    @Test
    void recordsWrittenToTheHarnessInputArriveAsWritten() {
        MemorySegment in = harness.input();
        int n = HarnessCtxLayout.INPUT_MAX;
        for (int i = 0; i < n; i++) {
            long at = (long) i * QueuedTaskLayout.SIZE;
            in.set(JAVA_INT, at + QueuedTaskLayout.PID, 50_000 + 3 * i);
            in.set(JAVA_INT, at + QueuedTaskLayout.CPU, i % 7 == 0 ? QueuedTaskLayout.CPU_EXITED : i % 3);
            in.set(JAVA_LONG, at + QueuedTaskLayout.NR_CPUS_ALLOWED, 1 + i % 5);
            in.set(JAVA_LONG, at + QueuedTaskLayout.FLAGS, i % 2);
            in.set(JAVA_LONG, at + QueuedTaskLayout.START_TS, 1_000_000L * i);
            in.set(JAVA_LONG, at + QueuedTaskLayout.STOP_TS, 1_000_000L * i + 17 * i);
            in.set(JAVA_LONG, at + QueuedTaskLayout.EXEC_RUNTIME, 31L * i);
            in.set(JAVA_LONG, at + QueuedTaskLayout.WEIGHT, 1 + i % 10_000);
            in.set(JAVA_LONG, at + QueuedTaskLayout.VTIME, -5L * i);
            in.set(JAVA_LONG, at + QueuedTaskLayout.ENQ_CNT, 1L << (i % 63));
            in.set(JAVA_LONG, at + QueuedTaskLayout.ENQ_TS, 0);
            in.set(JAVA_LONG, at + QueuedTaskLayout.UID, 0x7000_0000_0000_0000L + 11L * i);
            MemorySegment.copy(("in" + i + "\0").getBytes(StandardCharsets.US_ASCII), 0, in, JAVA_BYTE,
                    at + QueuedTaskLayout.COMM, ("in" + i + "\0").length());
        }
        var p = harness.produceInput(n, 0, 0);
        assertEquals(n, p.produced());
        assertEquals(0, p.dropped());
        List<String> errors = new ArrayList<>();
        int[] i = {0};
        long got = drainAll(t -> {
            long at = (long) i[0] * QueuedTaskLayout.SIZE;
            String want = i[0] + ": " + in.get(JAVA_INT, at + QueuedTaskLayout.PID) + " "
                    + in.get(JAVA_INT, at + QueuedTaskLayout.CPU) + " "
                    + in.get(JAVA_LONG, at + QueuedTaskLayout.NR_CPUS_ALLOWED) + " "
                    + in.get(JAVA_LONG, at + QueuedTaskLayout.FLAGS) + " "
                    + in.get(JAVA_LONG, at + QueuedTaskLayout.START_TS) + " "
                    + in.get(JAVA_LONG, at + QueuedTaskLayout.STOP_TS) + " "
                    + in.get(JAVA_LONG, at + QueuedTaskLayout.EXEC_RUNTIME) + " "
                    + in.get(JAVA_LONG, at + QueuedTaskLayout.WEIGHT) + " "
                    + in.get(JAVA_LONG, at + QueuedTaskLayout.VTIME) + " "
                    + in.get(JAVA_LONG, at + QueuedTaskLayout.ENQ_CNT) + " "
                    + in.get(JAVA_LONG, at + QueuedTaskLayout.UID) + " in" + i[0];
            String seen = i[0] + ": " + t.pid() + " " + t.cpu() + " " + t.nrCpusAllowed() + " " + t.flags() + " "
                    + t.startTs() + " " + t.stopTs() + " " + t.execRuntime() + " " + t.weight() + " " + t.vtime()
                    + " " + t.enqCnt() + " " + t.uid() + " " + t.comm();
            if (!want.equals(seen)) errors.add("want " + want + ", got " + seen);
            if (t.enqTs() <= 0) errors.add(i[0] + ": enq_ts " + t.enqTs() + " is not the BPF clock");
            i[0]++;
        });
        assertEquals(n, got);
        assertEquals(List.of(), errors.subList(0, Math.min(3, errors.size())));
        assertThrows(IllegalArgumentException.class, () -> harness.produceInput(n + 1, 0, 0));
        // the first record held BUSY a while before its commit (ringbuf; fifo ignores it): all still arrive, in order
        var held = harness.produceInput(16, 0, 100_000);
        assertEquals(16, held.produced());
        List<Integer> pids = new ArrayList<>();
        assertEquals(16, drainAll(t -> pids.add(t.pid())));
        for (int k = 0; k < 16; k++) assertEquals(50_000 + 3 * k, pids.get(k), "record " + k);
    }

    @Test
    void drainHonoursMax() {
        harness.produce(10, 1, 0);
        Checker c = new Checker().expect(1);
        assertEquals(3, transport.drain(c, 3));
        assertEquals(7, transport.drain(c, 100));
        assertNull(c.firstError);
        assertEquals(10, c.next);
    }

    @Test
    void aFullChannelIsSeenByTheProducerAndNothingIsLostSilently() {
        int attempted = options().capacityRecords() * 4;
        var p = harness.produce(attempted, 7000, 0);
        assertEquals(attempted, p.produced() + p.dropped(), "every attempt is produced or counted as dropped");
        assertTrue(p.dropped() > 0, "4x the capacity does not fit");
        assertTrue(p.produced() >= options().capacityRecords(),
                "the channel holds at least capacityRecords: " + p.produced());
        Checker c = new Checker().expect(7000);
        assertEquals(p.produced(), drainAll(c), "exactly the produced records arrive");
        assertNull(c.firstError);
        var again = harness.produce(10, 1, 0);
        assertEquals(10, again.produced(), "space is free again after the drain");
        assertEquals(10, drainAll(new Checker().expect(1)));
    }

    @Test
    void sentDecisionsAreDrainedWithTheRightChecksum() {
        DispatchedTask d = new DispatchedTask();
        long sum = 0;
        for (int k = 0; k < 200; k++) {
            d.set(100 + k, k % 3 - 1, k, 1000L * k, (long) k * k, k);
            assertTrue(transport.send(d), "send " + k);
            sum += HarnessProgram.checksumOf(d);
        }
        var dr = harness.drain(10_000);
        assertEquals(200, dr.drained());
        assertEquals(sum, dr.checksum());
        assertEquals(0, harness.drain(10_000).drained(), "nothing is drained twice");
        assertEquals(200, transport.counters().sent);
    }

    @Test
    void sendReturnsFalseWhenFullAndSucceedsAfterADrain() {
        DispatchedTask d = new DispatchedTask();
        long accepted = 0, sum = 0;
        long limit = 100L * options().capacityRecords();
        while (accepted < limit) {
            d.set((int) (accepted + 1), -1, 0, 5_000_000, accepted * 3, accepted);
            if (!transport.send(d)) break;
            sum += HarnessProgram.checksumOf(d);
            accepted++;
        }
        assertTrue(accepted < limit, "send() never reported a full channel");
        assertTrue(accepted >= options().capacityRecords(), "accepted only " + accepted);
        assertTrue(transport.counters().sendFull >= 1, "the refusal is counted");
        assertEquals(accepted, transport.counters().sent);
        assertFalse(transport.send(d), "still full");
        var dr = harness.drain((int) accepted + 10);
        assertEquals(accepted, dr.drained());
        assertEquals(sum, dr.checksum());
        assertTrue(transport.send(d), "room again after the kernel drained");
        var one = harness.drain(10);
        assertEquals(1, one.drained());
        assertEquals(HarnessProgram.checksumOf(d), one.checksum());
    }

    @Test
    void awaitWorkReturnsWhenRecordsArrive() {
        drainAll(new Checker());
        harness.produce(1, 42, 0);
        long t0 = System.nanoTime();
        transport.awaitWork(TimeUnit.SECONDS.toNanos(20));
        long waited = System.nanoTime() - t0;
        assertTrue(waited < TimeUnit.SECONDS.toNanos(10), "awaitWork slept through pending work: " + waited + " ns");
        Checker c = new Checker().expect(42);
        assertEquals(1, transport.drain(c, 10));
        assertNull(c.firstError);
    }

    @Test
    void aMillionRecordsEndToEnd() {
        final long total = 1_000_000;
        final int batch = Math.max(1, options().capacityRecords() / 2);
        final int[] pids = new int[batch];
        final long[] enq = new long[batch];
        final long[] vtime = new long[batch];
        final int[] n = new int[1];
        Checker check = new Checker();
        QueuedTaskHandler handler = t -> {
            check.onTask(t);
            pids[n[0]] = t.pid();
            enq[n[0]] = t.enqCnt();
            vtime[n[0]] = t.vtime();
            n[0]++;
        };
        DispatchedTask d = new DispatchedTask();
        long produced = 0, received = 0, drained = 0, sum = 0, kernelSum = 0;
        while (produced < total) {
            int want = (int) Math.min(batch, total - produced);
            long firstPid = 10 + produced;
            var p = harness.produce(want, firstPid, 0);
            assertEquals(want, p.produced(), "batch at " + produced);
            assertEquals(0, p.dropped());
            produced += want;
            check.expect(firstPid);
            n[0] = 0;
            for (int got; (got = transport.drain(handler, batch)) > 0; ) received += got;
            assertEquals(want, n[0], "batch at " + (produced - want));
            assertNull(check.firstError);
            for (int i = 0; i < n[0]; i++) {
                d.set(pids[i], -1, 0, enq[i] + 1, vtime[i], enq[i]);
                assertTrue(transport.send(d), "send refused with the kernel side drained");
                sum += HarnessProgram.checksumOf(d);
            }
            var dr = harness.drain(batch * 2);
            drained += dr.drained();
            kernelSum += dr.checksum();
        }
        assertEquals(total, received);
        assertEquals(total, drained);
        assertEquals(sum, kernelSum);
        assertEquals(total, transport.counters().received);
        assertEquals(total, transport.counters().sent);
    }
}
