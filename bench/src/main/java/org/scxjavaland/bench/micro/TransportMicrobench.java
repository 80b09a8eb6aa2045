package org.scxjavaland.bench.micro;

import org.scxjavaland.bpf.MapNames;
import org.scxjavaland.core.harness.HarnessProgram;
import org.scxjavaland.core.transport.QueuedTaskHandler;
import org.scxjavaland.core.transport.Transport;
import org.scxjavaland.core.transport.TransportOptions;
import org.scxjavaland.core.transport.TransportProvider;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.DispatchedTaskLayout;
import org.scxjavaland.core.wire.QueuedTask;
import org.scxjavaland.transport.fifo.FifoTransportProvider;
import org.scxjavaland.transport.ringbuf.RingbufTransportProvider;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The transport micro-benchmark of issue 9 (docs/benchmarks.md, "Transport micro-benchmark"): the data path alone,
 * every contender in one process, in alternation.
 * <p>
 * The kernel side is bpf-src's harness program (BPF_PROG_TEST_RUN, records produced in a bpf_loop through
 * transport.bpf.h's jl_produce, decisions taken through jl_drain: the scheduler's own code). Each contender has
 * its own loaded harness, so no consumer inherits another's positions, and the same ring or queue sizes.
 * <ul>
 *   <li>kernel to user, per iteration: the harness fills the channel with K records (untimed), the contender takes
 *   exactly K (timed: CLOCK_MONOTONIC and the thread's CPU clock); records/s = K / time. Contenders: our Java
 *   ring consumer driven as SchedulingLoop drives it, our fifo consumer, our C mmap consumer, libbpf's
 *   ring_buffer__consume.</li>
 *   <li>user to kernel: the contender writes K decisions (timed), the harness drains them (untimed). Contenders:
 *   our Java USER_RINGBUF producer, libbpf's user_ring_buffer__reserve/submit, our fifo producer.</li>
 * </ul>
 * Every iteration is checked: the count, and a checksum over fields at both ends of the record (consumers: the
 * sum of pid ^ enq_cnt ^ vtime; producers: the harness's drain sum), so a contender that skips work fails
 * instead of looking fast. A round runs every contender for {@code iterations} iterations, in an order rotated
 * from round to round; a round's figure is the median of its iterations, and the report gives the median of the
 * rounds with their min and max.
 */
public final class TransportMicrobench {
    /** As SchedulingLoop.DRAIN_BATCH: the daemon drains in batches of this many. */
    static final int DRAIN_BATCH = 256;
    static final long SLICE_NS = 20_000_000;
    private static final long FIRST_PID = 1000;

    /** The bars: numerator / denominator at least {@code bar}. */
    static final List<Bar> BARS = List.of(
            new Bar("java-ring", "c-mmap", 0.8),
            new Bar("java-ring", "libbpf-consume", 1.0),
            new Bar("java-ring", "fifo", 3.0),
            new Bar("java-urb", "libbpf-urb", 0.8));

    record Bar(String numerator, String denominator, double bar) {
    }

    /** only: contender names to run (empty = all); for profiling one of them, e.g. under perf. */
    public record Options(int records, int rounds, int iterations, double warmupSecs, Path json, List<String> only) {
        static Options parse(String[] args) {
            int records = 4096, rounds = 5, iterations = 300;
            double warmup = 30;
            Path json = null;
            List<String> only = List.of();
            for (String a : args) {
                int eq = a.indexOf('=');
                String key = eq < 0 ? a : a.substring(0, eq);
                String v = eq < 0 ? "" : a.substring(eq + 1);
                switch (key) {
                    case "--records" -> records = positive(key, v);
                    case "--rounds" -> rounds = positive(key, v);
                    case "--iterations" -> iterations = positive(key, v);
                    case "--warmup-secs" -> warmup = nonNegative(key, v);
                    case "--json" -> json = Path.of(v);
                    case "--only" -> only = List.of(v.split(","));
                    default -> throw new IllegalArgumentException("unknown option " + a
                            + " (--records=K --rounds=R --iterations=N --warmup-secs=S --json=FILE --only=A,B)");
                }
            }
            return new Options(records, rounds, iterations, warmup, json, only);
        }

        private static int positive(String key, String v) {
            try {
                int n = Integer.parseInt(v);
                if (n > 0) return n;
            } catch (NumberFormatException ignored) {
            }
            throw new IllegalArgumentException(key + " needs a positive integer, got '" + v + "'");
        }

        private static double nonNegative(String key, String v) {
            try {
                double d = Double.parseDouble(v);
                if (d >= 0) return d;
            } catch (NumberFormatException ignored) {
            }
            throw new IllegalArgumentException(key + " needs a number >= 0, got '" + v + "'");
        }
    }

    /** One timed batch: how many records, in how long. */
    record Sample(long records, long wallNs, long cpuNs) {
    }

    /** Per contender: the round figures and how many records it handled, checked, while measured. */
    public record Stats(String name, String direction, double[] recordsPerS, double[] wallNsPerRecord,
                        double[] cpuNsPerRecord, long recordsChecked) {
    }

    public record Result(Options options, List<Stats> contenders, List<RatioLine> ratios, Instant start, Instant end,
                         String loadBefore, String loadAfter) {
        public Stats stats(String name) {
            return contenders.stream().filter(s -> s.name.equals(name)).findFirst().orElseThrow();
        }
    }

    public record RatioLine(Bar bar, double value, double roundMin, double roundMax) {
        boolean met() {
            return value >= bar.bar;
        }
    }

    private abstract static class Contender implements AutoCloseable {
        final String name;
        final String direction;
        final HarnessProgram harness;
        final int k;

        Contender(String name, String direction, HarnessProgram harness, int k) {
            this.name = name;
            this.direction = direction;
            this.harness = harness;
            this.k = k;
        }

        abstract Sample iterate(long firstPid);

        @Override
        public void close() {
            harness.close();
        }

        /** The untimed half of a consumer's iteration: K records into the empty channel. */
        void fill(long firstPid) {
            HarnessProgram.Produced p = harness.produce(k, firstPid, 0);
            if (p.produced() != k) {
                throw new IllegalStateException(name + ": the harness produced " + p.produced() + " of " + k
                        + " (dropped " + p.dropped() + "): the channel was not empty or too small");
            }
        }

        void checkConsumed(long n, long sum, long firstPid) {
            if (n != k) throw new IllegalStateException(name + ": consumed " + n + " records of " + k);
            long want = consumerChecksum(k, firstPid);
            if (sum != want) {
                throw new IllegalStateException(name + ": checksum " + Long.toHexString(sum) + " != "
                        + Long.toHexString(want));
            }
        }

        /** The untimed half of a producer's iteration: the harness takes the K decisions and checks them. */
        void drainAndCheck(long n, long firstPid) {
            if (n != k) throw new IllegalStateException(name + ": produced " + n + " decisions of " + k);
            HarnessProgram.Drained d = harness.drain(k);
            if (d.drained() != k) {
                throw new IllegalStateException(name + ": the harness drained " + d.drained() + " of " + k);
            }
            long want = producerChecksum(k, firstPid);
            if (d.checksum() != want) {
                throw new IllegalStateException(name + ": drain checksum " + Long.toHexString(d.checksum())
                        + " != " + Long.toHexString(want));
            }
        }
    }

    static long consumerChecksum(int k, long firstPid) {
        long s = 0;
        for (long i = 0; i < k; i++) s += (long) (int) (firstPid + i) ^ i ^ 7 * i;
        return s;
    }

    static long producerChecksum(int k, long firstPid) {
        long s = 0;
        for (long j = 0; j < k; j++) s += (long) (int) (firstPid + j) ^ j ^ SLICE_NS ^ 7 * j;
        return s;
    }

    /** The consumer's per-record work: read the fields the checksum needs, as a policy reads a record. */
    private static final class SumHandler implements QueuedTaskHandler {
        long n;
        long sum;

        @Override
        public void onTask(QueuedTask t) {
            sum += (long) t.pid() ^ t.enqCnt() ^ t.vtime();
            n++;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * Our Java consumer through the Transport interface, in the daemon's batches. Subclassed once per transport,
     * each with its own copy of the timed loop: the daemon runs one transport per process, so its call to drain is
     * monomorphic, and one shared loop here would give the JIT a profile with both transports in it.
     */
    private abstract static class TransportConsumer extends Contender {
        final Transport transport;
        final SumHandler handler = new SumHandler();

        TransportConsumer(String name, HarnessProgram h, Transport t, int k) {
            super(name, "kernel->user", h, k);
            this.transport = t;
        }

        @Override
        public void close() {
            try {
                transport.close();
            } finally {
                super.close();
            }
        }
    }

    private static final class RingConsumer extends TransportConsumer {
        RingConsumer(String name, HarnessProgram h, Transport t, int k) {
            super(name, h, t, k);
        }

        @Override
        Sample iterate(long firstPid) {
            fill(firstPid);
            handler.n = 0;
            handler.sum = 0;
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            while (handler.n < k) {
                if (transport.drain(handler, (int) Math.min(DRAIN_BATCH, k - handler.n)) == 0) break;
            }
            long t1 = System.nanoTime();
            long c1 = THREADS.getCurrentThreadCpuTime();
            checkConsumed(handler.n, handler.sum, firstPid);
            return new Sample(handler.n, t1 - t0, c1 - c0);
        }
    }

    /** The same loop as RingConsumer's, for the fifo transport (see TransportConsumer). */
    private static final class FifoConsumer extends TransportConsumer {
        FifoConsumer(String name, HarnessProgram h, Transport t, int k) {
            super(name, h, t, k);
        }

        @Override
        Sample iterate(long firstPid) {
            fill(firstPid);
            handler.n = 0;
            handler.sum = 0;
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            while (handler.n < k) {
                if (transport.drain(handler, (int) Math.min(DRAIN_BATCH, k - handler.n)) == 0) break;
            }
            long t1 = System.nanoTime();
            long c1 = THREADS.getCurrentThreadCpuTime();
            checkConsumed(handler.n, handler.sum, firstPid);
            return new Sample(handler.n, t1 - t0, c1 - c0);
        }
    }

    /** Our Java producer through Transport.send, as the loop sends decisions; one subclass per transport (above). */
    private abstract static class TransportProducer extends Contender {
        final Transport transport;
        final DispatchedTask task = new DispatchedTask();

        TransportProducer(String name, HarnessProgram h, Transport t, int k) {
            super(name, "user->kernel", h, k);
            this.transport = t;
        }

        @Override
        public void close() {
            try {
                transport.close();
            } finally {
                super.close();
            }
        }
    }

    private static final class RingProducer extends TransportProducer {
        RingProducer(String name, HarnessProgram h, Transport t, int k) {
            super(name, h, t, k);
        }

        @Override
        Sample iterate(long firstPid) {
            long n = 0;
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (long j = 0; j < k; j++) {
                task.set((int) (firstPid + j), DispatchedTaskLayout.CPU_ANY, 0, SLICE_NS, 7 * j, j);
                if (!transport.send(task)) break;
                n++;
            }
            long t1 = System.nanoTime();
            long c1 = THREADS.getCurrentThreadCpuTime();
            drainAndCheck(n, firstPid);
            return new Sample(n, t1 - t0, c1 - c0);
        }
    }

    private static final class FifoProducer extends TransportProducer {
        FifoProducer(String name, HarnessProgram h, Transport t, int k) {
            super(name, h, t, k);
        }

        @Override
        Sample iterate(long firstPid) {
            long n = 0;
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (long j = 0; j < k; j++) {
                task.set((int) (firstPid + j), DispatchedTaskLayout.CPU_ANY, 0, SLICE_NS, 7 * j, j);
                if (!transport.send(task)) break;
                n++;
            }
            long t1 = System.nanoTime();
            long c1 = THREADS.getCurrentThreadCpuTime();
            drainAndCheck(n, firstPid);
            return new Sample(n, t1 - t0, c1 - c0);
        }
    }

    /** The C consumers and producer: timed inside the C call. */
    private static final class NativeContender extends Contender {
        enum Kind { MMAP, LIBBPF, URB }

        private final NativeYardsticks lib;
        private final Kind kind;
        private final MemorySegment handle;

        NativeContender(String name, HarnessProgram h, NativeYardsticks lib, Kind kind, int k) {
            super(name, kind == Kind.URB ? "user->kernel" : "kernel->user", h, k);
            this.lib = lib;
            this.kind = kind;
            this.handle = switch (kind) {
                case MMAP -> lib.mmapOpen(h.maps().mapFd(MapNames.QUEUED_RINGBUF),
                        h.maps().maxEntries(MapNames.QUEUED_RINGBUF));
                case LIBBPF -> lib.libbpfOpen(h.maps().mapFd(MapNames.QUEUED_RINGBUF));
                case URB -> lib.urbOpen(h.maps().mapFd(MapNames.DISPATCHED_USER_RINGBUF));
            };
        }

        @Override
        Sample iterate(long firstPid) {
            NativeYardsticks.Result r;
            if (kind == Kind.URB) {
                r = lib.urbProduce(handle, k, firstPid, SLICE_NS);
                if (r.err() != 0) throw new IllegalStateException(name + ": error " + r.err());
                drainAndCheck(r.records(), firstPid);
            } else {
                fill(firstPid);
                r = kind == Kind.MMAP ? lib.mmapDrain(handle, k) : lib.libbpfDrain(handle, k);
                if (r.err() != 0) throw new IllegalStateException(name + ": error " + r.err());
                checkConsumed(r.records(), r.checksum(), firstPid);
            }
            return new Sample(r.records(), r.wallNs(), r.cpuNs());
        }

        @Override
        public void close() {
            try {
                switch (kind) {
                    case MMAP -> lib.mmapClose(handle);
                    case LIBBPF -> lib.libbpfClose(handle);
                    case URB -> lib.urbClose(handle);
                }
            } finally {
                super.close();
            }
        }
    }

    public static Result run(Options o, Consumer<String> progress) {
        int k = o.records;
        TransportOptions topts = new TransportOptions(k);
        TransportProvider ring = new RingbufTransportProvider();
        TransportProvider fifo = new FifoTransportProvider();
        List<Contender> cs = new ArrayList<>();
        String loadBefore = loadAverage();
        Instant start = Instant.now();
        try (Arena arena = Arena.ofShared()) {
            NativeYardsticks lib = new NativeYardsticks(arena);
            try {
                add(cs, ring, topts, h -> new RingConsumer("java-ring", h, ring.open(h.maps(), topts), k));
                add(cs, ring, topts, h -> new NativeContender("c-mmap", h, lib, NativeContender.Kind.MMAP, k));
                add(cs, ring, topts, h -> new NativeContender("libbpf-consume", h, lib, NativeContender.Kind.LIBBPF, k));
                add(cs, fifo, topts, h -> new FifoConsumer("fifo", h, fifo.open(h.maps(), topts), k));
                add(cs, ring, topts, h -> new RingProducer("java-urb", h, ring.open(h.maps(), topts), k));
                add(cs, ring, topts, h -> new NativeContender("libbpf-urb", h, lib, NativeContender.Kind.URB, k));
                add(cs, fifo, topts, h -> new FifoProducer("fifo-send", h, fifo.open(h.maps(), topts), k));

                if (!o.only.isEmpty()) {
                    for (String name : o.only) index(cs, name);
                    for (Contender c : List.copyOf(cs)) {
                        if (!o.only.contains(c.name)) {
                            cs.remove(c);
                            c.close();
                        }
                    }
                }
                long iter = 0;
                if (o.warmupSecs > 0) {
                    progress.accept(String.format(Locale.ROOT, "warm-up: %.0f s, every contender in turn", o.warmupSecs));
                    long end = System.nanoTime() + (long) (o.warmupSecs * 1e9);
                    while (System.nanoTime() < end) {
                        for (Contender c : cs) c.iterate(pid(iter++, k));
                    }
                }
                int n = cs.size();
                double[][] rate = new double[n][o.rounds];
                double[][] wall = new double[n][o.rounds];
                double[][] cpu = new double[n][o.rounds];
                long[] checked = new long[n];
                for (int r = 0; r < o.rounds; r++) {
                    StringBuilder order = new StringBuilder();
                    for (int x = 0; x < n; x++) {
                        int ci = (x + r) % n;
                        Contender c = cs.get(ci);
                        double[] its = new double[o.iterations];
                        double[] w = new double[o.iterations];
                        double[] cp = new double[o.iterations];
                        for (int i = 0; i < o.iterations; i++) {
                            Sample s = c.iterate(pid(iter++, k));
                            checked[ci] += s.records;
                            its[i] = s.records * 1e9 / Math.max(1, s.wallNs);
                            w[i] = (double) s.wallNs / s.records;
                            cp[i] = (double) s.cpuNs / s.records;
                        }
                        rate[ci][r] = median(its);
                        wall[ci][r] = median(w);
                        cpu[ci][r] = median(cp);
                        order.append(x == 0 ? "" : " ").append(c.name);
                    }
                    progress.accept("round " + (r + 1) + "/" + o.rounds + " done (" + order + ")");
                }
                List<Stats> stats = new ArrayList<>();
                for (int ci = 0; ci < n; ci++) {
                    Contender c = cs.get(ci);
                    stats.add(new Stats(c.name, c.direction, rate[ci], wall[ci], cpu[ci], checked[ci]));
                }
                List<RatioLine> ratios = new ArrayList<>();
                for (Bar b : BARS) {
                    if (find(cs, b.numerator) < 0 || find(cs, b.denominator) < 0) continue;
                    int a = index(cs, b.numerator), d = index(cs, b.denominator);
                    double[] per = new double[o.rounds];
                    for (int r = 0; r < o.rounds; r++) per[r] = rate[a][r] / rate[d][r];
                    ratios.add(new RatioLine(b, median(rate[a]) / median(rate[d]), min(per), max(per)));
                }
                return new Result(o, stats, ratios, start, Instant.now(), loadBefore, loadAverage());
            } finally {
                for (Contender c : cs) {
                    try {
                        c.close();
                    } catch (RuntimeException ignored) {
                        // closing the rest matters more
                    }
                }
            }
        }
    }

    /** A contender on a harness of its own; the harness is closed if the contender cannot be set up on it. */
    private static void add(List<Contender> cs, TransportProvider p, TransportOptions o,
                            Function<HarnessProgram, Contender> make) {
        HarnessProgram h = HarnessProgram.open(p, o);
        try {
            cs.add(make.apply(h));
        } catch (RuntimeException | Error e) {
            h.close();
            throw e;
        }
    }

    /** Pids differ from iteration to iteration (so do the checksums), and stay far below PID_MAX_LIMIT. */
    private static long pid(long iter, int k) {
        return FIRST_PID + (iter % 4096) * (long) k % 100_000_000L;
    }

    private static int index(List<Contender> cs, String name) {
        int i = find(cs, name);
        if (i < 0) throw new IllegalArgumentException("no contender " + name);
        return i;
    }

    private static int find(List<Contender> cs, String name) {
        for (int i = 0; i < cs.size(); i++) if (cs.get(i).name.equals(name)) return i;
        return -1;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    public static String report(Result res) {
        StringBuilder b = new StringBuilder();
        Options o = res.options;
        b.append(String.format(Locale.ROOT, "transport micro-benchmark: K=%d records per iteration, %d rounds x %d "
                        + "iterations per contender, warm-up %.0f s; load average %s before, %s after%n",
                o.records, o.rounds, o.iterations, o.warmupSecs, res.loadBefore, res.loadAfter));
        b.append(String.format(Locale.ROOT, "%-15s %-13s %-28s %-12s %-12s %s%n", "contender", "direction",
                "records/s median (min-max)", "ns/rec wall", "ns/rec cpu", "records checked"));
        for (Stats s : res.contenders) {
            b.append(String.format(Locale.ROOT, "%-15s %-13s %-28s %-12.1f %-12.1f %d%n", s.name, s.direction,
                    mega(median(s.recordsPerS)) + " (" + mega(min(s.recordsPerS)) + "-" + mega(max(s.recordsPerS))
                            + ")", median(s.wallNsPerRecord), median(s.cpuNsPerRecord), s.recordsChecked));
        }
        b.append("ratios (records/s medians; min-max of the per-round ratios):\n");
        for (RatioLine r : res.ratios) {
            b.append(String.format(Locale.ROOT, "  %-32s %6.2fx (%.2f-%.2f)  bar >= %.1f  %s%n",
                    r.bar.numerator + " / " + r.bar.denominator, r.value, r.roundMin, r.roundMax, r.bar.bar,
                    r.met() ? "met" : "MISSED"));
        }
        return b.toString();
    }

    private static String mega(double perS) {
        return String.format(Locale.ROOT, "%.2fM", perS / 1e6);
    }

    public static String json(Result res, String command) {
        Options o = res.options;
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"benchmark\": \"transport-microbench\",\n");
        b.append("  \"start\": \"").append(res.start).append("\",\n");
        b.append("  \"end\": \"").append(res.end).append("\",\n");
        b.append("  \"command\": \"").append(command.replace("\\", "\\\\").replace("\"", "\\\"")).append("\",\n");
        b.append("  \"load_average_before\": \"").append(res.loadBefore).append("\",\n");
        b.append("  \"load_average_after\": \"").append(res.loadAfter).append("\",\n");
        b.append("  \"records_per_iteration\": ").append(o.records).append(",\n");
        b.append("  \"rounds\": ").append(o.rounds).append(",\n");
        b.append("  \"iterations_per_round\": ").append(o.iterations).append(",\n");
        b.append("  \"warmup_s\": ").append(o.warmupSecs).append(",\n");
        b.append("  \"contenders\": {\n");
        for (int i = 0; i < res.contenders.size(); i++) {
            Stats s = res.contenders.get(i);
            b.append("    \"").append(s.name).append("\": {\"direction\": \"").append(s.direction)
                    .append("\", \"records_checked\": ").append(s.recordsChecked)
                    .append(",\n      \"records_per_s\": ").append(dist(s.recordsPerS))
                    .append(",\n      \"wall_ns_per_record\": ").append(dist(s.wallNsPerRecord))
                    .append(",\n      \"cpu_ns_per_record\": ").append(dist(s.cpuNsPerRecord))
                    .append("}").append(i + 1 < res.contenders.size() ? ",\n" : "\n");
        }
        b.append("  },\n  \"ratios\": [\n");
        for (int i = 0; i < res.ratios.size(); i++) {
            RatioLine r = res.ratios.get(i);
            b.append(String.format(Locale.ROOT, "    {\"numerator\": \"%s\", \"denominator\": \"%s\", \"value\": %.4f,"
                            + " \"round_min\": %.4f, \"round_max\": %.4f, \"bar\": %.1f, \"met\": %b}%s%n",
                    r.bar.numerator, r.bar.denominator, r.value, r.roundMin, r.roundMax, r.bar.bar, r.met(),
                    i + 1 < res.ratios.size() ? "," : ""));
        }
        b.append("  ]\n}\n");
        return b.toString();
    }

    private static String dist(double[] v) {
        StringBuilder rounds = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) rounds.append(i == 0 ? "" : ", ").append(num(v[i]));
        rounds.append("]");
        return "{\"median\": " + num(median(v)) + ", \"min\": " + num(min(v)) + ", \"max\": " + num(max(v))
                + ", \"rounds\": " + rounds + "}";
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    public static void main(String[] args) throws IOException {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("microbench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Result r = run(o, line -> System.err.println("microbench: " + line));
        System.out.print(report(r));
        if (o.json != null) {
            String cmd = System.getProperty("scx_javaland.microbench.command", "TransportMicrobench " + String.join(" ", args));
            Files.writeString(o.json, json(r, cmd));
            System.out.println("results: " + o.json);
        }
    }
}
