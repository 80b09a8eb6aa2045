package org.scxjavaland.daemon.stats;

import org.scxjavaland.daemon.DaemonState;
import org.scxjavaland.daemon.ExitCode;
import org.scxjavaland.daemon.ExitException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * The scx_stats protocol on a unix socket, as the sched_ext schedulers serve it (default
 * {@code /var/run/scx/root/stats}): one JSON request per line, {@code {"req":"stats","args":{"target":"top"}}} or
 * {@code {"req":"stats_meta"}}, one JSON answer per line, {@code {"errno":0,"args":{"resp":...}}}; errors carry an
 * errno (EINVAL) and the reason as resp.
 * <p>
 * An acceptor thread and one thread per connection, all of the daemon's process (BPF dispatches them directly);
 * they read the runner's snapshot, never wait for the scheduling thread.
 */
public final class StatsSocketServer implements AutoCloseable {
    public static final Path DEFAULT_PATH = Path.of("/var/run/scx/root/stats");
    static final int EINVAL = 22;
    /** More clients at once than any monitor setup needs; the rest are turned away, so nobody can pile threads up. */
    static final int MAX_CONNECTIONS = 16;
    static final int MAX_LINE = 64 * 1024;

    private final Path path;
    private final ServerSocketChannel server;
    private final DaemonState state;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private final Thread acceptor;
    private volatile boolean closed;

    private StatsSocketServer(Path path, ServerSocketChannel server, DaemonState state) {
        this.path = path;
        this.server = server;
        this.state = state;
        this.acceptor = Thread.ofPlatform().daemon().name("scx-stats-socket").unstarted(this::acceptLoop);
    }

    /**
     * Listens at {@code path}. A live server already there (another daemon) is {@link ExitCode#BUSY}; a stale socket
     * file is replaced; a path that cannot be created is {@link ExitCode#USAGE}, with the reason.
     */
    public static StatsSocketServer start(Path path, DaemonState state) {
        if (Files.exists(path) && answers(path)) {
            throw new ExitException(ExitCode.BUSY, "another program serves scx_stats on " + path
                    + " (another scheduler? choose another path with --stats-socket)");
        }
        ServerSocketChannel ch = null;
        try {
            Path dir = path.toAbsolutePath().getParent();
            if (dir != null) Files.createDirectories(dir);
            Files.deleteIfExists(path);
            ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(path));
        } catch (IOException | RuntimeException e) {
            try {
                if (ch != null) ch.close();
            } catch (IOException ignored) {
                // the bind failure is the news
            }
            throw new ExitException(ExitCode.USAGE, "cannot serve scx_stats on " + path + ": " + e
                    + " (choose another path with --stats-socket, or --stats-socket none)", e);
        }
        StatsSocketServer s = new StatsSocketServer(path, ch, state);
        s.acceptor.start();
        return s;
    }

    public Path path() {
        return path;
    }

    /**
     * Asks itself for the meta and the stats over the socket: proves it answers, and loads the classes of both
     * sides before the scheduler attaches (docs/architecture.md, "Once attached").
     */
    public void selfCheck() {
        try (StatsClient c = StatsClient.connect(path)) {
            c.request("stats_meta", Map.of());
            c.request("stats", Map.of("target", "top"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the scx_stats socket " + path + " does not answer its own request: "
                    + e.getMessage(), e);
        }
    }

    private static boolean answers(Path path) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return c.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (!slots.tryAcquire()) {
                closeQuietly(c);
                continue;
            }
            Thread.ofPlatform().daemon().name("scx-stats-client").start(() -> {
                try {
                    serve(c);
                } finally {
                    closeQuietly(c);
                    slots.release();
                }
            });
        }
    }

    private void serve(SocketChannel c) {
        Map<String, Object> previous = StatsStruct.read(state);
        try (InputStream in = Channels.newInputStream(c); OutputStream out = Channels.newOutputStream(c)) {
            String line;
            while (!closed && (line = readLine(in)) != null) {
                if (line.isBlank()) continue;
                Map<String, Object> answer;
                try {
                    answer = handle(line, previous);
                } catch (IllegalArgumentException e) {
                    answer = response(EINVAL, e.getMessage());
                }
                out.write((Json.write(answer) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** One request; {@code previous} holds this connection's last totals and is updated by a "stats" request. */
    static Map<String, Object> handle(String line, Map<String, Object> previous, DaemonState state) {
        if (!(Json.parse(line) instanceof Map<?, ?> req)) throw new IllegalArgumentException("a request is an object");
        Object args = req.get("args");
        if (args != null && !(args instanceof Map<?, ?>)) throw new IllegalArgumentException("args must be an object");
        return switch (String.valueOf(req.get("req"))) {
            case "stats" -> {
                Object target = args == null ? null : ((Map<?, ?>) args).get("target");
                if (target != null && !target.equals("top")) {
                    throw new IllegalArgumentException("unknown stat target \"" + target + "\" (there is only \"top\")");
                }
                Map<String, Object> now = StatsStruct.read(state);
                Map<String, Object> resp = new LinkedHashMap<>(now);
                for (StatsStruct.Field f : StatsStruct.FIELDS) {
                    if (f.delta()) {
                        long before = previous.get(f.name()) instanceof Long l ? l : 0L;
                        resp.put(f.name(), Math.max(0, (Long) now.get(f.name()) - before));
                    }
                }
                previous.clear();
                previous.putAll(now);
                yield response(0, resp);
            }
            case "stats_meta" -> response(0, StatsStruct.meta());
            default -> throw new IllegalArgumentException("unknown command \"" + req.get("req") + "\"");
        };
    }

    private Map<String, Object> handle(String line, Map<String, Object> previous) {
        return handle(line, previous, state);
    }

    static Map<String, Object> response(int errno, Object resp) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("errno", errno);
        m.put("args", new HashMap<>(Map.of("resp", resp)));
        return m;
    }

    /** A line without its newline; null at end of stream; a line longer than MAX_LINE ends the connection. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') return buf.toString(StandardCharsets.UTF_8);
            if (buf.size() >= MAX_LINE) throw new IOException("request line longer than " + MAX_LINE + " bytes");
            buf.write(b);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a stale socket file is replaced by the next server
        }
    }
}
