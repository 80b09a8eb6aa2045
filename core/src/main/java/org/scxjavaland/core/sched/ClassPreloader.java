package org.scxjavaland.core.sched;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Loads every class of the given classes' jars (or class directories) before the scheduler attaches. The JVM loads
 * a class the first time it is used, by reading the jar; once attached, such a read can wait for a kernel worker
 * (the file system's read completion, a network or encrypted disk) that is an ordinary task queued to this very
 * daemon, and the machine stalls until the watchdog ejects the scheduler. Seen in the test VM: the first BpfLink,
 * made right after the attach syscall, read its class from a 9p root and stalled the kernel for 5 s.
 */
final class ClassPreloader {
    private ClassPreloader() {
    }

    /** Returns the number of classes loaded (not initialised: static initialisers run at first use as usual). */
    static int preload(Class<?>... anchors) {
        int n = 0;
        Set<Path> done = new HashSet<>();
        for (Class<?> anchor : anchors) {
            Path where = location(anchor);
            if (where == null || !done.add(where)) continue;
            ClassLoader loader = anchor.getClassLoader();
            try {
                n += Files.isDirectory(where) ? fromDirectory(where, loader) : fromJar(where, loader);
            } catch (IOException e) {
                throw new IllegalStateException("cannot preload the classes of " + where + ": " + e.getMessage(), e);
            }
        }
        return n;
    }

    private static Path location(Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) return null;
        try {
            return Path.of(cs.getLocation().toURI());
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static int fromJar(Path jar, ClassLoader loader) throws IOException {
        int n = 0;
        try (JarFile jf = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = jf.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (load(name, loader)) n++;
            }
        }
        return n;
    }

    private static int fromDirectory(Path dir, ClassLoader loader) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return (int) files.map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(name -> load(name, loader)).count();
        }
    }

    private static boolean load(String entry, ClassLoader loader) {
        if (!entry.endsWith(".class") || entry.endsWith("module-info.class") || entry.startsWith("META-INF/")) {
            return false;
        }
        String name = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false; // an optional dependency's class: never used, so never loaded later either
        }
    }
}
