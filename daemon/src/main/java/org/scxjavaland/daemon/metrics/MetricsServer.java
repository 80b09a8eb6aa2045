package org.scxjavaland.daemon.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.scxjavaland.daemon.ExitCode;
import org.scxjavaland.daemon.ExitException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code GET /metrics} in Prometheus' text format, from the JDK's HTTP server on one thread of its own. The
 * scheduling thread never meets it: a scrape reads counters the scheduling thread writes, and that is all.
 */
public final class MetricsServer implements AutoCloseable {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusMeterRegistry registry;
    /**
     * What the registry's meters read from. Micrometer's function meters hold it only weakly: without this
     * reference it is collected at the next GC, and from then on counters repeat their last value and gauges read NaN
     * (seen in the VM: a scrape of all zeros while the daemon dispatched thousands of tasks).
     */
    private final java.util.List<Object> meterState = new java.util.concurrent.CopyOnWriteArrayList<>();

    private MetricsServer(HttpServer server, ExecutorService executor, PrometheusMeterRegistry registry,
                          Object meterState) {
        this.server = server;
        this.executor = executor;
        this.registry = registry;
        this.meterState.add(meterState);
    }

    /** The registry served; meters added later show from the next scrape on. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Keeps what meters added later read from alive as long as the server (see meterState). */
    public void keep(Object state) {
        meterState.add(state);
    }

    /**
     * Serves {@code registry} at {@code address}, keeping {@code meterState} (what its meters read from) alive as long
     * as the server. A port already taken fails here ({@link ExitCode#BUSY}), as does an address that is not this
     * machine's ({@link ExitCode#USAGE}), with the reason.
     */
    public static MetricsServer start(InetSocketAddress address, PrometheusMeterRegistry registry, Object meterState) {
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            String why = "cannot serve metrics on " + MetricsAddress.describe(address) + ": " + e.getMessage();
            if (!(e instanceof BindException)) throw new IllegalStateException(why, e);
            boolean taken = e.getMessage() != null && e.getMessage().contains("in use"); // EADDRINUSE
            throw new ExitException(taken ? ExitCode.BUSY : ExitCode.USAGE,
                    why + (taken ? " (another program listens there; choose another port with --metrics)" : ""), e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r ->
                Thread.ofPlatform().daemon().name("scx-metrics").unstarted(r));
        MetricsServer m = new MetricsServer(server, executor, registry, meterState);
        server.createContext("/metrics", m::metrics);
        server.createContext("/", MetricsServer::notFound);
        server.setExecutor(executor);
        server.start();
        return m;
    }

    /** {@link #start}, then {@link #selfCheck}: closed again if it does not answer. */
    public static MetricsServer startChecked(InetSocketAddress address, PrometheusMeterRegistry registry,
                                             Object meterState) {
        MetricsServer server = start(address, registry, meterState);
        try {
            server.selfCheck();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * Scrapes itself once over a plain socket: proves the server answers, and loads every class a scrape needs on
     * both sides of the connection before the scheduler attaches (docs/architecture.md, "Once attached").
     */
    public void selfCheck() {
        InetSocketAddress a = address();
        InetAddress target = a.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : a.getAddress();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(target, a.getPort()), 5_000);
            // Generous: the first scrape loads the JVM binders' classes, slow on a loaded machine or under emulation,
            // and nothing waits on this process yet.
            s.setSoTimeout(30_000);
            s.getOutputStream().write("GET /metrics HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = s.getInputStream().readAllBytes();
            String status = new String(reply, 0, Math.min(reply.length, 64), StandardCharsets.US_ASCII).lines()
                    .findFirst().orElse("");
            if (!status.matches("HTTP/1\\.[01] 200 .*")) {
                throw new IllegalStateException("the metrics server on " + MetricsAddress.describe(a)
                        + " answered '" + status + "' to its own scrape");
            }
        } catch (IOException e) {
            throw new IllegalStateException("the metrics server on " + MetricsAddress.describe(a)
                    + " does not answer its own scrape: " + e.getMessage(), e);
        }
    }

    /** The address bound (the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void metrics(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            if (method.equals("HEAD")) {
                ex.sendResponseHeaders(200, -1);
                return;
            }
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void notFound(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = "scx_javaland: metrics are at /metrics\n".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            ex.sendResponseHeaders(404, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        for (Object o : meterState) {
            if (o instanceof Iterable<?> list) {
                for (Object e : list) closeQuietly(e);
            }
            closeQuietly(o);
        }
    }

    private static void closeQuietly(Object o) {
        if (o instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
    }
}
