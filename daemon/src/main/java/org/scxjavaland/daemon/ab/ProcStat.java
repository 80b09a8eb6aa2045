package org.scxjavaland.daemon.ab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time and page faults of a process or one of its threads, from /proc/PID/stat or /proc/PID/task/TID/stat
 * (proc(5): minflt is field 10, majflt 12, utime 14, stime 15, in clock ticks).
 */
public record ProcStat(long cpuNs, long faults) {
    /** USER_HZ: 100 on every x86-64 Linux (sysconf(_SC_CLK_TCK)); the kernel fixes it for the ABI. */
    private static final long NS_PER_TICK = 10_000_000L;

    public static ProcStat ofProcess(long pid) throws IOException {
        return parse(Files.readString(Path.of("/proc/" + pid + "/stat")));
    }

    public static ProcStat ofThread(long pid, long tid) throws IOException {
        return parse(Files.readString(Path.of("/proc/" + pid + "/task/" + tid + "/stat")));
    }

    static ProcStat parse(String stat) {
        // The command name (field 2) may hold spaces and parentheses: the fields after it follow the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state), so field n is f[n - 3].
        long minflt = Long.parseLong(f[10 - 3]), majflt = Long.parseLong(f[12 - 3]);
        long utime = Long.parseLong(f[14 - 3]), stime = Long.parseLong(f[15 - 3]);
        return new ProcStat((utime + stime) * NS_PER_TICK, minflt + majflt);
    }

    public ProcStat minus(ProcStat before) {
        return new ProcStat(cpuNs - before.cpuNs, faults - before.faults);
    }
}
