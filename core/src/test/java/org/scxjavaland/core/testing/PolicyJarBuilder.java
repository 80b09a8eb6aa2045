package org.scxjavaland.core.testing;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds a policy jar the way a user would (docs/writing-a-policy.md, examples/policy/build.sh): sources compiled by
 * javac against the daemon's classes, packed with a services file. Compiled here, not by the build, so that its
 * classes are on no class path and can only come from the jar.
 */
public final class PolicyJarBuilder {
    public static final String SERVICES = "META-INF/services/org.scxjavaland.core.policy.PolicyProvider";

    private PolicyJarBuilder() {
    }

    /**
     * The example of the repository (examples/policy: the FIFO policy behind a policy class of the jar's own) as
     * class {@code className} of policy {@code policyName}, so that one test can build several jars from it.
     */
    public static String fifoProviderSource(String className, String policyName) throws IOException {
        Path example = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null && example == null; d = d.getParent()) {
            Path f = d.resolve("examples/policy/src/example/policy/ExampleFifoProvider.java");
            if (Files.isRegularFile(f)) example = f;
        }
        if (example == null) throw new IllegalStateException("examples/policy not found above " + Path.of("").toAbsolutePath());
        return Files.readString(example).replace("ExampleFifoProvider", className)
                .replace("\"example-fifo\"", "\"" + policyName + "\"");
    }

    /**
     * Compiles {@code sources} (simple class name to source of package {@code example.policy}) and writes {@code jar}
     * with {@code services} as its services file (null: none).
     */
    public static Path build(Path workDir, Path jar, Map<String, String> sources, String services) throws IOException {
        Path src = Files.createDirectories(workDir.resolve("src/example/policy"));
        Path classes = Files.createDirectories(workDir.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")));
        for (var e : sources.entrySet()) {
            Path f = src.resolve(e.getKey() + ".java");
            Files.writeString(f, e.getValue());
            args.add(f.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) throw new IllegalStateException("no javac in " + System.getProperty("java.home"));
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        if (javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("javac failed: " + diagnostics.toString(StandardCharsets.UTF_8));
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jo = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                jo.putNextEntry(new JarEntry(classes.relativize(f).toString()));
                jo.write(Files.readAllBytes(f));
                jo.closeEntry();
            }
            if (services != null) {
                jo.putNextEntry(new JarEntry(SERVICES));
                jo.write(services.getBytes(StandardCharsets.UTF_8));
                jo.closeEntry();
            }
        }
        return jar;
    }
}
