package org.scxjavaland.core.sched;

import java.util.Locale;

/**
 * Which program set of the observer is attached to the scheduler tracepoints: {@code tp_btf} (BTF-typed
 * arguments, the kernel's preferred way) or {@code raw_tp} (raw tracepoints, for kernels whose BTF does not describe
 * the tracepoints or that lack BPF_PROG_TYPE_TRACING). {@code auto} takes tp_btf where it loads, raw_tp otherwise.
 */
public enum Tracepoints {
    AUTO("auto", null),
    BTF("btf", "obs_btf_"),
    RAW("raw", "obs_raw_");

    /** The tracepoints observed, by the suffix of their programs' names in observe.bpf.c. */
    static final String[] PROGRAMS = {"wakeup", "wakeup_new", "switch", "exit"};

    private final String optionName;
    private final String programPrefix;

    Tracepoints(String optionName, String programPrefix) {
        this.optionName = optionName;
        this.programPrefix = programPrefix;
    }

    public String optionName() {
        return optionName;
    }

    /** The section prefix users know it by: tp_btf or raw_tp. */
    public String kind() {
        return this == BTF ? "tp_btf" : this == RAW ? "raw_tp" : "auto";
    }

    String programPrefix() {
        return programPrefix;
    }

    /** {@code --tracepoints} values: auto, btf, raw. */
    public static Tracepoints parse(String s) {
        for (Tracepoints t : values()) {
            if (t.optionName.equals(s.toLowerCase(Locale.ROOT))) return t;
        }
        throw new IllegalArgumentException("unknown tracepoint kind '" + s + "' (choose from: auto, btf, raw)");
    }
}
