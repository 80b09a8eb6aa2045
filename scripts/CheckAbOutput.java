// The checks of scripts/check-ab.sh on the files `scx_javaland ab` wrote, run with the JDK's source launcher and the
// daemon's own JSON reader on the class path: java -cp daemon/target/classes scripts/CheckAbOutput.java JSON HTML [POLICY]
// POLICY (default deadline): the policy ab was told to run; every round's daemon confirmed it, or ab failed.
// Prints one line per check ("check-ab ok ..." / "check-ab FAIL ..."); exits 1 when one fails.
import org.scxjavaland.daemon.stats.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

public class CheckAbOutput {
    static final List<String> TRANSPORTS = List.of("ringbuf", "fifo");
    static final List<String> KEYS = List.of("tasks_per_s", "cpu_ns_per_task", "sched_thread_cpu_ns_per_task",
            "syscalls_per_task", "bpf_calls_per_task", "latency_p50_ns", "latency_p99_ns", "latency_p999_ns",
            "heap_bytes_per_task", "page_faults_per_task", "workload_result");
    static int failed;

    public static void main(String[] args) throws Exception {
        Path json = Path.of(args[0]), html = Path.of(args[1]);
        String policy = args.length > 2 ? args[2] : "deadline";
        check("the JSON file exists", Files.isRegularFile(json) && Files.size(json) > 0, json.toString());
        check("the HTML file exists", Files.isRegularFile(html) && Files.size(html) > 0, html.toString());
        if (failed > 0) System.exit(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> top = (Map<String, Object>) Json.parse(Files.readString(json).strip());
        for (String k : List.of("mode", "kernel", "date", "commit")) {
            check("JSON has " + k, top.get(k) instanceof String s && !s.isBlank(), String.valueOf(top.get(k)));
        }
        check("JSON names the policy " + policy, policy.equals(top.get("policy")), String.valueOf(top.get("policy")));
        check("JSON has the workload's metric", top.get("workload") instanceof Map<?, ?> w && w.get("metric") != null,
                String.valueOf(top.get("workload")));
        for (String t : TRANSPORTS) {
            if (!(top.get(t) instanceof Map<?, ?> m)) {
                check("JSON has " + t, false, "missing");
                continue;
            }
            for (String k : KEYS) {
                String what = t + "." + k;
                if (!(m.get(k) instanceof Map<?, ?> s)) {
                    check(what + " is present", false, "missing");
                    continue;
                }
                boolean ok = true;
                StringBuilder detail = new StringBuilder();
                for (String f : List.of("median", "min", "max")) {
                    Object v = s.get(f);
                    boolean finite = v instanceof Number n && Double.isFinite(n.doubleValue());
                    ok &= finite;
                    detail.append(f).append('=').append(v).append(' ');
                }
                ok &= s.get("values") instanceof List<?> l && !l.isEmpty();
                check(what + " is finite", ok, detail.toString().strip());
            }
            Object tasks = m.get("tasks");
            check(t + " handled tasks", tasks instanceof List<?> l && !l.isEmpty()
                    && l.stream().allMatch(x -> x instanceof Number n && n.longValue() > 0), String.valueOf(tasks));
        }
        check("JSON has ratio_fifo_over_ringbuf", top.get("ratio_fifo_over_ringbuf") instanceof Map<?, ?> r
                && r.keySet().containsAll(KEYS), "");
        String page = Files.readString(html);
        check("the HTML names both transports", page.contains("ringbuf") && page.contains("fifo"), "");
        check("the HTML names the policy", page.contains("policy " + policy + ";"), "");
        check("the HTML has its charts", page.split("<svg", -1).length - 1 >= 2 && page.contains("<polyline"), "");
        check("the HTML loads nothing from elsewhere", !page.contains("http://") || page.replace(
                "http://www.w3.org/2000/svg", "").indexOf("http") < 0, "");
        System.out.println("check-ab: " + (failed == 0 ? "all passed" : failed + " failed"));
        System.exit(failed == 0 ? 0 : 1);
    }

    static void check(String name, boolean ok, String detail) {
        if (!ok) failed++;
        System.out.println("check-ab " + (ok ? "ok   " : "FAIL ") + name + (detail.isEmpty() ? "" : " (" + detail + ")"));
    }
}
