package org.scxjavaland.daemon;

import java.util.ArrayList;
import java.util.List;

/** Command lines that start a class of the test class path in a JVM of its own, as a script would start the daemon. */
final class TestJvm {
    private TestJvm() {
    }

    /** This JVM's java, {@code jvmArgs}, the test class path, {@code mainClass} and {@code args}. */
    static List<String> command(List<String> jvmArgs, Class<?> mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
