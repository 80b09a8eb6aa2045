package org.scxjavaland.core.sched;

/**
 * Why the kernel stopped the scheduler, as ops.exit recorded it in .data.uei (struct scx_jl_exit_info).
 *
 * @param kind     SCX_EXIT_*; 0 = still running
 * @param exitCode user code | reason << 32 | action << 48
 * @param dump     the kernel's state dump at an ejection (every CPU's current and queued tasks), "" when none
 */
public record ExitInfo(int kind, long exitCode, String reason, String message, String dump) {
    public static final int NONE = 0;
    public static final int DONE = 1;
    public static final int UNREG = 64;
    public static final int UNREG_BPF = 65;
    public static final int UNREG_KERN = 66;
    public static final int SYSRQ = 67;
    public static final int ERROR = 1024;
    public static final int ERROR_BPF = 1025;
    public static final int ERROR_STALL = 1026;
    static final long ACT_RESTART = 1L << 48;
    static final long RSN_HOTPLUG = 1L << 32;

    public static final ExitInfo RUNNING = new ExitInfo(NONE, 0, "", "", "");
    /** How an observer session ends: no kernel scheduler to report anything, the daemon detached it. */
    public static final ExitInfo OBSERVER_DETACHED = new ExitInfo(UNREG, 0, "observer detached", "", "");

    public boolean exited() {
        return kind != NONE;
    }

    /** Errors (stall, BPF error) end the daemon with a failure; everything below is an orderly exit. */
    public boolean isError() {
        return kind >= ERROR;
    }

    /** The kernel asks for a restart (e.g. CPU hotplug): the daemon reattaches in-process. */
    public boolean shouldRestart() {
        return (kind == UNREG_BPF || kind == UNREG_KERN) && (exitCode & ACT_RESTART) != 0;
    }

    public String kindName() {
        return switch (kind) {
            case NONE -> "none";
            case DONE -> "done";
            case UNREG -> "unregistered from user space";
            case UNREG_BPF -> "unregistered from BPF";
            case UNREG_KERN -> "unregistered by the kernel";
            case SYSRQ -> "disabled by sysrq";
            case ERROR -> "runtime error";
            case ERROR_BPF -> "BPF scheduler error";
            case ERROR_STALL -> "runnable task stall";
            default -> "kind " + kind;
        };
    }

    public String describe() {
        StringBuilder sb = new StringBuilder(kindName());
        if (!reason.isEmpty() && !reason.equals(kindName())) sb.append(": ").append(reason);
        if (!message.isEmpty()) sb.append(" (").append(message).append(')');
        if ((exitCode & RSN_HOTPLUG) != 0) sb.append(" [cpu hotplug]");
        return sb.toString();
    }
}
