package org.scxjavaland.daemon.ab;

import org.scxjavaland.bpf.BpfLink;
import org.scxjavaland.bpf.BpfObject;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The system calls of one process, counted in the kernel (bpf-src/src/syscount.bpf.c on raw_syscalls:sys_enter),
 * independently of the code being measured. Counters are read and the target set through the .bss map's memory:
 * reading costs no syscall of the measured process (nor of this one). Totals only grow; take differences.
 */
public final class SyscallCounter implements AutoCloseable {
    static final String OBJECT = "/org/scxjavaland/bpf/syscount.bpf.o";
    private static final long TARGET = 0, NR_SYSCALLS = 8, NR_BPF = 16;

    private final BpfObject object;
    private final BpfLink link;
    private final MemorySegment bss;

    private SyscallCounter(BpfObject object, BpfLink link, MemorySegment bss) {
        this.object = object;
        this.link = link;
        this.bss = bss;
    }

    /** Loads and attaches the counter (root, or CAP_BPF and CAP_PERFMON); it counts nothing until {@link #target}. */
    public static SyscallCounter open() {
        BpfObject o = BpfObject.openResource(OBJECT);
        try {
            o.load();
            MemorySegment bss = o.section(".bss").reinterpret(24);
            BpfLink l = o.attachProgram("jl_syscount_enter");
            return new SyscallCounter(o, l, bss);
        } catch (RuntimeException e) {
            o.close();
            throw e;
        }
    }

    /** Counts the threads of process {@code tgid} from now on (0: none); the totals go on from where they are. */
    public void target(long tgid) {
        bss.set(JAVA_LONG, TARGET, tgid);
    }

    public Counts read() {
        return new Counts(bss.get(JAVA_LONG, NR_SYSCALLS), bss.get(JAVA_LONG, NR_BPF));
    }

    /** Totals since load: every syscall entry of the target, and those that were bpf(). */
    public record Counts(long syscalls, long bpf) {
        public Counts minus(Counts before) {
            return new Counts(syscalls - before.syscalls, bpf - before.bpf);
        }
    }

    @Override
    public void close() {
        link.close();
        object.close();
    }
}
