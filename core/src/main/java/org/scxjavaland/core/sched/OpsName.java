package org.scxjavaland.core.sched;

/**
 * The kernel-visible name of the scheduler ({@code sched_ext_ops.name}): "javaland_" and the version, as the scx
 * schedulers do, so that the kernel log and /sys/kernel/sched_ext/root/ops say which build ran. The kernel copies
 * it with bpf_obj_name_cpy, which refuses anything but letters, digits, '_' and '.', and it must fit
 * SCX_OPS_NAME_LEN (128, with the NUL).
 */
public final class OpsName {
    public static final String BASE = "javaland";
    /** SCX_OPS_NAME_LEN in the kernel's sched_ext_ops (vmlinux.h), NUL included. */
    public static final int MAX_LEN = 128 - 1;

    private OpsName() {
    }

    /** "javaland_VERSION" with every character the kernel refuses turned into '_'; "javaland" without a version. */
    public static String of(String version) {
        if (version == null || version.isBlank()) return BASE;
        StringBuilder sb = new StringBuilder(BASE).append('_');
        for (char c : version.trim().toCharArray()) sb.append(allowed(c) ? c : '_');
        return sb.length() > MAX_LEN ? sb.substring(0, MAX_LEN) : sb.toString();
    }

    static void check(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LEN
                || !name.chars().allMatch(c -> allowed((char) c))) {
            throw new IllegalArgumentException("ops name '" + name + "': 1.." + MAX_LEN
                    + " characters of [A-Za-z0-9_.] (the kernel's rule)");
        }
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    }
}
