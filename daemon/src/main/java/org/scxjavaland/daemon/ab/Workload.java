package org.scxjavaland.daemon.ab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load ab measures under: a command (split at white space, no shell) run again and again on a thread of its
 * own until stopped, each run's own result parsed from its output: hackbench's "Time: S" and perf bench sched
 * messaging's "Total time: S [sec]" (seconds, lower is better), stress-ng's bogo ops/s (real time) with
 * --metrics-brief (higher is better), otherwise the run's wall time.
 */
public final class Workload {
    public static final String DEFAULT = "hackbench -g 2 -l 200";

    private static final Pattern TIME = Pattern.compile("(?m)^\\s*(?:Total time|Time):\\s*([0-9.]+)");
    private static final Pattern STRESS_NG = Pattern.compile(
            "metrc:\\s*\\[\\d+\\]\\s+(\\S+)\\s+(\\d+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)");

    private final List<String> argv;
    private final List<Double> results = new ArrayList<>();
    private volatile String metric;
    private volatile String failure;
    private volatile boolean stopped;
    private Thread thread;
    private Process current;

    private Workload(List<String> argv) {
        this.argv = argv;
    }

    /** The command, checked: its program must exist (found on PATH when it has no slash). */
    public static Workload of(String command) {
        List<String> argv = Arrays.stream(command.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        if (argv.isEmpty()) throw new IllegalArgumentException("--workload is empty");
        if (resolve(argv.getFirst()).isEmpty()) {
            throw new NotFound("--workload: command not found: " + argv.getFirst()
                    + (argv.getFirst().equals("hackbench") ? " (Debian: apt-get install rt-tests)" : ""));
        }
        return new Workload(argv);
    }

    /** The program can not be found or run. */
    public static final class NotFound extends IllegalArgumentException {
        NotFound(String m) {
            super(m);
        }
    }

    static Optional<Path> resolve(String program) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isExecutable(p) && !Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    public String command() {
        return String.join(" ", argv);
    }

    /** A fresh runner of the same command (the results are per round). */
    public Workload fresh() {
        return new Workload(argv);
    }

    /** Starts running the command repeatedly until {@link #stop}. */
    public void start() {
        thread = Thread.ofPlatform().daemon().name("ab-workload").start(this::loop);
    }

    private void loop() {
        while (!stopped) {
            long t0 = System.nanoTime();
            String out;
            int status;
            try {
                Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
                synchronized (this) {
                    current = p;
                }
                p.getOutputStream().close();
                out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                status = p.waitFor();
            } catch (IOException e) {
                failure = "cannot run '" + command() + "': " + e.getMessage();
                return;
            } catch (InterruptedException e) {
                return;
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            if (stopped && status != 0) return; // ended by stop()
            if (status != 0) {
                String[] lines = out.strip().split("\n");
                failure = "'" + command() + "' exited with status " + status + ": " + lines[lines.length - 1];
                return;
            }
            record(out, wall);
        }
    }

    private synchronized void record(String out, double wall) {
        Matcher m = TIME.matcher(out);
        if (m.find()) {
            metric = "time_s";
            results.add(Double.parseDouble(m.group(1)));
            return;
        }
        Matcher s = STRESS_NG.matcher(out);
        double sum = 0;
        boolean any = false;
        while (s.find()) {
            sum += Double.parseDouble(s.group(6));
            any = true;
        }
        if (any) {
            metric = "bogo_ops_per_s";
            results.add(sum);
            return;
        }
        metric = "wall_s";
        results.add(wall);
    }

    /**
     * Stops after the run in progress, which is given {@code graceMs} to end by itself (ab's measurements are
     * already taken; a run cut short would report nothing), then killed.
     */
    public void stop(long graceMs) throws InterruptedException {
        stopped = true;
        if (thread == null) return;
        thread.join(graceMs);
        if (thread.isAlive()) {
            synchronized (this) {
                if (current != null) current.destroyForcibly();
            }
            thread.join(5000);
        }
    }

    /** Why the workload failed, or null. */
    public String failure() {
        return failure;
    }

    /** "time_s", "bogo_ops_per_s" or "wall_s"; null before the first run ended. */
    public String metric() {
        return metric;
    }

    public synchronized List<Double> results() {
        return List.copyOf(results);
    }

    /** What a metric is, for the table and the page. */
    public static String describe(String metric) {
        return switch (metric == null ? "" : metric) {
            case "time_s" -> "s per run (the workload's Time:, lower is better)";
            case "bogo_ops_per_s" -> "bogo ops/s (stress-ng, higher is better)";
            case "wall_s" -> "s wall time per run (lower is better)";
            default -> "no run completed";
        };
    }
}
