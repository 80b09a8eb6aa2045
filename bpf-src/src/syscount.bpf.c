// SPDX-License-Identifier: GPL-2.0
/*
 * syscount.bpf.c: counts the system calls of one process, for `scx_javaland ab`, which measures what each
 * transport costs in syscalls per task without trusting the transport's own counters.
 *
 * One raw tracepoint on raw_syscalls:sys_enter (every syscall entry of every task passes through it) keeps the
 * calls of the threads whose tgid is target_tgid: all of them, and bpf() apart. raw_tp rather than tp_btf: it
 * needs no BTF for the tracepoint and loads on every kernel the daemon supports. The daemon sets target_tgid and
 * reads the counters through the .bss map's memory, so reading them costs the measured process no bpf() call;
 * the totals only grow, and the daemon takes differences over its window.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

/* x86-64's number: the only architecture the daemon supports. */
#define SYSCOUNT_NR_BPF 321

/* Alone in .bss, at fixed offsets the daemon reads (SyscallCounter.java): 0 target_tgid, 8 nr_syscalls, 16 nr_bpf. */
struct syscount {
	__u64 target_tgid;  /* 0: count nothing */
	__u64 nr_syscalls;
	__u64 nr_bpf;
};

struct syscount syscount = {};

SEC("raw_tp/sys_enter")
int BPF_PROG(jl_syscount_enter, struct pt_regs *regs, long id)
{
	__u64 tgid = bpf_get_current_pid_tgid() >> 32;

	if (!syscount.target_tgid || tgid != syscount.target_tgid)
		return 0;
	__sync_fetch_and_add(&syscount.nr_syscalls, 1);
	if (id == SYSCOUNT_NR_BPF)
		__sync_fetch_and_add(&syscount.nr_bpf, 1);
	return 0;
}
