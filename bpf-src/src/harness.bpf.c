// SPDX-License-Identifier: GPL-2.0
/*
 * harness.bpf.c: the kernel side of the transports without sched_ext, for host tests.
 *
 * Java loads this object on the host kernel and runs `harness` with BPF_PROG_TEST_RUN, the context being a
 * struct scx_jl_harness_ctx (intf.h). It produces and drains records through transport.bpf.h, the same code
 * the scheduler's enqueue and dispatch run, on maps with the scheduler's names, sizes and section layout.
 *
 *   OP_PRODUCE: count records, pid = first_pid + i, enq_cnt = i, the other fields derived from i (below);
 *               produced = records submitted, dropped = ring/queue full; with discard_every = n > 0 (ringbuf
 *               only) every n-th successfully reserved record is discarded instead (neither produced nor
 *               dropped: count = produced + dropped + discarded). With exit_every = n > 0 record i is an
 *               exit notice for its pid instead (cpu = SCX_JL_CPU_EXITED, as ops.exit_task sends it) when
 *               (i + 1) % n == 0: n = 1 makes every record an exit notice, so tests and profiles can end the
 *               lives of the pids they enqueued (pid churn, as fork-heavy loads cause).
 *   OP_DRAIN:   takes at most count decisions; drained = how many, checksum = sum of
 *               (s64)pid ^ enq_cnt ^ slice_ns ^ vtime. Malformed user-ring samples (size != 40) are skipped
 *               and counted in stats.nr_failed_dispatches (.data.stats), not in drained.
 * Returns 0, or -22 (EINVAL) for an unknown op.
 */
#include "transport.bpf.h"

static int jl_on_decision(const struct scx_jl_dispatched_task *d, struct jl_drain *dr)
{
	dr->checksum += (__u64)(__s64)d->pid ^ d->enq_cnt ^ d->slice_ns ^ d->vtime;
	return 0;
}

/* No scheduler to stop here: a wedged user ring shows as a failed dispatch. */
static void jl_ring_wedged(long err)
{
	jl_count(nr_failed_dispatches);
}

struct produce_state {
	__u64 first_pid;
	__u64 discard_every;
	__u64 exit_every;
	__u64 reserved;         /* successful reservations so far (submitted or discarded) */
	__u64 produced;
	__u64 dropped;
};

/* The record for index i: every field a simple function of i, so the Java side can recompute it. */
static __always_inline void harness_record(struct scx_jl_queued_task *r, __u64 i, __u64 first_pid)
{
	r->pid = (__s32)(first_pid + i);
	r->cpu = (__s32)(i % 4);
	r->nr_cpus_allowed = 4;
	r->flags = i & 1 ? 1 : 0;       /* SCX_ENQ_WAKEUP on odd records */
	r->start_ts = 1000 * i;
	r->stop_ts = 1000 * i + 500;
	r->exec_runtime = 500 * i;
	r->weight = 100;
	r->vtime = 7 * i;
	r->enq_cnt = i;
	r->enq_ts = bpf_ktime_get_ns();   /* real: the daemon measures its dispatch latency from it */
	__builtin_memcpy(r->comm, "harness\0\0\0\0\0\0\0\0", SCX_JL_COMM_LEN);
}

static long produce_one(__u64 i, void *ctx)
{
	struct produce_state *st = ctx;
	struct scx_jl_queued_task rec;
	bool discard = false;

	harness_record(&rec, i, st->first_pid);
	if (st->exit_every && (i + 1) % st->exit_every == 0)
		rec.cpu = SCX_JL_CPU_EXITED;
	if (st->discard_every && !jl_fifo())
		discard = (st->reserved + 1) % st->discard_every == 0;
	switch (jl_produce(&rec, discard)) {
	case JL_PRODUCED:
		st->reserved++;
		st->produced++;
		break;
	case JL_DISCARDED:
		st->reserved++;
		break;
	case JL_FULL:
		st->dropped++;
		break;
	}
	return 0;
}

SEC("syscall")
int harness(struct scx_jl_harness_ctx *ctx)
{
	__u32 op = ctx->op;
	__u32 count = ctx->count;

	if (op == SCX_JL_HARNESS_OP_PRODUCE) {
		struct produce_state st = {
			.first_pid = ctx->first_pid,
			.discard_every = ctx->discard_every,
			.exit_every = ctx->exit_every,
		};

		bpf_loop(count, produce_one, &st, 0);
		ctx->produced = st.produced;
		ctx->dropped = st.dropped;
		return 0;
	}
	if (op == SCX_JL_HARNESS_OP_DRAIN) {
		struct jl_drain dr = { .budget = count, .cpu = -1 };

		jl_drain(&dr);
		ctx->drained = dr.drained;
		ctx->checksum = dr.checksum;
		return 0;
	}
	return -22;
}
