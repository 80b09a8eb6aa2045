package org.scxjavaland.core.transport;

import org.scxjavaland.bpf.BpfMapLookup;
import org.scxjavaland.bpf.BpfObjectSetup;

/**
 * A pluggable transport, found through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.scxjavaland.core.transport.TransportProvider}).
 */
public interface TransportProvider {
    /** The name users type: {@code --transport=NAME}. */
    String name();

    /** The value of scx_jl_config.transport (SCX_JL_TRANSPORT_* in intf.h) that selects this transport in BPF. */
    int wireId();

    /** Higher wins when {@code --transport=auto} chooses among available transports. */
    int preference();

    /** Probes the running kernel (creating and mapping the maps it needs); cheap enough to call at start-up. */
    Availability availability();

    /** Sizes this transport's maps (and turns off the other transports' maps where the kernel lacks them). */
    void configure(BpfObjectSetup setup, TransportOptions options);

    /** Opens the channels on a loaded object. */
    Transport open(BpfMapLookup maps, TransportOptions options);
}
