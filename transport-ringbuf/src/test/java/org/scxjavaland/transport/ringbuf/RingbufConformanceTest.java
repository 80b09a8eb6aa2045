package org.scxjavaland.transport.ringbuf;

import org.scxjavaland.core.testing.TransportConformanceSuite;
import org.scxjavaland.core.transport.TransportProvider;

/** The shared transport contract, on real RINGBUF/USER_RINGBUF maps driven by the harness program (root). */
class RingbufConformanceTest extends TransportConformanceSuite {
    @Override
    protected TransportProvider provider() {
        return new RingbufTransportProvider();
    }
}
