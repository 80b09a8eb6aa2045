package org.scxjavaland.daemon.stats;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** One connection to an scx_stats socket: a request line out, an answer line back. */
final class StatsClient implements AutoCloseable {
    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;

    private StatsClient(SocketChannel channel) {
        this.channel = channel;
        this.in = Channels.newInputStream(channel);
        this.out = Channels.newOutputStream(channel);
    }

    static StatsClient connect(Path path) throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            c.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            c.close();
            throw e;
        }
        return new StatsClient(c);
    }

    /** The "resp" of the answer; an answer with a non-zero errno is an IOException with the server's reason. */
    Object request(String req, Map<String, String> args) throws IOException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("req", req);
        r.put("args", args);
        out.write((Json.write(r) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String line = StatsSocketServer.readLine(in);
        if (line == null) throw new IOException("the stats server closed the connection");
        if (!(Json.parse(line) instanceof Map<?, ?> answer) || !(answer.get("args") instanceof Map<?, ?> a)) {
            throw new IOException("not an scx_stats answer: " + line);
        }
        Object errno = answer.get("errno");
        if (!(errno instanceof Long n) || n != 0) throw new IOException("errno " + errno + ": " + a.get("resp"));
        return a.get("resp");
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
