package org.scxjavaland.transport.ringbuf;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.transport.TransportCounters;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.DispatchedTaskLayout;
import org.scxjavaland.core.wire.QueuedTask;
import org.scxjavaland.core.wire.QueuedTaskLayout;
import org.scxjavaland.sys.LibC;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ring protocol without BPF or root: our consumer and producer against a Java model of the kernel side, on
 * a double-mapped memfd. Small rings, so that positions wrap many times and records cross the end.
 */
class MemfdRingTest {
    private static final int QLEN = (int) QueuedTaskLayout.SIZE;

    /** Kernel side: writes a queued-task record for sequence number {@code seq}. */
    private static long produce(MemfdRing ring, long seq, boolean discard) {
        long pos = ring.reserve(QLEN);
        if (pos < 0) return -1;
        MemorySegment p = ring.payload(pos, QLEN);
        p.set(JAVA_INT, QueuedTaskLayout.PID, (int) (1000 + seq));
        p.set(JAVA_LONG, QueuedTaskLayout.ENQ_CNT, seq);
        p.set(JAVA_LONG, QueuedTaskLayout.VTIME, seq * 31);
        p.set(JAVA_LONG, QueuedTaskLayout.COMM, 0x6E7572L); // "run"
        ring.commit(pos, discard);
        return pos;
    }

    /** Collects sequence numbers and checks every field of each record. */
    private static final class Seen {
        final List<Long> seqs = new ArrayList<>();
        String error;

        void accept(QueuedTask t) {
            long seq = t.enqCnt();
            if (error == null && (t.pid() != 1000 + seq || t.vtime() != seq * 31 || !t.comm().equals("run"))) {
                error = "record " + seq + ": pid " + t.pid() + " vtime " + t.vtime() + " comm " + t.comm();
            }
            seqs.add(seq);
        }
    }

    @Test
    void recordsCrossingTheEndOfTheRingReadContiguouslyManyTimesOver() {
        long size = LibC.pageSize();
        Random rnd = new Random(42);
        try (MemfdRing ring = new MemfdRing(size)) {
            TransportCounters c = new TransportCounters();
            RingBufferConsumer consumer = new RingBufferConsumer(ring.bpfRing, c);
            Seen seen = new Seen();
            long produced = 0, crossings = 0;
            while (produced < 20_000) {
                int burst = 1 + rnd.nextInt(40);
                for (int i = 0; i < burst; i++) {
                    long pos = produce(ring, produced, false);
                    if (pos < 0) break;
                    long off = pos & (size - 1);
                    if (off + RingHeader.stride(QLEN) > size) crossings++;
                    produced++;
                }
                consumer.drain(seen::accept, 1 + rnd.nextInt(50));
            }
            while (consumer.drain(seen::accept, 64) > 0) { }
            assertEquals(produced, seen.seqs.size());
            for (int i = 0; i < seen.seqs.size(); i++) assertEquals(i, (long) seen.seqs.get(i), "order at " + i);
            assertEquals(null, seen.error);
            assertTrue(crossings > 100, "records crossed the end " + crossings + " times");
            assertTrue(ring.producerPos() > 100 * size, "positions wrapped: " + ring.producerPos());
            assertEquals(ring.producerPos(), ring.consumerPos(), "consumer_pos published up to producer_pos");
            assertEquals(produced, c.received);
            assertFalse(consumer.producerAhead());
        }
    }

    @Test
    void discardedRecordsAreSkippedAndCounted() {
        try (MemfdRing ring = new MemfdRing(LibC.pageSize())) {
            TransportCounters c = new TransportCounters();
            RingBufferConsumer consumer = new RingBufferConsumer(ring.bpfRing, c);
            for (long s = 0; s < 30; s++) produce(ring, s, s % 3 == 2);
            Seen seen = new Seen();
            assertEquals(20, consumer.drain(seen::accept, 100));
            List<Long> expected = new ArrayList<>();
            for (long s = 0; s < 30; s++) if (s % 3 != 2) expected.add(s);
            assertEquals(expected, seen.seqs);
            assertEquals(10, c.discarded);
            assertEquals(ring.producerPos(), ring.consumerPos(), "discarded space is released too");
        }
    }

    @Test
    void aBusyRecordStopsTheConsumerWithoutSkippingIt() {
        try (MemfdRing ring = new MemfdRing(LibC.pageSize())) {
            TransportCounters c = new TransportCounters();
            RingBufferConsumer consumer = new RingBufferConsumer(ring.bpfRing, c);
            produce(ring, 0, false);
            long busy = ring.reserve(QLEN);             // reserved, not committed
            MemorySegment p = ring.payload(busy, QLEN);
            p.set(JAVA_INT, QueuedTaskLayout.PID, 1001);
            p.set(JAVA_LONG, QueuedTaskLayout.ENQ_CNT, 1);
            p.set(JAVA_LONG, QueuedTaskLayout.VTIME, 31);
            p.set(JAVA_LONG, QueuedTaskLayout.COMM, 0x6E7572L);
            produce(ring, 2, false);                    // committed behind the busy one
            Seen seen = new Seen();
            assertEquals(1, consumer.drain(seen::accept, 100));
            assertEquals(0, consumer.drain(seen::accept, 100), "stops at BUSY");
            assertTrue(consumer.producerAhead(), "the producer is ahead");
            assertEquals(busy, ring.consumerPos(), "consumer_pos stops at the busy record");
            ring.commit(busy, false);
            assertEquals(2, consumer.drain(seen::accept, 100));
            assertEquals(List.of(0L, 1L, 2L), seen.seqs);
            assertEquals(null, seen.error);
        }
    }

    @Test
    void aFullRingRefusesTheProducerUntilTheConsumerReleasesSpace() {
        long size = LibC.pageSize();
        try (MemfdRing ring = new MemfdRing(size)) {
            TransportCounters c = new TransportCounters();
            RingBufferConsumer consumer = new RingBufferConsumer(ring.bpfRing, c);
            long fit = size / RingHeader.stride(QLEN);
            long n = 0;
            while (produce(ring, n, false) >= 0) n++;
            assertEquals(fit, n);
            Seen seen = new Seen();
            assertEquals(1, consumer.drain(seen::accept, 1));
            assertTrue(produce(ring, n, false) >= 0, "one record of room after one is consumed");
            n++;
            while (consumer.drain(seen::accept, 64) > 0) { }
            assertEquals(n, seen.seqs.size());
            assertEquals(null, seen.error);
        }
    }

    @Test
    void withinOneLongDrainConsumerPosIsPublishedBeforeAQuarterOfTheRingIsHeldBack() {
        long size = 4 * LibC.pageSize();
        long stride = RingHeader.stride(QLEN);
        try (MemfdRing ring = new MemfdRing(size)) {
            RingBufferConsumer consumer = new RingBufferConsumer(ring.bpfRing, new TransportCounters());
            // start off a quarter boundary, so that the first publication is not at the first record
            for (int i = 0; i < 3; i++) produce(ring, i, false);
            while (consumer.drain(t -> { }, 64) > 0) { }
            long n = 0;
            while (produce(ring, n, false) >= 0) n++;
            long[] worstHeldBack = {0};
            long[] handled = {0};
            long start = ring.consumerPos();
            long drained = consumer.drain(t -> {
                // the record being handled and every one before it in this drain are consumed; what is not yet
                // published of them is held back from the producer
                long consumedBefore = start + handled[0]++ * stride;
                worstHeldBack[0] = Math.max(worstHeldBack[0], consumedBefore - ring.consumerPos());
            }, Integer.MAX_VALUE);
            assertEquals(n, drained);
            assertTrue(n * stride > size / 2, "the drain spans more than two quarters: " + n * stride);
            assertTrue(worstHeldBack[0] < size / 4, "held back " + worstHeldBack[0] + " of " + size + " bytes");
            assertTrue(worstHeldBack[0] > 0, "publication is batched, not per record");
            assertEquals(ring.producerPos(), ring.consumerPos(), "all of it published when drain returns");
        }
    }

    @Test
    void tooShortRecordsAreSkippedAsMalformed() {
        try (MemfdRing ring = new MemfdRing(LibC.pageSize())) {
            TransportCounters c = new TransportCounters();
            RingBufferConsumer consumer = new RingBufferConsumer(ring.bpfRing, c);
            produce(ring, 0, false);
            ring.commit(ring.reserve(8), false);
            produce(ring, 1, false);
            Seen seen = new Seen();
            assertEquals(2, consumer.drain(seen::accept, 10));
            assertEquals(List.of(0L, 1L), seen.seqs);
            assertEquals(1, consumer.malformedRecords());
        }
    }

    @Test
    void theUserRingProducerWrapsRefusesWhenFullAndLosesNothing() {
        long size = LibC.pageSize();
        Random rnd = new Random(7);
        try (MemfdRing ring = new MemfdRing(size)) {
            TransportCounters c = new TransportCounters();
            UserRingBufferProducer producer = new UserRingBufferProducer(ring.bpfRing, c);
            DispatchedTask d = new DispatchedTask();
            long sent = 0, taken = 0, refused = 0;
            long[] next = {0};
            String[] error = {null};
            MemfdRing.Sample check = s -> {
                long k = next[0]++;
                if (error[0] == null && (s.byteSize() != DispatchedTaskLayout.SIZE
                        || s.get(JAVA_INT, DispatchedTaskLayout.PID) != (int) k
                        || s.get(JAVA_INT, DispatchedTaskLayout.CPU) != -1
                        || s.get(JAVA_LONG, DispatchedTaskLayout.ENQ_CNT) != k
                        || s.get(JAVA_LONG, DispatchedTaskLayout.VTIME) != ~k)) {
                    error[0] = "sample " + k;
                }
            };
            while (sent < 50_000) {
                int burst = 1 + rnd.nextInt(120);
                for (int i = 0; i < burst; i++) {
                    d.set((int) sent, -1, 0, 0, ~sent, sent);
                    if (!producer.send(d)) {
                        refused++;
                        break;
                    }
                    sent++;
                }
                taken += ring.consume(1 + rnd.nextInt(60), check);
            }
            taken += ring.consume(Integer.MAX_VALUE, check);
            assertEquals(null, error[0]);
            assertEquals(sent, taken, "every accepted decision reached the kernel side once");
            assertTrue(refused > 0, "the ring filled up at times");
            assertEquals(refused, c.sendFull);
            assertEquals(sent, c.sent);
            assertTrue(ring.producerPos() > 100 * size, "positions wrapped: " + ring.producerPos());
            assertEquals(size, producer.freeBytes());
        }
    }

    /**
     * The ring classes read and write the mapping at raw addresses, which nothing would stop after munmap: once
     * closed they must refuse instead of touching it. (MemfdRing's mapping outlives the classes' close, so a
     * missing check fails this test instead of crashing the JVM.)
     */
    @Test
    void closedRingEndsRefuseInsteadOfTouchingTheMapping() {
        try (MemfdRing ring = new MemfdRing(LibC.pageSize())) {
            TransportCounters c = new TransportCounters();
            RingBufferConsumer consumer = new RingBufferConsumer(ring.bpfRing, c);
            UserRingBufferProducer producer = new UserRingBufferProducer(ring.bpfRing, c);
            produce(ring, 0, false);
            DispatchedTask d = new DispatchedTask().set(1, -1, 0, 0, 0, 0);
            assertTrue(producer.send(d), "room is known after this send");
            consumer.close();
            producer.close();
            consumer.close();                                   // idempotent
            Seen seen = new Seen();
            assertThrows(IllegalStateException.class, () -> consumer.drain(seen::accept, 100));
            assertThrows(IllegalStateException.class, consumer::producerAhead);
            assertThrows(IllegalStateException.class, consumer::producerPosition);
            assertThrows(IllegalStateException.class, () -> producer.send(d), "even with room known before close");
            assertThrows(IllegalStateException.class, producer::freeBytes);
            assertThrows(IllegalStateException.class, producer::consumerPosition);
            assertEquals(List.of(), seen.seqs, "nothing read after close");
            assertEquals(1, c.sent);
        }
    }

    @Test
    void ringSizesArePowersOfTwoOfPages() {
        int page = LibC.pageSize();
        assertEquals(page, RingbufTransportProvider.ringBytes(1, 96));
        assertEquals(32 * 1024, RingbufTransportProvider.ringBytes(256, 96));   // 24 KiB -> 32 KiB
        assertEquals(16 * 1024, RingbufTransportProvider.ringBytes(256, 48));   // 12 KiB -> 16 KiB
        assertEquals(page * 2, RingbufTransportProvider.ringBytes(page * 2 / 96, 96));
    }
}
