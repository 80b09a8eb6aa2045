/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scx_kfuncs.h: the kernel functions our BPF programs call, declared by us.
 *
 * bookworm's bpftool 7.1 writes no kfunc prototypes into vmlinux.h, so each one we use is declared here by
 * hand, checked against the BTF of the kernel vmlinux.h came from (include/vmlinux.release):
 *   bpftool btf dump file vmlinux | grep "FUNC 'scx_bpf_"     (names; gen-vmlinux-h.sh prints them)
 * and the FUNC_PROTO of each for the signature. Notes for 7.3:
 *  - scx_bpf_dsq_insert still returns void (a bool-returning scx_bpf_dsq_insert___v2 exists beside it).
 *  - scx_bpf_error/exit/dump exist only as *_bstr (format + u64 array); jl_error() below wraps the former.
 *  - the *_impl variants (extra struct bpf_prog_aux *) are the kernel's side of implicit arguments: a
 *    program calls the plain name.
 * Everything is __weak so that an object that does not call a kfunc does not need it in the running kernel
 * (the host harness runs on a kernel without sched_ext and calls none of the scx ones).
 *
 * Kernels differ (docs/kernels.md): a kfunc that was renamed is called through a jl_* wrapper below, which
 * takes the current name where the running kernel has it and the old one elsewhere. libbpf resolves a missing
 * __weak kfunc to address 0, so bpf_ksym_exists() is a constant at load time and the verifier never walks the
 * other branch (whose call libbpf has poisoned).
 */
#ifndef SCX_JAVALAND_SCX_KFUNCS_H
#define SCX_JAVALAND_SCX_KFUNCS_H

/* sched_ext */
extern s32 scx_bpf_create_dsq(u64 dsq_id, s32 node) __weak __ksym;
extern void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __weak __ksym;
extern void scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime, u64 enq_flags) __weak __ksym;
extern bool scx_bpf_dsq_move_to_local(u64 dsq_id) __weak __ksym;
extern u32 scx_bpf_dispatch_nr_slots(void) __weak __ksym;
extern s32 scx_bpf_dsq_nr_queued(u64 dsq_id) __weak __ksym;
extern void scx_bpf_kick_cpu(s32 cpu, u64 flags) __weak __ksym;
extern s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags, bool *is_idle) __weak __ksym;
extern s32 scx_bpf_pick_idle_cpu(const struct cpumask *cpus_allowed, u64 flags) __weak __ksym;
extern bool scx_bpf_test_and_clear_cpu_idle(s32 cpu) __weak __ksym;
extern u32 scx_bpf_nr_cpu_ids(void) __weak __ksym;
extern const struct cpumask *scx_bpf_get_online_cpumask(void) __weak __ksym;
extern void scx_bpf_put_cpumask(const struct cpumask *cpumask) __weak __ksym;
extern s32 scx_bpf_task_cpu(const struct task_struct *p) __weak __ksym;
extern u64 scx_bpf_now(void) __weak __ksym;
extern void scx_bpf_error_bstr(char *fmt, unsigned long long *data, u32 data__sz) __weak __ksym;
extern void scx_bpf_dump_bstr(char *fmt, unsigned long long *data, u32 data__sz) __weak __ksym;

/* DSQ iterator (open-coded, bpf_for_each(scx_dsq, ...) style) */
extern int bpf_iter_scx_dsq_new(struct bpf_iter_scx_dsq *it, u64 dsq_id, u64 flags) __weak __ksym;
extern struct task_struct *bpf_iter_scx_dsq_next(struct bpf_iter_scx_dsq *it) __weak __ksym;
extern void bpf_iter_scx_dsq_destroy(struct bpf_iter_scx_dsq *it) __weak __ksym;

/* generic BPF kfuncs */
extern struct task_struct *bpf_task_from_pid(s32 pid) __weak __ksym;
extern void bpf_task_release(struct task_struct *p) __weak __ksym;
extern bool bpf_cpumask_test_cpu(u32 cpu, const struct cpumask *cpumask) __weak __ksym;
extern u32 bpf_cpumask_weight(const struct cpumask *cpumask) __weak __ksym;
extern u32 bpf_dynptr_size(const struct bpf_dynptr *p) __weak __ksym;

/*
 * Renamed in 6.13; the old names stayed for a while as aliases (6.16 has both, 7.3 only the new ones):
 *   scx_bpf_dispatch -> scx_bpf_dsq_insert, scx_bpf_dispatch_vtime -> scx_bpf_dsq_insert_vtime,
 *   scx_bpf_consume -> scx_bpf_dsq_move_to_local.
 * Same signatures (checked against 6.16's BTF, which has both). 6.12 has only the old names; Debian ships no
 * 6.12-6.15 kernel with sched_ext, so that path is tested on 6.16 by building with -DJL_OLD_KFUNC_NAMES
 * (docs/kernels.md), never on 6.12 itself.
 */
extern void scx_bpf_dispatch(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __weak __ksym;
extern void scx_bpf_dispatch_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime, u64 enq_flags) __weak __ksym;
extern bool scx_bpf_consume(u64 dsq_id) __weak __ksym;

#ifdef JL_OLD_KFUNC_NAMES
#define jl_has_kfunc(sym) false         /* test build: behave as on 6.12 */
#else
#define jl_has_kfunc(sym) bpf_ksym_exists(sym)
#endif

static __always_inline void jl_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags)
{
	if (jl_has_kfunc(scx_bpf_dsq_insert))
		scx_bpf_dsq_insert(p, dsq_id, slice, enq_flags);
	else
		scx_bpf_dispatch(p, dsq_id, slice, enq_flags);
}

static __always_inline void jl_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
						u64 enq_flags)
{
	if (jl_has_kfunc(scx_bpf_dsq_insert_vtime))
		scx_bpf_dsq_insert_vtime(p, dsq_id, slice, vtime, enq_flags);
	else
		scx_bpf_dispatch_vtime(p, dsq_id, slice, vtime, enq_flags);
}

static __always_inline bool jl_dsq_move_to_local(u64 dsq_id)
{
	if (jl_has_kfunc(scx_bpf_dsq_move_to_local))
		return scx_bpf_dsq_move_to_local(dsq_id);
	return scx_bpf_consume(dsq_id);
}

/*
 * 7.x: the move with enqueue flags (SCX_ENQ_IMMED). The kernel's own name ends in "___v2", and libbpf looks a ksym
 * up by the name before its last "___", hence the second suffix. Where the kernel lacks it (6.16), the plain move:
 * the only flag passed here is IMMED, which such a kernel does not know either.
 */
extern bool scx_bpf_dsq_move_to_local___v2___jl(u64 dsq_id, u64 enq_flags) __weak __ksym;

static __always_inline bool jl_dsq_move_to_local_flags(u64 dsq_id, u64 enq_flags)
{
	if (enq_flags && jl_has_kfunc(scx_bpf_dsq_move_to_local___v2___jl))
		return scx_bpf_dsq_move_to_local___v2___jl(dsq_id, enq_flags);
	return jl_dsq_move_to_local(dsq_id);
}

/*
 * jl_error(fmt, args...): aborts the scheduler with a formatted message (shown in uei.msg and dmesg).
 * The arguments travel as an array of u64, as scx_bpf_error_bstr expects.
 */
#define jl_error(fmt, args...)							\
	({									\
		static char ___fmt[] = fmt;					\
		unsigned long long ___args[] = { 0, ##args };			\
		scx_bpf_error_bstr(___fmt, &___args[1],				\
				   sizeof(___args) - sizeof(___args[0]));	\
	})

/* A line of the kernel's state dump (ops.dump, ops.dump_task only), same arguments as jl_error(). */
#define jl_dump(fmt, args...)							\
	({									\
		static char ___fmt[] = fmt;					\
		unsigned long long ___args[] = { 0, ##args };			\
		scx_bpf_dump_bstr(___fmt, &___args[1],				\
				  sizeof(___args) - sizeof(___args[0]));	\
	})

#endif /* SCX_JAVALAND_SCX_KFUNCS_H */
