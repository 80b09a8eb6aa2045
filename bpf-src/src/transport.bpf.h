/* SPDX-License-Identifier: GPL-2.0 */
/*
 * transport.bpf.h: the kernel side of both transports, shared by the scheduler and the host harness so
 * that host tests exercise the very code the scheduler runs.
 *
 *   kernel -> user  struct scx_jl_queued_task      queued_rb (RINGBUF)       or queued_q (QUEUE)
 *   user -> kernel  struct scx_jl_dispatched_task  dispatched_urb (USER_RINGBUF) or dispatched_q (QUEUE)
 *
 * config.transport picks the pair. All four maps exist in both modes (unused ones stay tiny); the daemon
 * resizes them (max_entries) before load.
 *
 * The includer defines the per-decision action before including this file:
 *   static int jl_on_decision(const struct scx_jl_dispatched_task *d, struct jl_drain *dr);
static void jl_ring_wedged(long err);
 * returning 0 to go on or 1 to stop draining now.
 */
#ifndef SCX_JAVALAND_TRANSPORT_BPF_H
#define SCX_JAVALAND_TRANSPORT_BPF_H

#include "common.bpf.h"

/* Defaults only; each must stay valid as is (ring buffers: a power-of-2 multiple of the page size). */
#define JL_DEFAULT_RING_BYTES   (64 * 1024)
#define JL_DEFAULT_QUEUE_LEN    1024

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, JL_DEFAULT_RING_BYTES);
} queued_rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, JL_DEFAULT_RING_BYTES);
} dispatched_urb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, JL_DEFAULT_QUEUE_LEN);
	__type(value, struct scx_jl_queued_task);
} queued_q SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, JL_DEFAULT_QUEUE_LEN);
	__type(value, struct scx_jl_dispatched_task);
} dispatched_q SEC(".maps");

static __always_inline bool jl_fifo(void)
{
	return jl_config.transport == SCX_JL_TRANSPORT_FIFO;
}

enum jl_produce_result {
	JL_PRODUCED,
	JL_DISCARDED,   /* reserved, then discarded on request (harness only) */
	JL_FULL,        /* no room: the caller must keep the task in the kernel */
};

/*
 * Hands one record to user space. discard: reserve the slot but discard it (ringbuf only), so host tests can
 * check that the consumer skips discarded records.
 */
static __always_inline enum jl_produce_result jl_produce(const struct scx_jl_queued_task *rec, bool discard)
{
	struct scx_jl_queued_task *slot;

	if (jl_fifo()) {
		/* No wake-up: a queue map cannot be polled, the daemon polls it with back-off (docs/transports.md). A ring
		 * buffer doorbell would make the fallback need the very map type it stands in for. */
		if (bpf_map_push_elem(&queued_q, rec, 0))
			return JL_FULL;
		return JL_PRODUCED;
	}
	slot = bpf_ringbuf_reserve(&queued_rb, sizeof(*slot), 0);
	if (!slot)
		return JL_FULL;
	if (discard) {
		bpf_ringbuf_discard(slot, 0);
		return JL_DISCARDED;
	}
	__builtin_memcpy(slot, rec, sizeof(*slot));
	/* 0 = adaptive wake-up: the daemon is woken only if it has caught up with the ring. */
	bpf_ringbuf_submit(slot, 0);
	return JL_PRODUCED;
}

/* Whether records wait for the daemon (used by the heartbeat). */
static __always_inline bool jl_records_pending(void)
{
	struct scx_jl_queued_task peek;

	if (jl_fifo())
		return bpf_map_peek_elem(&queued_q, &peek) == 0;
	return bpf_ringbuf_query(&queued_rb, BPF_RB_AVAIL_DATA) > 0;
}

/* Wakes the daemon even if the adaptive wake-up thinks it is awake. */
static __always_inline void jl_force_wakeup(void)
{
	void *slot;

	if (jl_fifo())
		return; /* the daemon polls the queue with back-off; nothing to wake */
	/* A discarded record costs 8 bytes of ring and carries the wake-up; the consumer skips it. */
	slot = bpf_ringbuf_reserve(&queued_rb, 8, 0);
	if (slot)
		bpf_ringbuf_discard(slot, BPF_RB_FORCE_WAKEUP);
}

/* Draining state, on the caller's stack. */
struct jl_drain {
	__u32 budget;           /* decisions still allowed in this drain */
	s32 cpu;                /* the dispatching CPU (scheduler only) */
	__u64 drained;          /* decisions handed to jl_on_decision */
	__u64 checksum;         /* harness only */
};

static int jl_on_decision(const struct scx_jl_dispatched_task *d, struct jl_drain *dr);
static void jl_ring_wedged(long err);

static __always_inline long jl_take(const struct scx_jl_dispatched_task *d, struct jl_drain *dr)
{
	dr->drained++;
	if (jl_on_decision(d, dr))
		return 1;
	return --dr->budget == 0;
}

static long jl_urb_sample(struct bpf_dynptr *sample, void *ctx)
{
	struct jl_drain *dr = ctx;
	struct scx_jl_dispatched_task d;

	/* A sample of the wrong size is a protocol error of the producer: count it, skip it, go on. */
	if (bpf_dynptr_size(sample) != sizeof(d) || bpf_dynptr_read(&d, sizeof(d), sample, 0, 0)) {
		jl_count(nr_failed_dispatches);
		return 0;
	}
	return jl_take(&d, dr);
}

static long jl_queue_pop(__u64 i, void *ctx)
{
	struct jl_drain *dr = ctx;
	struct scx_jl_dispatched_task d;

	if (bpf_map_pop_elem(&dispatched_q, &d))
		return 1;
	return jl_take(&d, dr);
}

/* Drains at most dr->budget decisions; returns how many went to jl_on_decision. */
static __always_inline __u64 jl_drain(struct jl_drain *dr)
{
	if (dr->budget == 0)
		return 0;
	long ret;

	if (jl_fifo()) {
		bpf_loop(dr->budget, jl_queue_pop, dr, 0);
		return dr->drained;
	}
	/* NO_WAKEUP: nothing polls this ring from the kernel side, so a wake-up would only cost an irq_work. */
	ret = bpf_user_ringbuf_drain(&dispatched_urb, jl_urb_sample, dr, BPF_RB_NO_WAKEUP);
	/*
	 * -EBUSY: another CPU is draining, it takes the decisions. Anything else (-EINVAL, -E2BIG: a bad position or
	 * header written by the producer) leaves the ring wedged for good: every later drain fails the same way and
	 * decisions stop flowing. Better to stop the scheduler now, saying why, than to wait for the watchdog.
	 */
	if (ret < 0 && ret != -16 /* EBUSY */)
		jl_ring_wedged(ret);
	return dr->drained;
}

#endif /* SCX_JAVALAND_TRANSPORT_BPF_H */
