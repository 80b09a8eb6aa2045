package org.scxjavaland.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.scxjavaland.core.policy.CpuView;
import org.scxjavaland.core.policy.DeadlinePolicy;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.QueuedTask;
import org.scxjavaland.core.wire.QueuedTaskLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One task's trip through the policy: the task that was dispatched last comes back (enqueue with its run charged),
 * and the next decision is taken (peek + pop), with {@code queued} tasks waiting in the run queue.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@State(Scope.Thread)
public class PolicyBenchmark {
    @Param({"16", "1024"})
    public int queued;

    private DeadlinePolicy policy;
    private Arena arena;
    private MemorySegment record;
    private final QueuedTask view = new QueuedTask();
    private final DispatchedTask out = new DispatchedTask();
    private final CpuView cpus = new CpuView() {
        @Override
        public int nrCpus() {
            return 2;
        }

        @Override
        public boolean isIdle(int cpu) {
            return false;
        }

        @Override
        public long vtimeNow() {
            return now;
        }
    };
    private long now;
    private int lastPid;
    /** Each pid's run_total, as BPF counts it: the sum of the runs charged so far. */
    private long[] runTotal;

    @Setup(Level.Trial)
    public void setUp() {
        policy = DeadlinePolicy.create(DeadlinePolicy.Params.defaults());
        arena = Arena.ofConfined();
        record = arena.allocate(QueuedTaskLayout.SIZE, 8);
        runTotal = new long[queued + 2];
        for (int pid = 1; pid <= queued + 1; pid++) enqueue(pid, 0);
        policy.peek(out, cpus, now);
        policy.pop();
        lastPid = out.pid;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        policy.close();
        arena.close();
    }

    private void enqueue(int pid, long ran) {
        now += 1000;
        record.set(JAVA_INT, QueuedTaskLayout.PID, pid);
        record.set(JAVA_INT, QueuedTaskLayout.CPU, pid & 1);
        record.set(JAVA_LONG, QueuedTaskLayout.NR_CPUS_ALLOWED, 2);
        record.set(JAVA_LONG, QueuedTaskLayout.START_TS, now - ran);
        record.set(JAVA_LONG, QueuedTaskLayout.STOP_TS, now);
        record.set(JAVA_LONG, QueuedTaskLayout.EXEC_RUNTIME, ran);
        runTotal[pid] += ran;
        record.set(JAVA_LONG, QueuedTaskLayout.RUN_TOTAL, runTotal[pid]);
        record.set(JAVA_LONG, QueuedTaskLayout.WEIGHT, 100);
        record.set(JAVA_LONG, QueuedTaskLayout.ENQ_CNT, now);
        policy.enqueue(view.wrap(record, 0), now);
    }

    @Benchmark
    public int enqueuePeekPop(ThreadCpuClock clock) {
        clock.ops++;
        enqueue(lastPid, 50_000 + (lastPid & 1023) * 1000);
        policy.peek(out, cpus, now);
        policy.pop();
        lastPid = out.pid;
        return lastPid;
    }
}
