package org.scxjavaland.core.policy;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The jars of {@code --policy-jar}: a user's own policies, loaded by the daemon itself so that neither the launcher,
 * the systemd unit nor scx_loader needs another class path (and the AOT cache, which records the class path, stays
 * valid). The daemon runs as root and its scheduling thread runs the policy's code with every task of the machine
 * waiting on it, so a jar is refused unless only its owner can change it and that owner is root or the user running
 * the daemon, for the jar and every directory above it: the rule ssh applies to authorized_keys.
 */
public final class PolicyJars {
    static final String SERVICES = "META-INF/services/" + PolicyProvider.class.getName();

    private PolicyJars() {
    }

    /** A class loader over {@code jars} whose parent is {@code parent}; an IllegalArgumentException (one line) for a jar refused. */
    public static ClassLoader loader(List<Path> jars, ClassLoader parent, int euid) {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            Path real = requireSafe(jar, euid);
            requirePolicies(jar, real);
            try {
                urls.add(real.toUri().toURL());
            } catch (MalformedURLException e) {
                throw refused(jar, "no URL for it (" + e.getMessage() + ")");
            }
        }
        return new URLClassLoader("policy-jars", urls.toArray(URL[]::new), parent);
    }

    /**
     * The jar's real path, once it and every directory above it (along the path as given, symbolic links included,
     * and along the real path) belong to root or {@code euid} and are writable by their owner alone; a directory
     * others may write to passes only with its sticky bit set (as /tmp), where nobody can replace another's file.
     */
    static Path requireSafe(Path jar, int euid) {
        Path real;
        try {
            real = jar.toRealPath();
        } catch (NoSuchFileException e) {
            throw refused(jar, "no such file");
        } catch (IOException e) {
            throw refused(jar, describe(e));
        }
        if (!Files.isRegularFile(real)) throw refused(jar, "not a regular file");
        Set<Path> chain = new LinkedHashSet<>();
        for (Path p = jar.toAbsolutePath().normalize(); p != null; p = p.getParent()) chain.add(p);
        for (Path p = real; p != null; p = p.getParent()) chain.add(p);
        for (Path p : chain) {
            int uid, mode;
            try {
                uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw refused(jar, "cannot read the owner of " + p + " (" + describe(e) + ")");
            }
            if (uid != 0 && uid != euid) {
                throw refused(jar, p + " belongs to uid " + uid + ": the policy runs in the scheduler as root, so the "
                        + "jar and every directory above it must belong to root");
            }
            boolean link = (mode & 0170000) == 0120000, dir = (mode & 0170000) == 0040000, sticky = (mode & 01000) != 0;
            if (!link && (mode & 022) != 0 && !(dir && sticky)) {
                throw refused(jar, p + " is writable by " + ((mode & 02) != 0 ? "everyone" : "its group")
                        + " (mode " + String.format("%04o", mode & 07777) + "): the policy runs in the scheduler as root, "
                        + "so no one but its owner may change it (chmod go-w " + p + ")");
            }
        }
        return real;
    }

    private static void requirePolicies(Path jar, Path real) {
        try (ZipFile zip = new ZipFile(real.toFile())) {
            if (zip.getEntry(SERVICES) == null) {
                throw refused(jar, "it names no policy (no " + SERVICES + "; docs/writing-a-policy.md)");
            }
        } catch (ZipException e) {
            throw refused(jar, "not a jar (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw refused(jar, describe(e));
        }
    }

    /** An IOException's message is often the path alone (AccessDeniedException): its kind says what went wrong. */
    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static IllegalArgumentException refused(Path jar, String why) {
        return new IllegalArgumentException("--policy-jar " + jar + ": " + why);
    }
}
