package org.scxjavaland.core.policy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds policies by name among the providers ({@link PolicyProvider}) on the class path and in the jars of
 * {@code --policy-jar} ({@link #addJars}).
 */
public final class PolicyProviders {
    /** What {@code --policy} is when not given. */
    public static final String DEFAULT = "deadline";

    /** The class path's loader, or one over {@code --policy-jar}'s jars with it as parent: set once, at start-up. */
    private static volatile ClassLoader loader = PolicyProviders.class.getClassLoader();

    /** A policy name no provider has: a usage error. */
    public static final class UnknownPolicyException extends IllegalArgumentException {
        UnknownPolicyException(String message) {
            super(message);
        }
    }

    private PolicyProviders() {
    }

    /** Every provider: the default first, then by name (the order help lists them in). */
    public static List<PolicyProvider> all() {
        return all(loader);
    }

    /**
     * Adds the policies of {@code jars} ({@code --policy-jar}) to those {@link #all} finds, after checking each jar
     * ({@link PolicyJars}) and every provider it names: one line (IllegalArgumentException, a usage error) for a jar
     * refused, a provider that cannot be loaded, a name that is not lower case letters, digits and '-', or a name
     * two providers claim (a jar cannot replace a policy that ships with the daemon).
     */
    public static void addJars(List<Path> jars, int euid) {
        if (!jars.isEmpty()) loader = withJars(jars, loader, euid);
    }

    /** The providers {@link #all} would list after {@link #addJars}, without adding them (for tests). */
    public static List<PolicyProvider> allWith(List<Path> jars, int euid) {
        return all(withJars(jars, loader, euid));
    }

    /** {@link #addJars}'s checks, and the loader it then uses (for tests: nothing global changes). */
    static ClassLoader withJars(List<Path> jars, ClassLoader parent, int euid) {
        ClassLoader withJars = PolicyJars.loader(jars, parent, euid);
        Map<String, PolicyProvider> byName = new HashMap<>();
        for (PolicyProvider p : all(withJars)) {
            if (!p.name().matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("policy name '" + p.name() + "' of " + describeOrigin(p)
                        + ": use lower case letters, digits and '-'");
            }
            PolicyProvider other = byName.putIfAbsent(p.name(), p);
            if (other != null) {
                throw new IllegalArgumentException("policy '" + p.name() + "' is defined twice: by "
                        + describeOrigin(other) + " and by " + describeOrigin(p));
            }
        }
        return withJars;
    }

    /** Whether the provider came from a {@code --policy-jar} rather than the daemon's own class path. */
    public static boolean fromPolicyJar(PolicyProvider p) {
        return p.getClass().getClassLoader() != PolicyProviders.class.getClassLoader();
    }

    /** The jar (or class directory) a provider's class came from, or null for a class without one. */
    public static Path origin(PolicyProvider p) {
        CodeSource cs = p.getClass().getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) return null;
        try {
            return Path.of(cs.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String describeOrigin(PolicyProvider p) {
        Path origin = origin(p);
        return p.getClass().getName() + " (" + (origin == null ? "unknown origin" : origin) + ")";
    }

    static List<PolicyProvider> all(ClassLoader from) {
        List<PolicyProvider> list = new ArrayList<>();
        try {
            ServiceLoader.load(PolicyProvider.class, from).forEach(list::add);
        } catch (ServiceConfigurationError | LinkageError e) {
            // A jar naming a class it lacks, a class for a newer Java, a constructor that throws.
            String why = e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")");
            throw new IllegalArgumentException("cannot load a policy: " + why.replaceAll("\\s*\\R\\s*", " "));
        }
        list.sort(Comparator.comparing((PolicyProvider p) -> !p.name().equals(DEFAULT)).thenComparing(PolicyProvider::name));
        return list;
    }

    public static List<String> names() {
        return all().stream().map(PolicyProvider::name).toList();
    }

    /** The provider named {@code name}; {@link UnknownPolicyException} (one line, the known names) otherwise. */
    public static PolicyProvider find(String name) {
        return find(name, all());
    }

    /** {@link #find(String)} over the given providers instead of those on the class path. */
    public static PolicyProvider find(String name, List<PolicyProvider> providers) {
        for (PolicyProvider p : providers) {
            if (p.name().equals(name)) return p;
        }
        String known = String.join(", ", providers.stream().map(PolicyProvider::name).toList());
        throw new UnknownPolicyException(("help".equals(name) ? "policies" : "unknown policy '" + name + "'")
                + " (choose from: " + known + ")");
    }

    /**
     * What {@code --policy=help} prints: one line per policy {@link #all} lists, its name, its description, and
     * where it comes from when a {@code --policy-jar} brought it.
     */
    public static String help() {
        List<PolicyProvider> all = all();
        int width = all.stream().mapToInt(p -> p.name().length()).max().orElse(0);
        StringBuilder sb = new StringBuilder("policies (--policy=NAME):\n");
        for (PolicyProvider p : all) {
            sb.append("  ").append(p.name()).append(" ".repeat(width - p.name().length() + 2)).append(p.description());
            if (p.name().equals(DEFAULT)) sb.append(" (default)");
            if (fromPolicyJar(p)) sb.append(" (from ").append(origin(p)).append(')');
            sb.append('\n');
        }
        return sb.toString();
    }
}
