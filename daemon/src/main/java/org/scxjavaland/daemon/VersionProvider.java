package org.scxjavaland.daemon;

import picocli.CommandLine;

/** Version of the daemon, the JVM it runs on; the libbpf and kernel are in 'scx_javaland check'. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[]{
                "scx_javaland " + (v == null ? "(development build)" : v) + " (kernel ops name " + Version.opsName() + ")",
                "JVM: " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"};
    }
}
