package org.scxjavaland.core.transport;

/**
 * Whether a transport can run on this kernel, and if not, why (in the manner of Netty's
 * {@code Epoll.isAvailable()} / {@code unavailabilityCause()}).
 */
public record Availability(boolean available, String cause) {
    public static Availability yes() {
        return new Availability(true, null);
    }

    public static Availability no(String cause) {
        return new Availability(false, cause);
    }
}
