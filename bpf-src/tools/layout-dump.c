// SPDX-License-Identifier: GPL-2.0
/*
 * layout-dump: prints the byte layout of every struct in intf.h as Java properties
 * (<struct>.size=N, <struct>.<field>=offset). WireLayoutTest compares them with the Java twins, so a change
 * to intf.h that the Java side does not follow fails the build instead of corrupting records at run time.
 *
 * The field lists below are written out by hand (C has no reflection). The static asserts catch the two
 * ways they can fall behind intf.h: a field appended at the end (the last listed field no longer ends the
 * struct) and a field inserted in the middle (the listed sizes no longer add up to sizeof).
 */
#include <stddef.h>
#include <stdio.h>
#include "intf.h"

#define MEMBER_SIZE(s, f) sizeof(((struct s *)0)->f)
#define FIELD(s, f) printf(#s "." #f "=%zu\n", offsetof(struct s, f))
#define SIZE(s) printf(#s ".size=%zu\n", sizeof(struct s))
#define ENDS_WITH(s, f) _Static_assert(offsetof(struct s, f) + MEMBER_SIZE(s, f) == sizeof(struct s), \
				       #s ": " #f " is not the last field any more")

ENDS_WITH(scx_jl_queued_task, comm);
_Static_assert(sizeof(struct scx_jl_queued_task) == 2 * 4 + 11 * 8 + SCX_JL_COMM_LEN, "queued_task fields");
ENDS_WITH(scx_jl_dispatched_task, enq_cnt);
_Static_assert(sizeof(struct scx_jl_dispatched_task) == 2 * 4 + 4 * 8, "dispatched_task fields");
ENDS_WITH(scx_jl_config, slice_min_ns);
_Static_assert(sizeof(struct scx_jl_config) == 12 * 4 + 2 * 8, "config fields");
ENDS_WITH(scx_jl_stats, idle_cpus);
_Static_assert(sizeof(struct scx_jl_stats) == 25 * 8 + SCX_JL_IDLE_WORDS * 8, "stats fields");
ENDS_WITH(scx_jl_exit_info, dump);
_Static_assert(sizeof(struct scx_jl_exit_info) == 2 * 4 + 8 + SCX_JL_EXIT_REASON_LEN + SCX_JL_EXIT_MSG_LEN + SCX_JL_EXIT_DUMP_LEN,
	       "exit_info fields");
ENDS_WITH(scx_jl_observe_stats, latency_hist);
_Static_assert(sizeof(struct scx_jl_observe_stats) == 12 * 8 + SCX_JL_LAT_BUCKETS * 8, "observe_stats fields");
ENDS_WITH(scx_jl_harness_ctx, hold_loops);
_Static_assert(sizeof(struct scx_jl_harness_ctx) == 2 * 4 + 8 * 8, "harness_ctx fields");

/* Constants that cross the seam: key const.NAME, value as a signed 64-bit number (WireLayoutTest). */
#define CONST(name) printf("const." #name "=%lld\n", (long long)(name))

int main(void)
{
	CONST(SCX_JL_MAX_CPUS);
	CONST(SCX_JL_COMM_LEN);
	CONST(SCX_JL_IDLE_WORDS);
	CONST(SCX_JL_SHARED_DSQ);
	CONST(SCX_JL_DIRECT_DSQ);
	CONST(SCX_JL_FALLBACK_DSQ);
	CONST(SCX_JL_CPU_ANY);
	CONST(SCX_JL_CPU_EXITED);
	CONST(SCX_JL_TRANSPORT_RINGBUF);
	CONST(SCX_JL_TRANSPORT_FIFO);
	CONST(SCX_JL_DF_PREEMPT);
	CONST(SCX_JL_EXIT_REASON_LEN);
	CONST(SCX_JL_EXIT_MSG_LEN);
	CONST(SCX_JL_EXIT_DUMP_LEN);
	CONST(SCX_JL_LAT_SUB_BITS);
	CONST(SCX_JL_LAT_BUCKETS);
	CONST(SCX_JL_HARNESS_OP_PRODUCE);
	CONST(SCX_JL_HARNESS_OP_DRAIN);
	CONST(SCX_JL_HARNESS_OP_PRODUCE_INPUT);
	CONST(SCX_JL_HARNESS_INPUT_MAX);

	SIZE(scx_jl_queued_task);
	FIELD(scx_jl_queued_task, pid);
	FIELD(scx_jl_queued_task, cpu);
	FIELD(scx_jl_queued_task, nr_cpus_allowed);
	FIELD(scx_jl_queued_task, flags);
	FIELD(scx_jl_queued_task, start_ts);
	FIELD(scx_jl_queued_task, stop_ts);
	FIELD(scx_jl_queued_task, exec_runtime);
	FIELD(scx_jl_queued_task, run_total);
	FIELD(scx_jl_queued_task, weight);
	FIELD(scx_jl_queued_task, vtime);
	FIELD(scx_jl_queued_task, enq_cnt);
	FIELD(scx_jl_queued_task, enq_ts);
	FIELD(scx_jl_queued_task, uid);
	FIELD(scx_jl_queued_task, comm);

	SIZE(scx_jl_dispatched_task);
	FIELD(scx_jl_dispatched_task, pid);
	FIELD(scx_jl_dispatched_task, cpu);
	FIELD(scx_jl_dispatched_task, flags);
	FIELD(scx_jl_dispatched_task, slice_ns);
	FIELD(scx_jl_dispatched_task, vtime);
	FIELD(scx_jl_dispatched_task, enq_cnt);

	SIZE(scx_jl_config);
	FIELD(scx_jl_config, daemon_tgid);
	FIELD(scx_jl_config, transport);
	FIELD(scx_jl_config, slice_ns);
	FIELD(scx_jl_config, nr_cpu_ids);
	FIELD(scx_jl_config, verbose);
	FIELD(scx_jl_config, khugepaged_pid);
	FIELD(scx_jl_config, heartbeat_ms);
	FIELD(scx_jl_config, ops_off_flags);
	FIELD(scx_jl_config, ops_off_timeout_ms);
	FIELD(scx_jl_config, ops_off_exit_dump_len);
	FIELD(scx_jl_config, ops_off_name);
	FIELD(scx_jl_config, sched_tid);
	FIELD(scx_jl_config, ops_off_hotplug_seq);
	FIELD(scx_jl_config, slice_min_ns);

	SIZE(scx_jl_stats);
	FIELD(scx_jl_stats, nr_queued);
	FIELD(scx_jl_stats, nr_user_dispatches);
	FIELD(scx_jl_stats, nr_kernel_dispatches);
	FIELD(scx_jl_stats, nr_cancel_dispatches);
	FIELD(scx_jl_stats, nr_bounce_dispatches);
	FIELD(scx_jl_stats, nr_failed_dispatches);
	FIELD(scx_jl_stats, nr_sched_congested);
	FIELD(scx_jl_stats, nr_exit_notices_lost);
	FIELD(scx_jl_stats, nr_running);
	FIELD(scx_jl_stats, nr_online_cpus);
	FIELD(scx_jl_stats, nr_heartbeats);
	FIELD(scx_jl_stats, nr_daemon_wakeups);
	FIELD(scx_jl_stats, nr_preempt_kicks);
	FIELD(scx_jl_stats, nr_scheduled);
	FIELD(scx_jl_stats, vtime_now);
	FIELD(scx_jl_stats, nr_idle_claim_lost);
	FIELD(scx_jl_stats, nr_kept_running);
	FIELD(scx_jl_stats, nr_direct_wakeups);
	FIELD(scx_jl_stats, nr_idle_while_waiting);
	FIELD(scx_jl_stats, nr_resumed);
	FIELD(scx_jl_stats, nr_requeued);
	FIELD(scx_jl_stats, nr_decision_races);
	FIELD(scx_jl_stats, nr_sched_thread_late);
	FIELD(scx_jl_stats, nr_sched_thread_cuts);
	FIELD(scx_jl_stats, runnable_weight);
	FIELD(scx_jl_stats, idle_cpus);

	SIZE(scx_jl_exit_info);
	FIELD(scx_jl_exit_info, kind);
	FIELD(scx_jl_exit_info, pad);
	FIELD(scx_jl_exit_info, exit_code);
	FIELD(scx_jl_exit_info, reason);
	FIELD(scx_jl_exit_info, msg);
	FIELD(scx_jl_exit_info, dump);

	SIZE(scx_jl_observe_stats);
	FIELD(scx_jl_observe_stats, nr_events);
	FIELD(scx_jl_observe_stats, nr_wakeups);
	FIELD(scx_jl_observe_stats, nr_wakeups_new);
	FIELD(scx_jl_observe_stats, nr_preempted);
	FIELD(scx_jl_observe_stats, nr_exits);
	FIELD(scx_jl_observe_stats, nr_produced);
	FIELD(scx_jl_observe_stats, nr_dropped);
	FIELD(scx_jl_observe_stats, nr_untracked);
	FIELD(scx_jl_observe_stats, nr_drained);
	FIELD(scx_jl_observe_stats, nr_latency_samples);
	FIELD(scx_jl_observe_stats, latency_max_ns);
	FIELD(scx_jl_observe_stats, stop_producing);
	FIELD(scx_jl_observe_stats, latency_hist);

	SIZE(scx_jl_harness_ctx);
	FIELD(scx_jl_harness_ctx, op);
	FIELD(scx_jl_harness_ctx, count);
	FIELD(scx_jl_harness_ctx, first_pid);
	FIELD(scx_jl_harness_ctx, discard_every);
	FIELD(scx_jl_harness_ctx, exit_every);
	FIELD(scx_jl_harness_ctx, produced);
	FIELD(scx_jl_harness_ctx, dropped);
	FIELD(scx_jl_harness_ctx, drained);
	FIELD(scx_jl_harness_ctx, checksum);
	FIELD(scx_jl_harness_ctx, hold_loops);
	return 0;
}
