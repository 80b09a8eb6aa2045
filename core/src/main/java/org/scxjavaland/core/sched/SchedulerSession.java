package org.scxjavaland.core.sched;

import org.scxjavaland.bpf.BpfLink;
import org.scxjavaland.bpf.BpfObject;
import org.scxjavaland.bpf.MapNames;
import org.scxjavaland.core.probe.SchedExtSysfs;
import org.scxjavaland.core.transport.Transport;
import org.scxjavaland.core.transport.TransportProvider;
import org.scxjavaland.core.wire.ConfigLayout;
import org.scxjavaland.core.wire.ExitInfoLayout;
import org.scxjavaland.core.wire.WireSeam;
import org.scxjavaland.sys.LibC;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One attachment of the BPF scheduler: open, configure, load, open the transport, attach; and the reverse on
 * close. A kernel restart request ends a session; the runner starts a new one.
 */
final class SchedulerSession implements Session {
    static final String OBJECT = "/org/scxjavaland/bpf/scx_javaland.bpf.o";
    /** SCX_OPS_SWITCH_PARTIAL in enum scx_ops_flags. */
    static final long SCX_OPS_SWITCH_PARTIAL = 1L << 3;
    /** The heartbeat's period: the safety net for a missed ring wake-up, well inside the watchdog timeout. */
    static final int HEARTBEAT_MS = 100;
    private static final java.lang.invoke.VarHandle INT = JAVA_INT.varHandle();

    private final BpfObject object;
    private final Transport transport;
    private final StatsSection stats;
    private final MemorySegment exitInfo;
    private BpfLink link;

    private SchedulerSession(BpfObject object, Transport transport, int nrCpus) {
        this.object = object;
        this.transport = transport;
        this.stats = new StatsSection(object.section(MapNames.SECTION_STATS), nrCpus);
        this.exitInfo = object.section(MapNames.SECTION_EXIT_INFO);
    }

    static SchedulerSession open(TransportProvider provider, SchedulerOptions options) {
        BpfObject object = BpfObject.openResource(OBJECT);
        try {
            WireSeam.verify(object, WireSeam.SCHEDULER);
            int nrCpus = possibleCpus();
            MemorySegment config = object.section(MapNames.SECTION_CONFIG);
            writeConfig(config, provider, options, nrCpus);
            config.set(JAVA_INT, ConfigLayout.HEARTBEAT_MS, HEARTBEAT_MS);
            configureOps(object, config, options);
            provider.configure(object, options.transport());
            object.load();
            Transport transport = provider.open(object, options.transport());
            return new SchedulerSession(object, transport, nrCpus);
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    /**
     * The .rodata.config both kernel sides read (the scheduler, and the observer, which leaves out the same tasks):
     * who the daemon is, the transport, the slices, the CPUs. Call before load, on the thread that will run the loop.
     */
    static void writeConfig(MemorySegment config, TransportProvider provider, SchedulerOptions options, int nrCpus) {
        config.set(JAVA_INT, ConfigLayout.DAEMON_TGID, (int) ProcessHandle.current().pid());
        config.set(JAVA_INT, ConfigLayout.TRANSPORT, provider.wireId());
        config.set(JAVA_LONG, ConfigLayout.SLICE_NS, options.sliceNs());
        config.set(JAVA_LONG, ConfigLayout.SLICE_MIN_NS, options.sliceMinNs());
        // The session is opened on the thread that will run the loop: BPF gives that one thread priority.
        config.set(JAVA_INT, ConfigLayout.SCHED_TID, LibC.gettid());
        config.set(JAVA_INT, ConfigLayout.NR_CPU_IDS, nrCpus);
        config.set(JAVA_INT, ConfigLayout.VERBOSE, options.verbose() ? 1 : 0);
        config.set(JAVA_INT, ConfigLayout.KHUGEPAGED_PID, KernelThreads.khugepagedPid());
    }

    /** struct_ops fields at the offsets the BPF compiler recorded, so we carry no copy of the kernel's layout. */
    private static void configureOps(BpfObject object, MemorySegment config, SchedulerOptions options) {
        MemorySegment ops = object.structOpsData(MapNames.STRUCT_OPS);
        long offFlags = Integer.toUnsignedLong(config.get(JAVA_INT, ConfigLayout.OPS_OFF_FLAGS));
        long offTimeout = Integer.toUnsignedLong(config.get(JAVA_INT, ConfigLayout.OPS_OFF_TIMEOUT_MS));
        long offDump = Integer.toUnsignedLong(config.get(JAVA_INT, ConfigLayout.OPS_OFF_EXIT_DUMP_LEN));
        if (options.partial()) {
            ops.set(JAVA_LONG, offFlags, ops.get(JAVA_LONG, offFlags) | SCX_OPS_SWITCH_PARTIAL);
        }
        ops.set(JAVA_INT, offTimeout, options.timeoutMs());
        // A CPU hotplug between reading this and attaching makes the attach fail with a restart request, instead of
        // running with a topology that changed under us (the runner then reattaches).
        long seq = hotplugSeq();
        if (seq >= 0) {
            ops.set(JAVA_LONG, Integer.toUnsignedLong(config.get(JAVA_INT, ConfigLayout.OPS_OFF_HOTPLUG_SEQ)), seq);
        }
        if (options.exitDumpLen() > 0) ops.set(JAVA_INT, offDump, options.exitDumpLen());
        writeName(ops, Integer.toUnsignedLong(config.get(JAVA_INT, ConfigLayout.OPS_OFF_NAME)), options.opsName());
    }

    /** ops.name, NUL-padded: the BPF side's static "javaland" is replaced before the object is loaded. */
    static void writeName(MemorySegment ops, long offset, String name) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        MemorySegment field = ops.asSlice(offset, OpsName.MAX_LEN + 1);
        field.fill((byte) 0);
        MemorySegment.copy(b, 0, field, JAVA_BYTE, 0, b.length);
    }

    @Override
    public String describe(String transportName, SchedulerOptions options) {
        return "ops=" + options.opsName() + " transport=" + transportName + " slice=" + options.sliceNs() / 1000
                + "us min=" + options.sliceMinNs() / 1000 + "us" + (options.partial() ? " partial" : "");
    }

    @Override
    public void attach() {
        link = object.attachStructOps(MapNames.STRUCT_OPS);
    }

    /** Detaches (idempotent). The kernel then runs ops.exit, which records UNREG in .data.uei. */
    @Override
    public void detach() {
        if (link != null) {
            link.close();
            link = null;
        }
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public StatsSection stats() {
        return stats;
    }

    /** A volatile read of the exit kind: non-zero once the kernel has stopped the scheduler. */
    @Override
    public boolean exited() {
        return (int) INT.getAcquire(exitInfo, ExitInfoLayout.KIND) != 0;
    }

    /** ops.exit runs in the kernel after the link is destroyed; give it a moment to publish its record. */
    @Override
    public ExitInfo awaitExitInfo() {
        long until = System.nanoTime() + 1_000_000_000L;
        while (!exited() && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        return exitInfo();
    }

    @Override
    public ExitInfo exitInfo() {
        int kind = (int) INT.getAcquire(exitInfo, ExitInfoLayout.KIND);
        if (kind == 0) return ExitInfo.RUNNING;
        return new ExitInfo(kind, exitInfo.get(JAVA_LONG, ExitInfoLayout.EXIT_CODE),
                cString(exitInfo, ExitInfoLayout.REASON, ExitInfoLayout.REASON_LEN),
                cString(exitInfo, ExitInfoLayout.MSG, ExitInfoLayout.MSG_LEN),
                cString(exitInfo, ExitInfoLayout.DUMP, ExitInfoLayout.DUMP_LEN));
    }

    @Override
    public void close() {
        Session.close(this, object);
    }

    private static String cString(MemorySegment seg, long offset, long max) {
        int n = 0;
        while (n < max && seg.get(JAVA_BYTE, offset + n) != 0) n++;
        byte[] b = new byte[n];
        MemorySegment.copy(seg, JAVA_BYTE, offset, b, 0, n);
        return new String(b, StandardCharsets.UTF_8).trim();
    }

    /** /sys/kernel/sched_ext/hotplug_seq, or -1 where it cannot be read (no sched_ext: the load fails anyway). */
    static long hotplugSeq() {
        return SchedExtSysfs.ofHost().number("hotplug_seq");
    }

    /** nr_cpu_ids: one more than the highest possible CPU ("0-1", "0,2-5"). */
    static int possibleCpus() {
        try {
            String s = Files.readString(Path.of("/sys/devices/system/cpu/possible")).trim();
            int max = 0;
            for (String part : s.split(",")) {
                String[] r = part.split("-");
                max = Math.max(max, Integer.parseInt(r[r.length - 1].trim()));
            }
            return max + 1;
        } catch (IOException | NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** How many CPUs are online now ("0-1", "0,2-5": 2 and 5). */
    static int onlineCpus() {
        try {
            String s = Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
            int n = 0;
            for (String part : s.split(",")) {
                String[] r = part.split("-");
                n += Integer.parseInt(r[r.length - 1].trim()) - Integer.parseInt(r[0].trim()) + 1;
            }
            return n;
        } catch (IOException | NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }
}
