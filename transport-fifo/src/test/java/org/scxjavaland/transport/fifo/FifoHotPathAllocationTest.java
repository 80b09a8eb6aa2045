package org.scxjavaland.transport.fifo;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scxjavaland.core.transport.QueuedTaskHandler;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.QueuedTask;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The claim "nothing allocated per record" for the FIFO transport: records popped and decisions pushed through
 * real queue maps, and the scheduling thread's allocated bytes compared before and after. The kernel side is
 * played on other threads (their allocations are not counted).
 */
class FifoHotPathAllocationTest {
    private static final int N = 200_000;

    @BeforeAll
    static void needsBpf() {
        QueueMapPair.assumeQueueMaps();
    }

    private static final class Handler implements QueuedTaskHandler {
        final DispatchedTask decision = new DispatchedTask();
        long count;
        long enqSum;
        int pid;

        @Override
        public void onTask(QueuedTask t) {
            count++;
            enqSum += t.enqCnt();
            pid = t.pid();
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    @Test
    void poppingPushingAndWaitingAllocateNothing() throws Exception {
        try (QueueMapPair maps = new QueueMapPair(N);
             FifoTransport t = new FifoTransport(maps.queuedFd, maps.dispatchedFd, new Backoff(2, 1_000, 2_000))) {
            Handler h = new Handler();
            // warm up: JIT and one-time class initialisation may allocate
            for (int i = 0; i < 20_000; i++) maps.produce(i, i);
            runRounds(t, h, 20_000, maps);

            for (int i = 0; i < N; i++) assertTrue(maps.produce(i, i));
            long before = allocatedBytes();
            runRounds(t, h, N, maps);
            long allocated = allocatedBytes() - before;

            assertEquals(20_000L + N, h.count);
            // A few hundred bytes of slack for the JVM's own bookkeeping; one object per record would be >= 3 MB.
            assertTrue(allocated < 4096, "allocated " + allocated + " bytes for " + N + " records");
        }
    }

    /** drain, answer each record, and wait once per empty round: the scheduling loop's calls. */
    private static void runRounds(FifoTransport t, Handler h, long records, QueueMapPair maps) {
        long target = h.count + records;
        while (h.count < target) {
            int got = t.drain(h, 1);
            if (got == 0) {
                t.awaitWork(1_000);
                continue;
            }
            if (!t.send(h.decision.set(h.pid, -1, 0, 1, 2, 3))) {
                while (maps.consumeDecision()) { }
                t.send(h.decision);
            }
        }
        while (maps.consumeDecision()) { }
    }
}
