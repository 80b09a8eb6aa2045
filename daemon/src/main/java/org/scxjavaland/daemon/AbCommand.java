package org.scxjavaland.daemon;

import org.scxjavaland.bpf.BpfException;
import org.scxjavaland.bpf.Libbpf;
import org.scxjavaland.core.sched.SchedExtPreflight;
import org.scxjavaland.daemon.ab.AbReport;
import org.scxjavaland.daemon.ab.DaemonRound;
import org.scxjavaland.daemon.ab.SyscallCounter;
import org.scxjavaland.daemon.ab.Workload;
import org.scxjavaland.sys.LibC;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code scx_javaland ab}: the two transports side by side on this machine, under the same workload, in alternating
 * rounds, each round a fresh daemon (run where the kernel has sched_ext, observe elsewhere) measured from outside:
 * /proc for CPU time and faults, a BPF syscall counter of its own, and the daemon's --ab-stats line for records,
 * heap bytes and latency (docs/benchmarks.md).
 */
@Command(name = "ab", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
                "Compare the transports: run the same workload under the daemon with ringbuf and with fifo in "
                        + "alternation (ringbuf, fifo, ringbuf, fifo, ...), each round a fresh daemon: 'run' where "
                        + "the kernel has sched_ext, 'observe' elsewhere (nothing is then enforced). Each round waits "
                        + "for the daemon to attach, starts the workload, waits --settle seconds, measures over "
                        + "--duration seconds, then stops the daemon with SIGINT and checks it exits 0.",
                "",
                "Per transport it reports the median [min, max] over the rounds, and the ratio fifo/ringbuf of the "
                        + "medians, of: tasks/s (records the daemon took); CPU ns per task of the whole daemon process "
                        + "(/proc/PID/stat utime+stime) and of its scheduling thread (/proc/PID/task/TID/stat); "
                        + "syscalls and bpf() calls per task, counted by a BPF program of its own on "
                        + "raw_syscalls:sys_enter filtered by the daemon's pid; the latency p50, p99 and p99.9 (run: "
                        + "from ops.enqueue to the decision sent; observe: from the record's production in BPF to BPF "
                        + "draining the decision); heap bytes per task (every thread of the daemon) and page faults per "
                        + "task (minflt+majflt); the workload's own result.",
                "",
                "--policy and --policy-jar are given to every round's daemon (with --where=vm the jars are copied into "
                        + "the VM): both transports run the same policy, so the difference is the transport's; each "
                        + "daemon must confirm the policy it runs, or its round fails.",
                "",
                "Needs root. Progress goes to stderr, the table to stdout. It takes rounds x 2 x (daemon start + "
                        + "settle + duration): a daemon starts (JVM and warm-up) in 10-15 s on a 2-CPU host, about "
                        + "100 s under the VM's emulation; the defaults take about 2.5 minutes on the host."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
                "0:done: the table is printed and the files written",
                "1:a round failed: a daemon exited with an error or never attached, or the workload failed",
                "2:bad command line: unknown option or --where, --rounds < 1, --duration <= 0, an unknown --policy, "
                        + "a --policy-jar refused, ...",
                "3:this kernel cannot: no BTF, or the syscall counter cannot be loaded",
                "4:not root",
                "5:another sched_ext scheduler is attached",
                "6:incomplete installation: no usable libbpf, not built, or --where=vm without a repository checkout",
                "7:--json or --html cannot be written",
                "8:the workload's command is not found"},
        sortOptions = false)
public final class AbCommand implements Callable<Integer> {
    static final int FAILED = 1, USAGE = 2, UNSUPPORTED = 3, NOT_ROOT = 4, BUSY = 5, INSTALLATION = 6,
            UNWRITABLE = 7, NO_WORKLOAD = 8;

    @Option(names = "--where", paramLabel = "WHERE", defaultValue = "host",
            description = "host: on this machine (run mode where the kernel has sched_ext, observe mode elsewhere). "
                    + "vm: in the project's sched_ext VM (vm/ab.sh: one boot, the same 'ab --where=host --baseline' "
                    + "inside, so in run mode; the files come back to the paths given); only from a repository "
                    + "checkout, after 'make build'. Default: ${DEFAULT-VALUE}.")
    String where;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
            description = "Rounds; each runs both transports, ringbuf first. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--duration", paramLabel = "SECS", defaultValue = "10",
            description = "The measured window of each round, in seconds. Default: ${DEFAULT-VALUE}.")
    double duration;

    @Option(names = "--settle", paramLabel = "SECS", defaultValue = "2",
            description = "Seconds between starting the workload and the window: the daemon's JIT meets the real "
                    + "load. Default: ${DEFAULT-VALUE}.")
    double settle;

    @Option(names = "--workload", paramLabel = "CMD", defaultValue = Workload.DEFAULT,
            description = "The load, run again and again from the daemon's attach to the window's end (split at "
                    + "blanks, no shell). Its result per run: hackbench's 'Time:' or perf bench sched messaging's "
                    + "'Total time:' (s, lower is better), stress-ng's bogo ops/s (real time) with --metrics-brief, "
                    + "else the wall time of a run. Default: '${DEFAULT-VALUE}' (rt-tests' hackbench: 2 groups of 20 "
                    + "senders and 20 receivers over sockets, 200 messages each; about 0.4 s a run on a 2-CPU host).")
    String workload;

    /** Both passed to every round's daemon (and with --where=vm copied into the VM): both transports run one policy. */
    @Mixin
    PolicyChoice policy;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the figures as JSON: per transport (ringbuf, fifo) tasks_per_s, "
                    + "cpu_ns_per_task, sched_thread_cpu_ns_per_task, syscalls_per_task, bpf_calls_per_task, "
                    + "latency_p50_ns, latency_p99_ns, latency_p999_ns, heap_bytes_per_task, page_faults_per_task, "
                    + "workload_result (each {median, min, max, values}) and the latency histogram; "
                    + "ratio_fifo_over_ringbuf; mode, kernel, date, commit.")
    Path json;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write one self-contained HTML page (no network): the table, a latency CDF per "
                    + "transport and the cost per task as bars.")
    Path html;

    @Option(names = "--baseline",
            description = "Before the rounds, run the workload for --duration seconds without any daemon (the "
                    + "kernel's own scheduler: EEVDF) and report its result beside the transports'. --where=vm "
                    + "always does.")
    boolean baseline;

    @Option(names = {"-v", "--verbose"}, description = "Keep the daemons' logs (the directory is printed) and show "
            + "stack traces of errors.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (!where.equals("host") && !where.equals("vm")) {
            throw usage("--where must be host or vm (got '" + where + "')");
        }
        if (rounds < 1) throw usage("--rounds must be at least 1 (got " + rounds + ")");
        if (!(duration > 0) || duration > 86_400) throw usage("--duration must be above 0 s (got " + duration + ")");
        if (!(settle >= 0) || settle > 3600) throw usage("--settle must be 0 or more seconds (got " + settle + ")");
        if (policy.wantsHelp()) {
            try {
                policy.printedHelp(new PrintWriter(System.out));
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            return 0;
        }
        Workload load = workload();
        checkPolicy();
        requireWritable(json, "--json");
        requireWritable(html, "--html");
        if (where.equals("vm")) return inVm();

        if (LibC.geteuid() != 0) {
            throw new ExitException(ExitCode.NOT_PERMITTED, NOT_ROOT,
                    "ab needs root: it loads BPF programs (its syscall counter, and each round's daemon)");
        }
        try {
            Libbpf.get();
        } catch (BpfException e) {
            throw new ExitException(ExitCode.INSTALLATION, INSTALLATION, e.getMessage());
        }
        String mode = mode();
        SyscallCounter counter;
        try {
            counter = SyscallCounter.open();
        } catch (RuntimeException e) {
            throw new ExitException(ExitCode.UNSUPPORTED, UNSUPPORTED,
                    "cannot count syscalls here (syscount.bpf.o on raw_syscalls:sys_enter): " + e.getMessage());
        }
        Progress progress = new Progress(System.err);
        Path dir = Files.createTempDirectory("scx_javaland-ab-");
        Map<String, List<DaemonRound.Result>> results = new LinkedHashMap<>();
        for (String t : AbReport.TRANSPORTS) results.put(t, new ArrayList<>());
        List<Double> base = null;
        String baseMetric = null;
        try (counter) {
            if (baseline) {
                progress.say("ab: baseline: the workload without a daemon, " + DaemonRound.fmtSecs(duration));
                Workload w = load.fresh();
                w.start();
                Thread.sleep((long) (duration * 1000));
                w.stop(60_000);
                if (w.failure() != null) throw new ExitException(ExitCode.FAILURE, FAILED, "baseline: the workload failed: " + w.failure());
                base = w.results();
                baseMetric = w.metric();
            }
            for (int r = 1; r <= rounds; r++) {
                for (String t : AbReport.TRANSPORTS) {
                    String prefix = "ab: round " + r + "/" + rounds + " " + t + ": ";
                    try {
                        results.get(t).add(DaemonRound.measure(daemonCommand(mode, t, policy.name, policy.absoluteJars()), t,
                                policy.name, load.fresh(), counter, dir, "r" + r + "-" + t, settle, duration,
                                m -> progress.say(prefix + m)));
                    } catch (DaemonRound.Failed e) {
                        progress.done();
                        throw new ExitException(ExitCode.FAILURE, FAILED, "round " + r + "/" + rounds + " " + t + ": "
                                + e.getMessage());
                    }
                }
            }
        }
        progress.done();
        AbReport report = new AbReport(new AbReport.Meta(mode, "host", kernel(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), commit(), rounds, duration,
                load.command(), commandLine(), policy.name, policy.absoluteJars().stream().map(Path::toString).toList()),
                results, base, baseMetric);
        System.out.print(report.table());
        System.out.flush();
        write(json, report.json(), "--json");
        write(html, report.html(), "--html");
        if (verbose) {
            System.err.println("ab: the daemons' logs and counters are in " + dir);
        } else {
            deleteTree(dir);
        }
        return 0;
    }

    private Workload workload() {
        try {
            return Workload.of(workload);
        } catch (Workload.NotFound e) {
            throw new ExitException(ExitCode.USAGE, NO_WORKLOAD, e.getMessage());
        }
    }

    /**
     * The policy and its jars, checked here as each round's daemon will check them, so that a name or a jar it would
     * refuse is one line now rather than a failed first round after the daemon's start.
     */
    private void checkPolicy() {
        try {
            policy.load();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private static ExitException usage(String m) {
        return new ExitException(ExitCode.USAGE, USAGE, m);
    }

    /** run where sched_ext can attach; observe where the kernel has none; otherwise the reason, with its status. */
    private static String mode() {
        Optional<SchedExtPreflight.Problem> run = SchedExtPreflight.check();
        if (run.isEmpty()) return "run";
        SchedExtPreflight.Problem p = run.get();
        switch (p.kind()) {
            case OCCUPIED -> throw new ExitException(ExitCode.BUSY, BUSY, p.message());
            case NOT_PERMITTED -> throw new ExitException(ExitCode.NOT_PERMITTED, NOT_ROOT, p.message());
            default -> {
            }
        }
        Optional<SchedExtPreflight.Problem> observe = SchedExtPreflight.checkObserve();
        if (observe.isPresent()) {
            throw new ExitException(ExitCode.UNSUPPORTED, UNSUPPORTED, "neither run nor observe can work here: "
                    + p.message() + "; " + observe.get().message());
        }
        return "observe";
    }

    /**
     * The daemon as this process was started (the same java, JVM flags, class path), so that a round's daemon is
     * the one the launcher would start, from a build tree or an installation alike.
     */
    static List<String> daemonCommand(String mode, String transport, String policy, List<Path> policyJars) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add(mode);
        cmd.add("--transport=" + transport);
        for (Path jar : policyJars) cmd.add("--policy-jar=" + jar);
        cmd.add("--policy=" + policy);
        // The scx_stats socket is the attached scheduler's; a benchmark round has no business taking it.
        if (mode.equals("run")) cmd.addAll(List.of("--stats-socket", "none"));
        return cmd;
    }

    /** --where=vm: vm/ab.sh of the checkout this daemon was built in, with the same options. */
    private int inVm() throws IOException, InterruptedException {
        Path repo = repository().orElseThrow(() -> new ExitException(ExitCode.INSTALLATION, INSTALLATION,
                "--where=vm needs the repository checkout the daemon was built in (its vm/ab.sh and vm/run.sh); "
                        + "an installed scx_javaland has none: run it from the checkout (bin/scx_javaland ab "
                        + "--where=vm), or --where=host"));
        List<String> cmd = new ArrayList<>(List.of(repo.resolve("vm/ab.sh").toString(), "--rounds",
                Integer.toString(rounds), "--duration", DaemonRound.fmt(duration), "--settle", DaemonRound.fmt(settle),
                "--workload", workload, "--policy", policy.name));
        for (Path jar : policy.absoluteJars()) cmd.addAll(List.of("--policy-jar", jar.toString()));
        if (json != null) cmd.addAll(List.of("--json", json.toAbsolutePath().toString()));
        if (html != null) cmd.addAll(List.of("--html", html.toAbsolutePath().toString()));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        return p.waitFor();
    }

    /** The checkout: $SCX_JAVALAND_REPO (set in the VM), else above the daemon's class path (daemon/target/...). */
    static Optional<Path> repository() {
        String env = System.getenv("SCX_JAVALAND_REPO");
        if (env != null && isRepo(Path.of(env))) return Optional.of(Path.of(env));
        String cp = System.getProperty("java.class.path", "");
        for (String entry : cp.split(java.io.File.pathSeparator)) {
            if (entry.isEmpty()) continue;
            for (Path d = Path.of(entry).toAbsolutePath().getParent(); d != null; d = d.getParent()) {
                if (isRepo(d)) return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    private static boolean isRepo(Path d) {
        return Files.isExecutable(d.resolve("vm/ab.sh")) && Files.isExecutable(d.resolve("vm/run.sh"))
                && Files.isRegularFile(d.resolve("pom.xml"));
    }

    /** Opening it for writing is the only sure test (root passes every permission check, /proc and read-only mounts do not). */
    private static void requireWritable(Path file, String option) {
        if (file == null) return;
        if (Files.isDirectory(file)) throw new ExitException(ExitCode.USAGE, UNWRITABLE, option + " " + file + ": is a directory");
        boolean existed = Files.exists(file);
        try (OutputStream o = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            o.flush();
        } catch (IOException | SecurityException e) {
            throw new ExitException(ExitCode.USAGE, UNWRITABLE, option + " " + file + ": cannot be written: " + e.getMessage());
        }
        if (!existed) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // an empty file is left; it is written at the end
            }
        }
    }

    private static void write(Path file, String text, String option) {
        if (file == null) return;
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ExitException(ExitCode.USAGE, UNWRITABLE, option + " " + file + ": cannot be written: " + e.getMessage());
        }
    }

    private static String kernel() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }

    /** The build's commit: $SCX_JAVALAND_COMMIT (vm/ab.sh passes the host's), else git in the checkout, else the version. */
    private static String commit() {
        String env = System.getenv("SCX_JAVALAND_COMMIT");
        if (env != null && !env.isBlank()) return env;
        Optional<Path> repo = repository();
        if (repo.isPresent()) {
            try {
                Process p = new ProcessBuilder("git", "-C", repo.get().toString(), "describe", "--always", "--dirty")
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (p.waitFor() == 0 && !out.isEmpty()) return out;
            } catch (IOException | InterruptedException e) {
                // no git: the version says enough
            }
        }
        return "version " + Version.current();
    }

    private String commandLine() {
        return "scx_javaland ab --where=" + where + " --rounds " + rounds + " --duration " + DaemonRound.fmt(duration)
                + " --settle " + DaemonRound.fmt(settle) + " --workload '" + workload + "'" + (baseline ? " --baseline" : "")
                + policy.absoluteJars().stream().map(j -> " --policy-jar " + j).reduce("", String::concat)
                + " --policy " + policy.name;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }

    /** One progress line, rewritten in place on a terminal; on a log, each step once. */
    static final class Progress {
        private final PrintStream err;
        private final boolean tty = System.console() != null;
        private String last = "";

        Progress(PrintStream err) {
            this.err = err;
        }

        synchronized void say(String line) {
            if (tty) {
                err.print("\r\033[K" + line);
                err.flush();
            } else {
                String step = line.replaceAll("measuring \\d+/", "measuring ");
                if (!step.equals(last)) err.println(line);
                last = step;
            }
        }

        synchronized void done() {
            if (tty) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }
}
