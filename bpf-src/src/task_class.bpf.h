/* SPDX-License-Identifier: GPL-2.0 */
/*
 * task_class.bpf.h: which tasks BPF places itself instead of asking the daemon, shared by the scheduler (which
 * places them) and the observer (which, to hand the daemon the very records the scheduler would, leaves them out).
 *
 * The includer may define JL_TASK_READ(p, field) before including this file: the scheduler's struct_ops programs
 * get a trusted task pointer and read it directly (the default); the observer's raw tracepoints get an untrusted
 * one and must read through CO-RE probes.
 */
#ifndef SCX_JAVALAND_TASK_CLASS_BPF_H
#define SCX_JAVALAND_TASK_CLASS_BPF_H

#include "common.bpf.h"

#ifndef JL_TASK_READ
#define JL_TASK_READ(p, field) ((p)->field)
#endif

#define PF_EXITING      0x00000004
#define PF_KCOMPACTD    0x00010000      /* set by kcompactd since 6.15; 0x10000 was unused before */
#define PF_KSWAPD       0x00020000
#define PF_KTHREAD      0x00200000

static __always_inline bool jl_is_per_cpu_kthread(const struct task_struct *p)
{
	return (JL_TASK_READ(p, flags) & PF_KTHREAD) && JL_TASK_READ(p, nr_cpus_allowed) == 1;
}

static __always_inline bool jl_is_kcompactd(const struct task_struct *p)
{
	if (JL_TASK_READ(p, flags) & PF_KCOMPACTD)
		return true;
	return (JL_TASK_READ(p, flags) & PF_KTHREAD) && JL_TASK_READ(p, comm[0]) == 'k' &&
	       JL_TASK_READ(p, comm[1]) == 'c' && JL_TASK_READ(p, comm[2]) == 'o' && JL_TASK_READ(p, comm[3]) == 'm' &&
	       JL_TASK_READ(p, comm[4]) == 'p' && JL_TASK_READ(p, comm[5]) == 'a' && JL_TASK_READ(p, comm[6]) == 'c' &&
	       JL_TASK_READ(p, comm[7]) == 't' && JL_TASK_READ(p, comm[8]) == 'd';
}

static __always_inline bool jl_is_sched_thread(const struct task_struct *p)
{
	return jl_config.sched_tid && (u32)JL_TASK_READ(p, pid) == jl_config.sched_tid;
}

/* Tasks BPF places itself (besides per-CPU kthreads): they must never wait for the daemon. */
static __always_inline bool jl_is_bpf_placed(const struct task_struct *p)
{
	if (jl_config.daemon_tgid && (u32)JL_TASK_READ(p, tgid) == jl_config.daemon_tgid)
		return true;
	if (JL_TASK_READ(p, flags) & PF_KSWAPD)
		return true;
	if (jl_config.khugepaged_pid && (u32)JL_TASK_READ(p, pid) == jl_config.khugepaged_pid)
		return true;
	return jl_is_kcompactd(p);
}

/*
 * queued_task.uid: which task a record is about, when the pid alone cannot say (a pid is reused; an exit notice
 * can arrive after another task took the pid). sched_ext's own task id where the kernel has one (p->scx.tid, 64
 * bits, never reused), else the task's fork time in ns (p->start_time): two tasks with one pid are never forked in
 * the same nanosecond. CO-RE picks one when the object loads.
 */
static __always_inline u64 jl_task_uid(const struct task_struct *p)
{
	if (bpf_core_field_exists(p->scx.tid))
		return JL_TASK_READ(p, scx.tid);
	return JL_TASK_READ(p, start_time);
}

#endif /* SCX_JAVALAND_TASK_CLASS_BPF_H */
