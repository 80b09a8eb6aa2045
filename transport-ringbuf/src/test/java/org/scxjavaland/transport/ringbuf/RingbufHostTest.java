package org.scxjavaland.transport.ringbuf;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.scxjavaland.bpf.BpfMapLookup;
import org.scxjavaland.bpf.MapNames;
import org.scxjavaland.core.harness.HarnessProgram;
import org.scxjavaland.core.testing.BpfTestSupport;
import org.scxjavaland.core.transport.TransportOptions;
import org.scxjavaland.core.transport.Transports;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.QueuedTask;
import org.scxjavaland.core.wire.QueuedTaskLayout;
import org.scxjavaland.core.wire.StatsLayout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ring transport on real maps, the harness BPF program playing the kernel (root; skipped otherwise). */
class RingbufHostTest {
    /** 64 records: an 8 KiB queued ring (85 records of 96 bytes, which do not divide it: records cross the end). */
    private static final TransportOptions SMALL = new TransportOptions(64);

    private final RingbufTransportProvider provider = new RingbufTransportProvider();
    private HarnessProgram harness;
    private RingbufTransport transport;

    private void open(TransportOptions options) {
        BpfTestSupport.assumeBpf();
        harness = HarnessProgram.open(provider, options);
        transport = (RingbufTransport) provider.open(harness.maps(), options);
    }

    @AfterEach
    void close() {
        try {
            if (transport != null) transport.close();
        } finally {
            if (harness != null) harness.close();
        }
    }

    /** Records handed over, as (pid, enq_cnt) pairs; fields checked against the harness formula. */
    private static final class Log {
        final List<Long> enqCnts = new ArrayList<>();
        long firstPid;
        String error;

        void onTask(QueuedTask t) {
            long i = t.enqCnt();
            String e = HarnessProgram.expectRecord(t, i, firstPid);
            if (e != null && error == null) error = e;
            enqCnts.add(i);
        }
    }

    private long drainAll(Log log) {
        long n = 0;
        for (int got; (got = transport.drain(log::onTask, 32)) > 0; ) n += got;
        return n;
    }

    @Test
    void theProviderIsAvailableAndSizesTheRingsFromTheCapacity() {
        open(SMALL);
        assertTrue(provider.availability().available(), String.valueOf(provider.availability().cause()));
        assertTrue(Transports.names().contains("ringbuf"), "found through ServiceLoader: " + Transports.names());
        assertEquals(8192, harness.maps().maxEntries(MapNames.QUEUED_RINGBUF));
        assertEquals(4096, harness.maps().maxEntries(MapNames.DISPATCHED_USER_RINGBUF));
        assertEquals(8192, transport.queued().ringSize());
        assertEquals(4096, transport.dispatched().ringSize());
    }

    @Test
    void recordsCrossingTheEndArriveWholeAndInOrder() {
        open(SMALL);
        long ring = transport.queued().ringSize();
        long stride = RingHeader.stride(QueuedTaskLayout.SIZE);
        long total = 0;
        for (int round = 0; round < 200; round++) {
            Log log = new Log();
            log.firstPid = 100_000 + round * 100L;
            int count = 30 + round % (int) (ring / stride - 29);     // 30 up to as many as the ring holds
            var p = harness.produce(count, log.firstPid, 0);
            assertEquals(count, p.produced());
            assertEquals(count, drainAll(log));
            assertNull(log.error, "round " + round);
            for (int i = 0; i < count; i++) assertEquals(i, (long) log.enqCnts.get(i));
            total += count;
        }
        assertEquals(total * stride, transport.queued().consumerPosition());
        assertTrue(transport.queued().consumerPosition() > 50 * ring, "wrapped many times");
        assertEquals(transport.queued().producerPosition(), transport.queued().consumerPosition());
    }

    @Test
    void discardedRecordsAreSkippedAndEveryAttemptIsAccountedFor() {
        open(SMALL);
        Log log = new Log();
        log.firstPid = 500;
        var p = harness.produce(60, 500, 4); // fits: no drops
        assertEquals(0, p.dropped());
        assertEquals(45, p.produced());
        assertEquals(45, drainAll(log));
        assertNull(log.error);
        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < 60; i++) if ((i + 1) % 4 != 0) expected.add(i);
        assertEquals(expected, log.enqCnts);
        assertEquals(15, transport.counters().discarded);
        assertEquals(transport.queued().producerPosition(), transport.queued().consumerPosition());
    }

    @Test
    void aFullRingDropsInTheKernelAndTheConsumerSeesExactlyWhatWasProduced() {
        open(SMALL);
        long perRing = transport.queued().ringSize() / RingHeader.stride(QueuedTaskLayout.SIZE);
        for (int round = 0; round < 20; round++) {
            Log log = new Log();
            log.firstPid = 1 + round * 1000L;
            var p = harness.produce(500, log.firstPid, 0);
            assertEquals(500, p.produced() + p.dropped());
            assertEquals(perRing, p.produced(), "a drained ring takes exactly size/stride records");
            assertEquals(p.produced(), drainAll(log));
            assertNull(log.error);
            for (int i = 0; i < log.enqCnts.size(); i++) assertEquals(i, (long) log.enqCnts.get(i));
        }
    }

    @Test
    void aFullUserRingRefusesSendsAndTheKernelGetsEveryAcceptedOne() {
        open(SMALL);
        long fits = transport.dispatched().ringSize() / RingHeader.stride(40);
        DispatchedTask d = new DispatchedTask();
        long sentTotal = 0, drainedTotal = 0, sum = 0, kernelSum = 0;
        for (int round = 0; round < 50; round++) {
            long accepted = 0;
            while (true) {
                d.set((int) (sentTotal + 1), round % 2 == 0 ? -1 : 1, round, 1_000_000 + accepted, sentTotal * 5,
                        sentTotal);
                if (!transport.send(d)) break;
                sum += HarnessProgram.checksumOf(d);
                accepted++;
                sentTotal++;
            }
            assertEquals(fits, accepted, "an empty user ring takes exactly size/stride decisions");
            assertFalse(transport.send(d));
            var dr = harness.drain(round % 2 == 0 ? 1000 : (int) accepted / 3);
            drainedTotal += dr.drained();
            kernelSum += dr.checksum();
            var rest = harness.drain(1000);
            drainedTotal += rest.drained();
            kernelSum += rest.checksum();
        }
        assertEquals(sentTotal, drainedTotal);
        assertEquals(sum, kernelSum);
        assertEquals(2L * 50, transport.counters().sendFull);
        assertEquals(sentTotal, transport.counters().sent);
        assertEquals(0, harness.stat(StatsLayout.NR_FAILED_DISPATCHES), "no malformed sample reached BPF");
        assertTrue(transport.dispatched().producerPosition() > 40 * transport.dispatched().ringSize(), "wrapped many times");
    }

    @Test
    void awaitWorkWakesOnEpollAfterACaughtUpDrain() {
        open(SMALL);
        long syscallsBefore = transport.counters().syscalls;
        transport.awaitWork(1_000_000); // nothing there: one epoll_wait that times out
        assertEquals(syscallsBefore + 1, transport.counters().syscalls);
        harness.produce(5, 9, 0);
        long t0 = System.nanoTime();
        transport.awaitWork(20_000_000_000L); // pending: returns without sleeping
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        assertEquals(syscallsBefore + 1, transport.counters().syscalls, "no syscall while there is work");
        Log log = new Log();
        log.firstPid = 9;
        assertEquals(5, drainAll(log));
        assertNull(log.error);
    }

    @Test
    void aSleepingConsumerIsWokenByTheKernelForEachBatch() throws Exception {
        open(SMALL);
        for (int round = 0; round < 5; round++) {
            final long firstPid = 70_000 + round * 10L;
            Thread producer = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                harness.produce(3, firstPid, 0); // BPF_PROG_TEST_RUN on another thread: a real wake-up
            });
            long waitsBefore = transport.counters().waits;
            long t0 = System.nanoTime();
            transport.awaitWork(20_000_000_000L);
            long waited = System.nanoTime() - t0;
            producer.join();
            assertEquals(waitsBefore + 1, transport.counters().waits, "the consumer went to sleep in epoll_wait");
            assertTrue(waited < 10_000_000_000L, "round " + round + ": slept " + waited + " ns: wake-up lost");
            Log log = new Log();
            log.firstPid = firstPid;
            long got = drainAll(log);
            if (got == 0) { // woke before the commit: the next wait must return at once
                transport.awaitWork(20_000_000_000L);
                got = drainAll(log);
            }
            assertEquals(3, got);
            assertNull(log.error);
        }
    }

    @Test
    void mapsOfTheWrongTypeAreRefused() {
        BpfTestSupport.assumeBpf();
        harness = HarnessProgram.open(provider, SMALL);
        BpfMapLookup swapped = new BpfMapLookup() {
            @Override
            public int mapFd(String mapName) {
                return harness.maps().mapFd(mapName.equals(MapNames.QUEUED_RINGBUF) ? MapNames.QUEUED_QUEUE : mapName);
            }

            @Override
            public int maxEntries(String mapName) {
                return harness.maps().maxEntries(mapName);
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RingbufTransport.open(swapped));
        assertEquals("map queued_rb is a QUEUE, not a RINGBUF", e.getMessage());
    }
}
