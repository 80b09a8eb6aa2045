package org.scxjavaland.daemon.metrics;

import org.junit.jupiter.api.Test;
import org.scxjavaland.daemon.DaemonState;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A bare port (what `--metrics 9464` gives) must not answer on the machine's other addresses: metrics say what runs
 * here. The same server on ':PORT' does, which shows the probe can tell the two apart.
 */
class DefaultAddressTest {
    @Test
    void aBarePortAnswersOnLoopbackOnlyAndColonPortEverywhere() throws Exception {
        Optional<InetAddress> outside = nonLoopbackAddress();
        assumeTrue(outside.isPresent(), "this machine has no non-loopback address to probe");
        DaemonState state = new DaemonState("test", "javaland_test");

        try (MetricsServer server = DaemonMetrics.serve(MetricsAddress.parse("0"), state)) {
            int port = server.address().getPort();
            assertTrue(server.address().getAddress().isLoopbackAddress(), "bound to " + server.address());
            connect(InetAddress.getLoopbackAddress(), port);
            assertThrows(IOException.class, () -> connect(outside.get(), port),
                    "the default endpoint answered on " + outside.get().getHostAddress());
        }
        try (MetricsServer server = DaemonMetrics.serve(MetricsAddress.parse(":0"), state)) {
            connect(outside.get(), server.address().getPort());
        }
    }

    private static void connect(InetAddress a, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(a, port), 2_000);
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) continue;
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
