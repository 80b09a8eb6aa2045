package org.scxjavaland.transport.fifo;

import org.scxjavaland.core.testing.TransportConformanceSuite;
import org.scxjavaland.core.transport.TransportProvider;

/** The shared transport contract, for the queue-map transport, with the harness BPF program as the kernel side. */
class FifoConformanceTest extends TransportConformanceSuite {
    @Override
    protected TransportProvider provider() {
        return new FifoTransportProvider();
    }
}
