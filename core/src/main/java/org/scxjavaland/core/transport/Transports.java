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

    /**
     * The outcome of a choice, with the reason to log and to label metrics with. The reason is one line and
     * starts with how the transport was chosen: {@code requested}, {@code auto: preferred}, {@code auto: fallback}
     * or {@code auto: forced}.
     */
    public record Choice(TransportProvider provider, String reason) {
    }

    /** Where a forced fallback came from, so the reason names the switch the user actually set. */
    record Force(String name, String source) {
        String describe() {
            return source + "=" + name;
        }
    }

    /** A transport name that no provider has: a usage error, unlike a known transport that is unavailable here. */
    public static final class UnknownTransportException extends IllegalArgumentException {
        UnknownTransportException(String message) {
            super(message);
        }
    }

    private Transports() {
    }

    /**
     * Checks a {@code --transport} value without probing anything: {@code auto} or the name of a provider on the
     * class path; throws {@link UnknownTransportException} (the same message as {@link #choose}) otherwise.
     */
    public static void requireKnown(String name) {
        List<TransportProvider> all = all();
        if (!AUTO.equals(name) && find(all, name) == null) throw unknown(name, all);
    }

    private static UnknownTransportException unknown(String name, List<TransportProvider> all) {
        return new UnknownTransportException("unknown transport '" + name + "' (choose from: auto, "
                + String.join(", ", all.stream().map(TransportProvider::name).toList()) + ")");
    }

    public static List<TransportProvider> all() {
        List<TransportProvider> list = new ArrayList<>();
        ServiceLoader.load(TransportProvider.class).forEach(list::add);
        return byPreference(list);
    }

    public static List<String> names() {
        return all().stream().map(TransportProvider::name).toList();
    }

    /**
     * Resolves {@code --transport=NAME}. For a named transport it checks availability; for {@code auto} it takes
     * the most preferred available one (or the forced one, see {@link #FORCE_PROPERTY}). Throws
     * IllegalArgumentException with a one-line reason otherwise: {@link UnknownTransportException} for a name no
     * provider has, its parent class when the transport exists but is not available here.
     */
    public static Choice choose(String name) {
        return choose(name, all(), forced());
    }

    /** {@link #choose(String)} over the given providers instead of those on the class path (the force applies). */
    public static Choice choose(String name, List<TransportProvider> providers) {
        return choose(name, providers, forced());
    }

    /** The choice over an explicit provider list and force setting: what {@link #choose(String)} does, testable. */
    static Choice choose(String name, List<TransportProvider> providers, Force force) {
        if (providers.isEmpty()) {
            throw new IllegalStateException("no transport on the class path (transport-ringbuf, transport-fifo)");
        }
        List<TransportProvider> all = byPreference(new ArrayList<>(providers));
        String known = String.join(", ", all.stream().map(TransportProvider::name).toList());
        if (!AUTO.equals(name)) {
            TransportProvider p = find(all, name);
            if (p == null) throw unknown(name, all);
            Availability a = availabilityOf(p);
            if (!a.available()) {
                throw new IllegalArgumentException("transport '" + name + "' is not available here: " + a.cause());
            }
            return new Choice(p, "requested (--transport=" + name + ")");
        }
        if (force != null) {
            TransportProvider p = find(all, force.name());
            if (p == null) {
                throw new UnknownTransportException("unknown transport '" + force.name() + "' in " + force.source()
                        + " (choose from: " + known + ")");
            }
            Availability a = availabilityOf(p);
            if (!a.available()) {
                throw new IllegalArgumentException("transport '" + force.name() + "' forced by " + force.source()
                        + " is not available here: " + a.cause());
            }
            return new Choice(p, "auto: forced by " + force.describe());
        }
        StringBuilder why = new StringBuilder();
        for (TransportProvider p : all) {
            Availability a = availabilityOf(p);
            if (a.available()) {
                return new Choice(p, why.isEmpty() ? "auto: preferred, available" : "auto: fallback, " + why);
            }
            if (!why.isEmpty()) why.append("; ");
            why.append(p.name()).append(" unavailable: ").append(a.cause());
        }
        throw new IllegalArgumentException("no transport is available here: " + why);
    }

    /** A provider's availability; a probe that throws counts as unavailable, and the cause is kept to one line. */
    public static Availability availabilityOf(TransportProvider p) {
        Availability a;
        try {
            a = p.availability();
        } catch (RuntimeException | LinkageError e) {
            a = Availability.no(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (a == null) return Availability.no("its probe returned nothing");
        if (a.available()) return a;
        return Availability.no(oneLine(a.cause()));
    }

    /** {@code s} on one line (line breaks become " / "), for logs and metric labels. */
    public static String oneLine(String s) {
        if (s == null || s.isBlank()) return "no cause given";
        return s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " / ");
    }

    /** The force setting: the system property wins over the environment. */
    static Force forced() {
        String v = System.getProperty(FORCE_PROPERTY);
        if (v != null && !v.isBlank()) return new Force(v.trim(), "-D" + FORCE_PROPERTY);
        v = System.getenv(FORCE_ENV);
        if (v != null && !v.isBlank()) return new Force(v.trim(), FORCE_ENV);
        return null;
    }

    private static TransportProvider find(List<TransportProvider> all, String name) {
        for (TransportProvider p : all) {
            if (p.name().equals(name)) return p;
        }
        return null;
    }

    private static List<TransportProvider> byPreference(List<TransportProvider> list) {
        list.sort(Comparator.comparingInt(TransportProvider::preference).reversed());
        return list;
    }
}
