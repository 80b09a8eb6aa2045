package org.scxjavaland.daemon.stats;

import org.scxjavaland.core.sched.SchedulerView;
import org.scxjavaland.core.sched.Stat;
import org.scxjavaland.core.sched.StatsSnapshot;
import org.scxjavaland.daemon.DaemonState;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one statistics struct the socket serves (its "top"): the {@link Stat} table's socket fields (scx_rustland's
 * first, with their names and meanings where ours match, then ours), the transport and policy names, then the
 * daemon's own. As in scx_rustland, the dispatch counters are per connection: each answer gives what happened since
 * the previous request on the same connection, which is what a monitor prints per period.
 */
final class StatsStruct {
    static final String NAME = "Metrics";
    static final String DESC = "scx_javaland scheduler statistics";

    /** One field: its scx_stats datum kind ("u64", "string"), and whether it is a per-request difference. */
    record Field(String name, String datum, String desc, boolean delta, Function<StatsSnapshot, Object> value) {
    }

    private static Field u64(String name, String desc, Function<StatsSnapshot, Object> v) {
        return new Field(name, "u64", desc, false, v);
    }

    /** Every stat the socket serves ({@link Stat#socketName()}), in the table's order, then transport and policy. */
    static final List<Field> FIELDS = fields();

    private static List<Field> fields() {
        List<Field> fields = new ArrayList<>();
        for (Stat stat : Stat.values()) {
            switch (stat.socketKind()) {
                case NONE -> {
                }
                case TOTAL -> fields.add(u64(stat.socketName(), stat.description(), s -> s.get(stat)));
                case PER_REQUEST -> fields.add(new Field(stat.socketName(), "u64",
                        stat.description() + " (since the previous request on this connection)", true,
                        s -> s.get(stat)));
            }
        }
        fields.add(new Field("transport", "string", "Transport between BPF and the daemon (ringbuf or fifo)", false,
                StatsSnapshot::transport));
        fields.add(new Field("policy", "string", "Scheduling policy (--policy: deadline, fifo, or one of your own)",
                false, StatsSnapshot::policy));
        return List.copyOf(fields);
    }

    /** Fields not taken from the snapshot: they exist without a session too. */
    static final List<Field> DAEMON_FIELDS = List.of(
            new Field("transport_reason", "string", "Why this transport was chosen", false, s -> ""),
            u64("attached", "1 while the scheduler is attached to the kernel", s -> 0L),
            u64("restarts", "Times the kernel asked for a restart (CPU hotplug) and the daemon reattached", s -> 0L),
            u64("jvm_heap_used_bytes", "Java heap in use by the whole daemon", s -> 0L));

    private StatsStruct() {
    }

    /** The struct's current totals (delta fields not yet differenced), zeros before any session. */
    static Map<String, Object> read(DaemonState state) {
        StatsSnapshot s = state.snapshot();
        Map<String, Object> m = new LinkedHashMap<>();
        for (Field f : FIELDS) m.put(f.name(), s == null ? (f.name().equals("transport") ? state.transport()
                : f.name().equals("policy") ? state.policy() : 0L)
                : f.value().apply(s));
        SchedulerView r = state.runner();
        m.put("transport_reason", state.transportReason());
        m.put("attached", r != null && r.attached() ? 1L : 0L);
        m.put("restarts", r == null ? 0L : (long) r.restarts());
        m.put("jvm_heap_used_bytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        return m;
    }

    /** The answer to "stats_meta": this struct described as scx_stats describes a struct. */
    static Map<String, Object> meta() {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (List<Field> group : List.of(FIELDS, DAEMON_FIELDS)) {
            for (Field f : group) fields.put(f.name(), Map.of("datum", f.datum(), "desc", f.desc()));
        }
        Map<String, Object> struct = new LinkedHashMap<>();
        struct.put("name", NAME);
        struct.put("top", "true");
        struct.put("desc", DESC);
        struct.put("fields", fields);
        return Map.of(NAME, struct);
    }

    /** {@code --help-stats}: every field, its kind and meaning, in the layout scx_stats uses. */
    static String describe() {
        int w = 0;
        for (List<Field> group : List.of(FIELDS, DAEMON_FIELDS)) {
            for (Field f : group) w = Math.max(w, f.name().length());
        }
        StringBuilder sb = new StringBuilder("[" + NAME + "] " + DESC + "\n");
        for (List<Field> group : List.of(FIELDS, DAEMON_FIELDS)) {
            for (Field f : group) {
                sb.append(String.format("  %-" + w + "s %-8s : %s%n", f.name(), "(" + f.datum() + ")", f.desc()));
            }
        }
        return sb.toString();
    }
}
