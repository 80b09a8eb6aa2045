package org.scxjavaland.daemon;

import org.scxjavaland.core.sched.StopSignal;
import org.scxjavaland.sys.LibC;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT, SIGTERM and SIGHUP ask the loop to stop; the loop then detaches and the daemon exits 0. Handled with
 * sun.misc.Signal rather than a shutdown hook, because a hook runs only after the JVM has decided to exit (with
 * status 130/143/129) while the scheduler must first detach from the kernel in an orderly way.
 * <p>
 * Whatever the disposition the process inherited: a shell script's background job ({@code scx_javaland run &})
 * starts with SIGINT ignored, and the JVM installs no handler for an ignored shutdown signal (Signal.handle then
 * reports SIG_IGN, and the handler would never run). SIGINT and SIGTERM found ignored are reset to SIG_DFL with
 * signal(2) and handled again. SIGHUP is left ignored when it was (nohup, whose whole point that is); otherwise a
 * hangup detaches like SIGTERM, where the JVM's own handler would exit 129 without detaching first.
 */
final class SignalStop implements StopSignal {
    private volatile boolean requested;
    private volatile String signal;

    static SignalStop install() {
        SignalStop s = new SignalStop();
        SignalHandler handler = sig -> {
            if (s.requested) {
                // a second signal: the user insists; the kernel takes every task back when the process dies
                Runtime.getRuntime().halt(130);
            }
            s.signal = "SIG" + sig.getName();
            s.requested = true;
        };
        for (String name : new String[]{"INT", "TERM"}) {
            Signal sig = new Signal(name);
            if (Signal.handle(sig, handler) == SignalHandler.SIG_IGN) {
                LibC.signal(sig.getNumber(), LibC.SIG_DFL);
                if (Signal.handle(sig, handler) == SignalHandler.SIG_IGN) {
                    throw new IllegalStateException("SIG" + name + " stays ignored: cannot handle it");
                }
            }
        }
        Signal.handle(new Signal("HUP"), handler); // stays ignored under nohup
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
