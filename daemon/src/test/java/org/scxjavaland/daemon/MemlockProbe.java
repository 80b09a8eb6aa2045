package org.scxjavaland.daemon;

import org.scxjavaland.core.probe.Privileges;
import org.scxjavaland.core.sched.ProcessHygiene;
import org.scxjavaland.sys.LibC;

/**
 * A child process for {@link MemlockLimitTest}: lifts RLIMIT_MEMLOCK as the daemon does before attaching
 * ({@link ProcessHygiene#raiseMemlockLimit}, with this process's own CAP_IPC_LOCK) and prints what it saw: its
 * capabilities, the warning (or "warning: none") and the limit afterwards as "limit: soft hard" (-1 = unlimited).
 */
public final class MemlockProbe {
    private MemlockProbe() {
    }

    public static void main(String[] args) {
        Privileges privileges = Privileges.ofThisProcess();
        System.out.println("ipc_lock: " + privileges.has(Privileges.CAP_IPC_LOCK)
                + " sys_resource: " + privileges.has(Privileges.CAP_SYS_RESOURCE));
        System.out.println(ProcessHygiene.raiseMemlockLimit(privileges.has(Privileges.CAP_IPC_LOCK))
                .orElse("warning: none"));
        LibC.RLimit limit = LibC.getrlimit(LibC.RLIMIT_MEMLOCK);
        System.out.println("limit: " + limit.current() + " " + limit.max());
    }
}
