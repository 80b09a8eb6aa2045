package org.scxjavaland.daemon;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child process for {@link SignalStopTest}: installs the daemon's signal handling exactly as {@code run} does
 * ({@link SignalStop#install}), then waits for a stop request as the scheduling loop does, and says what it saw:
 * the signals ignored when it started and after installing, and the signal that stopped it. Exits 0 when stopped,
 * 3 when nothing stopped it within 30 s.
 */
public final class SignalStopProbe {
    private SignalStopProbe() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("ignored at start: " + ignored());
        SignalStop stop = SignalStop.install();
        System.out.println("ignored after install: " + ignored());
        System.out.println("ready");
        System.out.flush();
        long until = System.nanoTime() + 30_000_000_000L;
        while (!stop.shouldStop()) {
            if (System.nanoTime() > until) {
                System.out.println("no stop request");
                System.exit(3);
            }
            Thread.sleep(5);
        }
        System.out.println("stopped by " + stop.signal());
        System.exit(0);
    }

    /** The shutdown signals this process ignores, from SigIgn in /proc/self/status, e.g. "INT HUP" or "". */
    private static String ignored() throws IOException {
        String line = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("SigIgn:")).findFirst().orElseThrow();
        BigInteger mask = new BigInteger(line.substring(7).trim(), 16);
        StringBuilder sb = new StringBuilder();
        if (mask.testBit(2 - 1)) sb.append("INT ");
        if (mask.testBit(15 - 1)) sb.append("TERM ");
        if (mask.testBit(1 - 1)) sb.append("HUP ");
        return sb.toString().trim();
    }
}
