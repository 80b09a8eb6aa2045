package org.scxjavaland.transport.fifo;

/**
 * How long the scheduling thread sleeps between polls of a queue map, which cannot be waited on (no map_poll).
 * After work, a few immediate retries catch the tail of a burst; then sleeps double from {@code minSleepNs} to
 * {@code maxSleepNs}; any work resets the ladder. The cap bounds both the idle cost (at most one empty pop per
 * cap) and the extra latency of a task that arrives while the thread sleeps. Not thread-safe.
 */
final class Backoff {
    static final int DEFAULT_SPINS = 4;
    static final long DEFAULT_MIN_SLEEP_NS = 50_000L;
    static final long DEFAULT_MAX_SLEEP_NS = 1_000_000L;

    private final int spins;
    private final long minSleepNs;
    private final long maxSleepNs;
    private int spinsLeft;
    private long nextSleepNs;

    Backoff(int spins, long minSleepNs, long maxSleepNs) {
        if (spins < 0 || minSleepNs <= 0 || maxSleepNs < minSleepNs) {
            throw new IllegalArgumentException("bad back-off: spins=" + spins + ", min=" + minSleepNs + ", max=" + maxSleepNs);
        }
        this.spins = spins;
        this.minSleepNs = minSleepNs;
        this.maxSleepNs = maxSleepNs;
        reset();
    }

    /** Work was seen: start again with immediate retries and the shortest sleep. */
    void reset() {
        spinsLeft = spins;
        nextSleepNs = minSleepNs;
    }

    /**
     * The next idle wait, at most {@code timeoutNs}: 0 means retry at once (spin), otherwise sleep this long. Each
     * call without an intervening {@link #reset()} moves one step up the ladder.
     */
    long next(long timeoutNs) {
        if (timeoutNs <= 0) return 0;
        if (spinsLeft > 0) {
            spinsLeft--;
            return 0;
        }
        long sleep = Math.min(nextSleepNs, timeoutNs);
        nextSleepNs = Math.min(nextSleepNs * 2, maxSleepNs);
        return sleep;
    }

    long maxSleepNs() {
        return maxSleepNs;
    }
}
