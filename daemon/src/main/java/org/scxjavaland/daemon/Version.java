package org.scxjavaland.daemon;

import org.scxjavaland.core.sched.OpsName;

/** The daemon's version, from its jar's manifest; "dev" when run from classes (tests, IDE). */
public final class Version {
    private Version() {
    }

    public static String current() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The kernel-visible scheduler name of this build: "javaland_0.1.0_SNAPSHOT". */
    public static String opsName() {
        return OpsName.of(current());
    }
}
