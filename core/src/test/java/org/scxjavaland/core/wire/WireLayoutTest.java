package org.scxjavaland.core.wire;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Java twin of an intf.h struct against the C compiler's view of the header: bpf-src's layout-dump writes
 * {@code <struct>.size} and {@code <struct>.<field>=<offset>} into intf-layout.properties. Field sizes follow
 * from the offsets because intf.h has explicit padding (no hole the compiler adds).
 */
class WireLayoutTest {
    private static final String RESOURCE = "/org/scxjavaland/bpf/intf-layout.properties";

    private static final Map<String, StructLayout> TWINS = new LinkedHashMap<>();

    static {
        TWINS.put("scx_jl_queued_task", QueuedTaskLayout.LAYOUT);
        TWINS.put("scx_jl_dispatched_task", DispatchedTaskLayout.LAYOUT);
        TWINS.put("scx_jl_config", ConfigLayout.LAYOUT);
        TWINS.put("scx_jl_stats", StatsLayout.LAYOUT);
        TWINS.put("scx_jl_exit_info", ExitInfoLayout.LAYOUT);
        TWINS.put("scx_jl_observe_stats", ObserveStatsLayout.LAYOUT);
        TWINS.put("scx_jl_harness_ctx", HarnessCtxLayout.LAYOUT);
    }

    /** struct name -> (field name -> offset), plus its size. */
    private static final Map<String, Map<String, Long>> C_FIELDS = new TreeMap<>();
    private static final Map<String, Long> C_SIZES = new TreeMap<>();

    @BeforeAll
    static void readDump() throws IOException {
        Properties p = new Properties();
        try (InputStream in = WireLayoutTest.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, RESOURCE + " is not on the class path: bpf-src must be built (make -C bpf-src)");
            p.load(in);
        }
        for (String key : p.stringPropertyNames()) {
            int dot = key.indexOf('.');
            assertTrue(dot > 0, "malformed key " + key);
            String struct = key.substring(0, dot), field = key.substring(dot + 1);
            long value = Long.parseLong(p.getProperty(key).trim());
            if (struct.equals("const")) C_FIELDS.computeIfAbsent(struct, k -> new TreeMap<>()).put(field, value);
            else if (field.equals("size")) C_SIZES.put(struct, value);
            else C_FIELDS.computeIfAbsent(struct, k -> new LinkedHashMap<>()).put(field, value);
        }
        assertTrue(!C_SIZES.isEmpty(), RESOURCE + " lists no struct");
    }

    @Test
    void everyCStructHasAJavaTwinAndViceVersa() {
        assertEquals(new TreeMap<>(C_SIZES).keySet(), new TreeMap<>(TWINS).keySet(),
                "structs in intf.h (left) vs Java twins (right)");
    }

    @Test
    void sizesMatch() {
        for (var e : TWINS.entrySet()) {
            assertEquals(C_SIZES.get(e.getKey()), e.getValue().byteSize(), e.getKey() + " size");
        }
    }

    @Test
    void everyFieldHasTheSameOffsetAndSize() {
        List<String> problems = new ArrayList<>();
        for (var e : TWINS.entrySet()) {
            String struct = e.getKey();
            Map<String, Long> c = C_FIELDS.getOrDefault(struct, Map.of());
            Map<String, long[]> java = javaFields(e.getValue());
            for (String f : c.keySet()) {
                if (!java.containsKey(f)) problems.add(struct + "." + f + " is in intf.h but not in the Java twin");
            }
            for (String f : java.keySet()) {
                if (!c.containsKey(f)) problems.add(struct + "." + f + " is in the Java twin but not in intf.h");
            }
            long size = C_SIZES.getOrDefault(struct, -1L);
            List<Map.Entry<String, Long>> byOffset = new ArrayList<>(c.entrySet());
            byOffset.sort(Map.Entry.comparingByValue(Comparator.naturalOrder()));
            for (int i = 0; i < byOffset.size(); i++) {
                String f = byOffset.get(i).getKey();
                long off = byOffset.get(i).getValue();
                long end = i + 1 < byOffset.size() ? byOffset.get(i + 1).getValue() : size;
                long[] j = java.get(f);
                if (j == null) continue;
                if (j[0] != off) problems.add(struct + "." + f + ": C offset " + off + ", Java " + j[0]);
                if (j[1] != end - off) problems.add(struct + "." + f + ": C size " + (end - off) + ", Java " + j[1]);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /**
     * Every {@code #define SCX_JL_*} of intf.h is dumped by layout-dump (so a new one cannot be forgotten there), and
     * each one Java uses has the same value in its Java twin. The DSQ ids and IDLE_WORDS are BPF's alone.
     */
    @Test
    void everyConstantOfTheSeamHasTheSameValueOnBothSides() throws IOException {
        Map<String, Long> c = C_FIELDS.getOrDefault("const", Map.of());
        java.util.Set<String> defined = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^#define\\s+(SCX_JL_\\w+)\\s+\\S")
                .matcher(java.nio.file.Files.readString(java.nio.file.Path.of("../bpf-src/include/intf.h")));
        while (m.find()) defined.add(m.group(1));
        assertEquals(defined, new java.util.TreeSet<>(c.keySet()), "#defines in intf.h (left) vs dumped (right)");

        Map<String, Long> java = new TreeMap<>();
        java.put("SCX_JL_MAX_CPUS", (long) StatsLayout.MAX_CPUS);
        java.put("SCX_JL_IDLE_WORDS", (long) StatsLayout.IDLE_WORDS);
        java.put("SCX_JL_COMM_LEN", (long) QueuedTaskLayout.COMM_LEN);
        java.put("SCX_JL_CPU_ANY", (long) DispatchedTaskLayout.CPU_ANY);
        java.put("SCX_JL_CPU_EXITED", (long) QueuedTaskLayout.CPU_EXITED);
        java.put("SCX_JL_TRANSPORT_RINGBUF", (long) ConfigLayout.TRANSPORT_RINGBUF);
        java.put("SCX_JL_TRANSPORT_FIFO", (long) ConfigLayout.TRANSPORT_FIFO);
        java.put("SCX_JL_DF_PREEMPT", DispatchedTaskLayout.DF_PREEMPT);
        java.put("SCX_JL_EXIT_REASON_LEN", (long) ExitInfoLayout.REASON_LEN);
        java.put("SCX_JL_EXIT_MSG_LEN", (long) ExitInfoLayout.MSG_LEN);
        java.put("SCX_JL_EXIT_DUMP_LEN", (long) ExitInfoLayout.DUMP_LEN);
        java.put("SCX_JL_LAT_SUB_BITS", (long) ObserveStatsLayout.LAT_SUB_BITS);
        java.put("SCX_JL_LAT_BUCKETS", (long) ObserveStatsLayout.LAT_BUCKETS);
        java.put("SCX_JL_HARNESS_OP_PRODUCE", (long) HarnessCtxLayout.OP_PRODUCE);
        java.put("SCX_JL_HARNESS_OP_DRAIN", (long) HarnessCtxLayout.OP_DRAIN);
        java.put("SCX_JL_HARNESS_OP_PRODUCE_INPUT", (long) HarnessCtxLayout.OP_PRODUCE_INPUT);
        java.put("SCX_JL_HARNESS_INPUT_MAX", (long) HarnessCtxLayout.INPUT_MAX);
        List<String> problems = new ArrayList<>();
        for (var e : java.entrySet()) {
            Long v = c.get(e.getKey());
            if (!e.getValue().equals(v)) problems.add(e.getKey() + ": C " + v + ", Java " + e.getValue());
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theConstantsOfEachTwinAgreeWithItsLayout() {
        assertEquals(112, QueuedTaskLayout.SIZE);
        assertEquals(40, DispatchedTaskLayout.SIZE);
        assertEquals(C_FIELDS.get("scx_jl_queued_task").get("enq_cnt"), QueuedTaskLayout.ENQ_CNT);
        assertEquals(C_FIELDS.get("scx_jl_queued_task").get("comm"), QueuedTaskLayout.COMM);
        assertEquals(C_FIELDS.get("scx_jl_dispatched_task").get("enq_cnt"), DispatchedTaskLayout.ENQ_CNT);
        assertEquals(C_FIELDS.get("scx_jl_config").get("transport"), ConfigLayout.TRANSPORT);
        assertEquals(C_FIELDS.get("scx_jl_config").get("ops_off_name"), ConfigLayout.OPS_OFF_NAME);
        assertEquals(C_FIELDS.get("scx_jl_stats").get("nr_scheduled"), StatsLayout.NR_SCHEDULED);
        assertEquals(C_FIELDS.get("scx_jl_stats").get("idle_cpus"), StatsLayout.IDLE_CPUS);
        assertEquals(C_FIELDS.get("scx_jl_exit_info").get("msg"), ExitInfoLayout.MSG);
        assertEquals(C_FIELDS.get("scx_jl_exit_info").get("dump"), ExitInfoLayout.DUMP);
        assertEquals(C_FIELDS.get("scx_jl_observe_stats").get("stop_producing"), ObserveStatsLayout.STOP_PRODUCING);
        assertEquals(C_FIELDS.get("scx_jl_observe_stats").get("latency_hist"), ObserveStatsLayout.LATENCY_HIST);
        assertEquals(C_FIELDS.get("scx_jl_harness_ctx").get("checksum"), HarnessCtxLayout.CHECKSUM);
    }

    /** name -> {offset, size} of the named, non-padding members. */
    private static Map<String, long[]> javaFields(StructLayout layout) {
        Map<String, long[]> out = new LinkedHashMap<>();
        long off = 0;
        for (MemoryLayout m : layout.memberLayouts()) {
            if (!(m instanceof PaddingLayout)) {
                out.put(m.name().orElseThrow(() -> new AssertionError("unnamed member in " + layout)),
                        new long[] {off, m.byteSize()});
            }
            off += m.byteSize();
        }
        return out;
    }
}
