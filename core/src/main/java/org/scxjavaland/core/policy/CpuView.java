package org.scxjavaland.core.policy;

/**
 * What the policy may know about CPUs: how many, which are idle right now (kept by BPF's ops.update_idle), and the
 * vtime of what they run.
 */
public interface CpuView {
    int nrCpus();

    boolean isIdle(int cpu);

    /**
     * The latest deadline (decision vtime) with which a CPU started a task, kept by BPF's ops.running; 0 before any.
     * The vtime DSQs hand out the earliest deadline first, so this follows the front of the runnable set.
     */
    long vtimeNow();

    /**
     * The total weight of the runnable tasks (100 per nice-0 task), kept by BPF's ops.runnable/ops.quiescent; 0 when
     * unknown. Over the CPUs, it says how fast vruntime moves: a task's vruntime grows by its runtime x 100 / weight,
     * and a nice-0 task among runnable weight W on C CPUs gets C x 100 / W of a CPU.
     */
    default long runnableWeight() {
        return 0;
    }
}
