package org.scxjavaland.core.transport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** Finds transports by name, and picks one for {@code --transport=auto}. */
public final class Transports {
    public static final String AUTO = "auto";
    /** Set to a transport name to make {@code auto} treat every other transport as unavailable (tests, A/B runs). */
    public static final String FORCE_PROPERTY = "scx_javaland.transport.force";
    public static final String FORCE_ENV = "SCX_JAVALAND_FORCE_TRANSPORT";

    /** The outcome of a choice, with the reason to log and to label metrics with. */
    public record Choice(TransportProvider provider, String reason) {
    }

    private Transports() {
    }

    public static List<TransportProvider> all() {
        List<TransportProvider> list = new ArrayList<>();
        ServiceLoader.load(TransportProvider.class).forEach(list::add);
        list.sort(Comparator.comparingInt(TransportProvider::preference).reversed());
        return list;
    }

    public static List<String> names() {
        return all().stream().map(TransportProvider::name).toList();
    }

    /**
     * Resolves {@code --transport=NAME}. For a named transport it checks availability; for {@code auto} it takes
     * the most preferred available one. Throws IllegalArgumentException with a one-line reason otherwise.
     */
    public static Choice choose(String name) {
        List<TransportProvider> all = all();
        if (all.isEmpty()) {
            throw new IllegalStateException("no transport on the class path (transport-ringbuf, transport-fifo)");
        }
        String forced = forced();
        if (!AUTO.equals(name)) {
            TransportProvider p = all.stream().filter(t -> t.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown transport '" + name + "' (choose from: auto, "
                            + String.join(", ", all.stream().map(TransportProvider::name).toList()) + ")"));
            Availability a = p.availability();
            if (!a.available()) {
                throw new IllegalArgumentException("transport '" + name + "' is not available here: " + a.cause());
            }
            return new Choice(p, "requested");
        }
        StringBuilder why = new StringBuilder();
        for (TransportProvider p : all) {
            Availability a = forced != null && !forced.equals(p.name())
                    ? Availability.no("forced off (" + FORCE_ENV + "=" + forced + ")")
                    : p.availability();
            if (a.available()) {
                return new Choice(p, why.isEmpty() ? "auto: preferred and available" : "auto: " + why);
            }
            if (!why.isEmpty()) why.append("; ");
            why.append(p.name()).append(" unavailable: ").append(a.cause());
        }
        throw new IllegalArgumentException("no transport is available here: " + why);
    }

    private static String forced() {
        String v = System.getProperty(FORCE_PROPERTY);
        if (v == null || v.isBlank()) v = System.getenv(FORCE_ENV);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
