package org.scxjavaland.daemon;

import org.scxjavaland.core.sched.SchedulerView;
import org.scxjavaland.core.sched.StatsSnapshot;

/**
 * What the daemon's observers (the scx_stats socket, the metrics endpoint) read: the runner once there is one, and
 * the transport chosen and why. Set by the command on its thread, read from theirs.
 */
public final class DaemonState {
    private final String version;
    private final String opsName;
    private volatile SchedulerView runner;
    private volatile String transport = "";
    private volatile String transportReason = "";
    private volatile String policy = "";

    public DaemonState(String version, String opsName) {
        this.version = version;
        this.opsName = opsName;
    }

    public void transport(String name, String reason) {
        this.transport = name;
        this.transportReason = reason;
    }

    public void runner(SchedulerView r) {
        this.runner = r;
    }

    /** Null before the runner exists. */
    public SchedulerView runner() {
        return runner;
    }

    /** The runner's counters, or null before the first session and between sessions. */
    public StatsSnapshot snapshot() {
        SchedulerView r = runner;
        return r == null ? null : r.snapshot();
    }

    /** The policy's name ({@code --policy}), once the command line is checked. */
    public void policy(String name) {
        this.policy = name;
    }

    public String policy() {
        return policy;
    }

    public String transport() {
        return transport;
    }

    public String transportReason() {
        return transportReason;
    }

    public String version() {
        return version;
    }

    public String opsName() {
        return opsName;
    }
}
