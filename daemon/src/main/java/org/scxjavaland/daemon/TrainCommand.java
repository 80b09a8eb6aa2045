package org.scxjavaland.daemon;

import org.scxjavaland.core.probe.SystemProbe;
import org.scxjavaland.core.sched.SchedulerOptions;
import org.scxjavaland.core.sched.SchedulerRunner;
import org.scxjavaland.core.transport.TransportProvider;
import org.scxjavaland.core.transport.Transports;
import org.scxjavaland.daemon.metrics.SchedulerMeters;
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
        SchedulerMeters.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> null).close();
        for (TransportProvider p : Transports.all()) {
            if (!p.availability().available()) continue;
            new SchedulerRunner(p, SchedulerOptions.defaults(), Log::info).warmUp();
        }
        return 0;
    }
}
