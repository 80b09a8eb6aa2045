package org.scxjavaland.core.transport;

/**
 * Sizing shared by all transports.
 *
 * @param capacityRecords how many records each direction must hold (ring sizes are rounded up to a power of two
 *                        number of pages; queues get exactly this many entries)
 */
public record TransportOptions(int capacityRecords) {
    public static final TransportOptions DEFAULT = new TransportOptions(4096);
}
