package org.scxjavaland.transport.fifo;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scxjavaland.bpf.MapNames;
import org.scxjavaland.core.harness.HarnessProgram;
import org.scxjavaland.core.testing.BpfTestSupport;
import org.scxjavaland.core.transport.Transport;
import org.scxjavaland.core.transport.TransportOptions;
import org.scxjavaland.core.wire.DispatchedTask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The point of the fallback: the BPF object must load and work in FIFO mode on a kernel that cannot create ring
 * buffers. This host can, so the test leaves every RINGBUF/USER_RINGBUF map of the object uncreated, which is
 * what {@link FifoTransportProvider#configure} does on such a kernel.
 */
class FifoWithoutRingBuffersTest {
    private final FifoTransportProvider provider = new FifoTransportProvider();
    private final TransportOptions options = new TransportOptions(128);

    @BeforeEach
    void needsBpf() {
        BpfTestSupport.assumeBpf();
    }

    // A kernel without ring buffers, as far as the object can tell: none of its ring maps is created. In FIFO mode
    // the ring code is dead (config.transport is read-only data), so the verifier must accept the object anyway.
    @Test
    void loadsAndCarriesRecordsWithNoRingMapCreated() {
        try (HarnessProgram h = HarnessProgram.open(provider.wireId(), setup -> {
            provider.configure(setup, options);
            for (String ring : FifoTransportProvider.RING_MAPS) setup.setAutocreate(ring, false);
        }); Transport t = provider.open(h.maps(), options)) {
            var p = h.produce(100, 500, 0);
            assertEquals(100, p.produced());
            long[] next = {0};
            String[] error = {null};
            int got = t.drain(task -> {
                String e = HarnessProgram.expectRecord(task, next[0]++, 500);
                if (e != null && error[0] == null) error[0] = e;
            }, 1000);
            assertEquals(100, got);
            assertNull(error[0]);
            DispatchedTask d = new DispatchedTask().set(500, -1, 0, 1000, 7, 0);
            assertTrue(t.send(d));
            var dr = h.drain(10);
            assertEquals(1, dr.drained());
            assertEquals(HarnessProgram.checksumOf(d), dr.checksum());
        }
    }
}
