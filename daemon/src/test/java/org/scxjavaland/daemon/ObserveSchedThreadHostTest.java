package org.scxjavaland.daemon;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.sched.RunResult;
import org.scxjavaland.core.sched.SchedulerOptions;
import org.scxjavaland.core.sched.SchedulerRunner;
import org.scxjavaland.core.sched.Stat;
import org.scxjavaland.core.sched.StatsSnapshot;
import org.scxjavaland.core.sched.Tracepoints;
import org.scxjavaland.core.testing.BpfTestSupport;
import org.scxjavaland.core.transport.Transports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Under {@code observe} the scheduling thread is run's (the same runner, warm-up, loop and policy), fed by the live
 * kernel: after warm-up it allocates less than one heap byte per record and takes no page fault at all. The check of
 * {@link SchedulingLoopHostTest#steadyStateAllocatesNothingAndNeverFaults}, measured the same way
 * ({@link SchedThreadMeasure}, on the thread itself), with the tracepoints and stress-ng's context switches in place
 * of the harness.
 */
class ObserveSchedThreadHostTest {
    /** Live records the JIT sees before measuring: the kernel's figures take paths the harness's do not. */
    private static final long LIVE_WARMUP_MS = 5_000;
    private static final long MEASURE_MS = 5_000;

    @Test
    void afterWarmUpTheObservingThreadAllocatesNothingAndNeverFaults() throws Exception {
        BpfTestSupport.assumeBpf();
        assumeTrue(Files.exists(Path.of("/sys/kernel/btf/vmlinux")), "the observer needs kernel BTF");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/stress-ng")), "stress-ng is not installed");
        CountDownLatch attaching = new CountDownLatch(1);
        SchedulerRunner runner = SchedulerRunner.observing(Transports.choose("ringbuf").provider(),
                SchedulerOptions.defaults(), Tracepoints.AUTO, line -> {
                    if (line.startsWith("attaching: ")) attaching.countDown();
                });
        SchedThreadMeasure measure = new SchedThreadMeasure();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<RunResult> result = new AtomicReference<>();
        Thread scheduling = Thread.ofPlatform().name("scheduling").start(() -> {
            try {
                result.set(runner.run(measure));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        Process stress = null;
        try {
            assertTrue(attaching.await(120, TimeUnit.SECONDS), "attached after the warm-up");
            stress = new ProcessBuilder("stress-ng", "--switch", "2", "--timeout", "20s")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            Thread.sleep(LIVE_WARMUP_MS);
            StatsSnapshot before = runner.snapshot();
            measure.requestMeasure();
            Thread.sleep(MEASURE_MS);
            StatsSnapshot after = runner.snapshot();
            measure.requestStop();
            scheduling.join(30_000);
            assertNull(failure.get(), "the scheduling thread failed: " + failure.get());
            assertNotNull(result.get(), "the runner returned");
            long records = after.get(Stat.RECEIVED) - before.get(Stat.RECEIVED);
            double bytesPerRecord = (double) measure.allocated / records;
            System.out.printf("observe, steady state over %d live records: %d bytes allocated (%.4f per record), "
                    + "%d minor + %d major faults%n", records, measure.allocated, bytesPerRecord, measure.minflt,
                    measure.majflt);
            assertTrue(records > 10_000, "measured over more than 10^4 records, got " + records);
            assertTrue(bytesPerRecord < 1.0, "heap bytes per record: " + bytesPerRecord);
            assertEquals(0, measure.minflt, "minor page faults of the scheduling thread");
            assertEquals(0, measure.majflt, "major page faults of the scheduling thread");
        } finally {
            measure.requestStop();
            scheduling.join(30_000);
            if (stress != null) stress.destroyForcibly();
        }
    }
}
