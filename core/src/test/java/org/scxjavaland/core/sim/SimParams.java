package org.scxjavaland.core.sim;

import org.scxjavaland.core.wire.DispatchedTaskLayout;
import org.scxjavaland.core.wire.QueuedTaskLayout;

/**
 * The simulated machine: what the simulator cannot take from the code it runs.
 *
 * @param nrCpus            CPUs
 * @param tickNs            scheduler tick: a slice that ran out is noticed at the next one (HZ=250 in Debian's kernel)
 * @param ipiNs             from a kick or a remote resched_curr to the target CPU running schedule()
 * @param wakeupNs          from a record produced with the daemon waiting to the daemon being enqueued (the ring
 *                          buffer's irq_work, then try_to_wake_up)
 * @param roundNs           CPU time of one loop round of the daemon, besides its records
 * @param perRecordNs       CPU time per record drained in a round
 * @param heartbeatNs       the BPF heartbeat timer (jl_config.heartbeat_ms)
 * @param recordRingSlots   records the kernel-to-user ring holds (64 KiB / (record + 8 bytes of header))
 * @param decisionRingSlots decisions the user ring holds (64 KiB / (40 + 8))
 * @param seed              every random choice (sleep jitter, the fallback's 1-in-4, initial CPUs)
 */
public record SimParams(int nrCpus, long tickNs, long ipiNs, long wakeupNs, long roundNs, long perRecordNs,
                        long heartbeatNs, int recordRingSlots, int decisionRingSlots, long seed) {
    static final long US = 1_000L;
    static final long MS = 1_000_000L;

    public SimParams {
        if (nrCpus < 1 || tickNs <= 0 || ipiNs < 0 || wakeupNs < 0 || roundNs < 0 || perRecordNs < 0
                || heartbeatNs <= 0 || recordRingSlots < 1 || decisionRingSlots < 1) {
            throw new IllegalArgumentException("bad simulation parameters: " + this);
        }
    }

    /**
     * A 4 ms tick (HZ=250), 10 µs for an IPI and for the daemon's wake-up, 20 µs per loop round plus 5 µs per record,
     * the 100 ms heartbeat, rings of the default 64 KiB.
     */
    public static SimParams of(int nrCpus, long seed) {
        return new SimParams(nrCpus, 4 * MS, 10 * US, 10 * US, 20 * US, 5 * US, 100 * MS,
                (int) (65536 / (QueuedTaskLayout.SIZE + 8)), (int) (65536 / (DispatchedTaskLayout.SIZE + 8)), seed);
    }

    public SimParams withTickNs(long ns) {
        return new SimParams(nrCpus, ns, ipiNs, wakeupNs, roundNs, perRecordNs, heartbeatNs, recordRingSlots,
                decisionRingSlots, seed);
    }

    public SimParams withLatencies(long ipi, long wakeup) {
        return new SimParams(nrCpus, tickNs, ipi, wakeup, roundNs, perRecordNs, heartbeatNs, recordRingSlots,
                decisionRingSlots, seed);
    }

    public SimParams withRoundCost(long round, long perRecord) {
        return new SimParams(nrCpus, tickNs, ipiNs, wakeupNs, round, perRecord, heartbeatNs, recordRingSlots,
                decisionRingSlots, seed);
    }

    public SimParams withRecordRingSlots(int slots) {
        return new SimParams(nrCpus, tickNs, ipiNs, wakeupNs, roundNs, perRecordNs, heartbeatNs, slots,
                decisionRingSlots, seed);
    }
}
