package org.scxjavaland.daemon.metrics;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsAddressTest {
    @Test
    void aBarePortStaysOnLoopback() {
        InetSocketAddress a = MetricsAddress.parse("9464");
        assertEquals("127.0.0.1:9464", MetricsAddress.describe(a));
        assertTrue(a.getAddress().isLoopbackAddress());
    }

    @Test
    void hostsAndEveryInterfaceAreExplicit() {
        assertEquals("0.0.0.0:9464", MetricsAddress.describe(MetricsAddress.parse(":9464")));
        assertEquals("127.0.0.1:80", MetricsAddress.describe(MetricsAddress.parse("127.0.0.1:80")));
        assertEquals("[0:0:0:0:0:0:0:1]:9464", MetricsAddress.describe(MetricsAddress.parse("[::1]:9464")));
    }

    @Test
    void malformedValuesSayWhatIsWrong() {
        assertEquals("--metrics 'abc': the port is not a number (expected PORT, HOST:PORT, :PORT or [IPV6]:PORT)",
                assertThrows(IllegalArgumentException.class, () -> MetricsAddress.parse("abc")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MetricsAddress.parse("70000")).getMessage()
                .contains("the port must be 0..65535"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MetricsAddress.parse("::1:9464")).getMessage()
                .contains("[ADDR]:PORT"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MetricsAddress.parse("no-such-host.invalid:1"))
                .getMessage().contains("unknown host"));
    }
}
