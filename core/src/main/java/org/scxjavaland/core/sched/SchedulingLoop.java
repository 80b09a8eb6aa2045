package org.scxjavaland.core.sched;

import org.scxjavaland.core.policy.CpuView;
import org.scxjavaland.core.policy.SchedulingPolicy;
import org.scxjavaland.core.transport.QueuedTaskHandler;
import org.scxjavaland.core.transport.Transport;
import org.scxjavaland.core.wire.DispatchedTaskLayout;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.QueuedTask;

/**
 * The scheduling thread's loop: drain queued tasks into the policy, send its decisions back, sleep when there is
 * nothing to do. It neither allocates on the Java heap nor makes a syscall per task (the transport decides how it
 * waits). Transport-agnostic: the same loop and policy run over every transport.
 */
public final class SchedulingLoop implements QueuedTaskHandler {
    /** Records taken per drain: bounded so that decisions go out while a burst is still arriving. */
    static final int DRAIN_BATCH = 256;
    /** Sleep when idle: long enough to cost nothing, short enough to notice a stop request promptly. */
    static final long IDLE_WAIT_NS = 100_000_000L;
    /** Sleep when the channel to the kernel was full: the kernel drains it on its next dispatch. */
    static final long BACKLOG_WAIT_NS = 200_000L;

    private final Transport transport;
    private final SchedulingPolicy policy;
    private final CpuView cpus;
    private final ScheduledCountSink scheduledSink;
    private final OverflowQueue overflow;
    private final DispatchedTask decision = new DispatchedTask();
    private final LoopCounters counters = new LoopCounters();
    private final LoopHistograms histograms;
    private long now;

    public SchedulingLoop(Transport transport, SchedulingPolicy policy, CpuView cpus, ScheduledCountSink scheduledSink,
                          int overflowCapacity) {
        this(transport, policy, cpus, scheduledSink, overflowCapacity, new LoopHistograms());
    }

    public SchedulingLoop(Transport transport, SchedulingPolicy policy, CpuView cpus, ScheduledCountSink scheduledSink,
                          int overflowCapacity, LoopHistograms histograms) {
        this.histograms = histograms;
        this.transport = transport;
        this.policy = policy;
        this.cpus = cpus;
        this.scheduledSink = scheduledSink;
        this.overflow = new OverflowQueue(overflowCapacity);
    }

    public SchedulingPolicy policy() {
        return policy;
    }

    public LoopCounters counters() {
        return counters;
    }

    public LoopHistograms histograms() {
        return histograms;
    }

    /** Runs until {@code stop} says so. Returns normally; errors of the native layer propagate. */
    public void run(StopSignal stop) {
        run(stop, BACKLOG_WAIT_NS, IDLE_WAIT_NS);
    }

    /**
     * {@link #run} with the waits given: the runner's rehearsal calls it thousands of times with 0 and 0 on the
     * empty channels, so that the JIT compiles this loop itself before attaching. Entered once and left only at the
     * end, the loop would otherwise run interpreted until an on-stack replacement, which at a wake-up per few
     * records took tens of seconds after attaching (a perf profile of the scheduling thread in observe mode).
     */
    void run(StopSignal stop, long backlogWaitNs, long idleWaitNs) {
        while (!stop.shouldStop()) {
            step(backlogWaitNs, idleWaitNs);
        }
    }

    /**
     * One pass of {@link #run}: a round, then, if it found nothing, the transport's wait (backlogWaitNs while
     * decisions are held back, else idleWaitNs). Returns the round's records plus decisions. The warm-up calls it
     * with 0 and 0, so that the wait's system call is compiled before attaching: interpreted or C1-compiled, FFM's
     * errno capture allocates a segment per call.
     */
    int step(long backlogWaitNs, long idleWaitNs) {
        int n = runOnce();
        if (n == 0) {
            counters.idleWaits++;
            transport.awaitWork(policy.queued() > 0 || !overflow.isEmpty() ? backlogWaitNs : idleWaitNs);
        }
        return n;
    }

    /** One round: drain, decide, send. Returns the records received plus the decisions sent (0 = idle). */
    public int runOnce() {
        now = System.nanoTime();
        int received = transport.drain(this, DRAIN_BATCH);
        int sent = sendOverflow() + sendDecisions();
        scheduledSink.nrScheduled(policy.queued() + overflow.size());
        return received + sent;
    }

    @Override
    public void onTask(QueuedTask task) {
        if (task.isExitNotice()) {
            counters.exitNotices++;
            policy.taskExited(task.pid(), task.uid());
            return;
        }
        counters.taskRecords++;
        if (policy.enqueue(task, now)) {
            return;
        }
        // The policy cannot hold it: back to the kernel's shared queue, at the kernel's own vtime.
        counters.bouncedToShared++;
        decision.set(task.pid(), DispatchedTaskLayout.CPU_ANY, 0, 0, task.vtime(), task.enqCnt());
        if (transport.send(decision)) {
            counters.sent++;
        } else if (overflow.offer(task.pid(), task.vtime(), task.enqCnt())) {
            counters.overflowParked++;
        }
        // If even the overflow buffer is full the task stays queued in the kernel's view until the watchdog
        // ejects the scheduler and the kernel takes every task back; the buffer is sized so this cannot happen
        // with the ring sizes we create (SchedulerRunner.OVERFLOW_CAPACITY).
    }

    private int sendOverflow() {
        int sent = 0;
        while (!overflow.isEmpty()) {
            overflow.peek(decision, DispatchedTaskLayout.CPU_ANY);
            if (!transport.send(decision)) break;
            overflow.pop();
            sent++;
        }
        counters.sent += sent;
        return sent;
    }

    private int sendDecisions() {
        int sent = 0;
        long sentNs = 0;
        while (policy.peek(decision, cpus, now)) {
            if (!transport.send(decision)) break;
            policy.pop();
            if (sentNs == 0) sentNs = System.nanoTime(); // once per batch: the batch goes out within microseconds
            histograms.sent(decision, sentNs);
            sent++;
        }
        counters.policyDecisions += sent;
        counters.sent += sent;
        return sent;
    }

    /** Tasks this loop holds: in the policy, or parked until the channel to the kernel has room. */
    public long held() {
        return policy.queued() + overflow.size();
    }

    /**
     * After detaching: takes the task records still in the channel from user space, without deciding anything (the
     * kernel has taken every task back), and returns how many there were.
     */
    public long drainUnread() {
        long[] n = new long[1];
        QueuedTaskHandler count = task -> {
            if (!task.isExitNotice()) n[0]++;
        };
        // Nothing produces once detached, so this ends when the channel is empty; bounded all the same.
        for (int i = 0; i < 1 << 16 && transport.drain(count, DRAIN_BATCH) > 0; i++) {
            Thread.onSpinWait();
        }
        return n[0];
    }
}
