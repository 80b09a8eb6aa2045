package org.scxjavaland.core.harness;

import org.scxjavaland.bpf.BpfMapLookup;
import org.scxjavaland.bpf.BpfObject;
import org.scxjavaland.bpf.BpfObjectSetup;
import org.scxjavaland.bpf.MapNames;
import org.scxjavaland.core.transport.TransportOptions;
import org.scxjavaland.core.transport.TransportProvider;
import org.scxjavaland.core.wire.ConfigLayout;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.HarnessCtxLayout;
import org.scxjavaland.core.wire.QueuedTask;
import org.scxjavaland.core.wire.QueuedTaskLayout;
import org.scxjavaland.core.wire.StatsLayout;
import org.scxjavaland.core.wire.WireSeam;
import org.scxjavaland.sys.Bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The kernel side of a transport on the host, without sched_ext: bpf-src's harness.bpf.o, whose
 * {@code SEC("syscall")} program {@code harness} produces queued-task records and drains decisions through the
 * very code the scheduler uses (transport.bpf.h), run on demand with BPF_PROG_TEST_RUN.
 * <p>
 * Not thread-safe: one thread at a time (any thread, e.g. a producer thread waking a sleeping consumer).
 */
public final class HarnessProgram implements AutoCloseable {
    public static final String RESOURCE = "/org/scxjavaland/bpf/harness.bpf.o";
    public static final String PROGRAM = "harness";

    /** What a produce run reports: records submitted, and records refused because the channel was full. */
    public record Produced(long produced, long dropped) {
    }

    /** What a drain run reports: decisions consumed, and the sum over them of pid ^ enq_cnt ^ slice_ns ^ vtime. */
    public record Drained(long drained, long checksum) {
    }

    private final BpfObject object;
    private final int progFd;
    private final Bpf bpf = new Bpf();
    private final Arena arena = Arena.ofShared(); // a test may run the harness on another thread
    private final MemorySegment ctx = arena.allocate(HarnessCtxLayout.LAYOUT);

    private HarnessProgram(BpfObject object) {
        this.object = object;
        this.progFd = object.programFd(PROGRAM);
    }

    /** Opens the harness for {@code provider}: config.transport = its wire id, maps sized by its configure(). */
    public static HarnessProgram open(TransportProvider provider, TransportOptions options) {
        return open(provider.wireId(), setup -> provider.configure(setup, options));
    }

    /** Opens the harness with {@code transportWireId} (SCX_JL_TRANSPORT_*) and lets {@code configure} size maps. */
    public static HarnessProgram open(int transportWireId, Consumer<BpfObjectSetup> configure) {
        BpfObject object = BpfObject.openResource(RESOURCE);
        try {
            WireSeam.verify(object, WireSeam.HARNESS);
            object.section(MapNames.SECTION_CONFIG).set(JAVA_INT, ConfigLayout.TRANSPORT, transportWireId);
            configure.accept(object);
            object.load();
            return new HarnessProgram(object);
        } catch (RuntimeException | Error e) {
            object.close();
            throw e;
        }
    }

    /** The loaded object as a transport sees it. */
    public BpfMapLookup maps() {
        return object;
    }

    public BpfObject object() {
        return object;
    }

    /**
     * Produces {@code count} records in one BPF run: pid = firstPid + i, enq_cnt = i (see {@link #expectRecord});
     * with {@code discardEvery} = n > 0 every n-th reserved record is discarded (ringbuf only).
     */
    public Produced produce(int count, long firstPid, long discardEvery) {
        return produce(count, firstPid, discardEvery, 0);
    }

    /**
     * Produces {@code count} exit notices in one BPF run, for pids firstPid .. firstPid + count - 1: what
     * ops.exit_task sends when those tasks end.
     */
    public Produced produceExits(int count, long firstPid) {
        return produce(count, firstPid, 0, 1);
    }

    /**
     * The input section: {@link HarnessCtxLayout#INPUT_MAX} records of {@link QueuedTaskLayout#SIZE} bytes, which
     * {@link #produceInput} sends as written (enq_ts excepted).
     */
    public MemorySegment input() {
        MemorySegment in = object.section(MapNames.SECTION_HARNESS_INPUT);
        long need = (long) HarnessCtxLayout.INPUT_MAX * QueuedTaskLayout.SIZE;
        if (in.byteSize() < need) {
            throw new IllegalStateException(MapNames.SECTION_HARNESS_INPUT + " holds " + in.byteSize() + " bytes, not " + need);
        }
        return in.asSlice(0, need);
    }

    /**
     * Produces the first {@code count} records of {@link #input()} in one BPF run, enq_ts set to the BPF clock; with
     * {@code discardEvery} = n > 0 every n-th reserved record is discarded instead (ringbuf only), as the
     * scheduler's forced wake-ups are; with {@code holdLoops} = n > 0 (ringbuf) the first record's slot stays reserved
     * and BUSY for n turns of an empty BPF loop before its commit, so that a consumer on another thread meets it.
     */
    public Produced produceInput(int count, long discardEvery, long holdLoops) {
        if (count < 0 || count > HarnessCtxLayout.INPUT_MAX) {
            throw new IllegalArgumentException("count must be 0.." + HarnessCtxLayout.INPUT_MAX + ": " + count);
        }
        ctx.fill((byte) 0);
        ctx.set(JAVA_INT, HarnessCtxLayout.OP, HarnessCtxLayout.OP_PRODUCE_INPUT);
        ctx.set(JAVA_INT, HarnessCtxLayout.COUNT, count);
        ctx.set(JAVA_LONG, HarnessCtxLayout.DISCARD_EVERY, discardEvery);
        ctx.set(JAVA_LONG, HarnessCtxLayout.HOLD_LOOPS, holdLoops);
        run();
        return new Produced(ctx.get(JAVA_LONG, HarnessCtxLayout.PRODUCED), ctx.get(JAVA_LONG, HarnessCtxLayout.DROPPED));
    }

    private Produced produce(int count, long firstPid, long discardEvery, long exitEvery) {
        ctx.fill((byte) 0);
        ctx.set(JAVA_INT, HarnessCtxLayout.OP, HarnessCtxLayout.OP_PRODUCE);
        ctx.set(JAVA_INT, HarnessCtxLayout.COUNT, count);
        ctx.set(JAVA_LONG, HarnessCtxLayout.FIRST_PID, firstPid);
        ctx.set(JAVA_LONG, HarnessCtxLayout.DISCARD_EVERY, discardEvery);
        ctx.set(JAVA_LONG, HarnessCtxLayout.EXIT_EVERY, exitEvery);
        run();
        return new Produced(ctx.get(JAVA_LONG, HarnessCtxLayout.PRODUCED), ctx.get(JAVA_LONG, HarnessCtxLayout.DROPPED));
    }

    /** Drains at most {@code max} decisions in one BPF run. */
    public Drained drain(int max) {
        ctx.fill((byte) 0);
        ctx.set(JAVA_INT, HarnessCtxLayout.OP, HarnessCtxLayout.OP_DRAIN);
        ctx.set(JAVA_INT, HarnessCtxLayout.COUNT, max);
        run();
        return new Drained(ctx.get(JAVA_LONG, HarnessCtxLayout.DRAINED), ctx.get(JAVA_LONG, HarnessCtxLayout.CHECKSUM));
    }

    /** A counter of .data.stats (offsets in {@link StatsLayout}), read live from the map. */
    public long stat(long statsOffset) {
        return object.section(MapNames.SECTION_STATS).get(JAVA_LONG, statsOffset);
    }

    private void run() {
        int ret = bpf.progTestRun(progFd, ctx, MemorySegment.NULL);
        if (ret != 0) throw new IllegalStateException("harness returned " + ret);
    }

    /** The checksum term the harness adds for one decision. */
    public static long checksumOf(DispatchedTask d) {
        return (long) d.pid ^ d.enqCnt ^ d.sliceNs ^ d.vtime;
    }

    /**
     * Checks that {@code t} is the record the harness produces for index {@code i} (every field is a function of
     * i); returns null when it is, else a description of the first difference.
     */
    public static String expectRecord(QueuedTask t, long i, long firstPid) {
        if (t.pid() != (int) (firstPid + i)) return "pid " + t.pid() + " != " + (int) (firstPid + i);
        if (t.cpu() != (int) (i % 4)) return "cpu " + t.cpu() + " for i=" + i;
        if (t.nrCpusAllowed() != 4) return "nr_cpus_allowed " + t.nrCpusAllowed();
        if (t.flags() != (i & 1)) return "flags " + t.flags() + " for i=" + i;
        if (t.startTs() != 1000 * i) return "start_ts " + t.startTs() + " for i=" + i;
        if (t.stopTs() != 1000 * i + 500) return "stop_ts " + t.stopTs() + " for i=" + i;
        if (t.execRuntime() != 500 * i) return "exec_runtime " + t.execRuntime() + " for i=" + i;
        if (t.runTotal() != 900 * i) return "run_total " + t.runTotal() + " for i=" + i;
        if (t.weight() != 100) return "weight " + t.weight();
        if (t.vtime() != 7 * i) return "vtime " + t.vtime() + " for i=" + i;
        if (t.enqCnt() != i) return "enq_cnt " + t.enqCnt() + " != " + i;
        if (t.enqTs() <= 0) return "enq_ts " + t.enqTs() + " (the BPF clock) for i=" + i;
        if (t.uid() != uidOf(firstPid + i)) return "uid " + t.uid() + " for pid " + t.pid();
        String comm = t.comm();
        if (!comm.equals("harness")) return "comm '" + comm + "'";
        return null;
    }

    /** The uid of the harness's records and exit notices for {@code pid}: one task per pid. */
    public static long uidOf(long pid) {
        return (1L << 32) | (pid & 0xFFFF_FFFFL);
    }

    @Override
    public void close() {
        try {
            bpf.close();
            arena.close();
        } finally {
            object.close();
        }
    }
}
