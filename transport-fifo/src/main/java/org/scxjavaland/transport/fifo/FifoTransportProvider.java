package org.scxjavaland.transport.fifo;

import org.scxjavaland.bpf.BpfException;
import org.scxjavaland.bpf.BpfMapLookup;
import org.scxjavaland.bpf.BpfObjectSetup;
import org.scxjavaland.bpf.MapNames;
import org.scxjavaland.bpf.QueueMapOps;
import org.scxjavaland.core.probe.MapTypeProbe;
import org.scxjavaland.core.transport.Availability;
import org.scxjavaland.core.transport.Transport;
import org.scxjavaland.core.transport.TransportOptions;
import org.scxjavaland.core.transport.TransportProvider;
import org.scxjavaland.core.wire.ConfigLayout;
import org.scxjavaland.core.wire.QueuedTaskLayout;
import org.scxjavaland.sys.Bpf;
import org.scxjavaland.sys.ErrnoException;
import org.scxjavaland.sys.LibC;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The fallback transport: a BPF_MAP_TYPE_QUEUE each way, one bpf() call per record. It needs nothing newer than
 * Linux 4.20 (queue maps and LOOKUP_AND_DELETE from user space), so {@code auto} takes it when the ring buffers
 * are missing or refused.
 */
public final class FifoTransportProvider implements TransportProvider {
    public static final String NAME = "fifo";
    /** SCX_JL_TRANSPORT_FIFO in intf.h (checked by WireLayoutTest through ConfigLayout). */
    public static final int WIRE_ID = ConfigLayout.TRANSPORT_FIFO;
    /** Below ringbuf: taken by {@code auto} only when the ring buffers are unavailable. */
    public static final int PREFERENCE = 10;
    /** The object's ring-buffer maps, which the FIFO path never needs: uncreated where the kernel lacks them. */
    static final List<String> RING_MAPS = List.of(MapNames.QUEUED_RINGBUF, MapNames.DISPATCHED_USER_RINGBUF);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int wireId() {
        return WIRE_ID;
    }

    @Override
    public int preference() {
        return PREFERENCE;
    }

    /**
     * Creates a two-entry queue of queued-task records and pushes and pops one through it: the exact calls the
     * transport makes, so a kernel that creates queue maps but refuses their user-space ops is caught here.
     */
    @Override
    public Availability availability() {
        int fd = -1;
        try (Arena arena = Arena.ofConfined()) {
            QueueMapOps queues = new QueueMapOps();
            fd = Bpf.mapCreate(Bpf.MAP_TYPE_QUEUE, 0, (int) QueuedTaskLayout.SIZE, 2, 0, "scx_jl_probe_q");
            MemorySegment record = arena.allocate(QueuedTaskLayout.SIZE, 8);
            if (!queues.push(fd, record, Bpf.BPF_ANY)) return Availability.no("a new queue map reported itself full");
            if (!queues.pop(fd, record)) return Availability.no("a queue map lost the record pushed into it");
            return Availability.yes();
        } catch (ErrnoException | BpfException e) {
            return Availability.no(e.getMessage());
        } finally {
            LibC.closeQuietly(fd);
        }
    }

    /**
     * Sizes both queues to the requested capacity (queues hold exactly max_entries records). The ring maps are
     * in the same object; on a kernel that cannot create them they are left out, so that the object still loads
     * (their code is dead when config.transport is FIFO, and libbpf poisons the references to them).
     */
    @Override
    public void configure(BpfObjectSetup setup, TransportOptions options) {
        int capacity = options.capacityRecords();
        if (capacity <= 0) throw new IllegalArgumentException("capacity must be positive: " + capacity);
        setup.setMaxEntries(MapNames.QUEUED_QUEUE, capacity);
        setup.setMaxEntries(MapNames.DISPATCHED_QUEUE, capacity);
        if (!MapTypeProbe.ringbuf().available()) {
            setup.setAutocreate(MapNames.QUEUED_RINGBUF, false);
        }
        if (!MapTypeProbe.userRingbuf().available()) setup.setAutocreate(MapNames.DISPATCHED_USER_RINGBUF, false);
    }

    @Override
    public Transport open(BpfMapLookup maps, TransportOptions options) {
        return new FifoTransport(maps.mapFd(MapNames.QUEUED_QUEUE), maps.mapFd(MapNames.DISPATCHED_QUEUE),
                new Backoff(Backoff.DEFAULT_SPINS, Backoff.DEFAULT_MIN_SLEEP_NS, Backoff.DEFAULT_MAX_SLEEP_NS));
    }
}
