package org.scxjavaland.bench.micro;

import org.scxjavaland.bpf.MapNames;
import org.scxjavaland.core.harness.HarnessProgram;
import org.scxjavaland.core.transport.QueuedTaskHandler;
import org.scxjavaland.core.transport.TransportCounters;
import org.scxjavaland.core.transport.TransportOptions;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.DispatchedTaskLayout;
import org.scxjavaland.core.wire.QueuedTask;
import org.scxjavaland.core.wire.QueuedTaskLayout;
import org.scxjavaland.sys.LibC;
import org.scxjavaland.sys.RawMemory;
import org.scxjavaland.transport.ringbuf.RingBufferConsumer;
import org.scxjavaland.transport.ringbuf.RingbufTransportProvider;
import org.scxjavaland.transport.ringbuf.UserRingBufferProducer;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Where the Java ring ends lose to C (docs/benchmarks.md): our consumer and producer classes next to the same
 * protocol written as one loop with everything in locals over the same mapped memory, on real harness rings, in
 * alternation. A diagnostic, not a contender: it checks counts, not checksums, and claims nothing by itself.
 * <pre>java ... org.scxjavaland.bench.micro.RingVariants [ITERATIONS [WARMUP_SECS]]</pre>
 */
public final class RingVariants {
    private static final int K = 4096;
    private static final long BUSY = 1L << 31, DISCARD = 1L << 30;
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final int DLEN = (int) DispatchedTaskLayout.SIZE;
    private static final long DSTRIDE = (DLEN + 8 + 7) & ~7L;

    private static final class Sum implements QueuedTaskHandler {
        long n, sum;

        @Override
        public void onTask(QueuedTask t) {
            sum += (long) t.pid() ^ t.enqCnt() ^ t.vtime();
            n++;
        }
    }

    private static final class Count implements QueuedTaskHandler {
        long n;

        @Override
        public void onTask(QueuedTask t) {
            n++;
        }
    }

    /** RingBufferConsumer's protocol and checksum reads, positions and sums in locals. */
    static long rawDrain(MemorySegment cons, MemorySegment prodPage, MemorySegment data, long mask) {
        long c = (long) LONG.getAcquire(cons, 0L);
        long p = (long) LONG.getAcquire(prodPage, 0L);
        long n = 0, sum = 0;
        while (c != p) {
            long off = c & mask;
            int h = (int) INT.getAcquire(data, off);
            if ((h & BUSY) != 0) break;
            int len = (int) (h & ~(BUSY | DISCARD));
            if ((h & DISCARD) == 0) {
                long b = off + 8;
                sum += (long) data.get(JAVA_INT, b + QueuedTaskLayout.PID) ^ data.get(JAVA_LONG, b + QueuedTaskLayout.ENQ_CNT)
                        ^ data.get(JAVA_LONG, b + QueuedTaskLayout.VTIME);
                n++;
            }
            c += (len + 8 + 7) & ~7L;
            LONG.setRelease(cons, 0L, c);
        }
        return sum == 42 ? -n : n; // keeps the reads alive
    }

    /** UserRingBufferProducer's protocol (xchg commit), positions in locals, the record written field by field. */
    static long rawSend(MemorySegment cons, MemorySegment prodPage, MemorySegment data, long size, long firstPid) {
        long prod = (long) LONG.getAcquire(prodPage, 0L);
        long mask = size - 1, n = 0;
        for (long j = 0; j < K; j++) {
            long c = (long) LONG.getAcquire(cons, 0L);
            if (size - (prod - c) < DSTRIDE) break;
            long off = prod & mask;
            data.set(JAVA_INT, off, (int) (DLEN | BUSY));
            data.set(JAVA_INT, off + 4, 0);
            prod += DSTRIDE;
            LONG.setRelease(prodPage, 0L, prod);
            long b = off + 8;
            data.set(JAVA_INT, b + DispatchedTaskLayout.PID, (int) (firstPid + j));
            data.set(JAVA_INT, b + DispatchedTaskLayout.CPU, DispatchedTaskLayout.CPU_ANY);
            data.set(JAVA_LONG, b + DispatchedTaskLayout.FLAGS, 0L);
            data.set(JAVA_LONG, b + DispatchedTaskLayout.SLICE_NS, TransportMicrobench.SLICE_NS);
            data.set(JAVA_LONG, b + DispatchedTaskLayout.VTIME, 7 * j);
            data.set(JAVA_LONG, b + DispatchedTaskLayout.ENQ_CNT, j);
            INT.getAndSet(data, off, DLEN);
            n++;
        }
        return n;
    }

    /** rawDrain at raw addresses (RawMemory): no segment checks at all, the floor for a Java consumer. */
    static long rawAddrDrain(long cons, long prodPage, long data, long mask) {
        long c = RawMemory.getLongAcquire(cons);
        long p = RawMemory.getLongAcquire(prodPage);
        long n = 0, sum = 0;
        while (c != p) {
            long rec = data + (c & mask);
            int h = RawMemory.getIntAcquire(rec);
            if ((h & BUSY) != 0) break;
            int len = (int) (h & ~(BUSY | DISCARD));
            if ((h & DISCARD) == 0) {
                long b = rec + 8;
                sum += (long) RawMemory.getInt(b + QueuedTaskLayout.PID) ^ RawMemory.getLong(b + QueuedTaskLayout.ENQ_CNT)
                        ^ RawMemory.getLong(b + QueuedTaskLayout.VTIME);
                n++;
            }
            c += (len + 8 + 7) & ~7L;
            RawMemory.putLongRelease(cons, c);
        }
        return sum == 42 ? -n : n; // keeps the reads alive
    }

    /** rawSend at raw addresses, release-store commit (as UserRingBufferProducer): the floor for a Java producer. */
    static long rawAddrSend(long cons, long prodPage, long data, long size, long firstPid) {
        long prod = RawMemory.getLongAcquire(prodPage);
        long mask = size - 1, n = 0;
        for (long j = 0; j < K; j++) {
            long c = RawMemory.getLongAcquire(cons);
            if (size - (prod - c) < DSTRIDE) break;
            long rec = data + (prod & mask);
            RawMemory.putInt(rec, (int) (DLEN | BUSY));
            RawMemory.putInt(rec + 4, 0);
            prod += DSTRIDE;
            RawMemory.putLongRelease(prodPage, prod);
            long b = rec + 8;
            RawMemory.putInt(b + DispatchedTaskLayout.PID, (int) (firstPid + j));
            RawMemory.putInt(b + DispatchedTaskLayout.CPU, DispatchedTaskLayout.CPU_ANY);
            RawMemory.putLong(b + DispatchedTaskLayout.FLAGS, 0L);
            RawMemory.putLong(b + DispatchedTaskLayout.SLICE_NS, TransportMicrobench.SLICE_NS);
            RawMemory.putLong(b + DispatchedTaskLayout.VTIME, 7 * j);
            RawMemory.putLong(b + DispatchedTaskLayout.ENQ_CNT, j);
            RawMemory.putIntRelease(rec, DLEN);
            n++;
        }
        return n;
    }

    /** consumer page, producer page, data (twice): mapped as the transport maps them. */
    private static MemorySegment[] map(HarnessProgram h, String map, boolean consumerSide) {
        int fd = h.maps().mapFd(map);
        long size = h.maps().maxEntries(map);
        int page = LibC.pageSize();
        int rw = LibC.PROT_READ | LibC.PROT_WRITE;
        MemorySegment cons = LibC.mmap(page, consumerSide ? rw : LibC.PROT_READ, LibC.MAP_SHARED, fd, 0);
        MemorySegment pm = LibC.mmap(page + 2 * size, consumerSide ? LibC.PROT_READ : rw, LibC.MAP_SHARED, fd, page);
        return new MemorySegment[]{cons, pm.asSlice(0, page), pm.asSlice(page, 2 * size)};
    }

    public static void main(String[] args) {
        int iters = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        double warm = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        TransportOptions o = new TransportOptions(K);
        RingbufTransportProvider prov = new RingbufTransportProvider();
        HarnessProgram[] h = new HarnessProgram[7];
        for (int i = 0; i < h.length; i++) h[i] = HarnessProgram.open(prov, o);
        RingBufferConsumer sumC = RingBufferConsumer.map(h[0].maps().mapFd(MapNames.QUEUED_RINGBUF),
                h[0].maps().maxEntries(MapNames.QUEUED_RINGBUF), new TransportCounters());
        RingBufferConsumer countC = RingBufferConsumer.map(h[1].maps().mapFd(MapNames.QUEUED_RINGBUF),
                h[1].maps().maxEntries(MapNames.QUEUED_RINGBUF), new TransportCounters());
        MemorySegment[] raw = map(h[2], MapNames.QUEUED_RINGBUF, true);
        long qmask = h[2].maps().maxEntries(MapNames.QUEUED_RINGBUF) - 1;
        UserRingBufferProducer prod = UserRingBufferProducer.map(h[3].maps().mapFd(MapNames.DISPATCHED_USER_RINGBUF),
                h[3].maps().maxEntries(MapNames.DISPATCHED_USER_RINGBUF), new TransportCounters());
        MemorySegment[] urb = map(h[4], MapNames.DISPATCHED_USER_RINGBUF, false);
        long usize = h[4].maps().maxEntries(MapNames.DISPATCHED_USER_RINGBUF);
        MemorySegment[] rawA = map(h[5], MapNames.QUEUED_RINGBUF, true);
        MemorySegment[] urbA = map(h[6], MapNames.DISPATCHED_USER_RINGBUF, false);
        Sum sum = new Sum();
        Count count = new Count();
        DispatchedTask task = new DispatchedTask();
        String[] names = {"RingBufferConsumer, handler reads pid/enq_cnt/vtime", "RingBufferConsumer, handler only counts",
                "one loop in locals, reads pid/enq_cnt/vtime", "UserRingBufferProducer.send",
                "one loop in locals, xchg commit", "one raw-address loop, reads pid/enq_cnt/vtime",
                "one raw-address loop, release commit"};
        int[] harness = {0, 1, 2, 3, 4, 5, 6};
        for (int round = -1; round < 3; round++) {
            double[][] ns = new double[names.length][iters];
            for (int v = 0; v < names.length; v++) {
                HarnessProgram hp = h[harness[v]];
                long end = System.nanoTime() + (long) (warm * 1e9 / names.length); // round -1: the warm-up
                for (int i = 0; round >= 0 ? i < iters : System.nanoTime() < end; i++) {
                    boolean consumer = v < 3 || v == 5;
                    if (consumer && hp.produce(K, 1000 + i, 0).produced() != K) throw new IllegalStateException("fill");
                    long t0 = System.nanoTime(), n = 0;
                    switch (v) {
                        case 0 -> {
                            sum.n = 0;
                            while (sum.n < K && sumC.drain(sum, TransportMicrobench.DRAIN_BATCH) > 0) { }
                            n = sum.n;
                        }
                        case 1 -> {
                            count.n = 0;
                            while (count.n < K && countC.drain(count, TransportMicrobench.DRAIN_BATCH) > 0) { }
                            n = count.n;
                        }
                        case 2 -> n = Math.abs(rawDrain(raw[0], raw[1], raw[2], qmask));
                        case 3 -> {
                            for (long j = 0; j < K; j++) {
                                task.set((int) (1000 + i + j), DispatchedTaskLayout.CPU_ANY, 0,
                                        TransportMicrobench.SLICE_NS, 7 * j, j);
                                if (!prod.send(task)) break;
                                n++;
                            }
                        }
                        case 4 -> n = rawSend(urb[0], urb[1], urb[2], usize, 1000 + i);
                        case 5 -> n = Math.abs(rawAddrDrain(rawA[0].address(), rawA[1].address(), rawA[2].address(),
                                qmask));
                        default -> n = rawAddrSend(urbA[0].address(), urbA[1].address(), urbA[2].address(), usize,
                                1000 + i);
                    }
                    long t1 = System.nanoTime();
                    if (n != K) throw new IllegalStateException(names[v] + ": " + n + " of " + K);
                    if (!consumer && hp.drain(K).drained() != K) throw new IllegalStateException(names[v] + ": drain");
                    if (round >= 0) ns[v][i] = (double) (t1 - t0) / K;
                }
            }
            if (round < 0) continue;
            for (int v = 0; v < names.length; v++) {
                System.out.printf(Locale.ROOT, "round %d  %-52s %6.2f ns/record (median of %d x %d)%n", round + 1,
                        names[v], TransportMicrobench.median(ns[v]), iters, K);
            }
        }
        for (HarnessProgram hp : h) hp.close();
    }
}
