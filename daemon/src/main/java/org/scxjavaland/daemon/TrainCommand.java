package org.scxjavaland.daemon;

import org.scxjavaland.core.probe.SystemProbe;
import org.scxjavaland.core.sched.SchedulerOptions;
import org.scxjavaland.core.sched.SchedulerRunner;
import org.scxjavaland.core.transport.TransportProvider;
import org.scxjavaland.core.transport.Transports;
import org.scxjavaland.daemon.metrics.DaemonMetrics;
import org.scxjavaland.daemon.metrics.MetricsServer;
import org.scxjavaland.daemon.stats.StatsSocketServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import java.util.concurrent.Callable;

/**
 * The training workload for the JDK's ahead-of-time cache (scripts/make-aot-cache.sh): probes the machine and runs
 * the warm-up of every available transport, so that the cache holds the classes, their linking and the method
 * profiles of the real start-up path. Under emulation (the test VM) this turns a start-up of minutes into seconds.
 * Attaches nothing.
 */
@Command(name = "train", hidden = true, description = "Exercise start-up and the hot path without attaching (for the AOT cache).")
public final class TrainCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        new SystemProbe().probe();
        // what `run --metrics` loads before attaching: a loopback server on a free port that scrapes itself
        DaemonState state = new DaemonState(Version.current(), Version.opsName());
        state.transport("train", "training run");
        try (MetricsServer m = DaemonMetrics.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), state)) {
            DaemonMetrics.bindScheduler(m, state);
            m.selfCheck();
        }
        // and what the scx_stats socket loads: a server in a private directory that answers itself
        try {
            Path dir = Files.createTempDirectory("scx-javaland-train");
            try (StatsSocketServer s = StatsSocketServer.start(dir.resolve("stats"), state)) {
                s.selfCheck();
            } finally {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            Log.info("training without the stats socket: " + e.getMessage());
        }
        for (TransportProvider p : Transports.all()) {
            if (!p.availability().available()) continue;
            new SchedulerRunner(p, SchedulerOptions.defaults(), Log::info).warmUp();
        }
        return 0;
    }
}
