package org.scxjavaland.core.sched;

import org.scxjavaland.bpf.BpfException;
import org.scxjavaland.bpf.BpfLink;
import org.scxjavaland.bpf.BpfObject;
import org.scxjavaland.bpf.MapNames;
import org.scxjavaland.core.transport.Transport;
import org.scxjavaland.core.transport.TransportCounters;
import org.scxjavaland.core.transport.TransportProvider;
import org.scxjavaland.core.wire.ObserveStatsLayout;
import org.scxjavaland.core.wire.StatsLayout;
import org.scxjavaland.core.wire.WireSeam;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One attachment of the observer (bpf-src/src/observe.bpf.c) to the scheduler tracepoints: the kernel side of
 * {@code observe}, on a kernel without sched_ext. It loads the same .rodata.config and the same transport maps as
 * the scheduler, and fills the same .data.stats, so the loop, the policy and the counters are the scheduler's.
 */
final class ObserveSession implements Session {
    static final String OBJECT = "/org/scxjavaland/bpf/observe.bpf.o";
    /** The most time the end of a session waits for the last records and decisions to cross. */
    static final long SETTLE_MAX_NANOS = 2_000_000_000L;
    private static final long SETTLE_PAUSE_NANOS = 1_000_000L;
    private static final VarHandle LONG = JAVA_LONG.varHandle();

    private final BpfObject object;
    private final Transport transport;
    private final StatsSection stats;
    private final MemorySegment observe;
    private final Tracepoints tracepoints;
    private final List<BpfLink> links = new ArrayList<>();
    private long attachedNanos;

    private ObserveSession(BpfObject object, Transport transport, int nrCpus, Tracepoints tracepoints) {
        this.object = object;
        this.transport = transport;
        this.stats = new StatsSection(object.section(MapNames.SECTION_STATS), nrCpus);
        this.observe = object.section(MapNames.SECTION_OBSERVE);
        this.tracepoints = tracepoints;
    }

    /** {@code auto}: the tp_btf programs where the kernel loads them, else the raw tracepoint ones. */
    static ObserveSession open(TransportProvider provider, SchedulerOptions options, Tracepoints wanted,
                               Consumer<String> log) {
        if (wanted != Tracepoints.AUTO) return open(provider, options, wanted);
        try {
            return open(provider, options, Tracepoints.BTF);
        } catch (BpfException e) {
            String why = e.getMessage() == null ? "no reason given" : e.getMessage().lines().findFirst().orElse("");
            log.accept("the tp_btf programs did not load (" + why + "): using raw tracepoints");
            return open(provider, options, Tracepoints.RAW);
        }
    }

    private static ObserveSession open(TransportProvider provider, SchedulerOptions options, Tracepoints kind) {
        BpfObject object = BpfObject.openResource(OBJECT);
        try {
            WireSeam.verify(object, WireSeam.OBSERVE);
            int nrCpus = SchedulerSession.possibleCpus();
            SchedulerSession.writeConfig(object.section(MapNames.SECTION_CONFIG), provider, options, nrCpus);
            // Every CPU counts as busy until its first context switch says otherwise.
            MemorySegment st = object.section(MapNames.SECTION_STATS);
            int online = SchedulerSession.onlineCpus();
            st.set(JAVA_LONG, StatsLayout.NR_ONLINE_CPUS, online);
            st.set(JAVA_LONG, StatsLayout.NR_RUNNING, online);
            for (Tracepoints other : Tracepoints.values()) {
                if (other == kind || other == Tracepoints.AUTO) continue;
                for (String p : Tracepoints.PROGRAMS) object.setAutoload(other.programPrefix() + p, false);
            }
            provider.configure(object, options.transport());
            object.load();
            Transport transport = provider.open(object, options.transport());
            return new ObserveSession(object, transport, nrCpus, kind);
        } catch (RuntimeException e) {
            object.close();
            throw e;
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

    @Override
    public String describe(String transportName, SchedulerOptions options) {
        return "observer on sched_wakeup, sched_wakeup_new, sched_switch, sched_process_exit (" + tracepoints.kind()
                + ") transport=" + transportName + " slice=" + options.sliceNs() / 1000 + "us min="
                + options.sliceMinNs() / 1000 + "us; nothing is enforced";
    }

    @Override
    public void attach() {
        try {
            for (String p : Tracepoints.PROGRAMS) links.add(object.attachProgram(tracepoints.programPrefix() + p));
        } catch (RuntimeException e) {
            detach();
            throw e;
        }
        attachedNanos = System.nanoTime();
    }

    /**
     * Stops the kernel side producing, then lets the last records reach the daemon and the last decisions reach
     * BPF (which drains on context switches, so this thread sleeps between rounds), so that the final counters
     * account for every event: each record produced was received, each decision sent was drained.
     */
    @Override
    public void settle(SchedulingLoop loop) {
        LONG.setVolatile(observe, ObserveStatsLayout.STOP_PRODUCING, 1L);
        TransportCounters tc = transport.counters();
        long until = System.nanoTime() + SETTLE_MAX_NANOS;
        while (System.nanoTime() < until) {
            while (loop.runOnce() > 0) {
                // until the channel is empty and every decision is out
            }
            if (tc.received >= read(ObserveStatsLayout.NR_PRODUCED) && read(ObserveStatsLayout.NR_DRAINED) >= tc.sent) {
                return;
            }
            LockSupport.parkNanos(SETTLE_PAUSE_NANOS);
        }
    }

    @Override
    public void detach() {
        RuntimeException first = null;
        for (BpfLink l : links) {
            try {
                l.close();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        links.clear();
        if (first != null) throw first;
    }

    /** The kernel never ends an observer: only the daemon does. */
    @Override
    public boolean exited() {
        return false;
    }

    @Override
    public ExitInfo exitInfo() {
        return ExitInfo.RUNNING;
    }

    @Override
    public ExitInfo awaitExitInfo() {
        return ExitInfo.OBSERVER_DETACHED;
    }

    @Override
    public ObserveSnapshot observed() {
        long[] hist = new long[ObserveStatsLayout.LAT_BUCKETS];
        for (int i = 0; i < hist.length; i++) hist[i] = read(ObserveStatsLayout.LATENCY_HIST + (long) i * Long.BYTES);
        return new ObserveSnapshot(tracepoints.kind(), attachedNanos, System.nanoTime(),
                read(ObserveStatsLayout.NR_EVENTS), read(ObserveStatsLayout.NR_WAKEUPS),
                read(ObserveStatsLayout.NR_WAKEUPS_NEW), read(ObserveStatsLayout.NR_PREEMPTED),
                read(ObserveStatsLayout.NR_EXITS), read(ObserveStatsLayout.NR_PRODUCED),
                read(ObserveStatsLayout.NR_DROPPED), read(ObserveStatsLayout.NR_UNTRACKED),
                read(ObserveStatsLayout.NR_DRAINED), read(ObserveStatsLayout.NR_LATENCY_SAMPLES),
                read(ObserveStatsLayout.LATENCY_MAX_NS), hist);
    }

    private long read(long offset) {
        return (long) LONG.getVolatile(observe, offset);
    }

    @Override
    public void close() {
        Session.close(this, object);
    }
}
