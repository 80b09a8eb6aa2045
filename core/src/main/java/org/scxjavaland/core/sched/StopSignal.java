package org.scxjavaland.core.sched;

/** Asked once per loop iteration; must be cheap and allocation-free (a volatile read or two). */
@FunctionalInterface
public interface StopSignal {
    boolean shouldStop();
}
