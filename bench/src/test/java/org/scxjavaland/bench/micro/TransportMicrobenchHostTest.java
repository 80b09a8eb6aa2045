package org.scxjavaland.bench.micro;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.testing.BpfTestSupport;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The micro-benchmark's smoke run: every contender runs and handles exactly the records it should, each batch's
 * checksum checked (run() throws on a short count or a wrong sum). Correctness only: the figures come from the
 * documented command (docs/benchmarks.md), never from a test on a shared machine.
 */
class TransportMicrobenchHostTest {
    private static final List<String> CONTENDERS = List.of("java-ring", "c-mmap", "libbpf-consume", "fifo",
            "java-urb", "libbpf-urb", "fifo-send");

    @Test
    void everyContenderHandlesExactlyTheRecordsProducedWithTheRightChecksum() {
        BpfTestSupport.assumeBpf();
        TransportMicrobench.Options o = TransportMicrobench.Options.parse(new String[]{
                "--records=1024", "--rounds=1", "--iterations=3", "--warmup-secs=0"});
        TransportMicrobench.Result r = TransportMicrobench.run(o, line -> { });
        System.out.print(TransportMicrobench.report(r));

        assertEquals(CONTENDERS, r.contenders().stream().map(TransportMicrobench.Stats::name).toList());
        for (String name : CONTENDERS) {
            TransportMicrobench.Stats s = r.stats(name);
            assertEquals(3 * 1024, s.recordsChecked(), name + ": records handled and checked");
            assertTrue(s.recordsPerS()[0] > 0 && Double.isFinite(s.recordsPerS()[0]), name + ": a rate");
        }
        assertEquals(TransportMicrobench.BARS.size(), r.ratios().size());
        String json = TransportMicrobench.json(r, "test");
        for (String name : CONTENDERS) assertTrue(json.contains("\"" + name + "\""), name + " in the JSON");
    }

    @Test
    void theChecksumsDependOnEveryFieldTheyCover() {
        // a consumer that read pid only, or a producer that wrote enq_cnt 0, would not match
        assertTrue(TransportMicrobench.consumerChecksum(4, 1000) != TransportMicrobench.consumerChecksum(4, 1001));
        assertTrue(TransportMicrobench.consumerChecksum(4, 1000) != 1000 + 1001 + 1002 + 1003);
        assertTrue(TransportMicrobench.producerChecksum(4, 1000) != TransportMicrobench.consumerChecksum(4, 1000));
    }

    @Test
    void badOptionsAreRefusedWithTheReason() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> TransportMicrobench.Options.parse(new String[]{"--rounds=0"}));
        assertEquals("--rounds needs a positive integer, got '0'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TransportMicrobench.Options.parse(new String[]{"--speed=3"}));
        assertTrue(e.getMessage().startsWith("unknown option --speed"), e.getMessage());
    }
}
