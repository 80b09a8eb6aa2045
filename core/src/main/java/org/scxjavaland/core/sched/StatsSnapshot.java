package org.scxjavaland.core.sched;

import java.util.function.LongUnaryOperator;

/**
 * Every {@link Stat} of a running scheduler at one moment: the one read point for {@code --stats}, the summary line,
 * the scx_stats socket and the Prometheus meters. BPF's stats come from {@code .data.stats}; the others from the
 * loop, the transport and the policy. Immutable; built with {@link #builder}.
 */
public final class StatsSnapshot {
    private static final Stat[] STATS = Stat.values();

    private final String transport;
    private final String policy;
    private final long[] values;
    private final ObserveSnapshot observe;

    private StatsSnapshot(String transport, String policy, long[] values, ObserveSnapshot observe) {
        this.transport = transport;
        this.policy = policy;
        this.values = values;
        this.observe = observe;
    }

    public static Builder builder(String transport, String policy) {
        return new Builder(transport, policy);
    }

    public String transport() {
        return transport;
    }

    public String policy() {
        return policy;
    }

    public long get(Stat stat) {
        return values[stat.ordinal()];
    }

    /** The observer's counters, or null when the scheduler is not {@code observe}. */
    public ObserveSnapshot observe() {
        return observe;
    }

    /** One line in the spirit of scx_rustland's; counters that move are shown per period when a previous one exists. */
    public String line(StatsSnapshot prev) {
        String line = String.format("[javaland] %s policy=%s | tasks r: %d/%d held: %d tracked: %d exited: %d | in: %d | dispatch u: %d k: %d d: %d c: %d b: %d f: %d"
                        + " p: %d | cg: %d full: %d arena: %d | pf: %d alloc: %d B | w: %d clock: %.3f s",
                transport, policy, get(Stat.RUNNING), get(Stat.ONLINE_CPUS), get(Stat.HELD), get(Stat.TASKS_TRACKED),
                delta(Stat.EXITS, prev), delta(Stat.RECEIVED, prev), delta(Stat.USER_DISPATCHES, prev),
                delta(Stat.KERNEL_DISPATCHES, prev), delta(Stat.DIRECT_WAKEUPS, prev),
                get(Stat.CANCEL_DISPATCHES), get(Stat.BOUNCE_DISPATCHES), get(Stat.FAILED_DISPATCHES),
                delta(Stat.PREEMPT_KICKS, prev), get(Stat.CONGESTED), get(Stat.DECISIONS_REFUSED),
                get(Stat.ARENA_FAILURES), get(Stat.PAGE_FAULTS), get(Stat.ALLOCATED_BYTES), get(Stat.RUNNABLE_WEIGHT),
                get(Stat.VTIME_NOW) / 1e9);
        // Rare by design (pid reuse within an exit notice's delay, a full table): shown only once one has happened.
        long reused = get(Stat.REUSED_PIDS), late = get(Stat.LATE_EXIT_NOTICES), reclaimed = get(Stat.RECLAIMED);
        if (reused != 0 || late != 0 || reclaimed != 0) {
            line += String.format(" | pid reuse: %d late exits: %d reclaimed: %d", reused, late, reclaimed);
        }
        return observe == null ? line : line + " " + observe.line(prev == null ? null : prev.observe);
    }

    /** {@code key=value} for every stat with a summary key, in the table's order, each after a space. */
    public String summaryFields() {
        StringBuilder sb = new StringBuilder();
        for (Stat s : STATS) {
            if (s.summaryKey() != null) sb.append(' ').append(s.summaryKey()).append('=').append(get(s));
        }
        return sb.toString();
    }

    private long delta(Stat stat, StatsSnapshot prev) {
        return get(stat) - (prev == null ? 0 : prev.get(stat));
    }

    /** Collects one value per stat; a stat never set reads 0. */
    public static final class Builder {
        private final String transport;
        private final String policy;
        private final long[] values = new long[STATS.length];
        private ObserveSnapshot observe;

        private Builder(String transport, String policy) {
            this.transport = transport;
            this.policy = policy;
        }

        /** The value set or read so far (0 if none). */
        public long get(Stat stat) {
            return values[stat.ordinal()];
        }

        public Builder set(Stat stat, long value) {
            values[stat.ordinal()] = value;
            return this;
        }

        /** Every stat BPF keeps, read by its offset in {@code .data.stats}. */
        public Builder readBpf(LongUnaryOperator fieldAtOffset) {
            for (Stat s : STATS) {
                if (s.fromBpf()) values[s.ordinal()] = fieldAtOffset.applyAsLong(s.bpfOffset());
            }
            return this;
        }

        public Builder observe(ObserveSnapshot observe) {
            this.observe = observe;
            return this;
        }

        public StatsSnapshot build() {
            return new StatsSnapshot(transport, policy, values.clone(), observe);
        }
    }
}
