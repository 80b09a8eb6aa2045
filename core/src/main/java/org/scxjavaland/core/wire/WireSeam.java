package org.scxjavaland.core.wire;

import org.scxjavaland.bpf.BpfException;
import org.scxjavaland.bpf.BpfObject;
import org.scxjavaland.bpf.BtfStruct;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * Checks, before load, that a BPF object was built from the same wire layouts as this daemon: every Java twin
 * ({@code *Layout.LAYOUT}) against the struct of the same name in the object's BTF, size and each named field's
 * offset. WireLayoutTest checks the twins against the header at build time; this catches an object from another
 * build (a stale jar on the class path, a hand-copied .bpf.o), which would otherwise be read at the wrong offsets
 * while it schedules every task.
 */
public final class WireSeam {
    /** What the scheduler object (scx_javaland.bpf.o) shares with the daemon. */
    public static final StructLayout[] SCHEDULER = {QueuedTaskLayout.LAYOUT, DispatchedTaskLayout.LAYOUT,
            ExitInfoLayout.LAYOUT, StatsLayout.LAYOUT, ConfigLayout.LAYOUT};
    /** What the observe object (observe.bpf.o) shares with the daemon. */
    public static final StructLayout[] OBSERVE = {QueuedTaskLayout.LAYOUT, DispatchedTaskLayout.LAYOUT,
            StatsLayout.LAYOUT, ConfigLayout.LAYOUT, ObserveStatsLayout.LAYOUT};
    /** What the harness object (harness.bpf.o) shares with its Java side. */
    public static final StructLayout[] HARNESS = {QueuedTaskLayout.LAYOUT, DispatchedTaskLayout.LAYOUT,
            StatsLayout.LAYOUT, ConfigLayout.LAYOUT, HarnessCtxLayout.LAYOUT};

    private WireSeam() {
    }

    /** Throws BpfException naming the first structs that differ; returns quietly when all agree. */
    public static void verify(BpfObject object, StructLayout... twins) {
        List<String> problems = new ArrayList<>();
        for (StructLayout twin : twins) {
            String struct = twin.name().orElseThrow(() -> new IllegalArgumentException("an unnamed layout"));
            BtfStruct btf = object.btfStruct(struct);
            if (btf == null) {
                problems.add("no struct " + struct);
                continue;
            }
            if (btf.size() != twin.byteSize()) {
                problems.add(struct + " is " + btf.size() + " bytes there, " + twin.byteSize() + " here");
            }
            for (MemoryLayout field : twin.memberLayouts()) {
                if (field.name().isEmpty()) continue;      // padding
                String f = field.name().get();
                long here = twin.byteOffset(groupElement(f));
                Long there = btf.memberOffsets().get(f);
                if (there == null) problems.add(struct + "." + f + " is missing there");
                else if (there != here) problems.add(struct + "." + f + " is at byte " + there + " there, " + here + " here");
            }
        }
        if (!problems.isEmpty()) {
            throw new BpfException("the BPF object " + object.name() + " was not built with this daemon's wire layout ("
                    + String.join("; ", problems.subList(0, Math.min(3, problems.size())))
                    + (problems.size() > 3 ? "; " + (problems.size() - 3) + " more" : "")
                    + "): rebuild both from one tree (make build)");
        }
    }
}
