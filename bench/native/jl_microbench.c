// SPDX-License-Identifier: GPL-2.0
/*
 * jl_microbench.c: the native yardsticks of the transport micro-benchmark (docs/benchmarks.md), called from
 * TransportMicrobench through FFM so that every contender drains the same harness program's records in one
 * process, in alternation, under the same conditions.
 *
 *   mmap:    our own minimal ring-buffer consumer in C, the kernel's protocol done by hand;
 *   libbpf:  libbpf's ring_buffer__new + ring_buffer__consume;
 *   urb:     libbpf's user_ring_buffer__new + user_ring_buffer__reserve/submit (the return path).
 *
 * Each timed call is measured here, with CLOCK_MONOTONIC and the thread's CPU clock, so that the FFM call into
 * it is not charged to the C side. Every consumer sums pid ^ enq_cnt ^ vtime over what it reads, as the Java
 * consumers do, so that a consumer that skips the records cannot look fast.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <linux/bpf.h>
#include <bpf/libbpf.h>

#include "intf.h"

/* What a timed call reports; TransportMicrobench reads it as four longs. */
struct jlmb_result {
	uint64_t records;
	uint64_t checksum;
	uint64_t wall_ns;
	uint64_t cpu_ns;
};

static uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline uint64_t record_sum(const struct scx_jl_queued_task *t)
{
	return (uint64_t)(int64_t)t->pid ^ t->enq_cnt ^ t->vtime;
}

/* --- our own mmap consumer ------------------------------------------------------------------------------- */

struct jlmb_ring {
	uint64_t *consumer_pos;     /* the consumer page: the only one the kernel lets us write */
	const uint64_t *producer_pos;
	const uint8_t *data;        /* the data pages, mapped twice in a row: a record never wraps for us */
	void *producer_map;
	size_t producer_len;
	uint64_t size;
	long page;
};

void *jlmb_mmap_open(int fd, uint64_t size)
{
	struct jlmb_ring *r = calloc(1, sizeof(*r));
	void *cons, *prod;

	if (!r)
		return NULL;
	r->page = sysconf(_SC_PAGESIZE);
	r->size = size;
	cons = mmap(NULL, r->page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (cons == MAP_FAILED) {
		free(r);
		return NULL;
	}
	r->producer_len = r->page + 2 * size;
	prod = mmap(NULL, r->producer_len, PROT_READ, MAP_SHARED, fd, r->page);
	if (prod == MAP_FAILED) {
		munmap(cons, r->page);
		free(r);
		return NULL;
	}
	r->consumer_pos = cons;
	r->producer_pos = prod;
	r->producer_map = prod;
	r->data = (const uint8_t *)prod + r->page;
	return r;
}

/*
 * Consumes up to want records. Returns 0, or -EBADMSG for positions or a length no kernel would write (the same
 * checks as the Java consumer, so both do the same work). Stops early, short of want, when the ring runs dry or a
 * record is still BUSY (reserved, not committed): order must hold.
 */
int jlmb_mmap_drain(void *h, uint64_t want, struct jlmb_result *res)
{
	struct jlmb_ring *r = h;
	const uint64_t mask = r->size - 1;
	/* the CPU clock outside the wall-clock span (it is a syscall), as the Java side reads them */
	uint64_t c0 = now_ns(CLOCK_THREAD_CPUTIME_ID), t0 = now_ns(CLOCK_MONOTONIC);
	/* only we write consumer_pos, so our own last store is its value */
	uint64_t cons = *r->consumer_pos, prod, n = 0, sum = 0;
	int err = 0;

	while (n < want) {
		prod = __atomic_load_n(r->producer_pos, __ATOMIC_ACQUIRE);
		if (((prod | cons) & 7) || prod - cons > r->size) {
			err = -EBADMSG;
			break;
		}
		if (prod == cons)
			break;
		while (cons != prod && n < want) {
			const uint32_t *hdr = (const uint32_t *)(r->data + (cons & mask));
			uint32_t word = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
			uint32_t len = word & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
			uint64_t stride = ((uint64_t)len + BPF_RINGBUF_HDR_SZ + 7) & ~7ull;

			if (word & BPF_RINGBUF_BUSY_BIT)
				goto out;
			if (stride > prod - cons) {
				err = -EBADMSG;
				goto out;
			}
			if (!(word & BPF_RINGBUF_DISCARD_BIT) && len >= sizeof(struct scx_jl_queued_task)) {
				sum += record_sum((const void *)(hdr + 2));
				n++;
			}
			cons += stride;
			/* after every record, as libbpf and our Java consumer do: the kernel may reuse the space now */
			__atomic_store_n(r->consumer_pos, cons, __ATOMIC_RELEASE);
		}
	}
out:
	res->wall_ns = now_ns(CLOCK_MONOTONIC) - t0;
	res->cpu_ns = now_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
	res->records = n;
	res->checksum = sum;
	return err;
}

void jlmb_mmap_close(void *h)
{
	struct jlmb_ring *r = h;

	if (!r)
		return;
	munmap(r->producer_map, r->producer_len);
	munmap(r->consumer_pos, r->page);
	free(r);
}

/* --- libbpf's ring_buffer__consume ----------------------------------------------------------------------- */

struct jlmb_libbpf {
	struct ring_buffer *rb;
	uint64_t n;
	uint64_t sum;
};

static int libbpf_sample(void *ctx, void *data, size_t size)
{
	struct jlmb_libbpf *l = ctx;

	if (size >= sizeof(struct scx_jl_queued_task)) {
		l->sum += record_sum(data);
		l->n++;
	}
	return 0;
}

void *jlmb_libbpf_open(int fd)
{
	struct jlmb_libbpf *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->rb = ring_buffer__new(fd, libbpf_sample, l, NULL);
	if (!l->rb) {
		free(l);
		return NULL;
	}
	return l;
}

/* One ring_buffer__consume takes everything committed; the loop only matters if the producer were still busy. */
int jlmb_libbpf_drain(void *h, uint64_t want, struct jlmb_result *res)
{
	struct jlmb_libbpf *l = h;
	/* the CPU clock outside the wall-clock span (it is a syscall), as the Java side reads them */
	uint64_t c0 = now_ns(CLOCK_THREAD_CPUTIME_ID), t0 = now_ns(CLOCK_MONOTONIC);
	int err = 0, got;

	l->n = 0;
	l->sum = 0;
	while (l->n < want) {
		got = ring_buffer__consume(l->rb);
		if (got < 0) {
			err = got;
			break;
		}
		if (got == 0)
			break;
	}
	res->wall_ns = now_ns(CLOCK_MONOTONIC) - t0;
	res->cpu_ns = now_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
	res->records = l->n;
	res->checksum = l->sum;
	return err;
}

void jlmb_libbpf_close(void *h)
{
	struct jlmb_libbpf *l = h;

	if (!l)
		return;
	ring_buffer__free(l->rb);
	free(l);
}

/* --- libbpf's user ring buffer producer ------------------------------------------------------------------ */

void *jlmb_urb_open(int fd)
{
	return user_ring_buffer__new(fd, NULL);
}

/*
 * Writes count decisions, the same ones TransportMicrobench's Java producer writes for index j: pid = first_pid
 * + j, cpu = any, flags 0, slice_ns, vtime = 7 j, enq_cnt = j. Stops at the first refused reserve (ring full).
 */
int jlmb_urb_produce(void *h, uint64_t count, int64_t first_pid, uint64_t slice_ns, struct jlmb_result *res)
{
	struct user_ring_buffer *rb = h;
	/* the CPU clock outside the wall-clock span (it is a syscall), as the Java side reads them */
	uint64_t c0 = now_ns(CLOCK_THREAD_CPUTIME_ID), t0 = now_ns(CLOCK_MONOTONIC);
	uint64_t j;
	int err = 0;

	for (j = 0; j < count; j++) {
		struct scx_jl_dispatched_task *d = user_ring_buffer__reserve(rb, sizeof(*d));

		if (!d) {
			err = -errno;
			break;
		}
		d->pid = (int32_t)(first_pid + (int64_t)j);
		d->cpu = SCX_JL_CPU_ANY;
		d->flags = 0;
		d->slice_ns = slice_ns;
		d->vtime = 7 * j;
		d->enq_cnt = j;
		user_ring_buffer__submit(rb, d);
	}
	res->wall_ns = now_ns(CLOCK_MONOTONIC) - t0;
	res->cpu_ns = now_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
	res->records = j;
	res->checksum = 0; /* checked where it counts: by the BPF program that drains the ring */
	return err;
}

void jlmb_urb_close(void *h)
{
	user_ring_buffer__free(h);
}
