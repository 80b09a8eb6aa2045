/* SPDX-License-Identifier: GPL-2.0 */
/*
 * common.bpf.h: what both BPF objects (scheduler and host harness) share besides the transport: headers,
 * the configuration and the counters.
 *
 * config and stats each sit alone in their own section, so the daemon finds the variable at offset 0 of
 * the section's map (".rodata.config", ".data.stats"). Nothing else may be put in those sections.
 */
#ifndef SCX_JAVALAND_COMMON_BPF_H
#define SCX_JAVALAND_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "intf.h"
#include "scx_kfuncs.h"

char _license[] SEC("license") = "GPL";

/* Set by the daemon between open and load; ops_off_* tell it where to patch the struct_ops map. */
const volatile struct scx_jl_config jl_config SEC(".rodata.config") = {
	.transport = SCX_JL_TRANSPORT_RINGBUF,
	.slice_ns = 5ULL * 1000 * 1000,
	.slice_min_ns = 1000ULL * 1000,
	.heartbeat_ms = 100,
	.ops_off_flags = __builtin_offsetof(struct sched_ext_ops, flags),
	.ops_off_timeout_ms = __builtin_offsetof(struct sched_ext_ops, timeout_ms),
	.ops_off_exit_dump_len = __builtin_offsetof(struct sched_ext_ops, exit_dump_len),
	.ops_off_name = __builtin_offsetof(struct sched_ext_ops, name),
	.ops_off_hotplug_seq = __builtin_offsetof(struct sched_ext_ops, hotplug_seq),
};

/* Initialised (not .bss) so that the compiler keeps it in .data.stats. */
struct scx_jl_stats stats SEC(".data.stats") = { .nr_queued = 0 };

#define jl_count(field) __sync_fetch_and_add(&stats.field, 1)

#define jl_debug(fmt, args...)						\
	do {								\
		if (jl_config.verbose)					\
			bpf_printk("javaland: " fmt, ##args);		\
	} while (0)

#endif /* SCX_JAVALAND_COMMON_BPF_H */
