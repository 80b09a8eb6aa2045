package org.scxjavaland.core.sim;

import org.scxjavaland.core.policy.DeadlinePolicy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The wait bound of docs/policy.md, evaluated for every wait of every task, with the state at the moment the task's
 * decision enters a DSQ ({@code t1}):
 * <pre>
 *   wait(T) &lt;= (t1 - t0) + ipi + (1/C) [ sum over X != T of ((d_T - vlow_X)+ w_X / 100 + s_X + tick)
 *                                      + the scheduling thread's CPU time during the wait ]
 * </pre>
 * {@code t0}: T became runnable; {@code d_T}: its decision's deadline; {@code vlow_X}: a lower bound of X's vruntime
 * (its position less the cap K when it is queued or running, {@code G - S} when it sleeps or its record is on its
 * way); {@code s_X}: X's slice. K, S and the slices are the policy's in force at t1 (less than the configured ones
 * under contention). Also checked, at each decision: {@code d_T <= G + 2K + r_T x 100 / w_T}, with
 * {@code r_T} the run before T's record (step 1 of the derivation). Why both hold is in docs/policy.md; they need
 * every task but the scheduling thread to go through the daemon (no daemon helper threads, no fallback DSQ).
 */
final class WaitBound {
    private final SchedExtCore kernel;
    private final JavalandBpf bpf;
    private final SimRings rings;
    private final SimTransport transport;
    private final DeadlinePolicy policy;
    private final SimParams params;
    private final SimTask schedThread;
    private final List<SimTask> tasks;
    private final Map<SimTask, long[]> pending = new HashMap<>();
    private final Map<SimTask, Double> worst = new HashMap<>();
    private long measureFrom;
    long checked;
    String firstViolation;

    WaitBound(SchedExtCore kernel, JavalandBpf bpf, SimRings rings, SimTransport transport, DeadlinePolicy policy,
              SimParams params, SimTask schedThread, List<SimTask> tasks) {
        this.kernel = kernel;
        this.bpf = bpf;
        this.rings = rings;
        this.transport = transport;
        this.policy = policy;
        this.params = params;
        this.schedThread = schedThread;
        this.tasks = tasks;
    }

    void measureFrom(long ns) {
        measureFrom = ns;
    }

    /** T's decision is in a DSQ: the bound from here on, less the scheduling thread's CPU time, added at the end. */
    void decided(SimTask t) {
        if (t.runnableSince < measureFrom) return;
        long now = kernel.now();
        long k = policy.capNs();
        long s = policy.creditNs();
        long g = policy.globalVruntime();
        // step 1 of the derivation: the deadline is at most 2K past the clock, plus the charge of what the last
        // record reported it ran
        long lastRun = t.lastRecordRun;
        if (t.deadline - g > 2 * k + lastRun * 100 / t.weight && firstViolation == null) {
            firstViolation = String.format("%s got deadline %d with the clock at %d: more than 2K + %.3f ms of charge",
                    t, t.deadline, g, lastRun * 100.0 / t.weight / 1e6);
        }
        Map<Integer, Long> undrained = new HashMap<>();
        for (SimRings.Decision d : rings.dispatched) undrained.put(d.pid(), d.vtime());
        for (SimRings.Decision d : transport.pending()) undrained.put(d.pid(), d.vtime());
        double sum = 0;
        for (SimTask x : tasks) {
            if (x == t) continue;
            if (x.daemonThread || x.dsq == bpf.fallback) {
                throw new IllegalStateException("the wait bound needs every task to go through the daemon: " + x);
            }
            long vlow;
            if (kernel.isRunning(x)) {
                vlow = x.deadline + (now - x.startTs) * 100 / x.weight - k;
            } else if (x.dsq != null) {
                vlow = x.dsqVtime - k;
            } else if (undrained.containsKey(x.pid)) {
                vlow = undrained.get(x.pid) - k;
            } else {
                vlow = g - s;
            }
            sum += Math.max(0, t.deadline - vlow) * (double) x.weight / 100 + sliceOf(x) + params.tickNs();
        }
        long staticPart = (now - t.runnableSince) + params.ipiNs() + (long) (sum / params.nrCpus());
        pending.put(t, new long[]{t.runnableSince, staticPart, kernel.cpuTimeNow(schedThread)});
    }

    /** T runs: its wait against its bound. */
    void started(SimTask t) {
        long[] p = pending.remove(t);
        if (p == null) return;
        long wait = kernel.now() - p[0];
        long bound = p[1] + (kernel.cpuTimeNow(schedThread) - p[2]) / params.nrCpus();
        checked++;
        worst.merge(t, (double) wait / bound, Math::max);
        if (wait > bound && firstViolation == null) {
            firstViolation = String.format("%s waited %.3f ms from %.3f ms, bound %.3f ms", t, wait / 1e6,
                    p[0] / 1e6, bound / 1e6);
        }
    }

    private long sliceOf(SimTask x) {
        return Math.max(policy.params().sliceMinNs(), Math.min(policy.maxSliceNs(), policy.maxSliceNs() / 100 * x.weight));
    }

    /** The largest wait / bound of the task's waits (0 when none was checked). */
    double worstRatio(SimTask t) {
        return worst.getOrDefault(t, 0.0);
    }
}
