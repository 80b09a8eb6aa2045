package org.scxjavaland.core.probe;

import java.util.List;

/** {@link SystemFacts} as one JSON object, written by hand (no JSON library on the class path). */
public final class SystemFactsJson {
    private final StringBuilder out = new StringBuilder(1024);
    private boolean first = true;

    private SystemFactsJson() {
    }

    public static String of(SystemFacts f) {
        SystemFactsJson j = new SystemFactsJson();
        j.open();
        j.key("runnable").bool(f.runnable());
        j.key("problems").strings(f.problems());
        j.key("observe").open();
        j.key("possible").bool(f.observable());
        j.key("problems").strings(f.observeProblems());
        j.close();
        j.key("kernel").open();
        j.key("release").str(f.kernel().release());
        j.key("version").str(f.kernel().version());
        j.key("machine").str(f.kernel().machine());
        j.close();
        j.key("sched_ext").open();
        j.key("present").bool(f.schedExt().present());
        j.key("state").str(f.schedExt().state());
        j.key("ops").str(f.schedExt().ops());
        j.key("switch_all").str(f.schedExt().switchAll());
        j.close();
        j.key("btf").open();
        j.key("present").bool(f.btf().present());
        j.key("bytes").num(f.btf().bytes());
        j.close();
        j.key("map_types").supports(f.mapTypes());
        j.key("transports").supports(f.transports());
        j.key("auto").open();
        j.key("transport").str(f.auto().name());
        j.key("reason").str(f.auto().reason());
        j.close();
        Privileges p = f.privileges();
        j.key("privileges").open();
        j.key("euid").num(p.euid());
        j.key("cap_eff").str(p.known() ? Long.toHexString(p.capEff()) : null);
        j.key("cap_sys_admin").bool(p.has(Privileges.CAP_SYS_ADMIN));
        j.key("cap_bpf").bool(p.has(Privileges.CAP_BPF));
        j.key("cap_perfmon").bool(p.has(Privileges.CAP_PERFMON));
        j.key("source").str(p.source());
        j.close();
        j.key("jdk").open();
        j.key("version").str(f.jdk().version());
        j.key("vendor").str(f.jdk().vendor());
        j.key("home").str(f.jdk().home());
        j.close();
        j.key("libbpf").open();
        j.key("loaded").bool(f.libbpf().loaded());
        j.key("version").str(f.libbpf().version());
        j.key("path").str(f.libbpf().path());
        j.key("source").str(f.libbpf().source());
        j.key("error").str(f.libbpf().error());
        j.close();
        j.key("policies").open();
        j.key("chosen").str(f.policies().chosen());
        j.key("problem").str(f.policies().problem());
        j.key("available").policies(f.policies().available());
        j.close();
        j.close();
        return j.out.toString();
    }

    private SystemFactsJson open() {
        out.append('{');
        first = true;
        return this;
    }

    private void close() {
        out.append('}');
        first = false;
    }

    private SystemFactsJson key(String k) {
        if (!first) out.append(',');
        first = false;
        quote(k);
        out.append(':');
        return this;
    }

    private void bool(boolean b) {
        out.append(b);
    }

    private void num(long n) {
        out.append(n);
    }

    private void str(String s) {
        if (s == null) out.append("null");
        else quote(s);
    }

    private void strings(List<String> list) {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) out.append(',');
            quote(list.get(i));
        }
        out.append(']');
    }

    private void supports(List<SystemFacts.Support> list) {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) out.append(',');
            SystemFacts.Support s = list.get(i);
            open();
            key("name").str(s.name());
            key("available").bool(s.available());
            key("cause").str(s.cause());
            close();
        }
        out.append(']');
        first = false;
    }

    private void policies(List<SystemFacts.Policy> list) {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) out.append(',');
            SystemFacts.Policy p = list.get(i);
            open();
            key("name").str(p.name());
            key("description").str(p.description());
            key("jar").str(p.jar());
            close();
        }
        out.append(']');
        first = false;
    }

    private void quote(String s) {
        quote(out, s);
    }

    /** Appends {@code s} as a JSON string (also the daemon's scx_stats answers). */
    public static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }
}
