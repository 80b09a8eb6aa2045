package org.scxjavaland.core.policy;

/** What the policy may know about CPUs: how many, and which are idle right now (kept by BPF's ops.update_idle). */
public interface CpuView {
    int nrCpus();

    boolean isIdle(int cpu);
}
