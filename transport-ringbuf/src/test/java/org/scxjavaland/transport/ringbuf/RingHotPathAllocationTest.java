package org.scxjavaland.transport.ringbuf;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.transport.QueuedTaskHandler;
import org.scxjavaland.core.transport.TransportCounters;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.QueuedTask;
import org.scxjavaland.core.wire.QueuedTaskLayout;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The claim "no allocation per record": both rings driven through a million records each on memfd rings, the
 * kernel side played by allocation-free code here, and the thread's allocated bytes compared before and after.
 */
class RingHotPathAllocationTest {
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final int QLEN = (int) QueuedTaskLayout.SIZE;

    /** Kernel producer without slices or lambdas: reserve, fill, commit. */
    private static boolean produce(MemfdRing m, long seq) {
        long cons = (long) LONG.getAcquire(m.consumerPage, 0L);
        long prod = (long) LONG.getAcquire(m.producerPage, 0L);
        long next = prod + RingHeader.stride(QLEN);
        if (next - cons > m.size) return false;
        long off = prod & (m.size - 1);
        MemorySegment data = m.data;
        data.set(JAVA_INT, off, QLEN | RingHeader.BUSY);
        LONG.setRelease(m.producerPage, 0L, next);
        data.set(JAVA_INT, off + 8 + QueuedTaskLayout.PID, (int) seq);
        data.set(JAVA_LONG, off + 8 + QueuedTaskLayout.ENQ_CNT, seq);
        INT.getAndSet(data, off, QLEN);
        return true;
    }

    /** Kernel consumer of the user ring: sums enq_cnt of every sample. */
    private static long consume(MemfdRing m, long[] sum) {
        long cons = (long) LONG.getAcquire(m.consumerPage, 0L);
        long prod = (long) LONG.getAcquire(m.producerPage, 0L);
        long n = 0;
        while (cons < prod) {
            long off = cons & (m.size - 1);
            int header = (int) INT.getAcquire(m.data, off);
            if ((header & RingHeader.BUSY) != 0) break;
            sum[0] += m.data.get(JAVA_LONG, off + 8 + 32);
            cons += RingHeader.stride(RingHeader.length(header));
            LONG.setRelease(m.consumerPage, 0L, cons);
            n++;
        }
        return n;
    }

    private static final class Handler implements QueuedTaskHandler {
        long count;
        long enqSum;

        @Override
        public void onTask(QueuedTask t) {
            count++;
            enqSum += t.enqCnt();
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    @Test
    void drainingAndSendingAMillionRecordsAllocatesNothing() {
        try (MemfdRing in = new MemfdRing(64 * 1024); MemfdRing out = new MemfdRing(64 * 1024)) {
            TransportCounters counters = new TransportCounters();
            RingBufferConsumer consumer = new RingBufferConsumer(in.bpfRing, counters);
            UserRingBufferProducer producer = new UserRingBufferProducer(out.bpfRing, counters);
            Handler handler = new Handler();
            DispatchedTask d = new DispatchedTask();
            long[] kernelSum = new long[1];
            long[] seq = new long[1];

            run(in, out, consumer, producer, handler, d, kernelSum, seq, 300_000); // JIT warm-up
            long before = allocatedBytes();
            run(in, out, consumer, producer, handler, d, kernelSum, seq, 1_000_000);
            long allocated = allocatedBytes() - before;

            assertEquals(1_300_000, handler.count);
            assertEquals(1_300_000, counters.sent);
            long n = seq[0];
            assertEquals(n * (n - 1) / 2, handler.enqSum);
            assertEquals(n * (n - 1) / 2, kernelSum[0]);
            // the measurement itself may cost a few bytes; a per-record allocation would be >= 16 MB here
            assertTrue(allocated < 4096, "allocated " + allocated + " bytes for 10^6 records each way");
        }
    }

    private static void run(MemfdRing in, MemfdRing out, RingBufferConsumer consumer,
                            UserRingBufferProducer producer, Handler handler, DispatchedTask d, long[] kernelSum,
                            long[] seq, int records) {
        long end = seq[0] + records;
        while (seq[0] < end) {
            long start = seq[0];
            for (int i = 0; i < 64 && seq[0] < end && produce(in, seq[0]); i++) seq[0]++;
            long batchEnd = seq[0];
            while (consumer.drain(handler, 64) > 0) { }
            for (long s = start; s < batchEnd; s++) {
                d.set((int) s, -1, 0, 0, 0, s);
                while (!producer.send(d)) consume(out, kernelSum);
            }
            consume(out, kernelSum);
        }
    }
}
