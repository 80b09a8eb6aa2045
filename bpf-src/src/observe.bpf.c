// SPDX-License-Identifier: GPL-2.0
/*
 * observe.bpf.c: the kernel side of `scx_javaland observe`, for kernels without sched_ext.
 *
 * The scheduler tracepoints stand in for sched_ext's callbacks: whenever a task becomes runnable (sched_wakeup,
 * sched_wakeup_new, or sched_switch away from a task that stays runnable) the daemon gets the queued record that
 * ops.enqueue would have sent, through the same transport code (transport.bpf.h), with the same run figures kept
 * as ops.running/ops.stopping keep them; a thread that ends (sched_process_exit) gets the exit notice
 * ops.exit_task would have sent. The tasks the scheduler places itself (task_class.bpf.h) are counted as kernel
 * dispatches and not sent, as there.
 *
 * The daemon's decisions come back on the same return path and are drained where ops.dispatch would drain them:
 * in sched_switch, i.e. whenever a CPU switches tasks (in particular the daemon's CPU, right after it sends and
 * goes back to sleep). Each is matched to its task's latest record (pid and enq_cnt, as the scheduler does);
 * a match is timed from the record's production (the decision latency histogram), a mismatch is stale
 * (nr_cancel_dispatches). Nothing is enforced: the kernel's own scheduler keeps scheduling.
 *
 * Each program exists twice: tp_btf (BTF-typed arguments) and raw_tp (older kernels, no BTF for tracing); the
 * daemon loads one set. Both read tasks through CO-RE probes, since a raw tracepoint's task pointer is untrusted,
 * and keep per-task state in a hash map by pid (task storage needs a trusted pointer). Nothing here needs
 * sched_ext's types, so the object loads on any kernel with BTF, ring buffers or queue maps.
 */
#include "transport.bpf.h"

/* A cast, so that the shared predicates' const task pointers can go through BPF_CORE_READ. */
#define JL_TASK_READ(p, field) BPF_CORE_READ((struct task_struct *)(p), field)
#include "task_class.bpf.h"

/* SCX_ENQ_WAKEUP: the same value in every kernel with sched_ext, and the bit the policy reads. */
#define OBS_ENQ_WAKEUP          1ULL
#define OBS_MAX_TASKS           32768
/*
 * Decisions taken per context switch: enough to keep up with any rate the daemon sends at, small per switch. A
 * writable global rather than a constant: the verifier then sees an unknown budget and checks the drain callback
 * once, where a known one makes it walk all 64 iterations apart (and give up: "sequence of jumps is too complex").
 */
u32 obs_drain_budget = 64;

struct scx_jl_observe_stats jl_obs SEC(".data.observe") = { .nr_events = 0 };

#define obs_count(field) __sync_fetch_and_add(&jl_obs.field, 1)

/* The scheduler's struct jl_task figures, kept from the tracepoints. */
struct obs_task {
	u64 start_ts;           /* ns when it last started running */
	u64 stop_ts;            /* ns when it last stopped */
	u64 exec_runtime;       /* ns run since it last woke */
	u64 run_total;          /* ns run in all since it was first seen (the record's run_total) */
	u64 enq_cnt;            /* bumped per record; a decision must echo the current value */
	u64 queued_ts;          /* when the current record was produced; 0 when no decision is awaited */
	u64 deadline;           /* vtime of the decision last matched */
	u32 last_cpu;
	u32 decided;            /* that decision is the current one: its deadline is the clock when the task starts */
};

/* LRU: a full map forgets the task idle longest (its next record then starts from empty figures). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, OBS_MAX_TASKS);
	__type(key, u32);
	__type(value, struct obs_task);
} obs_tasks SEC(".maps");

/* Before 5.14 task_struct's state field was called state. */
struct task_struct___pre514 {
	long state;
} __attribute__((preserve_access_index));

static __always_inline unsigned int obs_task_state(struct task_struct *p)
{
	if (bpf_core_field_exists(p->__state))
		return BPF_CORE_READ(p, __state);
	return BPF_CORE_READ((struct task_struct___pre514 *)p, state);
}

static __always_inline struct obs_task *obs_task_of(u32 pid, bool create)
{
	struct obs_task *t = bpf_map_lookup_elem(&obs_tasks, &pid);
	struct obs_task fresh = {};

	if (t || !create)
		return t;
	fresh.last_cpu = bpf_get_smp_processor_id();
	bpf_map_update_elem(&obs_tasks, &pid, &fresh, BPF_NOEXIST);
	return bpf_map_lookup_elem(&obs_tasks, &pid);
}

/*
 * p->scx.weight as sched_ext derives it (sched_weight_to_cgroup of the scaled-down load weight): 100 at nice 0,
 * 1..10000. 64-bit kernels keep the load weight with 10 more bits of precision.
 */
static __always_inline u64 obs_weight(struct task_struct *p)
{
	u64 w = BPF_CORE_READ(p, se.load.weight) >> 10;

	w = (w * 100 + 512) / 1024;
	if (w < 1)
		return 1;
	return w > 10000 ? 10000 : w;
}

enum obs_kind {
	OBS_WAKEUP,
	OBS_WAKEUP_NEW,
	OBS_PREEMPTED,
};

/* Hands one record to the daemon; every call is one event, produced or dropped. */
static __always_inline bool obs_produce(const struct scx_jl_queued_task *rec)
{
	obs_count(nr_events);
	if (jl_produce(rec, false) == JL_PRODUCED) {
		obs_count(nr_produced);
		return true;
	}
	obs_count(nr_dropped);
	return false;
}

/* What ops.enqueue does for a task that becomes runnable, minus inserting it anywhere. */
static __always_inline void obs_enqueue(struct task_struct *p, enum obs_kind kind)
{
	struct scx_jl_queued_task rec = {};
	struct obs_task *t;
	u32 pid = BPF_CORE_READ(p, pid);

	if (!pid || jl_obs.stop_producing)
		return;         /* an idle task, or the daemon is about to stop */
	if (jl_is_per_cpu_kthread(p) || jl_is_sched_thread(p) || jl_is_bpf_placed(p)) {
		jl_count(nr_kernel_dispatches);
		return;
	}
	switch (kind) {
	case OBS_WAKEUP:
		obs_count(nr_wakeups);
		rec.flags = OBS_ENQ_WAKEUP;
		break;
	case OBS_WAKEUP_NEW:
		obs_count(nr_wakeups_new);
		break;
	default:
		obs_count(nr_preempted);
		break;
	}
	t = obs_task_of(pid, true);
	rec.pid = pid;
	rec.nr_cpus_allowed = BPF_CORE_READ(p, nr_cpus_allowed);
	rec.weight = obs_weight(p);
	rec.vtime = BPF_CORE_READ(p, se.vruntime);
	rec.uid = jl_task_uid(p);
	BPF_CORE_READ_INTO(&rec.comm, p, comm);
	if (t) {
		if (kind == OBS_WAKEUP)
			t->exec_runtime = 0;    /* ops.runnable: a wake-up starts a new run */
		t->enq_cnt++;
		t->decided = 0;
		/* Before producing: the daemon may answer, and another CPU drain the answer, before we return. */
		t->queued_ts = bpf_ktime_get_ns();
		rec.cpu = t->last_cpu;
		rec.start_ts = t->start_ts;
		rec.stop_ts = t->stop_ts;
		rec.exec_runtime = t->exec_runtime;
		rec.run_total = t->run_total;
		rec.enq_cnt = t->enq_cnt;
	} else {
		obs_count(nr_untracked);
		rec.cpu = bpf_get_smp_processor_id();
	}
	rec.enq_ts = t ? t->queued_ts : bpf_ktime_get_ns();     /* as ops.enqueue stamps it */
	if (obs_produce(&rec)) {
		jl_count(nr_queued);
		return;
	}
	if (t)
		t->queued_ts = 0;
	jl_count(nr_sched_congested);
}

static __always_inline void obs_exit(struct task_struct *p)
{
	struct scx_jl_queued_task rec = {};
	u32 pid = BPF_CORE_READ(p, pid);
	struct obs_task *t = bpf_map_lookup_elem(&obs_tasks, &pid);

	if (!t)
		return;
	/* Only tasks the daemon has heard of need a notice (ops.exit_task). */
	if (t->enq_cnt && !jl_obs.stop_producing) {
		obs_count(nr_exits);
		rec.pid = pid;
		rec.cpu = SCX_JL_CPU_EXITED;
		rec.enq_cnt = t->enq_cnt;
		rec.uid = jl_task_uid(p);
		BPF_CORE_READ_INTO(&rec.comm, p, comm);
		if (!obs_produce(&rec))
			jl_count(nr_exit_notices_lost);
	}
	bpf_map_delete_elem(&obs_tasks, &pid);
}

static __always_inline u32 obs_log2(u64 v)
{
	u32 r = 0;

	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	if (v >> 1)
		r += 1;
	return r;
}

/* The histogram bucket of intf.h's scx_jl_observe_stats for a latency of v ns. */
static __always_inline u32 obs_latency_bucket(u64 v)
{
	u32 e, i;

	if (v < (1 << SCX_JL_LAT_SUB_BITS))
		return v;
	e = obs_log2(v);
	i = ((e - SCX_JL_LAT_SUB_BITS + 1) << SCX_JL_LAT_SUB_BITS) +
	    ((v >> (e - SCX_JL_LAT_SUB_BITS)) & ((1 << SCX_JL_LAT_SUB_BITS) - 1));
	return i < SCX_JL_LAT_BUCKETS ? i : SCX_JL_LAT_BUCKETS - 1;
}

/* Called for each decision drained (transport.bpf.h): where ops.dispatch would insert it, we time and count it. */
static int jl_on_decision(const struct scx_jl_dispatched_task *d, struct jl_drain *dr)
{
	struct obs_task *t;
	u64 queued, now;
	u32 pid;
	u64 lat;

	obs_count(nr_drained);
	if (d->pid <= 0) {
		jl_count(nr_failed_dispatches);
		return 0;
	}
	pid = d->pid;
	t = bpf_map_lookup_elem(&obs_tasks, &pid);
	if (!t) {
		jl_count(nr_cancel_dispatches);         /* gone meanwhile */
		return 0;
	}
	/* Read once: another CPU may enqueue the task again meanwhile and stamp a later time. */
	queued = t->queued_ts;
	now = bpf_ktime_get_ns();
	if (t->enq_cnt != d->enq_cnt || !queued || queued > now) {
		jl_count(nr_cancel_dispatches);         /* runnable again since: the scheduler cancels such a decision too */
		return 0;
	}
	lat = now - queued;
	t->queued_ts = 0;
	t->deadline = d->vtime;
	t->decided = 1;
	jl_count(nr_user_dispatches);
	obs_count(nr_latency_samples);
	__sync_fetch_and_add(&jl_obs.latency_hist[obs_latency_bucket(lat) & (SCX_JL_LAT_BUCKETS - 1)], 1);
	if (lat > jl_obs.latency_max_ns)
		jl_obs.latency_max_ns = lat;    /* a racy max: a lost update is made good by a later, larger one */
	return 0;
}

/* No scheduler to stop: a wedged user ring shows as failed dispatches, and the drained count stops moving. */
static void jl_ring_wedged(long err)
{
	jl_count(nr_failed_dispatches);
}

/* ops.update_idle's bitmap and ops.running/stopping's count of busy CPUs, from what this CPU switches to. */
static __always_inline void obs_track_idle(u32 cpu, bool idle)
{
	u32 word = (cpu / 64) & (SCX_JL_IDLE_WORDS - 1);
	u64 bit = 1ULL << (cpu & 63);
	bool was_idle = stats.idle_cpus[word] & bit;

	if (idle == was_idle)
		return;
	if (idle) {
		__sync_fetch_and_or(&stats.idle_cpus[word], bit);
		__sync_fetch_and_sub(&stats.nr_running, 1);
	} else {
		__sync_fetch_and_and(&stats.idle_cpus[word], ~bit);
		__sync_fetch_and_add(&stats.nr_running, 1);
	}
}

static __always_inline void obs_switch(bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct jl_drain dr = { .budget = obs_drain_budget };
	u32 cpu = bpf_get_smp_processor_id();
	u32 prev_pid = BPF_CORE_READ(prev, pid);
	u32 next_pid = BPF_CORE_READ(next, pid);
	u64 now = bpf_ktime_get_ns();
	struct obs_task *t;

	dr.cpu = cpu;
	if (prev_pid) {
		/* ops.stopping */
		t = obs_task_of(prev_pid, false);
		if (t && t->start_ts) {
			t->stop_ts = now;
			t->exec_runtime += now - t->start_ts;
			t->run_total += now - t->start_ts;
		}
		/* Preempted, or yielded still runnable: back in the run queue, which is an enqueue for sched_ext. */
		if (preempt || obs_task_state(prev) == 0)
			obs_enqueue(prev, OBS_PREEMPTED);
	}
	if (next_pid) {
		/* ops.running: the policy's clock is the latest deadline a CPU started */
		t = obs_task_of(next_pid, true);
		if (t) {
			t->start_ts = now;
			t->last_cpu = cpu;
			if (t->decided && (s64)(t->deadline - stats.vtime_now) > 0)
				stats.vtime_now = t->deadline;
		}
	}
	obs_track_idle(cpu, next_pid == 0);
	/*
	 * The count is kept per decision in jl_on_decision, not from what this returns: a branch on the drained count
	 * would make the verifier tell every count apart and give up on the callback.
	 */
	jl_drain(&dr);
}

/*
 * Each tracepoint program twice, the same body: tp_btf (BTF-typed arguments) and raw_tp (raw tracepoints); the daemon
 * loads one set (--tracepoints).
 */
#define OBS_TRACEPOINT(name, tp, call, args...)                                 \
	SEC("tp_btf/" #tp) int BPF_PROG(obs_btf_##name, ##args) { call; return 0; } \
	SEC("raw_tp/" #tp) int BPF_PROG(obs_raw_##name, ##args) { call; return 0; }

OBS_TRACEPOINT(wakeup, sched_wakeup, obs_enqueue(p, OBS_WAKEUP), struct task_struct *p)
OBS_TRACEPOINT(wakeup_new, sched_wakeup_new, obs_enqueue(p, OBS_WAKEUP_NEW), struct task_struct *p)
OBS_TRACEPOINT(switch, sched_switch, obs_switch(preempt, prev, next),
	       bool preempt, struct task_struct *prev, struct task_struct *next)
OBS_TRACEPOINT(exit, sched_process_exit, obs_exit(p), struct task_struct *p)
