package org.scxjavaland.transport.ringbuf;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scxjavaland.core.transport.QueuedTaskHandler;
import org.scxjavaland.core.transport.TransportCounters;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.DispatchedTaskLayout;
import org.scxjavaland.core.wire.QueuedTask;
import org.scxjavaland.core.wire.QueuedTaskLayout;
import org.scxjavaland.sys.LibC;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.SplittableRandom;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both ends of the ring protocol facing whatever the shared memory may hold: 10^6 seeded random cases each, on a
 * one-page memfd ring laid out like the kernel's. The cases are well-formed record runs (random lengths, short
 * records, DISCARD, random payloads and so pids nobody knows), then one of: a BUSY header left set, a header
 * replaced by a random word, a length beyond the ring or beyond what the producer published, garbage positions
 * (not 8-aligned, consumer ahead of the producer, the two further apart than the ring, random 64-bit values,
 * positions about to wrap), or random bytes over everything.
 * <p>
 * The contract checked against a reference reading of the protocol (the kernel's own checks of a user ring, in
 * {@code __bpf_user_ringbuf_peek}): the consumer delivers exactly the committed, non-discarded records of full
 * length, in order, counts discarded and short ones, stops at BUSY, publishes consumer_pos after what it took,
 * and on a corrupt state throws {@link CorruptRingException} (and only then), leaving consumer_pos at the last
 * good record; the producer writes a committed record only where the positions say there is room, refuses when
 * full, throws {@link CorruptRingException} for inconsistent positions, and writes nothing else. Any other
 * exception (an IndexOutOfBoundsException of a read outside the mapping, a misaligned access) fails the test, as
 * does a case that does not end (the consumer keeps delivering) or takes more than a second.
 * <p>
 * A failure names the seed and the case: rerun one case with {@code -Dscx.fuzz.caseSeed=...} (and
 * {@code -Dtest=MalformedRingFuzzTest#method}), another sequence with {@code -Dscx.fuzz.seed=...}, more or fewer
 * with {@code -Dscx.fuzz.cases=...}.
 */
class MalformedRingFuzzTest {
    private static final long SEED = parse(System.getProperty("scx.fuzz.seed", "0x5CA1AB1E"));
    private static final int CASES = Integer.getInteger("scx.fuzz.cases", 1_000_000);
    private static final String ONE_CASE = System.getProperty("scx.fuzz.caseSeed");
    private static final long MAX_CASE_NANOS = 1_000_000_000L;
    private static final Duration WHOLE_RUN = Duration.ofSeconds(120);

    private static final int QLEN = (int) QueuedTaskLayout.SIZE;
    private static final int DLEN = (int) DispatchedTaskLayout.SIZE;
    private static final long DSTRIDE = RingHeader.stride(DLEN);

    private static MemfdRing ring;
    private static long size;
    private static long mask;
    private static MemorySegment data;

    @BeforeAll
    static void mapRing() {
        ring = new MemfdRing(LibC.pageSize());
        size = ring.size;
        mask = size - 1;
        data = ring.data;
    }

    @AfterAll
    static void unmapRing() {
        ring.close();
    }

    // ---- the run ----------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Case {
        /** Runs one case from its own generator; returns a description of the failure, or null. */
        String run(SplittableRandom r);
    }

    private static void fuzz(String what, Case c) {
        assertTimeoutPreemptively(WHOLE_RUN, () -> {
            if (ONE_CASE != null) {
                long caseSeed = parse(ONE_CASE);
                String failure = c.run(new SplittableRandom(caseSeed));
                if (failure != null) throw new AssertionError(header(what, 0, caseSeed) + failure);
                return;
            }
            SplittableRandom seeds = new SplittableRandom(SEED);
            long t0 = System.nanoTime();
            long slowest = 0;
            for (int i = 0; i < CASES; i++) {
                long caseSeed = seeds.nextLong();
                long c0 = System.nanoTime();
                String failure;
                try {
                    failure = c.run(new SplittableRandom(caseSeed));
                } catch (RuntimeException | Error e) {
                    failure = "threw " + e;
                    AssertionError a = new AssertionError(header(what, i, caseSeed) + failure, e);
                    throw a;
                }
                long took = System.nanoTime() - c0;
                slowest = Math.max(slowest, took);
                if (failure == null && took > MAX_CASE_NANOS) failure = "took " + took / 1_000_000 + " ms";
                if (failure != null) throw new AssertionError(header(what, i, caseSeed) + failure);
            }
            System.out.printf("%s: %d cases (seed 0x%X) in %d ms, slowest %d us%n", what, CASES, SEED,
                    (System.nanoTime() - t0) / 1_000_000, slowest / 1000);
        });
    }

    /** A seed as printed (0x and 16 hex digits, the top bit may be set) or in decimal. */
    private static long parse(String seed) {
        String s = seed.trim();
        return s.startsWith("0x") || s.startsWith("0X") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    }

    private static String header(String what, int i, long caseSeed) {
        return String.format("%s, seed 0x%X, case #%d (rerun alone: -Dscx.fuzz.caseSeed=0x%X), consumer_pos 0x%X, "
                + "producer_pos 0x%X: ", what, SEED, i, caseSeed, caseCons, caseProd);
    }

    // ---- positions --------------------------------------------------------------------------------------------

    /** An 8-aligned position: small, anywhere in 64 bits, or just below the wrap of an unsigned 64-bit counter. */
    private static long position(SplittableRandom r) {
        return switch (r.nextInt(3)) {
            case 0 -> r.nextLong(0, 1L << 24);
            case 1 -> r.nextLong();
            default -> -r.nextLong(0, 4 * size);
        } & ~7L;
    }

    private static long misalign(SplittableRandom r, long pos) {
        return pos + r.nextInt(1, 8);
    }

    /** The positions the current case wrote, for the failure message. */
    private static long caseCons, caseProd;

    private static void setPositions(long cons, long prod) {
        caseCons = cons;
        caseProd = prod;
        ring.consumerPage.set(JAVA_LONG, 0, cons);
        ring.producerPage.set(JAVA_LONG, 0, prod);
    }

    /** What the ring's data may hold before the case writes: one random byte everywhere (BUSY, DISCARD, huge, 0). */
    private static void fillData(SplittableRandom r) {
        data.asSlice(0, size).fill((byte) r.nextInt(256));
    }

    // ---- consumer ---------------------------------------------------------------------------------------------

    /** Payload length of a record the producer writes: mostly full records, some longer, short, empty or big. */
    private static int recordLength(SplittableRandom r) {
        int k = r.nextInt(20);
        if (k < 10) return QLEN;
        if (k < 13) return QLEN + r.nextInt(1, 200);
        if (k < 16) return r.nextInt(0, QLEN);
        if (k < 18) return 0;
        return r.nextInt(0, (int) size - RingHeader.SIZE + 1);
    }

    /** Writes a record at {@code pos}: header, pad, random payload rounded up to 8 bytes. */
    private static void writeRecord(SplittableRandom r, long pos, int header) {
        long off = pos & mask;
        data.set(JAVA_INT, off, header);
        data.set(JAVA_INT, off + 4, r.nextInt());
        long stride = RingHeader.stride(RingHeader.length(header));
        for (long p = RingHeader.SIZE; p < stride; p += 8) data.set(JAVA_LONG, off + p, r.nextLong());
    }

    /** What a correct consumer does with the ring as it is now (the reference reading). */
    private static final class Expected {
        boolean corrupt;
        long finalPos;
        int delivered;
        long discarded;
        long malformed;
        final int[] pids = new int[LibC.pageSize() / 8 + 1];
        final long[] enqs = new long[LibC.pageSize() / 8 + 1];

        void compute(long cons, long prod) {
            corrupt = false;
            delivered = 0;
            discarded = 0;
            malformed = 0;
            finalPos = cons;
            long avail = prod - cons;
            if (((cons | prod) & 7) != 0 || avail < 0 || avail > size) {
                corrupt = true;
                return;
            }
            long cur = cons;
            while (cur != prod) {
                long off = cur & mask;
                int header = data.get(JAVA_INT, off);
                if ((header & RingHeader.BUSY) != 0) break;
                int len = RingHeader.length(header);
                long stride = RingHeader.stride(len);
                if (stride > prod - cur) {
                    corrupt = true;
                    break;
                }
                if ((header & RingHeader.DISCARD) != 0) {
                    discarded++;
                } else if (len < QLEN) {
                    malformed++;
                } else {
                    pids[delivered] = data.get(JAVA_INT, off + RingHeader.SIZE + QueuedTaskLayout.PID);
                    enqs[delivered] = data.get(JAVA_LONG, off + RingHeader.SIZE + QueuedTaskLayout.ENQ_CNT);
                    delivered++;
                }
                cur += stride;
            }
            finalPos = cur;
        }
    }

    /** Reads every field of every record it gets, as the policy would, and keeps pid and enq_cnt. */
    private static final class Recorder implements QueuedTaskHandler {
        final int[] pids = new int[LibC.pageSize() / 8 + 1];
        final long[] enqs = new long[LibC.pageSize() / 8 + 1];
        int count;
        long checksum;
        String overflow;

        @Override
        public void onTask(QueuedTask t) {
            checksum += t.cpu() + t.nrCpusAllowed() + t.flags() + t.startTs() + t.stopTs() + t.execRuntime()
                    + t.weight() + t.vtime() + (t.isExitNotice() ? 1 : 0);
            for (int i = 0; i < QueuedTaskLayout.COMM_LEN; i++) checksum += t.commByte(i);
            if (count == pids.length) {
                overflow = "more records delivered than the ring can hold";
                return;
            }
            pids[count] = t.pid();
            enqs[count] = t.enqCnt();
            count++;
        }
    }

    private static final Expected EXPECTED = new Expected();
    private static final Recorder RECORDER = new Recorder();
    /** What the cases covered: corrupt rings, records delivered, short ones, discarded ones, BUSY stops. */
    private static long corruptCases, delivered, malformed, discarded, busyStops;

    private static String consumerCase(SplittableRandom r) {
        fillData(r);
        long cons = position(r);
        long cur = cons;
        int n = r.nextInt(0, 14);
        long[] at = new long[n];
        int written = 0;
        for (int i = 0; i < n; i++) {
            int len = recordLength(r);
            long stride = RingHeader.stride(len);
            if (cur + stride - cons > size) break;
            writeRecord(r, cur, len | (r.nextInt(8) == 0 ? RingHeader.DISCARD : 0));
            at[written++] = cur;
            cur += stride;
        }
        long prod = cur;
        String kind;
        int k = r.nextInt(16);
        if (k < 5 || (k < 9 && written == 0)) {
            kind = "well-formed";
        } else if (k == 5) {
            kind = "BUSY left set";
            long off = at[r.nextInt(written)] & mask;
            data.set(JAVA_INT, off, data.get(JAVA_INT, off) | RingHeader.BUSY);
        } else if (k == 6) {
            kind = "random header";
            data.set(JAVA_INT, at[r.nextInt(written)] & mask, r.nextInt());
        } else if (k == 7) {
            kind = "length beyond the ring";
            data.set(JAVA_INT, at[r.nextInt(written)] & mask, r.nextInt((int) size - 7, 1 << 30)
                    | (r.nextBoolean() ? RingHeader.DISCARD : 0));
        } else if (k == 8) {
            kind = "length beyond producer_pos";
            int j = r.nextInt(written);
            long room = prod - at[j];
            int len = (int) Math.min(size - RingHeader.SIZE, room - RingHeader.SIZE + 1 + r.nextInt(64));
            if (RingHeader.stride(len) <= room) len = (int) room; // never fits: stride(room) > room
            data.set(JAVA_INT, at[j] & mask, len);
        } else if (k == 9) {
            kind = "consumer_pos not 8-aligned";
            cons = misalign(r, cons);
        } else if (k == 10) {
            kind = "producer_pos not 8-aligned";
            prod = misalign(r, prod);
        } else if (k == 11) {
            kind = "consumer_pos ahead of producer_pos";
            cons = prod + 8 * r.nextLong(1, 1L << 20);
        } else if (k == 12) {
            kind = "positions further apart than the ring";
            prod = cons + size + 8 * r.nextLong(1, 1L << 20);
        } else if (k == 13) {
            kind = "random positions";
            cons = r.nextLong();
            prod = r.nextBoolean() ? r.nextLong() : cons + r.nextLong(-64, 64);
        } else {
            kind = "random bytes";
            long span = 8 * r.nextLong(1, size / 8 + 1);
            for (long p = 0; p < span; p += 8) data.set(JAVA_LONG, (cons + p) & mask, r.nextLong());
            prod = cons + 8 * r.nextLong(0, span / 8 + 1);
        }
        setPositions(cons, prod);
        EXPECTED.compute(cons, prod);
        if (EXPECTED.corrupt) corruptCases++;
        else if (EXPECTED.finalPos != prod) busyStops++;
        delivered += EXPECTED.delivered;
        malformed += EXPECTED.malformed;
        discarded += EXPECTED.discarded;
        String what = kind;

        TransportCounters counters = new TransportCounters();
        RingBufferConsumer consumer = new RingBufferConsumer(ring.bpfRing, counters);
        Recorder rec = RECORDER;
        rec.count = 0;
        rec.overflow = null;
        boolean threw = false;
        int maxDrains = (int) (size / 8) + 2;   // every drain but the last delivers at least one record
        int drains = 0;
        try {
            while (true) {
                if (++drains > maxDrains) return what + ": drain did not run dry after " + maxDrains + " calls";
                int before = rec.count;
                int got = consumer.drain(rec, r.nextInt(1, 17));
                if (rec.overflow != null) return what + ": " + rec.overflow;
                if (got != rec.count - before) return what + ": drain returned " + got + " for " + (rec.count - before);
                if (got == 0) break;
            }
        } catch (CorruptRingException e) {
            threw = true;
        }
        if (threw && r.nextInt(8) == 0) {           // a corrupt ring stays corrupt (checked in every 8th case)
            int before = rec.count;
            try {
                consumer.drain(rec, 16);
                return what + ": a corrupt ring read fine on the next call";
            } catch (CorruptRingException again) {
                if (rec.count != before) return what + ": delivered records after reporting corruption";
            }
        }
        if (threw != EXPECTED.corrupt) {
            return what + (threw ? ": reported corruption where there is none" : ": corruption went unnoticed")
                    + " (delivered " + rec.count + ", expected " + EXPECTED.delivered + ")";
        }
        if (rec.count != EXPECTED.delivered) return what + ": delivered " + rec.count + ", expected " + EXPECTED.delivered;
        for (int i = 0; i < rec.count; i++) {
            if (rec.pids[i] != EXPECTED.pids[i] || rec.enqs[i] != EXPECTED.enqs[i]) {
                return what + ": record " + i + " is not the one at its place in the ring";
            }
        }
        if (counters.received != EXPECTED.delivered) return what + ": received counter " + counters.received;
        if (consumer.malformedRecords() != EXPECTED.malformed) {
            return what + ": malformed " + consumer.malformedRecords() + ", expected " + EXPECTED.malformed;
        }
        if (counters.discarded != EXPECTED.discarded + EXPECTED.malformed) {
            return what + ": discarded " + counters.discarded + ", expected "
                    + (EXPECTED.discarded + EXPECTED.malformed);
        }
        long published = ring.consumerPos();
        if (published != EXPECTED.finalPos || consumer.consumerPosition() != EXPECTED.finalPos) {
            return what + String.format(": consumer_pos 0x%X (published 0x%X), expected 0x%X",
                    consumer.consumerPosition(), published, EXPECTED.finalPos);
        }
        return null;
    }

    @Test
    void theConsumerDeliversWhatWasCommittedAndRefusesACorruptRing() {
        fuzz("RingBufferConsumer", MalformedRingFuzzTest::consumerCase);
        String covered = corruptCases + " corrupt rings, " + busyStops + " BUSY stops, " + delivered
                + " records delivered, " + malformed + " too short, " + discarded + " discarded";
        System.out.println("RingBufferConsumer cases covered " + covered);
        if (ONE_CASE == null) {
            long cases = CASES;
            assertTrue(corruptCases > cases / 4 && busyStops > cases / 50 && delivered > cases
                    && malformed > cases / 4 && discarded > cases / 10, "the cases cover every outcome: " + covered);
        }
    }

    // ---- producer ---------------------------------------------------------------------------------------------

    private static final DispatchedTask DECISION = new DispatchedTask();
    /** What the ring's data must hold after a producer case: the fill byte, and the records where they were sent. */
    private static final MemorySegment AFTER = Arena.global().allocate(LibC.pageSize(), 8);

    private static String producerCase(SplittableRandom r) {
        byte fill = (byte) r.nextInt(256);
        data.asSlice(0, size).fill(fill);
        AFTER.fill(fill);
        long prod = position(r);
        long cons = prod - 8 * r.nextLong(0, size / 8 + 1);
        String kind;
        switch (r.nextInt(10)) {
            case 0 -> {
                kind = "producer_pos not 8-aligned";
                prod = misalign(r, prod);
            }
            case 1 -> {
                kind = "consumer_pos not 8-aligned";
                cons = misalign(r, cons);
            }
            case 2 -> {
                kind = "consumer_pos ahead of producer_pos";
                cons = prod + 8 * r.nextLong(1, 1L << 20);
            }
            case 3 -> {
                kind = "consumer_pos further behind than the ring";
                cons = prod - size - 8 * r.nextLong(1, 1L << 20);
            }
            case 4 -> {
                kind = "random positions";
                prod = r.nextLong();
                cons = r.nextLong();
            }
            default -> kind = "consistent";
        }
        setPositions(cons, prod);
        String what = kind;
        long used = prod - cons;
        boolean corrupt = ((prod | cons) & 7) != 0 || used < 0 || used > size;

        TransportCounters counters = new TransportCounters();
        UserRingBufferProducer producer;
        try {
            producer = new UserRingBufferProducer(ring.bpfRing, counters);
        } catch (CorruptRingException e) {
            return corrupt ? null : what + ": refused a sound ring: " + e.getMessage();
        }
        long model = prod;
        long full = 0;
        int refusals = 0;
        int sends = r.nextInt(1, 12);
        for (int s = 0; s < sends; s++) {
            DECISION.set(r.nextInt(), r.nextInt(), r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
            boolean ok;
            try {
                ok = producer.send(DECISION);
            } catch (CorruptRingException e) {
                if (!corrupt) return what + ": refused a sound ring: " + e.getMessage();
                if (ring.producerPos() != prod) return what + ": moved producer_pos of a corrupt ring";
                if (++refusals == 2 || r.nextInt(8) != 0) break;   // and again on the next call (every 8th case)
                continue;
            }
            if (corrupt) return what + ": wrote into a corrupt ring (send returned " + ok + ")";
            boolean room = size - (model - cons) >= DSTRIDE;
            if (ok != room) return what + ": send " + ok + " with " + (size - (model - cons)) + " bytes free";
            if (!ok) {
                full++;
                continue;
            }
            long off = model & mask;
            if (data.get(JAVA_INT, off) != DLEN) return what + ": header " + data.get(JAVA_INT, off) + " not committed";
            long p = off + RingHeader.SIZE;
            if (data.get(JAVA_INT, p + DispatchedTaskLayout.PID) != DECISION.pid
                    || data.get(JAVA_INT, p + DispatchedTaskLayout.CPU) != DECISION.cpu
                    || data.get(JAVA_LONG, p + DispatchedTaskLayout.FLAGS) != DECISION.flags
                    || data.get(JAVA_LONG, p + DispatchedTaskLayout.SLICE_NS) != DECISION.sliceNs
                    || data.get(JAVA_LONG, p + DispatchedTaskLayout.VTIME) != DECISION.vtime
                    || data.get(JAVA_LONG, p + DispatchedTaskLayout.ENQ_CNT) != DECISION.enqCnt) {
                return what + ": the record does not hold the decision";
            }
            for (long b = 0; b < DSTRIDE; b += 8) AFTER.set(JAVA_LONG, (off + b) & mask, data.get(JAVA_LONG, off + b));
            model += DSTRIDE;
            if (ring.producerPos() != model) return what + ": producer_pos not published after the record";
        }
        if (counters.sendFull != full) return what + ": sendFull " + counters.sendFull + ", expected " + full;
        long at = data.asSlice(0, size).mismatch(AFTER);
        return at < 0 ? null : what + ": wrote outside its records, at offset " + at;
    }

    @Test
    void theProducerWritesOnlyWhereThereIsRoomAndRefusesACorruptRing() {
        fuzz("UserRingBufferProducer", MalformedRingFuzzTest::producerCase);
    }
}
