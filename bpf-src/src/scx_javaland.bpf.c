// SPDX-License-Identifier: GPL-2.0
/*
 * scx_javaland.bpf.c: the sched_ext side of scx_javaland.
 *
 * Every task that wants a CPU goes to the Java daemon as a queued record (transport.bpf.h); the daemon
 * sends back a decision (CPU, slice, vtime), which ops.dispatch turns into a DSQ insert. Only what must
 * never wait for user space is placed here directly: the daemon's own threads (else nobody could schedule
 * the scheduler), per-CPU kthreads, kswapd/kcompactd/khugepaged (memory reclaim the daemon may depend on).
 *
 * DSQs: one vtime DSQ per CPU (id = cpu) for decisions naming a CPU, SCX_JL_SHARED_DSQ (vtime) for "any
 * CPU", SCX_JL_DIRECT_DSQ (FIFO) for the tasks BPF places itself, SCX_JL_FALLBACK_DSQ (FIFO) for tasks the
 * transport had no room for. A task is never lost: if it cannot reach user space it goes to the fallback.
 */
#include "transport.bpf.h"

#define PF_KCOMPACTD    0x00010000      /* set by kcompactd since 6.15; 0x10000 was unused before */
#define PF_KSWAPD       0x00020000
#define PF_KTHREAD      0x00200000
#define CLOCK_MONOTONIC 1
#define NSEC_PER_MSEC   1000000ULL

#define JL_OPS(name, args...)           SEC("struct_ops/" #name) BPF_PROG(name, ##args)
#define JL_OPS_SLEEPABLE(name, args...) SEC("struct_ops.s/" #name) BPF_PROG(name, ##args)

/* Why the scheduler stopped; kind is written last (see jl_exit). Alone in its section. */
struct scx_jl_exit_info uei SEC(".data.uei") = { .kind = 0 };

/* Number of per-CPU DSQs created by jl_init (DSQ ids 0 .. nr_cpu_dsqs - 1). */
static u32 nr_cpu_dsqs;

/* Per-task state the queued records are built from. */
struct jl_task {
	u64 start_ts;           /* ns (CLOCK_MONOTONIC) when it last started running */
	u64 stop_ts;            /* ns when it last stopped */
	u64 exec_runtime;       /* ns run since it last became runnable */
	u64 enq_cnt;            /* bumped per enqueue; a decision must echo the current value */
	u64 deadline;           /* vtime of the user decision it was last inserted with */
	u64 decided;            /* 1 while that decision is the current one (0 from the next enqueue on) */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct jl_task);
} jl_tasks SEC(".maps");

/*
 * What runs on each CPU, for wake-up preemption: the deadline of a task placed by a user decision. Written by
 * that CPU in running/stopping, read by any CPU draining a SCX_JL_DF_PREEMPT decision (a stale read costs at
 * most one needless or missed kick).
 */
struct jl_cpu_run {
	u64 deadline;
	u64 preemptible;        /* 0: idle, or BPF-placed (daemon, kthreads), or not from a decision */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SCX_JL_MAX_CPUS);
	__type(key, u32);
	__type(value, struct jl_cpu_run);
} jl_cpu_runs SEC(".maps");

struct jl_heartbeat {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct jl_heartbeat);
} jl_heartbeat_map SEC(".maps");

static __always_inline struct jl_task *jl_task_of(struct task_struct *p)
{
	return bpf_task_storage_get(&jl_tasks, p, 0, 0);
}

static __always_inline bool jl_is_per_cpu_kthread(const struct task_struct *p)
{
	return (p->flags & PF_KTHREAD) && p->nr_cpus_allowed == 1;
}

static __always_inline bool jl_is_kcompactd(const struct task_struct *p)
{
	if (p->flags & PF_KCOMPACTD)
		return true;
	return (p->flags & PF_KTHREAD) && p->comm[0] == 'k' && p->comm[1] == 'c' && p->comm[2] == 'o' &&
	       p->comm[3] == 'm' && p->comm[4] == 'p' && p->comm[5] == 'a' && p->comm[6] == 'c' &&
	       p->comm[7] == 't' && p->comm[8] == 'd';
}

/* Tasks BPF places itself (besides per-CPU kthreads): they must never wait for the daemon. */
static __always_inline bool jl_is_bpf_placed(const struct task_struct *p)
{
	if (jl_config.daemon_tgid && (u32)p->tgid == jl_config.daemon_tgid)
		return true;
	if (p->flags & PF_KSWAPD)
		return true;
	if (jl_config.khugepaged_pid && (u32)p->pid == jl_config.khugepaged_pid)
		return true;
	return jl_is_kcompactd(p);
}

static __always_inline void jl_kick_idle_cpu(const struct task_struct *p)
{
	s32 cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);

	if (cpu >= 0)
		scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
}

static __always_inline struct jl_cpu_run *jl_cpu_run_of(s32 cpu)
{
	u32 key = cpu;

	if (cpu < 0 || cpu >= SCX_JL_MAX_CPUS)
		return NULL;
	return bpf_map_lookup_elem(&jl_cpu_runs, &key);
}

/*
 * A woken task's decision went to the shared DSQ: an idle CPU takes it if there is one; otherwise the CPU
 * running the latest deadline is preempted, if that deadline is later than the woken task's.
 */
static __always_inline void jl_kick_for_wakeup(const struct task_struct *p, u64 vtime)
{
	struct jl_cpu_run *run, *victim_run = NULL;
	s32 cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	s32 victim = -1;
	u64 latest = vtime;
	u32 i;

	if (cpu >= 0) {
		scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
		return;
	}
	bpf_for(i, 0, nr_cpu_dsqs) {
		run = jl_cpu_run_of(i);
		if (!run || !run->preemptible || (s64)(run->deadline - latest) <= 0 ||
		    !bpf_cpumask_test_cpu(i, p->cpus_ptr))
			continue;
		latest = run->deadline;
		victim = i;
		victim_run = run;
	}
	if (victim < 0 || !victim_run)
		return;
	/* One kick per running task: the next flagged decision looks for another victim. */
	victim_run->preemptible = 0;
	scx_bpf_kick_cpu(victim, SCX_KICK_PREEMPT);
	jl_count(nr_preempt_kicks);
}

s32 JL_OPS(jl_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool idle = false;
	s32 cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &idle);

	/* Ordinary tasks only get a CPU suggestion here: the daemon decides in enqueue's record. */
	if (idle && jl_is_bpf_placed(p)) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, jl_config.slice_ns, 0);
		jl_count(nr_kernel_dispatches);
	}
	return cpu;
}

void JL_OPS(jl_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct scx_jl_queued_task rec = {};
	struct jl_task *t;

	if (jl_is_per_cpu_kthread(p)) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, jl_config.slice_ns, enq_flags);
		jl_count(nr_kernel_dispatches);
		return;
	}
	if (jl_is_bpf_placed(p)) {
		scx_bpf_dsq_insert(p, SCX_JL_DIRECT_DSQ, jl_config.slice_ns, enq_flags);
		jl_count(nr_kernel_dispatches);
		jl_kick_idle_cpu(p);
		return;
	}

	t = bpf_task_storage_get(&jl_tasks, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!t)
		goto fallback;      /* without an enq_cnt no decision could be matched to this enqueue */
	t->enq_cnt++;
	t->decided = 0;

	rec.pid = p->pid;
	rec.cpu = scx_bpf_task_cpu(p);
	rec.nr_cpus_allowed = p->nr_cpus_allowed;
	rec.flags = enq_flags;
	rec.start_ts = t->start_ts;
	rec.stop_ts = t->stop_ts;
	rec.exec_runtime = t->exec_runtime;
	rec.weight = p->scx.weight;
	rec.vtime = p->scx.dsq_vtime;
	rec.enq_cnt = t->enq_cnt;
	__builtin_memcpy(rec.comm, p->comm, SCX_JL_COMM_LEN);

	if (jl_produce(&rec, false) == JL_PRODUCED) {
		jl_count(nr_queued);
		return;
	}
fallback:
	scx_bpf_dsq_insert(p, SCX_JL_FALLBACK_DSQ, jl_config.slice_ns, enq_flags);
	jl_count(nr_sched_congested);
	jl_debug("congested: pid %d to the fallback DSQ", p->pid);
	jl_kick_idle_cpu(p);
}

/* Called for each decision drained in jl_dispatch (transport.bpf.h). */
static int jl_on_decision(const struct scx_jl_dispatched_task *d, struct jl_drain *dr)
{
	u64 slice = d->slice_ns ? d->slice_ns : jl_config.slice_ns;
	/*
	 * d->flags (SCX_JL_DF_*) is not passed on as enqueue flags: decisions go to custom vtime DSQs, where the
	 * public enqueue flags (PREEMPT, HEAD) have no meaning, and internal ones must never come from user space.
	 */
	u64 flags = 0;
	s32 cpu = d->cpu;
	struct task_struct *p;
	struct jl_task *t;

	if (d->pid <= 0) {
		jl_count(nr_failed_dispatches);
		jl_debug("decision with pid %d", d->pid);
		return 0;
	}
	p = bpf_task_from_pid(d->pid);
	if (!p) {
		jl_count(nr_cancel_dispatches);         /* exited meanwhile */
		return 0;
	}
	t = jl_task_of(p);
	if (!t || t->enq_cnt != d->enq_cnt) {
		jl_count(nr_cancel_dispatches);         /* re-enqueued since: a newer record is on its way */
		goto out;
	}

	t->deadline = d->vtime;
	t->decided = 1;
	if (cpu == SCX_JL_CPU_ANY) {
		scx_bpf_dsq_insert_vtime(p, SCX_JL_SHARED_DSQ, slice, d->vtime, flags);
		/*
		 * This CPU takes the first decision of the batch; wake an idle one for each further one, or for
		 * a woken task (SCX_JL_DF_PREEMPT) take a CPU from a running task with a later deadline.
		 */
		if (dr->drained > 1) {
			if (d->flags & SCX_JL_DF_PREEMPT)
				jl_kick_for_wakeup(p, d->vtime);
			else
				jl_kick_idle_cpu(p);
		}
	} else if (cpu < 0 || (u32)cpu >= nr_cpu_dsqs || !bpf_cpumask_test_cpu(cpu, p->cpus_ptr)) {
		scx_bpf_dsq_insert_vtime(p, SCX_JL_SHARED_DSQ, slice, d->vtime, flags);
		jl_count(nr_bounce_dispatches);
		jl_debug("bounce: pid %d to cpu %d", d->pid, cpu);
		jl_kick_idle_cpu(p);
	} else {
		scx_bpf_dsq_insert_vtime(p, cpu, slice, d->vtime, flags);
		if (cpu != dr->cpu)
			scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
	}
	jl_count(nr_user_dispatches);
out:
	bpf_task_release(p);
	return 0;
}

void JL_OPS(jl_dispatch, s32 cpu, struct task_struct *prev)
{
	struct jl_drain dr = { .budget = scx_bpf_dispatch_nr_slots(), .cpu = cpu };

	jl_drain(&dr);

	if (scx_bpf_dsq_move_to_local(SCX_JL_DIRECT_DSQ))
		return;
	/* Tasks that could not reach the daemon must not starve behind a busy shared queue. */
	if (scx_bpf_dsq_nr_queued(SCX_JL_FALLBACK_DSQ) > 0 && (bpf_get_prandom_u32() & 3) == 0 &&
	    scx_bpf_dsq_move_to_local(SCX_JL_FALLBACK_DSQ))
		return;
	if (cpu >= 0 && (u32)cpu < nr_cpu_dsqs && scx_bpf_dsq_move_to_local(cpu))
		return;
	if (scx_bpf_dsq_move_to_local(SCX_JL_SHARED_DSQ))
		return;
	scx_bpf_dsq_move_to_local(SCX_JL_FALLBACK_DSQ);
}

void JL_OPS(jl_runnable, struct task_struct *p, u64 enq_flags)
{
	struct jl_task *t = jl_task_of(p);

	if (t)
		t->exec_runtime = 0;
}

void JL_OPS(jl_running, struct task_struct *p)
{
	struct jl_task *t = jl_task_of(p);
	struct jl_cpu_run *run = jl_cpu_run_of(scx_bpf_task_cpu(p));

	__sync_fetch_and_add(&stats.nr_running, 1);
	if (t)
		t->start_ts = bpf_ktime_get_ns();
	if (run) {
		/* The daemon and per-CPU kthreads never get decisions; checked anyway: they must never be preempted. */
		run->preemptible = t && t->decided && !jl_is_bpf_placed(p) && !jl_is_per_cpu_kthread(p);
		run->deadline = t ? t->deadline : 0;
	}
}

void JL_OPS(jl_stopping, struct task_struct *p, bool runnable)
{
	struct jl_task *t = jl_task_of(p);
	struct jl_cpu_run *run = jl_cpu_run_of(scx_bpf_task_cpu(p));
	u64 now;

	__sync_fetch_and_sub(&stats.nr_running, 1);
	if (run)
		run->preemptible = 0;
	if (!t)
		return;
	now = bpf_ktime_get_ns();
	t->stop_ts = now;
	t->exec_runtime += now - t->start_ts;
}

void JL_OPS(jl_update_idle, s32 cpu, bool idle)
{
	u32 word;
	u64 bit;

	if (cpu < 0 || cpu >= SCX_JL_MAX_CPUS)
		return;
	word = ((u32)cpu / 64) & (SCX_JL_IDLE_WORDS - 1);
	bit = 1ULL << (cpu & 63);
	if (idle)
		__sync_fetch_and_or(&stats.idle_cpus[word], bit);
	else
		__sync_fetch_and_and(&stats.idle_cpus[word], ~bit);
}

s32 JL_OPS(jl_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	if (!bpf_task_storage_get(&jl_tasks, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE))
		return -12;     /* ENOMEM */
	return 0;
}

void JL_OPS(jl_exit_task, struct task_struct *p, struct scx_exit_task_args *args)
{
	struct scx_jl_queued_task rec = {};
	struct jl_task *t = jl_task_of(p);

	/* Only tasks the daemon has heard of need a notice. */
	if (!t || t->enq_cnt == 0)
		return;
	rec.pid = p->pid;
	rec.cpu = SCX_JL_CPU_EXITED;
	rec.enq_cnt = t->enq_cnt;
	__builtin_memcpy(rec.comm, p->comm, SCX_JL_COMM_LEN);
	if (jl_produce(&rec, false) != JL_PRODUCED)
		jl_count(nr_exit_notices_lost);
}

void JL_OPS(jl_cpu_online, s32 cpu)
{
	__sync_fetch_and_add(&stats.nr_online_cpus, 1);
}

void JL_OPS(jl_cpu_offline, s32 cpu)
{
	__sync_fetch_and_sub(&stats.nr_online_cpus, 1);
}

/*
 * Safety net for lost wake-ups: if records wait, wake the daemon even if the ring's adaptive wake-up thinks
 * it is awake; and let one idle CPU run ops.dispatch, in case decisions wait in the user ring while every
 * CPU idles.
 */
static int jl_heartbeat_fn(void *map, u32 *key, struct jl_heartbeat *hb)
{
	u32 w;

	jl_count(nr_heartbeats);
	if (jl_records_pending()) {
		jl_force_wakeup();
		jl_count(nr_daemon_wakeups);
	}
	bpf_for(w, 0, SCX_JL_IDLE_WORDS) {
		u64 bits = stats.idle_cpus[w];

		if (w * 64 >= nr_cpu_dsqs)
			break;
		if (bits) {
			scx_bpf_kick_cpu(w * 64 + __builtin_ctzll(bits), SCX_KICK_IDLE);
			break;
		}
	}
	/* Once the scheduler has exited the object may stay loaded for a while: stop ticking. */
	if (!uei.kind)
		bpf_timer_start(&hb->timer, jl_config.heartbeat_ms * NSEC_PER_MSEC, 0);
	return 0;
}

static s32 jl_create_dsq(u64 id)
{
	s32 err = scx_bpf_create_dsq(id, -1);

	if (err)
		jl_error("javaland: creating DSQ %llu failed: %d", id, err);
	return err;
}

s32 JL_OPS_SLEEPABLE(jl_init)
{
	const struct cpumask *online;
	struct jl_heartbeat *hb;
	u32 n, zero = 0, i;
	s32 err;

	n = jl_config.nr_cpu_ids ? jl_config.nr_cpu_ids : scx_bpf_nr_cpu_ids();
	if (n > SCX_JL_MAX_CPUS)
		n = SCX_JL_MAX_CPUS;
	bpf_for(i, 0, n) {
		err = jl_create_dsq(i);
		if (err)
			return err;
	}
	nr_cpu_dsqs = n;
	if ((err = jl_create_dsq(SCX_JL_SHARED_DSQ)) || (err = jl_create_dsq(SCX_JL_DIRECT_DSQ)) ||
	    (err = jl_create_dsq(SCX_JL_FALLBACK_DSQ)))
		return err;

	online = scx_bpf_get_online_cpumask();
	stats.nr_online_cpus = bpf_cpumask_weight(online);
	scx_bpf_put_cpumask(online);

	if (jl_config.heartbeat_ms) {
		hb = bpf_map_lookup_elem(&jl_heartbeat_map, &zero);
		if (!hb)
			return -2;      /* ENOENT: cannot happen for an array */
		bpf_timer_init(&hb->timer, &jl_heartbeat_map, CLOCK_MONOTONIC);
		bpf_timer_set_callback(&hb->timer, jl_heartbeat_fn);
		err = bpf_timer_start(&hb->timer, jl_config.heartbeat_ms * NSEC_PER_MSEC, 0);
		if (err) {
			jl_error("javaland: heartbeat timer: %d", err);
			return err;
		}
	}
	jl_debug("init: %u CPU DSQs, transport %u", n, jl_config.transport);
	return 0;
}

void JL_OPS(jl_exit, struct scx_exit_info *ei)
{
	bpf_probe_read_kernel_str(uei.reason, sizeof(uei.reason), ei->reason);
	bpf_probe_read_kernel_str(uei.msg, sizeof(uei.msg), ei->msg);
	uei.exit_code = ei->exit_code;
	/* An atomic exchange orders the stores above before kind: a reader seeing kind != 0 sees them all. */
	__sync_lock_test_and_set(&uei.kind, ei->kind);
}

SEC(".struct_ops.link")
struct sched_ext_ops javaland_ops = {
	.select_cpu     = (void *)jl_select_cpu,
	.enqueue        = (void *)jl_enqueue,
	.dispatch       = (void *)jl_dispatch,
	.runnable       = (void *)jl_runnable,
	.running        = (void *)jl_running,
	.stopping       = (void *)jl_stopping,
	.update_idle    = (void *)jl_update_idle,
	.init_task      = (void *)jl_init_task,
	.exit_task      = (void *)jl_exit_task,
	.cpu_online     = (void *)jl_cpu_online,
	.cpu_offline    = (void *)jl_cpu_offline,
	.init           = (void *)jl_init,
	.exit           = (void *)jl_exit,
	.flags          = SCX_OPS_KEEP_BUILTIN_IDLE,
	.timeout_ms     = 5000,
	.name           = "javaland",
};
