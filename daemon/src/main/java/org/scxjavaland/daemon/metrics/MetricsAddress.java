package org.scxjavaland.daemon.metrics;

import java.net.InetSocketAddress;

/**
 * {@code --metrics} values: {@code PORT} (loopback only: metrics say what runs on the machine, so exposing them is
 * the user's explicit choice), {@code HOST:PORT}, {@code :PORT} (every interface) or {@code [IPV6]:PORT}.
 */
public final class MetricsAddress {
    private MetricsAddress() {
    }

    /** The address to bind; IllegalArgumentException with the reason for a malformed value. */
    public static InetSocketAddress parse(String value) {
        String v = value.trim();
        String host;
        String port;
        if (v.startsWith("[")) {
            int close = v.indexOf("]:");
            if (close < 0) throw bad(value, "an IPv6 address needs the form [ADDR]:PORT");
            host = v.substring(1, close);
            port = v.substring(close + 2);
        } else {
            int colon = v.lastIndexOf(':');
            if (colon < 0) {
                host = "127.0.0.1";
                port = v;
            } else {
                if (v.indexOf(':') != colon) throw bad(value, "write an IPv6 address as [ADDR]:PORT");
                host = colon == 0 ? "0.0.0.0" : v.substring(0, colon);
                port = v.substring(colon + 1);
            }
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw bad(value, "the port is not a number");
        }
        if (p < 0 || p > 65535) throw bad(value, "the port must be 0..65535");
        if (host.isEmpty()) throw bad(value, "no host before the port");
        InetSocketAddress a = new InetSocketAddress(host, p);
        if (a.isUnresolved()) throw bad(value, "unknown host '" + host + "'");
        return a;
    }

    public static String describe(InetSocketAddress a) {
        String h = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    private static IllegalArgumentException bad(String value, String why) {
        return new IllegalArgumentException("--metrics '" + value + "': " + why
                + " (expected PORT, HOST:PORT, :PORT or [IPV6]:PORT)");
    }
}
