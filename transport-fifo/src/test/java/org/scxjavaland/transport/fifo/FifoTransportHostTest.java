package org.scxjavaland.transport.fifo;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scxjavaland.bpf.BpfObjectSetup;
import org.scxjavaland.bpf.MapNames;
import org.scxjavaland.core.transport.Availability;
import org.scxjavaland.core.transport.Transport;
import org.scxjavaland.core.transport.TransportOptions;
import org.scxjavaland.core.transport.TransportProvider;
import org.scxjavaland.core.transport.Transports;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.sys.ErrnoException;

import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The FIFO transport on real queue maps in the host kernel (root), the BPF side played through bpf() calls. */
class FifoTransportHostTest {
    private final FifoTransportProvider provider = new FifoTransportProvider();

    @BeforeAll
    static void needsBpf() {
        QueueMapPair.assumeQueueMaps();
    }

    @Test
    void isFoundByServiceLoaderAndAvailableHere() {
        TransportProvider found = ServiceLoader.load(TransportProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("fifo")).findFirst().orElseThrow();
        assertInstanceOf(FifoTransportProvider.class, found);
        assertEquals(1, found.wireId(), "SCX_JL_TRANSPORT_FIFO");
        assertEquals(new Availability(true, null), found.availability());
        Transports.Choice c = Transports.choose("fifo");
        assertEquals("requested (--transport=fifo)", c.reason());
    }

    @Test
    void configureSizesBothQueuesAndKeepsTheRingMapsTheKernelCanCreate() {
        Map<String, Integer> sizes = new HashMap<>();
        Map<String, Boolean> create = new HashMap<>();
        provider.configure(new BpfObjectSetup() {
            @Override public void setMaxEntries(String mapName, int maxEntries) { sizes.put(mapName, maxEntries); }
            @Override public void setAutocreate(String mapName, boolean c) { create.put(mapName, c); }
        }, new TransportOptions(1234));
        assertEquals(Map.of(MapNames.QUEUED_QUEUE, 1234, MapNames.DISPATCHED_QUEUE, 1234), sizes);
        // This host has ring buffers (kernel 6.18), so the object keeps them; a kernel without them gets them off.
        assertEquals(Map.of(), create);
        assertThrows(IllegalArgumentException.class, () -> provider.configure(null, new TransportOptions(0)));
    }

    @Test
    void deliversEveryRecordOnceInFifoOrderWithItsFields() {
        int n = 10_000;
        try (QueueMapPair maps = new QueueMapPair(n); Transport t = provider.open(maps, new TransportOptions(n))) {
            assertEquals(0, t.drain(task -> { throw new AssertionError("empty queue delivered " + task.pid()); }, 10));
            for (int i = 0; i < n; i++) assertTrue(maps.produce(100 + i, i));
            assertFalse(maps.produce(-1, -1), "the queue holds exactly its capacity");

            int[] next = {0};
            int total = 0;
            int got;
            while ((got = t.drain(task -> {
                int i = next[0]++;
                assertEquals(100 + i, task.pid());
                assertEquals(i, task.enqCnt());
                assertEquals((100 + i) & 1, task.cpu());
                assertEquals(7L * (100 + i), task.vtime());
                assertEquals(3000L + 100 + i, task.execRuntime());
                assertEquals(100, task.weight());
                assertEquals("task", task.comm());
            }, 256)) > 0) {
                assertTrue(got <= 256);
                total += got;
            }
            assertEquals(n, total);
            assertEquals(n, next[0]);
            assertEquals(n, t.counters().received);
            // One pop per record, plus one empty pop (ENOENT) per drain that ran dry: the first drain, the
            // 10000 % 256 = 16-record batch that emptied the queue, and the final drain that returned 0.
            assertEquals(n + 3, t.counters().syscalls);
        }
    }

    @Test
    void aFullDecisionQueueIsRefusedCountedAndNothingIsLost() {
        int cap = 64;
        try (QueueMapPair maps = new QueueMapPair(cap); Transport t = provider.open(maps, new TransportOptions(cap))) {
            DispatchedTask d = new DispatchedTask();
            for (int i = 0; i < cap; i++) assertTrue(t.send(d.set(i, i % 2, 1, 5_000_000, 10L * i, i)));
            assertFalse(t.send(d.set(cap, 0, 1, 5_000_000, 10L * cap, cap)));
            assertFalse(t.send(d));
            assertEquals(2, t.counters().sendFull);
            assertEquals(cap, t.counters().sent);

            assertTrue(maps.consumeDecision());
            assertEquals(0, maps.decisionPid());
            assertTrue(t.send(d), "room again after the BPF side took one");

            for (int i = 1; i <= cap; i++) {
                assertTrue(maps.consumeDecision(), "decision " + i);
                assertEquals(i, maps.decisionPid());
                assertEquals(i % 2, maps.decisionCpu());
                assertEquals(1, maps.decisionFlags());
                assertEquals(5_000_000, maps.decisionSlice());
                assertEquals(10L * i, maps.decisionVtime());
                assertEquals(i, maps.decisionEnqCnt());
            }
            assertFalse(maps.consumeDecision());
            assertEquals(cap + 1, t.counters().sent);
        }
    }

    @Test
    void aClosedOrForeignMapIsAClearError() {
        try (QueueMapPair maps = new QueueMapPair(4)) {
            // an fd that is not a BPF map: the transport reports the bpf() error instead of calling it "empty"
            try (Transport t = new FifoTransport(0, 0, new Backoff(0, 1, 1))) {
                ErrnoException e = assertThrows(ErrnoException.class, () -> t.drain(task -> { }, 1));
                assertTrue(e.getMessage().startsWith("bpf(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd 0) failed: E"),
                        e.getMessage());
            }
        }
    }

    @Test
    void idleWaitingSleepsInsteadOfSpinning() {
        try (QueueMapPair maps = new QueueMapPair(4); Transport t = provider.open(maps, TransportOptions.DEFAULT)) {
            long end = System.nanoTime() + 300_000_000L;
            long rounds = 0;
            while (System.nanoTime() < end) {
                if (t.drain(task -> { }, 16) == 0) t.awaitWork(100_000_000L);
                rounds++;
            }
            // A spinning loop makes hundreds of thousands of empty pops in 0.3 s; the back-off caps it near 300
            // (one per 1 ms sleep) plus the short steps; allow a wide margin for early wake-ups.
            long pops = t.counters().syscalls - t.counters().waits;
            assertEquals(rounds, pops, "one empty pop per round");
            assertTrue(pops < 3_000, "empty pops in 0.3 s idle: " + pops);
            assertTrue(t.counters().waits > 50, "sleeps in 0.3 s idle: " + t.counters().waits);

            // work resets the ladder: the next waits are immediate retries again
            assertTrue(maps.produce(1, 1));
            assertEquals(1, t.drain(task -> { }, 16));
            long waits = t.counters().waits;
            t.awaitWork(100_000_000L);
            assertEquals(waits, t.counters().waits, "first wait after work is an immediate retry");
        }
    }

    /**
     * 10^6 records through both queues at once: a producer thread pushes queued records (retrying when the queue
     * is full, and counting it), the transport drains them and answers each with a decision, and a dispatcher
     * thread pops the decisions. Every record must come out once, in order, with its decision.
     */
    @Test
    void aMillionRecordsEndToEnd() throws Exception {
        int n = 1_000_000;
        int cap = 4096;
        try (QueueMapPair maps = new QueueMapPair(cap); Transport t = provider.open(maps, new TransportOptions(cap))) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong producerFull = new AtomicLong();
            Thread producer = Thread.ofPlatform().name("kernel-producer").start(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        while (!maps.produce(i, i)) {
                            producerFull.incrementAndGet();
                            Thread.onSpinWait();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            long[] checksum = {0};
            Thread dispatcher = Thread.ofPlatform().name("kernel-dispatcher").start(() -> {
                try {
                    for (int i = 0; i < n; ) {
                        if (!maps.consumeDecision()) {
                            if (failure.get() != null) return;
                            Thread.onSpinWait();
                            continue;
                        }
                        if (maps.decisionPid() != i || maps.decisionEnqCnt() != i || maps.decisionSlice() != 3L * i) {
                            throw new AssertionError("decision " + i + " came back as pid " + maps.decisionPid()
                                    + " enq_cnt " + maps.decisionEnqCnt());
                        }
                        checksum[0] += maps.decisionVtime();
                        i++;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });

            DispatchedTask d = new DispatchedTask();
            long[] expected = {0};
            int[] pending = {-1};
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (expected[0] < n || pending[0] >= 0) {
                if (failure.get() != null || System.nanoTime() > deadline) break;
                if (pending[0] >= 0) {
                    int p = pending[0];
                    if (!t.send(d.set(p, -1, 0, 3L * p, p, p))) {
                        t.awaitWork(200_000L);
                        continue;
                    }
                    pending[0] = -1;
                }
                // one record per drain so that a full decision queue is never met with a record in hand
                int got = t.drain(task -> {
                    if (task.pid() != expected[0]) throw new AssertionError("expected pid " + expected[0] + ", got " + task.pid());
                    expected[0]++;
                    pending[0] = task.pid();
                }, 1);
                if (got == 0 && pending[0] < 0) t.awaitWork(1_000_000L);
            }
            producer.join(60_000);
            dispatcher.join(60_000);
            if (failure.get() != null) throw new AssertionError("a kernel-side thread failed", failure.get());
            assertEquals(n, expected[0], "records received in order");
            assertEquals((long) n * (n - 1) / 2, checksum[0], "every decision once");
            assertEquals(n, t.counters().received);
            assertEquals(n, t.counters().sent);
            assertEquals(0, t.drain(task -> { throw new AssertionError("extra record " + task.pid()); }, 1));
            System.out.printf("1e6 end to end: producer saw full %d times, transport send full %d times, "
                            + "%d syscalls (bpf() and sleeps), %d sleeps%n", producerFull.get(), t.counters().sendFull,
                    t.counters().syscalls, t.counters().waits);
        }
    }
}
