package org.scxjavaland.daemon;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxjavaland.core.probe.JsonCheck;
import org.scxjavaland.core.testing.PolicyJarBuilder;
import org.scxjavaland.core.transport.Transports;
import org.scxjavaland.sys.Bpf;
import org.scxjavaland.sys.ErrnoException;
import org.scxjavaland.sys.LibC;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code scx_javaland check} on this host, through the real command line: kernel 6.18 with BPF ring buffers but
 * no sched_ext, so check must say the ring buffers work and exit non-zero because of sched_ext. (The VM test
 * runs it where sched_ext exists and expects exit 0.) Needs root for the map probes.
 */
class CheckCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private String forceBefore;

    @BeforeEach
    void needsRootOnAHostWithoutSchedExt() {
        try {
            LibC.close(Bpf.mapCreate(Bpf.MAP_TYPE_QUEUE, 0, 8, 1, 0, "scx_jl_assume"));
        } catch (ErrnoException e) {
            assumeTrue(false, "needs root/CAP_BPF: " + e.getMessage());
        }
        assumeTrue(!Files.exists(Path.of("/sys/kernel/sched_ext")), "this test describes a host without sched_ext");
        assumeTrue(System.getenv(Transports.FORCE_ENV) == null, "the environment forces a transport");
        forceBefore = System.getProperty(Transports.FORCE_PROPERTY);
        System.clearProperty(Transports.FORCE_PROPERTY);
    }

    @AfterEach
    void restore() {
        if (forceBefore != null) System.setProperty(Transports.FORCE_PROPERTY, forceBefore);
        else System.clearProperty(Transports.FORCE_PROPERTY);
    }

    private int check(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "check";
        System.arraycopy(args, 0, all, 1, args.length);
        return cl.execute(all);
    }

    @Test
    void saysNoSchedExtButRingBuffersAndExitsNonZero() {
        int exit = check();
        String text = out.toString();
        assertEquals(CheckCommand.EXIT_NOT_RUNNABLE, exit, text + err);
        assertTrue(text.contains("\nsched_ext     no (/sys/kernel/sched_ext is missing)\n"), text);
        assertTrue(text.contains("\nRINGBUF       yes\n"), text);
        assertTrue(text.contains("\nUSER_RINGBUF  yes\n"), text);
        assertTrue(text.contains("\nQUEUE         yes\n"), text);
        assertTrue(text.contains("\ntransport     fifo: yes\n"), text);
        assertTrue(text.startsWith("kernel        " + System.getProperty("os.version") + " ("), text);
        assertTrue(text.contains("\nBTF           yes (/sys/kernel/btf/vmlinux, "), text);
        assertTrue(text.contains("\nprivileges    root; CAP_SYS_ADMIN yes, CAP_BPF yes, CAP_PERFMON yes\n"), text);
        assertTrue(text.contains("\nJDK           " + Runtime.version() + " ("), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("libbpf        v?1\\.\\d+.* \\(.*libbpf.*\\)")), text);
        assertTrue(text.contains("\nverdict: scx_javaland run cannot work here:\n  - no sched_ext: "), text);
        // sched_ext is the only thing this host lacks
        assertEquals(1, text.lines().filter(l -> l.startsWith("  - ")).count(), text);
        // and observe needs none of it
        assertTrue(text.contains("\nobserve       can work here (no sched_ext needed)\n"), text);
        assertTrue(text.contains("\n  scx_javaland observe can: "), text);
        assertEquals("", err.toString());
    }

    @Test
    void autoPicksTheMostPreferredTransportAndTheForceSwitchShows() {
        check();
        String best = Transports.all().get(0).name();
        assertTrue(out.toString().contains("\nauto picks    " + best + " (auto: preferred, available)\n"), out.toString());

        out.getBuffer().setLength(0);
        System.setProperty(Transports.FORCE_PROPERTY, "fifo");
        check();
        assertTrue(out.toString().contains("\nauto picks    fifo (auto: forced by -Dscx_javaland.transport.force=fifo)\n"),
                out.toString());
    }

    @Test
    void jsonIsOneWellFormedObjectWithTheSameVerdict() {
        int exit = check("--json");
        String json = out.toString().strip();
        assertEquals(CheckCommand.EXIT_NOT_RUNNABLE, exit, json);
        assertEquals(1, json.lines().count(), json);
        JsonCheck.wellFormed(json);
        assertTrue(json.contains("\"observe\":{\"possible\":true,\"problems\":[]}"), json);
        assertTrue(json.startsWith("{\"runnable\":false,\"problems\":[\"no sched_ext: /sys/kernel/sched_ext is missing"),
                json);
        assertTrue(json.contains("\"sched_ext\":{\"present\":false,\"state\":null,\"ops\":null,\"switch_all\":null}"), json);
        assertTrue(json.contains("{\"name\":\"RINGBUF\",\"available\":true,\"cause\":null}"), json);
        assertTrue(json.contains("{\"name\":\"USER_RINGBUF\",\"available\":true,\"cause\":null}"), json);
        assertTrue(json.contains("{\"name\":\"fifo\",\"available\":true,\"cause\":null}"), json);
        assertTrue(json.contains("\"libbpf\":{\"loaded\":true,\"version\":\""), json);
    }

    @Test
    void listsThePoliciesAndSaysWhetherRunWouldAcceptAJarAndAName(@TempDir Path tmp) throws Exception {
        check();
        assertTrue(out.toString().contains("\npolicies      deadline (default), fifo\n"), out.toString());

        Path jar = PolicyJarBuilder.build(tmp.resolve("build"), tmp.resolve("example.jar"),
                Map.of("ExampleFifoProvider", PolicyJarBuilder.fifoProviderSource("ExampleFifoProvider", "example-fifo")),
                "example.policy.ExampleFifoProvider\n");
        out.getBuffer().setLength(0);
        check("--policy-jar", jar.toString(), "--policy", "example-fifo");
        String text = out.toString();
        assertTrue(text.contains("\npolicies      deadline (default), example-fifo (from " + jar
                + "), fifo; --policy example-fifo: found\n"), text);
        // sched_ext is still the only reason
        assertEquals(1, text.lines().filter(l -> l.startsWith("  - ")).count(), text);

        out.getBuffer().setLength(0);
        assertEquals(CheckCommand.EXIT_NOT_RUNNABLE, check("--policy-jar", jar.toString(), "--policy", "mine"));
        text = out.toString();
        assertTrue(text.contains("\n  - --policy-jar/--policy: unknown policy 'mine' (choose from: deadline, "
                + "example-fifo, fifo)\n"), text);
        assertTrue(text.contains("\nobserve       cannot work here: --policy-jar/--policy: unknown policy 'mine'"), text);

        // A jar others may change is refused as run refuses it, and nothing of it is listed.
        Path open = Files.createDirectories(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Path exposed = Files.copy(jar, open.resolve("example.jar"));
        out.getBuffer().setLength(0);
        assertEquals(CheckCommand.EXIT_NOT_RUNNABLE, check("--json", "--policy-jar", exposed.toString()));
        String json = out.toString().strip();
        JsonCheck.wellFormed(json);
        assertTrue(json.contains("\"policies\":{\"chosen\":\"deadline\",\"problem\":\"--policy-jar/--policy: "), json);
        assertTrue(json.contains("\"available\":[{\"name\":\"deadline\","), json);
        assertFalse(json.contains("example-fifo"), json);
        // and none of this changed what this process itself would run
        assertEquals(java.util.List.of("deadline", "fifo"), org.scxjavaland.core.policy.PolicyProviders.names());
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertEquals(2, check("--jsn"));
        assertTrue(err.toString().startsWith("scx_javaland: Unknown option: '--jsn'"), err.toString());
    }
}
