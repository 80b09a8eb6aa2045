package org.scxjavaland.daemon;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scxjavaland.core.sched.SchedulerOptions;
import org.scxjavaland.core.sched.SchedulerRunner;
import org.scxjavaland.core.testing.BpfTestSupport;
import org.scxjavaland.core.transport.TransportProvider;
import org.scxjavaland.core.transport.Transports;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon's warm-up runs the real transport over real maps with the harness as the kernel side, and takes the
 * paths a running scheduler takes: enqueues of known and of new tasks, and exits (the allocator's free).
 */
class WarmupHostTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ringbuf", "fifo"})
    void theWarmUpRunsTheRealTransportAndTheExitPath(String name) {
        BpfTestSupport.assumeBpf();
        TransportProvider provider = Transports.choose(name).provider();
        List<String> log = new ArrayList<>();
        new SchedulerRunner(provider, SchedulerOptions.defaults(), log::add).warmUp();
        String line = log.stream().filter(l -> l.startsWith("warm-up: ")).findFirst().orElse(String.valueOf(log));
        Matcher m = Pattern.compile("warm-up: (\\d+) tasks and (\\d+) exits through " + name + ",").matcher(line);
        assertTrue(m.find(), "the harness warm-up ran: " + line);
        assertTrue(Long.parseLong(m.group(1)) > 100_000, line);
        assertTrue(Long.parseLong(m.group(2)) > 10_000, "exit notices taken: " + line);
    }
}
