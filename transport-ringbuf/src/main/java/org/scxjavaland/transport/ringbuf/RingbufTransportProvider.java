package org.scxjavaland.transport.ringbuf;

import org.scxjavaland.bpf.BpfMapLookup;
import org.scxjavaland.bpf.BpfObjectSetup;
import org.scxjavaland.bpf.MapNames;
import org.scxjavaland.core.transport.Availability;
import org.scxjavaland.core.transport.Transport;
import org.scxjavaland.core.transport.TransportOptions;
import org.scxjavaland.core.transport.TransportProvider;
import org.scxjavaland.core.wire.ConfigLayout;
import org.scxjavaland.core.wire.DispatchedTaskLayout;
import org.scxjavaland.core.wire.QueuedTaskLayout;
import org.scxjavaland.sys.Bpf;
import org.scxjavaland.sys.ErrnoException;
import org.scxjavaland.sys.LibC;

/** The {@code ringbuf} transport: RINGBUF in, USER_RINGBUF out (kernel 6.1 or newer). */
public final class RingbufTransportProvider implements TransportProvider {
    /** Largest ring we ask for: 1 GiB (max_entries is a u32 and the kernel caps ring maps well below 4 GiB). */
    static final long MAX_RING_BYTES = 1L << 30;

    private static volatile Availability probed;

    @Override
    public String name() {
        return RingbufTransport.NAME;
    }

    @Override
    public int wireId() {
        return ConfigLayout.TRANSPORT_RINGBUF;
    }

    @Override
    public int preference() {
        return 100;
    }

    /** Creates a small RINGBUF and USER_RINGBUF and maps them as the transport will; the answer is cached. */
    @Override
    public Availability availability() {
        Availability a = probed;
        if (a == null) probed = a = probe();
        return a;
    }

    private static Availability probe() {
        String mapping = null;
        int page = LibC.pageSize();
        int rb = -1, urb = -1;
        try {
            rb = Bpf.mapCreate(Bpf.MAP_TYPE_RINGBUF, 0, 0, page, 0, "scx_jl_probe_rb");
            urb = Bpf.mapCreate(Bpf.MAP_TYPE_USER_RINGBUF, 0, 0, page, 0, "scx_jl_probe_urb");
            mapping = "mapping the RINGBUF: ";
            BpfRing.mapKernelProducer(rb, page).unmap();
            mapping = "mapping the USER_RINGBUF: ";
            BpfRing.mapUserProducer(urb, page).unmap();
            return Availability.yes();
        } catch (ErrnoException e) {
            // the map's creation says which type and why (Bpf's hints); a mapping failure needs its step named
            return Availability.no((mapping == null ? "" : mapping) + e.getMessage());
        } finally {
            LibC.closeQuietly(rb);
            LibC.closeQuietly(urb);
        }
    }

    /** Sizes both rings to hold {@code capacityRecords} records each (rounded up to a power-of-two of pages). */
    @Override
    public void configure(BpfObjectSetup setup, TransportOptions options) {
        setup.setMaxEntries(MapNames.QUEUED_RINGBUF,
                ringBytes(options.capacityRecords(), RingHeader.stride(QueuedTaskLayout.SIZE)));
        setup.setMaxEntries(MapNames.DISPATCHED_USER_RINGBUF,
                ringBytes(options.capacityRecords(), RingHeader.stride(DispatchedTaskLayout.SIZE)));
    }

    /** The ring size for {@code records} records of {@code stride} bytes: a power of two, at least one page. */
    static int ringBytes(int records, long stride) {
        if (records < 1) throw new IllegalArgumentException("capacityRecords must be >= 1: " + records);
        long bytes = Math.max((long) records * stride, LibC.pageSize());
        long ring = Long.highestOneBit(bytes - 1) << 1; // next power of two (page size is one, so a page multiple)
        if (ring > MAX_RING_BYTES) {
            throw new IllegalArgumentException("capacityRecords " + records + " needs a ring of " + ring
                    + " bytes; the limit is " + MAX_RING_BYTES);
        }
        return (int) ring;
    }

    @Override
    public Transport open(BpfMapLookup maps, TransportOptions options) {
        return RingbufTransport.open(maps);
    }
}
