package org.scxjavaland.core.sched;

import org.scxjavaland.core.policy.PolicyCounters;

/**
 * Every task the kernel gave the daemon, accounted for at the end of a session (run -v prints it): none lost, none
 * decided twice. Three identities, each between counts kept by different sides:
 * <ul>
 *   <li>the channel to user space: records BPF produced = records the loop received + records still unread at
 *       detach (drained then, not decided);</li>
 *   <li>the daemon: records received = decisions sent + records superseded (by a newer one of the same task, or by
 *       its exit) + tasks held at detach (policy, overflow);</li>
 *   <li>the channel back: decisions sent = applied + cancelled (stale, or the task exited) + malformed + still
 *       unread by BPF at detach, which cannot be negative.</li>
 * </ul>
 * Tasks BPF could not hand over (congested) went to its fallback DSQ, counted apart.
 *
 * @param enqueued  records BPF produced (nr_queued)
 * @param congested tasks BPF sent to its fallback DSQ (nr_sched_congested)
 * @param received  task records the loop took (exit notices not included)
 * @param unread    task records still in the channel at detach
 * @param sent      decisions the loop sent
 * @param superseded records the policy dropped undecided for a newer one of the same task or its exit
 * @param held      tasks the loop held at detach
 * @param applied   decisions BPF inserted (nr_user_dispatches)
 * @param cancelled decisions BPF dropped as stale or for a task that had exited (nr_cancel_dispatches)
 * @param failed    malformed decisions (nr_failed_dispatches)
 */
public record Accounting(long enqueued, long congested, long received, long unread, long sent, long superseded,
                         long held, long applied, long cancelled, long failed) {

    static Accounting of(StatsSnapshot s, LoopCounters loop, PolicyCounters policy, long held, long unread) {
        return new Accounting(s.get(Stat.QUEUED), s.get(Stat.CONGESTED), loop.taskRecords, unread, loop.sent,
                policy.superseded, held, s.get(Stat.USER_DISPATCHES), s.get(Stat.CANCEL_DISPATCHES),
                s.get(Stat.FAILED_DISPATCHES));
    }

    /** Decisions sent that BPF had not read when the scheduler detached. */
    public long undrained() {
        return sent - applied - cancelled - failed;
    }

    public boolean ok() {
        return enqueued == received + unread && received == sent + superseded + held && undrained() >= 0;
    }

    public String line() {
        return String.format("accounting %s: enqueued %d = received %d + unread at detach %d; received %d = decided %d"
                        + " + superseded %d + held at detach %d; decided %d = applied %d + cancelled %d + failed %d"
                        + " + unread by BPF %d; congested (fallback DSQ) %d",
                ok() ? "ok" : "MISMATCH", enqueued, received, unread, received, sent, superseded, held, sent, applied,
                cancelled, failed, undrained(), congested);
    }
}
