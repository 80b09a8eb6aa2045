package org.scxjavaland.core.sim;

import java.util.Comparator;
import java.util.TreeSet;

/**
 * A dispatch queue as the kernel keeps one: FIFO (a CPU's local DSQ, DIRECT, FALLBACK), or ordered by vtime with
 * FIFO among equal vtimes (the per-CPU and SHARED DSQs: the kernel's rbtree puts an equal key after the ones already
 * there). A task is in at most one DSQ at a time.
 */
final class Dsq {
    final String name;
    final boolean vtimeOrdered;
    private final TreeSet<SimTask> tasks;
    private long tailSeq;
    private long headSeq;

    Dsq(String name, boolean vtimeOrdered) {
        this.name = name;
        this.vtimeOrdered = vtimeOrdered;
        Comparator<SimTask> bySeq = Comparator.comparingLong(t -> t.dsqSeq);
        // time_before64: the kernel compares vtimes as a signed difference
        this.tasks = new TreeSet<>(vtimeOrdered
                ? ((Comparator<SimTask>) (a, b) -> Long.signum(a.dsqVtime - b.dsqVtime)).thenComparing(bySeq)
                : bySeq);
    }

    void insert(SimTask p) {
        if (vtimeOrdered) throw new IllegalStateException("FIFO insert into vtime DSQ " + name);
        add(p, ++tailSeq);
    }

    /** SCX_ENQ_HEAD. */
    void insertHead(SimTask p) {
        if (vtimeOrdered) throw new IllegalStateException("head insert into vtime DSQ " + name);
        add(p, --headSeq);
    }

    void insertVtime(SimTask p, long vtime) {
        if (!vtimeOrdered) throw new IllegalStateException("vtime insert into FIFO DSQ " + name);
        p.dsqVtime = vtime;
        add(p, ++tailSeq);
    }

    private void add(SimTask p, long seq) {
        if (p.dsq != null) throw new IllegalStateException(p + " is already in " + p.dsq.name + ", inserting into " + name);
        p.dsq = this;
        p.dsqSeq = seq;
        tasks.add(p);
    }

    SimTask first() {
        return tasks.isEmpty() ? null : tasks.first();
    }

    /** The first task that may run on {@code cpu}: what scx_bpf_dsq_move_to_local takes. */
    SimTask firstFor(int cpu) {
        for (SimTask t : tasks) {
            if (t.mayRunOn(cpu)) return t;
        }
        return null;
    }

    void remove(SimTask p) {
        if (p.dsq != this || !tasks.remove(p)) throw new IllegalStateException(p + " is not in " + name);
        p.dsq = null;
    }

    SimTask pollFirst() {
        SimTask t = first();
        if (t != null) remove(t);
        return t;
    }

    int size() {
        return tasks.size();
    }

    boolean isEmpty() {
        return tasks.isEmpty();
    }

    @Override
    public String toString() {
        return name + tasks;
    }
}
