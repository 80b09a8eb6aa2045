package org.scxjavaland.core.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** Finds policies by name among the providers on the class path ({@link PolicyProvider}). */
public final class PolicyProviders {
    /** What {@code --policy} is when not given. */
    public static final String DEFAULT = "deadline";

    /** A policy name no provider has: a usage error. */
    public static final class UnknownPolicyException extends IllegalArgumentException {
        UnknownPolicyException(String message) {
            super(message);
        }
    }

    private PolicyProviders() {
    }

    /** Every provider on the class path: the default first, then by name (the order help lists them in). */
    public static List<PolicyProvider> all() {
        List<PolicyProvider> list = new ArrayList<>();
        ServiceLoader.load(PolicyProvider.class).forEach(list::add);
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

    /** One line per provider, {@code name: description}, for {@code --help}. */
    public static String describeAll() {
        StringBuilder sb = new StringBuilder();
        for (PolicyProvider p : all()) {
            if (!sb.isEmpty()) sb.append("; ");
            sb.append(p.name()).append(": ").append(p.description());
        }
        return sb.toString();
    }
}
