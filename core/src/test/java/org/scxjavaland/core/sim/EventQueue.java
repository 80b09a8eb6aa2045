package org.scxjavaland.core.sim;

import java.util.PriorityQueue;

/**
 * Virtual time: events run in (time, insertion) order, so two events due at the same instant run in the order they
 * were scheduled and a run is the same for the same seed. Nothing here reads a real clock.
 */
final class EventQueue {
    static final class Event {
        final long time;
        final long seq;
        final Runnable action;
        boolean cancelled;

        private Event(long time, long seq, Runnable action) {
            this.time = time;
            this.seq = seq;
            this.action = action;
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>((a, b) ->
            a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    private long now;
    private long seq;

    long now() {
        return now;
    }

    Event at(long time, Runnable action) {
        if (time < now) throw new IllegalArgumentException("event in the past: " + time + " < " + now);
        Event e = new Event(time, seq++, action);
        queue.add(e);
        return e;
    }

    Event after(long delayNs, Runnable action) {
        return at(now + delayNs, action);
    }

    static void cancel(Event e) {
        if (e != null) e.cancelled = true;
    }

    /** Runs every event due up to and including {@code endNs}; the clock then reads {@code endNs}. */
    void runUntil(long endNs) {
        while (!queue.isEmpty() && queue.peek().time <= endNs) {
            Event e = queue.poll();
            if (e.cancelled) continue;
            now = e.time;
            e.action.run();
        }
        now = Math.max(now, endNs);
    }
}
