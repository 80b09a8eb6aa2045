package org.scxjavaland.daemon;

import org.scxjavaland.core.sched.StopSignal;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM ask the loop to stop; the loop then detaches and the daemon exits 0. Handled with
 * sun.misc.Signal rather than a shutdown hook, because a hook runs only after the JVM has decided to exit (with
 * status 130/143) while the scheduler must first detach from the kernel in an orderly way.
 */
final class SignalStop implements StopSignal {
    private volatile boolean requested;
    private volatile String signal;

    static SignalStop install() {
        SignalStop s = new SignalStop();
        for (String name : new String[]{"INT", "TERM"}) {
            Signal.handle(new Signal(name), sig -> {
                if (s.requested) {
                    // a second signal: the user insists; the kernel takes every task back when the process dies
                    Runtime.getRuntime().halt(130);
                }
                s.signal = "SIG" + sig.getName();
                s.requested = true;
            });
        }
        return s;
    }

    @Override
    public boolean shouldStop() {
        return requested;
    }

    String signal() {
        return signal;
    }
}
