package org.scxjavaland.core.sim;

import org.scxjavaland.core.sched.DaemonWiring;
import org.scxjavaland.core.sched.SchedulingLoop;

/**
 * The daemon's scheduling thread as a simulated task. It runs {@link SchedulingLoop#runOnce} when it gets a CPU, and
 * the round then takes {@link SimParams#roundNs} plus {@link SimParams#perRecordNs} per record of that CPU's time;
 * what the round sent reaches the user ring when that time has passed. After the round it does what
 * {@link SchedulingLoop#run} does: another round if this one did something or records wait (awaitWork returns at
 * once then), else it blocks until a record wakes it (the ring buffer's adaptive wake-up, {@link SimParams#wakeupNs}
 * later) or the loop's wait times out.
 */
final class SimDaemon {
    final SimTask task;
    private final SchedulingLoop loop;
    private final SimTransport transport;
    private final SimRings rings;
    private final SimParams params;
    private final EventQueue events;
    private SchedExtCore kernel;
    private boolean inRound;
    private long roundLeft;
    private int lastResult;
    private EventQueue.Event timeout;
    private boolean wakeInFlight;
    long rounds;
    long timeouts;

    SimDaemon(SimTask task, SchedulingLoop loop, SimTransport transport, SimRings rings, SimParams params,
              EventQueue events) {
        this.task = task;
        this.loop = loop;
        this.transport = transport;
        this.rings = rings;
        this.params = params;
        this.events = events;
    }

    /** Starts blocked, as the loop is once it has found nothing to do. */
    void start(SchedExtCore kernel) {
        this.kernel = kernel;
        waiting();
    }

    /** On a CPU: the round in progress, or a new one. Returns the CPU time it still needs. */
    long onCpu() {
        if (!inRound) beginRound();
        return roundLeft;
    }

    void offCpu(long ran) {
        if (inRound) roundLeft = Math.max(0, roundLeft - ran);
    }

    private void beginRound() {
        long before = transport.counters().received;
        lastResult = loop.runOnce();
        long records = transport.counters().received - before;
        roundLeft = params.roundNs() + params.perRecordNs() * records;
        inRound = true;
        rounds++;
    }

    /** The round's CPU time has passed. Returns the next round's CPU time, or -1 when the loop waits for work. */
    long roundDone() {
        transport.publish();
        inRound = false;
        if (lastResult == 0 && !rings.recordsPending()) return -1;
        beginRound();
        return roundLeft;
    }

    /** Blocked in awaitWork: a record or the timeout wakes it. */
    void waiting() {
        EventQueue.cancel(timeout);
        timeout = events.after(DaemonWiring.awaitTimeoutNs(loop.policy()), () -> {
            timeouts++;
            task.wakerCpu = -1;
            wakeNow();
        });
    }

    /** The ring buffer's irq_work on {@code cpu} (-1: none): the daemon is woken a little later, if it still waits then. */
    void wakeUp(int cpu) {
        if (wakeInFlight) return;
        wakeInFlight = true;
        task.wakerCpu = cpu;
        events.after(params.wakeupNs(), () -> {
            wakeInFlight = false;
            wakeNow();
        });
    }

    private void wakeNow() {
        if (task.onRq) return;
        EventQueue.cancel(timeout);
        timeout = null;
        kernel.tryToWakeUp(task);
    }
}
