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
 *   OP_PRODUCE_INPUT: the first count (at most SCX_JL_HARNESS_INPUT_MAX) records of jl_harness_input, as user
 *               space wrote them, with enq_ts set to now; produced, dropped and discard_every as for OP_PRODUCE.
 *               With hold_loops = n > 0 (ringbuf) the first record's slot stays reserved, BUSY, for n turns of an
 *               empty bpf_loop (at most 2^23) before its commit. The daemon's warm-up feeds its model of a busy
 *               machine through the real transport this way: the policy's and the allocator's branches are those a
 *               real load takes, so none is first taken after attaching.
 *   OP_DRAIN:   takes at most count decisions; drained = how many, checksum = sum of
 *               (s64)pid ^ enq_cnt ^ slice_ns ^ vtime. Malformed user-ring samples (size != 40) are skipped
 *               and counted in stats.nr_failed_dispatches (.data.stats), not in drained.
 * Returns 0, or -22 (EINVAL) for an unknown op.
 */
#include "transport.bpf.h"

/* Written by user space (HarnessProgram.input) before OP_PRODUCE_INPUT. */
struct scx_jl_queued_task jl_harness_input[SCX_JL_HARNESS_INPUT_MAX] SEC(".data.harness_input") = {};

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
	__u64 first_input;      /* OP_PRODUCE_INPUT: index of the input record for loop turn 0 */
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
	r->run_total = 900 * i;
	r->weight = 100;
	r->vtime = 7 * i;
	r->enq_cnt = i;
	r->enq_ts = bpf_ktime_get_ns();   /* real: the daemon measures its dispatch latency from it */
	r->uid = (1ULL << 32) | (__u32)r->pid;  /* one task per pid: its exit notice carries the same */
	__builtin_memcpy(r->comm, "harness\0\0\0\0\0\0\0\0", SCX_JL_COMM_LEN);
}

/* Produces rec, discarding it instead when the discard_every-th reservation comes (ringbuf only), and counts. */
static __always_inline void produce_counted(struct produce_state *st, const struct scx_jl_queued_task *rec)
{
	bool discard = false;

	if (st->discard_every && !jl_fifo())
		discard = (st->reserved + 1) % st->discard_every == 0;
	switch (jl_produce(rec, discard)) {
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
}

static long produce_one(__u64 i, void *ctx)
{
	struct produce_state *st = ctx;
	struct scx_jl_queued_task rec;

	harness_record(&rec, i, st->first_pid);
	if (st->exit_every && (i + 1) % st->exit_every == 0)
		rec.cpu = SCX_JL_CPU_EXITED;
	produce_counted(st, &rec);
	return 0;
}

static long produce_input_one(__u64 i, void *ctx)
{
	struct produce_state *st = ctx;
	struct scx_jl_queued_task rec;

	i += st->first_input;
	if (i >= SCX_JL_HARNESS_INPUT_MAX)
		return 1;
	__builtin_memcpy(&rec, &jl_harness_input[i], sizeof(rec));
	rec.enq_ts = bpf_ktime_get_ns();
	produce_counted(st, &rec);
	return 0;
}

static long spin_one(__u64 i, void *ctx)
{
	return 0;
}

/*
 * Produces rec with its slot reserved, so already counted in producer_pos, but left BUSY for `loops` turns of an
 * empty loop before the commit: a consumer running meanwhile on another CPU meets a header it must not read yet, as
 * it does on a live machine when it catches up with a CPU that is mid-enqueue. Ringbuf only.
 */
static __always_inline void produce_held(struct produce_state *st, const struct scx_jl_queued_task *rec, __u64 loops)
{
	struct scx_jl_queued_task *slot = bpf_ringbuf_reserve(&queued_rb, sizeof(*slot), 0);

	if (!slot) {
		st->dropped++;
		return;
	}
	bpf_loop(loops, spin_one, NULL, 0);
	__builtin_memcpy(slot, rec, sizeof(*slot));
	slot->enq_ts = bpf_ktime_get_ns();
	bpf_ringbuf_submit(slot, 0);
	st->reserved++;
	st->produced++;
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
	if (op == SCX_JL_HARNESS_OP_PRODUCE_INPUT) {
		struct produce_state st = { .discard_every = ctx->discard_every };
		__u32 first = 0;

		if (count > SCX_JL_HARNESS_INPUT_MAX || ctx->hold_loops > (1 << 23))
			return -22;
		if (ctx->hold_loops && count && !jl_fifo()) {
			produce_held(&st, &jl_harness_input[0], ctx->hold_loops);
			first = 1;
		}
		st.first_input = first;
		bpf_loop(count - first, produce_input_one, &st, 0);
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
