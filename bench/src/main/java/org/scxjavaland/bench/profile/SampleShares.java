package org.scxjavaland.bench.profile;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a JFR recording's execution samples ({@code jdk.ExecutionSample}) fall, by part of the scheduler.
 * <p>
 * A sample is charged to the first of our frames from the top of its stack: a JDK or Chronicle Bytes method called by
 * the allocator counts as the allocator's. Inlined frames are in JFR's stack traces, so a method the JIT inlined into
 * its caller is still seen as itself. "Inclusive" counts a sample for a part whenever one of its frames is anywhere on
 * the stack.
 */
final class SampleShares {
    static final String ALLOCATOR = "allocator";

    /** Parts of the scheduler by package prefix; the first match wins. */
    private static final String[][] PARTS = {
            {"org.scxjavaland.core.alloc.", ALLOCATOR},
            {"org.scxjavaland.core.policy.", "policy"},
            {"org.scxjavaland.transport.", "transport"},
            {"org.scxjavaland.core.wire.", "wire records"},
            {"org.scxjavaland.core.sched.", "scheduling loop"},
            {"org.scxjavaland.sys.", "native bindings"},
            {"org.scxjavaland.bpf.", "native bindings"},
            {"org.scxjavaland.", "other (ours)"},
    };
    static final String NOT_OURS = "JDK/JVM only";
    /** The profile's own driver (the thread's root frame in a profile run): not a part of the scheduler. */
    private static final String DRIVER = "org.scxjavaland.bench.";

    /** Samples of one thread (or of all), by part. */
    record Tally(long samples, Map<String, Long> self, Map<String, Long> inclusive, Map<String, Long> topFrames) {
        double selfShare(String part) {
            return samples == 0 ? 0 : (double) self.getOrDefault(part, 0L) / samples;
        }

        double inclusiveShare(String part) {
            return samples == 0 ? 0 : (double) inclusive.getOrDefault(part, 0L) / samples;
        }
    }

    record Shares(Tally thread, Tally all) {
    }

    private SampleShares() {
    }

    /** The tally of {@code threadName}'s samples and of every thread's, from the recording at {@code jfr}. */
    static Shares read(Path jfr, String threadName) throws IOException {
        Counter thread = new Counter();
        Counter all = new Counter();
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) continue;
            RecordedStackTrace st = e.getStackTrace();
            if (st == null) continue;
            List<String> types = new ArrayList<>();
            for (RecordedFrame f : st.getFrames()) {
                if (f.isJavaFrame()) types.add(f.getMethod().getType().getName());
            }
            String top = st.getFrames().isEmpty() ? "?" : describe(st.getFrames().getFirst());
            all.add(types, top);
            RecordedThread t = e.getThread("sampledThread");
            if (t != null && threadName.equals(t.getJavaName())) thread.add(types, top);
        }
        return new Shares(thread.tally(), all.tally());
    }

    /** The part a stack (class names, top first) is charged to. */
    static String selfPart(List<String> typesTopFirst) {
        for (String type : typesTopFirst) {
            String part = partOf(type);
            if (part != null) return part;
        }
        return NOT_OURS;
    }

    static String partOf(String type) {
        if (type.startsWith(DRIVER)) return null;
        for (String[] p : PARTS) {
            if (type.startsWith(p[0])) return p[1];
        }
        return null;
    }

    private static String describe(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static final class Counter {
        long samples;
        final Map<String, Long> self = new TreeMap<>();
        final Map<String, Long> inclusive = new TreeMap<>();
        final Map<String, Long> topFrames = new TreeMap<>();

        void add(List<String> types, String topFrame) {
            samples++;
            self.merge(selfPart(types), 1L, Long::sum);
            types.stream().map(SampleShares::partOf).filter(p -> p != null).distinct()
                    .forEach(p -> inclusive.merge(p, 1L, Long::sum));
            topFrames.merge(topFrame, 1L, Long::sum);
        }

        Tally tally() {
            Map<String, Long> top = new LinkedHashMap<>();
            topFrames.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                    .limit(12).forEach(en -> top.put(en.getKey(), en.getValue()));
            return new Tally(samples, self, inclusive, top);
        }
    }
}
