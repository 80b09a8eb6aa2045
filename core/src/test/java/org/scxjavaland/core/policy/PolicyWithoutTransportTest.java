package org.scxjavaland.core.policy;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.alloc.ArenaMemory;
import org.scxjavaland.core.alloc.BuddyAllocator;
import org.scxjavaland.core.transport.TransportProvider;
import org.scxjavaland.core.transport.Transports;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.QueuedTaskLayout;

import java.lang.foreign.Arena;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * core's test classpath has no transport (no provider registered, neither module's classes loadable), and the policy
 * schedules all the same: the policy does not depend on a transport.
 */
class PolicyWithoutTransportTest {

    @Test
    void noTransportIsPresentAndThePolicyStillDecides() {
        assertEquals(0, ServiceLoader.load(TransportProvider.class).stream().count(), "a transport provider is registered");
        assertTrue(Transports.all().isEmpty(), "Transports sees " + Transports.names());
        for (String pkg : new String[]{"org.scxjavaland.transport.ringbuf", "org.scxjavaland.transport.fifo"}) {
            assertEquals(null, ClassLoader.getSystemClassLoader().getDefinedPackage(pkg));
            assertTrue(ClassLoader.getSystemClassLoader().getResource(pkg.replace('.', '/')) == null, pkg + " on the classpath");
        }
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.scxjavaland.transport.ringbuf.RingbufTransportProvider"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.scxjavaland.transport.fifo.FifoTransportProvider"));

        try (Arena arena = Arena.ofConfined()) {
            long heap = DeadlinePolicy.arenaHeapBytesFor(16);
            DeadlinePolicy p = new DeadlinePolicy(new BuddyAllocator(
                    ArenaMemory.over(arena.allocate(BuddyAllocator.arenaBytesFor(heap), 4096)), heap),
                    DeadlinePolicy.Params.defaults().withMaxTasks(16));
            QueuedTaskRecords rec = new QueuedTaskRecords(arena.allocate(QueuedTaskLayout.SIZE, 8));
            p.enqueue(rec.task(10, 0, 100, 0, 0, 0, 1), 0);
            p.enqueue(rec.task(11, 1, 100, 0, 0, 0, 1), 0);
            DispatchedTask out = new DispatchedTask();
            CpuView oneIdle = new CpuView() {
                public int nrCpus() { return 2; }
                public boolean isIdle(int cpu) { return cpu == 1; }
                public long vtimeNow() { return 0; }
            };
            assertTrue(p.peek(out, oneIdle, 1));
            assertEquals(10, out.pid);
            p.pop();
            assertTrue(p.peek(out, oneIdle, 1));
            assertEquals(11, out.pid);
            assertEquals(1, out.cpu);
        }
    }
}
