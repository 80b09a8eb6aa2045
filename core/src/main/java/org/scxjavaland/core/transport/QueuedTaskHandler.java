package org.scxjavaland.core.transport;

import org.scxjavaland.core.wire.QueuedTask;

/** Receives queued-task records from a transport. The view is valid only during the call. */
@FunctionalInterface
public interface QueuedTaskHandler {
    void onTask(QueuedTask task);
}
