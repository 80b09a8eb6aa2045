package org.scxjavaland.core.sched;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JitSettleTest {
    private static final long MS = 1_000_000L;

    @TempDir
    Path tasks;

    /**
     * One /proc/PID/task/TID entry: its comm, its state letter and its CPU time. Each file is replaced whole, as
     * /proc presents it, so that a look taken meanwhile never reads a half-written one.
     */
    private void task(int tid, String comm, char state, long cpuNs) throws IOException {
        Path t = tasks.resolve(Integer.toString(tid));
        Files.createDirectories(t);
        write(t.resolve("comm"), comm + "\n");
        write(t.resolve("stat"), tid + " (" + comm + ") " + state + " 1 2 3 4 5\n");
        write(t.resolve("schedstat"), cpuNs + " 100 7\n");
    }

    private void write(Path file, String text) throws IOException {
        Path tmp = tasks.resolve(".tmp-" + Thread.currentThread().threadId());
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void countsOnlyTheCompilerThreadsAndTheirCpuTime() throws IOException {
        task(10, "java", 'R', 999);
        task(11, "C2 CompilerThre", 'S', 5_000);
        task(12, "C1 CompilerThre", 'S', 700);
        task(13, "GC Thread#0", 'R', 1);
        JitSettle.Look l = JitSettle.look(tasks);
        assertNotNull(l);
        assertEquals(2, l.threads());
        assertTrue(l.allAsleep());
        assertEquals(5_700, l.cpuNanos());
        task(11, "C2 CompilerThre", 'R', 5_100);
        assertFalse(JitSettle.look(tasks).allAsleep(), "a compiler thread that runs or waits for a CPU is busy");
    }

    @Test
    void theStateIsReadAfterTheLastParenthesisOfTheCommand() {
        assertEquals('S', JitSettle.state("42 (a) b (c)) S 1 2"));
        assertTrue(JitSettle.isCompilerThread("C2 CompilerThre"));
        assertFalse(JitSettle.isCompilerThread("C2 Compile"));
    }

    @Test
    void settlesOnceTheCompilerThreadsStayAsleepForTheQuietTime() throws IOException {
        task(11, "C2 CompilerThre", 'S', 5_000);
        JitSettle.Result r = JitSettle.await(tasks, 200 * MS, 10_000 * MS, () -> false);
        assertTrue(r.settled());
        assertTrue(r.waitedNanos() >= 200 * MS && r.waitedNanos() < 5_000 * MS, r.describe());
        assertEquals(0, r.compilerCpuNanos());
    }

    @Test
    void waitsWhileACompilerThreadRunsThenSettlesWhenItSleeps() throws Exception {
        task(11, "C2 CompilerThre", 'R', 5_000);
        Thread compiler = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 1; i <= 10; i++) {
                    Thread.sleep(60);
                    task(11, "C2 CompilerThre", i % 3 == 0 ? 'S' : 'R', 5_000 + i * 50 * MS);  // 50 ms of each 60
                }
                task(11, "C2 CompilerThre", 'S', 5_000 + 500 * MS);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        long t0 = System.nanoTime();
        JitSettle.Result r = JitSettle.await(tasks, 300 * MS, 20_000 * MS, () -> false);
        compiler.join();
        assertTrue(r.settled(), r.describe());
        assertTrue(System.nanoTime() - t0 >= 900 * MS, "returned while the thread still compiled: " + r.describe());
        // 500 ms in all; the first look may come a step late on a loaded machine
        assertTrue(r.compilerCpuNanos() >= 250 * MS && r.compilerCpuNanos() <= 500 * MS, r.describe());
    }

    @Test
    void aSmallCompileNowAndThenIsIdle() throws Exception {
        task(11, "C1 CompilerThre", 'S', 5_000);
        Thread compiler = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 1; i <= 30; i++) {
                    Thread.sleep(100);
                    task(11, "C1 CompilerThre", 'S', 5_000 + i * 2 * MS);     // 2 % of a CPU
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        JitSettle.Result r = JitSettle.await(tasks, 300 * MS, 20_000 * MS, () -> false);
        compiler.join();
        assertTrue(r.settled(), r.describe());
        assertTrue(r.waitedNanos() < 2_000 * MS, r.describe());
    }

    @Test
    void aThreadThatKeepsCompilingEndsTheWaitAtItsBound() throws IOException {
        task(11, "C1 CompilerThre", 'R', 5_000);
        JitSettle.Result r = JitSettle.await(tasks, 100 * MS, 400 * MS, () -> false);
        assertFalse(r.settled());
        assertTrue(r.waitedNanos() >= 400 * MS, r.describe());
        assertTrue(r.describe().contains("still compiling"), r.describe());
    }

    @Test
    void aStopEndsTheWait() throws IOException {
        task(11, "C1 CompilerThre", 'R', 5_000);
        JitSettle.Result r = JitSettle.await(tasks, 100 * MS, 60_000 * MS, () -> true);
        assertFalse(r.settled());
        assertTrue(r.waitedNanos() < 10_000 * MS, r.describe());
    }

    @Test
    void withoutCompilerThreadsThereIsNothingToWaitFor() throws IOException {
        task(10, "java", 'R', 1);
        JitSettle.Result r = JitSettle.await(tasks, 500 * MS, 60_000 * MS, () -> false);
        assertFalse(r.settled());
        assertEquals(0, r.compilerThreads());
        assertTrue(r.describe().contains("no compiler threads"), r.describe());
    }

    @Test
    void thisJvmsCompilerThreadsAreFoundAndGoIdle() {
        JitSettle.Look l = JitSettle.look(Path.of("/proc/self/task"));
        assertNotNull(l);
        assertTrue(l.threads() >= 1, "no C1/C2 compiler thread found in this JVM");
        assertTrue(l.cpuNanos() > 0);
        JitSettle.Result r = JitSettle.await(200 * MS, 60_000 * MS, () -> false);
        assertTrue(r.settled(), r.describe());
    }
}
