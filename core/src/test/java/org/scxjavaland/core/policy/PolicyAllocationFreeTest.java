package org.scxjavaland.core.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.scxjavaland.core.alloc.ArenaMemory;
import org.scxjavaland.core.alloc.BuddyAllocator;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.QueuedTaskLayout;

import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * enqueue, peek, pop and taskExited allocate nothing on the Java heap: measured with the thread's allocation
 * counter around 10^6 operations after warm-up (JIT-compiled), for a mix of new, known and exiting tasks. Every
 * registered policy ({@link PolicyProviders#all}), so a policy added to META-INF/services is held to it too.
 */
class PolicyAllocationFreeTest {
    private static final int OPS = 1_000_000;

    static List<String> policies() {
        return PolicyProviders.names();
    }

    @ParameterizedTest
    @MethodSource("policies")
    void hotPathsAllocateLessThanOneBytePerOperation(String name) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofConfined()) {
            PolicyProvider provider = PolicyProviders.find(name);
            PolicyOptions options = PolicyOptions.of(DeadlinePolicy.DEFAULT_SLICE_NS, DeadlinePolicy.DEFAULT_SLICE_MIN_NS)
                    .withMaxTasks(4096);
            long heap = provider.arenaHeapBytes(options);
            SchedulingPolicy p = provider.create(options, new BuddyAllocator(
                    ArenaMemory.over(arena.allocate(BuddyAllocator.arenaBytesFor(heap), 4096)), heap));
            QueuedTaskRecords rec = new QueuedTaskRecords(arena.allocate(QueuedTaskLayout.SIZE, 8));
            DispatchedTask out = new DispatchedTask();
            CpuView cpus = new CpuView() {
                public int nrCpus() { return 8; }
                public boolean isIdle(int cpu) { return (cpu & 1) == 0; }
                public long vtimeNow() { return 0; }
            };
            long[] state = new long[1];
            for (int round = 0; round < 5; round++) drive(p, rec, out, cpus, OPS, state); // warm-up: JIT
            long before = mx.getCurrentThreadAllocatedBytes();
            long ops = drive(p, rec, out, cpus, OPS, state);
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            System.out.printf(name + ": %d policy operations, %d bytes allocated (%.6f per operation)%n",
                    ops, allocated, (double) allocated / ops);
            assertTrue(ops >= OPS);
            assertTrue(allocated < ops, allocated + " bytes over " + ops + " operations");
            assertEquals(0, p.counters().arenaFailures);
        }
    }

    /** Per step: enqueue a task (new or known), dispatch one, and every 16th step let a task exit. */
    private static long drive(SchedulingPolicy p, QueuedTaskRecords rec, DispatchedTask out, CpuView cpus, int steps,
                              long[] state) {
        long ops = 0;
        long t = state[0];
        for (int i = 0; i < steps; i++) {
            t += 1000;
            int pid = 1 + (int) ((t * 2654435761L >>> 7) % 3000);
            rec.task(pid, pid & 7, 50 + (pid & 127), t - 900, t - 100, pid * 10L, t);
            p.enqueue(rec.enqueuedAt(t), t);
            ops++;
            if (p.peek(out, cpus, t)) {
                p.pop();
                ops += 2;
            }
            if ((i & 15) == 0) {
                int gone = 1 + (int) ((t * 40503L >>> 5) % 3000);
                p.taskExited(gone, QueuedTaskRecords.uidOf(gone));
                ops++;
            }
        }
        state[0] = t;
        return ops;
    }
}
