// SPDX-License-Identifier: GPL-2.0
/*
 * scx_javaland.bpf.c: the sched_ext side of scx_javaland.
 *
 * Every task that wants a CPU goes to the Java daemon as a queued record (transport.bpf.h); the daemon
 * sends back a decision (CPU, slice, vtime), which ops.dispatch turns into a DSQ insert. Only what must
 * never wait for user space is placed here directly: the daemon's own threads (else nobody could schedule
 * the scheduler), per-CPU kthreads, kswapd/kcompactd/khugepaged (memory reclaim the daemon may depend on).
 *
 * Of those, only the scheduling thread jumps the queue: it is the one thread every other task waits for, so it
 * runs first on every CPU and preempts a running task when it wakes and finds no idle CPU. The daemon's other
 * threads (JIT compilers, GC, metrics) and the kernel helpers queue in the shared vtime DSQ at the current vtime
 * with a short slice: they can never wait for long, and as many CPU-bound JVM threads as CPUs (the JIT right
 * after attaching) can no longer starve everything else.
 *
 * DSQs: one vtime DSQ per CPU (id = cpu) for decisions naming a CPU, SCX_JL_SHARED_DSQ (vtime) for "any
 * CPU" and the BPF-placed helpers, SCX_JL_DIRECT_DSQ (FIFO) for the scheduling thread, SCX_JL_FALLBACK_DSQ
 * (FIFO) for tasks the transport had no room for. A task is never lost: if it cannot reach user space it goes
 * to the fallback.
 *
 * No cpu_online/cpu_offline: without them the kernel restarts the scheduler on CPU hotplug (the daemon then
 * reattaches), which is what a per-CPU DSQ design needs: tasks queued on an offline CPU's DSQ would have
 * nowhere to run.
 */
#include "transport.bpf.h"
#include "task_class.bpf.h"

#define CLOCK_MONOTONIC 1
#define NSEC_PER_MSEC   1000000ULL

/*
 * sched_ext's flag and DSQ id values as the running kernel defines them, not as vmlinux.h did: CO-RE relocates
 * each to the kernel's value at load time. Values have moved between kernels (SCX_ENQ_HEAD is 16 on 6.16 and
 * 65536 on 7.3); the ones below happen to be the same on every kernel tested (docs/kernels.md).
 */
#define JL_SCX_ENUM(type, name)         bpf_core_enum_value(enum type, name)
#define JL_DSQ_LOCAL                    JL_SCX_ENUM(scx_dsq_id_flags, SCX_DSQ_LOCAL)
#define JL_ENQ_WAKEUP                   JL_SCX_ENUM(scx_enq_flags, SCX_ENQ_WAKEUP)
#define JL_ENQ_PREEMPT                  JL_SCX_ENUM(scx_enq_flags, SCX_ENQ_PREEMPT)
#define JL_KICK_IDLE                    JL_SCX_ENUM(scx_kick_flags, SCX_KICK_IDLE)
#define JL_KICK_PREEMPT                 JL_SCX_ENUM(scx_kick_flags, SCX_KICK_PREEMPT)
#define JL_TASK_QUEUED                  JL_SCX_ENUM(scx_ent_flags, SCX_TASK_QUEUED)
#define JL_WAKE_SYNC                    JL_SCX_ENUM(scx_wake_flags, SCX_WAKE_SYNC)
/* 0 where the kernel has no such flag (IMMED is 7.x only): the code that depends on it is then dead. */
#define JL_SCX_ENUM_OR_0(type, name)    (bpf_core_enum_value_exists(enum type, name) ? JL_SCX_ENUM(type, name) : 0)
#define JL_ENQ_IMMED                    JL_SCX_ENUM_OR_0(scx_enq_flags, SCX_ENQ_IMMED)
#define JL_ENQ_REENQ                    JL_SCX_ENUM_OR_0(scx_enq_flags, SCX_ENQ_REENQ)

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
	u64 run_total;          /* ns run in all, counted at each stop (the record's run_total) */
	u64 run_sent;           /* run_total as the last record sent it: the policy has charged up to there */
	u64 enq_cnt;            /* bumped per enqueue; a decision must echo the current value */
	u64 deadline;           /* vtime of the user decision it was last inserted with */
	u64 decided_for;        /* the enq_cnt that decision was made for: current while it equals enq_cnt (jl_decided) */
	u64 slice;              /* slice of that decision */
	u64 helper;             /* 1: placed by BPF in the shared DSQ (daemon threads, kernel helpers), no decisions */
	u64 helper_vtime;       /* a helper's own vruntime, in the decisions' vtime units */
	u64 runnable_weight;    /* the weight it added to stats.runnable_weight while runnable (0: not counted) */
	u64 ready_ts;           /* ns when it last became ready to run (woke, or stopped still runnable) */
	u64 clock_ts;           /* ns up to which its current run has advanced the clock (jl_advance_clock) */
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
	u64 idle_since;         /* ns when the CPU went idle (ops.update_idle); 0 while busy */
	u64 woke_rec;           /* the last record this CPU submitted was a wake-up (jl_sched_thread_cpu) */
	/* The decided task that left this CPU still runnable, while its record is on its way (jl_resume_interrupted) */
	s32 resume_pid;
	u64 resume_enq_cnt;     /* the enq_cnt of that record: any other means it was decided or enqueued again */
	u64 resume_projected;   /* its deadline plus the charge of the run it left, as jl_keep_prev projects it */
	u64 released;           /* a higher class (RT, deadline) holds the CPU: from ops.cpu_release to ops.cpu_acquire */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SCX_JL_MAX_CPUS);
	__type(key, u32);
	__type(value, struct jl_cpu_run);
} jl_cpu_runs SEC(".maps");

/*
 * The CPU the scheduling thread waits for while it is in DIRECT (CPU + 1; 0: any CPU may take it), and since when:
 * jl_enqueue_sched_thread, jl_may_take_sched_thread. Racy by design: a stale read lets another CPU take the thread
 * a little early or late, never leaves it waiting past slice_min_ns.
 */
static u32 sched_thread_home;
static u64 sched_thread_home_ts;

/*
 * Whether a decided task starting where the waiting scheduling thread may run is still to be cut for it (jl_running):
 * set when a wake-up queues the thread and nothing was kicked for it (jl_enqueue_sched_thread), cleared by the first
 * cut and when the thread runs. At most one cut per wake-up, so nothing can repeat it: unbounded (every decided start
 * while the thread was in DIRECT), it was made 684,907 times in one A/B round in the VM and the scheduler was ejected
 * for a runnable task stall. Armed on every wake-up, it cut 10 tasks a second on an idle VM, where a wake-up of the
 * thread almost always finds an idle CPU to kick (2026-12-04). Racy by design: two CPUs may each cut once. volatile:
 * clang stored a static global that only ever holds 0 or 1 in one byte, and the kernel refused the object's BTF.
 */
static volatile u32 sched_thread_cut_armed;

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

/*
 * What the policy will charge t at its next record (runtime x 100 / weight): everything it ran since the last record
 * went out, plus `running`, the part of the current run not yet counted in run_total. Not only the current run: a run
 * that a higher class interrupted resumed without a record, and its earlier pieces are charged too.
 */
static __always_inline u64 jl_unsent_charge(struct jl_task *t, struct task_struct *p, u64 running)
{
	u64 weight = p->scx.weight ? p->scx.weight : 1;

	return (t->run_total - t->run_sent + running) * 100 / weight;
}

/* Claims and wakes an idle CPU p may use; false when there is none. */
static __always_inline bool jl_kick_idle_cpu(const struct task_struct *p)
{
	s32 cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);

	if (cpu < 0)
		return false;
	scx_bpf_kick_cpu(cpu, JL_KICK_IDLE);
	return true;
}

/* Claims and wakes any idle online CPU, if there is one. */
static __always_inline void jl_kick_any_idle_cpu(void)
{
	const struct cpumask *online = scx_bpf_get_online_cpumask();
	s32 idle = scx_bpf_pick_idle_cpu(online, 0);

	scx_bpf_put_cpumask(online);
	if (idle >= 0)
		scx_bpf_kick_cpu(idle, JL_KICK_IDLE);
}

static __always_inline struct jl_cpu_run *jl_cpu_run_of(s32 cpu)
{
	u32 key = cpu;

	if (cpu < 0 || cpu >= SCX_JL_MAX_CPUS)
		return NULL;
	return bpf_map_lookup_elem(&jl_cpu_runs, &key);
}

/* A higher class holds the CPU (jl_cpu_release): what is queued to it alone waits until that class lets go. */
static __always_inline bool jl_cpu_released(s32 cpu)
{
	struct jl_cpu_run *run = jl_cpu_run_of(cpu);

	return run && run->released;
}

/*
 * Takes a CPU from the task it runs, if that task runs under a decision with a deadline later than vtime. One kick
 * per running task: the next flagged decision looks for another victim.
 */
static __always_inline bool jl_preempt_cpu(s32 cpu, u64 vtime)
{
	struct jl_cpu_run *run = jl_cpu_run_of(cpu);

	if (!run || !run->preemptible || (s64)(run->deadline - vtime) <= 0)
		return false;
	run->preemptible = 0;
	scx_bpf_kick_cpu(cpu, JL_KICK_PREEMPT);
	jl_count(nr_preempt_kicks);
	return true;
}

/*
 * A woken task's decision went to the shared DSQ: an idle CPU takes it if there is one; otherwise the CPU
 * running the latest deadline is preempted, if that deadline is later than the woken task's.
 */
static __always_inline void jl_kick_for_wakeup(const struct task_struct *p, u64 vtime)
{
	struct jl_cpu_run *run;
	s32 cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	s32 victim = -1;
	u64 latest = vtime;
	u32 i;

	if (cpu >= 0) {
		scx_bpf_kick_cpu(cpu, JL_KICK_IDLE);
		return;
	}
	bpf_for(i, 0, nr_cpu_dsqs) {
		run = jl_cpu_run_of(i);
		if (!run || !run->preemptible || (s64)(run->deadline - latest) <= 0 ||
		    !bpf_cpumask_test_cpu(i, p->cpus_ptr))
			continue;
		latest = run->deadline;
		victim = i;
	}
	if (victim >= 0)
		jl_preempt_cpu(victim, vtime);
}

/* Slice of a task BPF places itself: the scheduling thread blocks soon by itself, the helpers get a short one. */
static __always_inline u64 jl_bpf_placed_slice(const struct task_struct *p)
{
	return jl_is_sched_thread(p) || (p->flags & PF_KTHREAD) ? jl_config.slice_ns : jl_config.slice_min_ns;
}

/*
 * Whether a woken task may skip the daemon: nothing at all waits for a CPU, neither in the DSQs nor in the ring on
 * its way to the daemon nor in the daemon's own queue, so there is no order to keep and the idle CPU
 * scx_bpf_select_cpu_dfl just claimed would otherwise idle for the two context switches of a round trip through
 * the daemon. Every such wake-up went through the daemon before: stress-ng --switch (a message is a wake-up) ran at
 * 0.26x of EEVDF's rate in the VM. Under load (no idle CPU, or anything waiting) every task still goes through
 * the daemon, which keeps the weights: a run placed here is charged to the clock as any other (jl_advance_clock).
 */
static __always_inline bool jl_nothing_waits(void)
{
	return stats.nr_scheduled == 0 && !jl_records_pending() &&
	       scx_bpf_dsq_nr_queued(SCX_JL_SHARED_DSQ) <= 0 && scx_bpf_dsq_nr_queued(SCX_JL_FALLBACK_DSQ) <= 0 &&
	       scx_bpf_dsq_nr_queued(SCX_JL_DIRECT_DSQ) <= 0;
}

/*
 * Whether the task runs under a decision made for its latest enqueue. A sequence rather than a flag (the data-path
 * review's S6): an enqueue makes every earlier decision stale by bumping enq_cnt alone, so a decision drained on
 * another CPU that passed its enq_cnt check just before that enqueue may still write its fields, but can never
 * make them current again. A flag set by that decision undid the enqueue's reset, and the keep-running, resume and
 * preemption rules then read a decision that no longer held.
 */
static __always_inline bool jl_decided(const struct jl_task *t)
{
	return t->decided_for && t->decided_for == t->enq_cnt;
}

/* A woken task BPF places itself runs at the clock, as decided (see jl_select_cpu). */
static __always_inline void jl_place_woken(struct jl_task *t)
{
	t->enq_cnt++;
	t->deadline = stats.vtime_now;
	t->decided_for = t->enq_cnt;
	t->slice = jl_config.slice_ns;
}

/*
 * A synchronous wake-up (the waker blocks right after: a pipe or socket hand-off) with nothing waiting anywhere:
 * the woken task goes to the shared DSQ at the clock, where the waker's CPU takes it as soon as the waker blocks,
 * or any other CPU that frees first, with no round trip through the daemon. stress-ng --switch is all such
 * hand-offs between tasks that keep both CPUs busy, so the idle-CPU path never applies to it: through the daemon it
 * ran at 0.29x of EEVDF's rate in the VM. Not in the waker's local DSQ: if the waker does not block after all, no
 * other CPU could take the task from there. No kick: the waker's CPU is about to be free.
 */
static __always_inline void jl_sync_wakeup(struct task_struct *p)
{
	struct task_struct *waker = (void *)bpf_get_current_task_btf();
	struct jl_task *t;

	if ((waker->flags & PF_EXITING) || jl_is_bpf_placed(p) || jl_is_per_cpu_kthread(p) || !jl_nothing_waits())
		return;
	t = jl_task_of(p);
	if (!t)
		return;
	jl_place_woken(t);
	jl_dsq_insert_vtime(p, SCX_JL_SHARED_DSQ, jl_config.slice_ns, stats.vtime_now, 0);
	jl_count(nr_direct_wakeups);
}

/*
 * Where the scheduling thread runs when no CPU is idle: on the CPU that woke it (the ring buffer's irq_work runs
 * where the record was submitted) when that record was a task's wake-up and the CPU runs a task it may preempt;
 * else where it last ran. On its last CPU, a wake-up submitted on the other CPU cost two cross-CPU hops: the IPI
 * that runs the daemon, and the kick that runs the woken task back on its own CPU. Under single-threaded TCG each
 * hop took 3-4 ms, and cyclictest's measuring thread (pinned to CPU 0) waited 7.5-8.6 ms from wake-up to running in
 * every round the scheduling thread spent on CPU 1, against 1-2 ms when it was on CPU 0 (VM, ftrace,
 * 2026-12-01). Not for a slice's end: the task that CPU starts next would be cut at once, and a FIFO, which gives
 * no turn back, let one of 8 hogs on 4 CPUs keep a CPU to itself (simulator).
 */
static __always_inline s32 jl_sched_thread_cpu(const struct task_struct *p, s32 prev_cpu)
{
	s32 here = bpf_get_smp_processor_id();
	struct jl_cpu_run *run = jl_cpu_run_of(here);
	u32 i;

	if (here != prev_cpu && run && run->woke_rec && run->preemptible && bpf_cpumask_test_cpu(here, p->cpus_ptr))
		return here;
	if (!jl_cpu_released(prev_cpu))
		return prev_cpu;
	/*
	 * Never where a higher class holds the CPU: the thread every task waits for would wait there, behind a FIFO busy
	 * loop for as long as it runs (the kernel's deadline server gives sched_ext about 50 ms a second there, and
	 * none at all once a pick of it found nothing: it is started again only when the CPU's sched_ext run queue
	 * empties and fills). In the VM the thread waited 5 s in CPU 1's local DSQ so, and the scheduler was ejected.
	 */
	bpf_for(i, 0, nr_cpu_dsqs) {
		if (!jl_cpu_released(i) && bpf_cpumask_test_cpu(i, p->cpus_ptr))
			return i;
	}
	return prev_cpu;
}

s32 JL_OPS(jl_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool idle = false;
	s32 cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &idle);
	struct jl_task *t;

	if (!idle) {
		if (jl_is_sched_thread(p))
			return jl_sched_thread_cpu(p, cpu);
		if (wake_flags & JL_WAKE_SYNC)
			jl_sync_wakeup(p);
		return cpu;     /* else only a CPU suggestion: the daemon decides in enqueue's record */
	}
	if (jl_is_bpf_placed(p)) {
		jl_dsq_insert(p, JL_DSQ_LOCAL, jl_bpf_placed_slice(p), 0);
		jl_count(nr_kernel_dispatches);
		return cpu;
	}
	if (jl_is_per_cpu_kthread(p) || !jl_nothing_waits() || (s32)cpu >= (s32)nr_cpu_dsqs ||
	    scx_bpf_dsq_nr_queued(cpu) > 0)
		return cpu;
	t = jl_task_of(p);
	if (!t)
		return cpu;
	/*
	 * Runs at the clock, decided: preemptible by a woken task with an earlier deadline and kept running at
	 * slice end by jl_keep_prev's rule, like a decision. A decision still on its way for an earlier enqueue
	 * of this task is stale now: the bumped enq_cnt cancels it.
	 */
	jl_place_woken(t);
	jl_dsq_insert(p, JL_DSQ_LOCAL, jl_config.slice_ns, JL_ENQ_IMMED);
	jl_count(nr_direct_wakeups);
	return cpu;
}

/*
 * A helper (a daemon thread other than the scheduling one, kswapd, kcompactd, khugepaged) competes in the shared
 * DSQ like a task of the policy: its own vruntime (charged in ops.stopping as the policy charges, runtime x 100 /
 * weight) with at most one slice of credit below the clock, and at most one slice of debt above it. At the clock
 * itself every time, as many CPU-bound JVM threads as CPUs plus one would always be due first and nothing decided
 * past the clock would ever run.
 */
static __always_inline void jl_enqueue_helper(struct task_struct *p, u64 enq_flags)
{
	struct jl_task *t = bpf_task_storage_get(&jl_tasks, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	u64 floor = stats.vtime_now - jl_config.slice_ns;
	u64 ceiling = stats.vtime_now + jl_config.slice_ns;
	u64 vtime = floor;

	/*
	 * A kernel helper (kswapd, kcompactd, khugepaged) queues at the clock with a full slice, whatever its nice: it
	 * may be inside an RCU read-side section or hold what reclaim needs. khugepaged at nice 19, charged x66 and
	 * given short slices, was preempted at every tick inside collapse_huge_page's copy and queued behind 80 tasks
	 * each time: it took 21 s to leave its RCU read-side section, and sched_ext ejects the scheduler on an RCU
	 * stall (VM soak). At the clock, behind what is already due, it cannot starve anything either.
	 */
	if (p->flags & PF_KTHREAD) {
		if (t) {
			t->deadline = stats.vtime_now;
			t->helper = 1;
			t->decided_for = 0;
		}
		jl_dsq_insert_vtime(p, SCX_JL_SHARED_DSQ, jl_config.slice_ns, stats.vtime_now, enq_flags);
		return;
	}
	if (t) {
		if ((s64)(t->helper_vtime - floor) > 0)
			vtime = t->helper_vtime;
		/*
		 * At most one slice past the clock: a helper must never wait long, whatever its weight (khugepaged runs
		 * at nice 19: charged x100, it waited more than the watchdog's 5 s under the fifo transport).
		 */
		if ((s64)(vtime - ceiling) > 0)
			vtime = ceiling;
		t->helper_vtime = vtime;
		t->deadline = vtime;
		t->helper = 1;
		t->decided_for = 0;
	}
	jl_dsq_insert_vtime(p, SCX_JL_SHARED_DSQ, jl_config.slice_min_ns, vtime, enq_flags);
}

/*
 * The scheduling thread: first in line on its CPU when it wakes (select_cpu found no idle CPU). It takes the CPU at
 * once (a preempting kick; the CPU then takes DIRECT first) from a task the policy placed, since every task woken
 * meanwhile waits for it and waiting for a running slice to end (up to slice_ns) would add that much to every
 * wake-up. Not from anything else: a preempted task loses what is left of its slice and queues again, and a helper
 * (khugepaged at nice 19) preempted by every wake-up of the daemon, each time queued again behind the load, took
 * 21 s to leave an RCU read-side section in the VM soak: an RCU stall, on which sched_ext ejects the scheduler.
 * Helpers run short slices (slice_min_ns), per-CPU kthreads short bursts. When its slice runs out it is busy: every
 * task waits for its decisions, so it keeps its CPU (jl_keep_sched_thread) or goes first again (DIRECT, where a
 * higher class took that CPU). Queued as a helper instead, it got a short turn
 * behind the load at each slice end, every task waited for the daemon, and the watchdog's own kworker waited 5.7 s
 * (VM, soak load).
 */
static __always_inline void jl_enqueue_sched_thread(struct task_struct *p, u64 enq_flags)
{
	s32 cpu = scx_bpf_task_cpu(p);
	struct jl_cpu_run *run = jl_cpu_run_of(cpu);

	/*
	 * Always DIRECT, which every CPU takes first, and moved to a local DSQ only by the dispatch that runs it next
	 * (with IMMED: a higher class that takes that CPU while it runs hands it back). Inserted into the local DSQ of
	 * the CPU it woke on (SCX_ENQ_PREEMPT, with or without IMMED), it could be left there when a higher class took
	 * that CPU before it ran: woken onto CPU 1 in the last moments of the deadline server's turn beside a FIFO busy
	 * loop, it waited for the next turn, 930-950 ms, and no decision was made meanwhile (VM, ftrace, `rthog`, one
	 * hog 27 % of a CPU and the other 73 %; the kernel re-checks an IMMED task only when it is inserted or
	 * preempted while running; 2026-12-04).
	 */
	jl_dsq_insert(p, SCX_JL_DIRECT_DSQ, jl_config.slice_ns, enq_flags);
	sched_thread_home = 0;
	sched_thread_cut_armed = 0;
	if (!(enq_flags & JL_ENQ_WAKEUP) || !run || run->released) {
		/*
		 * Handed back because a higher class took its CPU (SCX_ENQ_REENQ), or its slice ran out: any CPU, and no
		 * busy CPU is preempted for it: an RT thread waking every ms hands it back a hundred times a second, and
		 * its own CPU, free again microseconds later, takes DIRECT first.
		 */
		jl_kick_idle_cpu(p);
		return;
	}
	if (!run->preemptible) {
		/*
		 * An idle CPU takes DIRECT only once something wakes it: without the kick the thread waited for its own
		 * CPU's next task to finish a slice while the other CPU idled (VM, stress-ng --fork: 20-22 ms, and every
		 * task waited for it meanwhile; counted by nr_idle_while_waiting).
		 */
		if (jl_kick_idle_cpu(p))
			return;
		/* Nothing kicked for it: a decided task that starts next where it may run gives way (jl_running). */
		sched_thread_cut_armed = 1;
	} else {
		/* the CPU it woke on takes it at once from the task the policy placed there, as SCX_ENQ_PREEMPT did */
		run->preemptible = 0;
		scx_bpf_kick_cpu(cpu, JL_KICK_PREEMPT);
	}
	/*
	 * Waits for the CPU it woke on (kicked, or about to end a slice or block), as it did in that CPU's local DSQ
	 * before 2026-12-04: the other CPUs leave it alone for up to slice_min_ns (jl_may_take_sched_thread). Taken by
	 * whichever CPU dispatched first, it answered sooner in smaller batches and cost more (VM A/B, one boot: the
	 * scheduling thread's CPU per task 120-124 us against 45-60 us, hackbench loop 4.2-5.6 s a run against 2.4-2.6).
	 * Not in the local DSQ itself: see above. Only when that CPU is the one waking it (the ring buffer's irq_work
	 * runs where the record was submitted): it preempts itself on leaving the interrupt. Woken from the other CPU,
	 * the kick is an IPI, and waiting for it kept the thread from the CPU that was running anyway: under
	 * single-threaded TCG a vCPU answers only when the emulator turns to it, and in the A/B's hackbench loop those
	 * wake-ups (30 %) waited 1.46 ms at the median, against 0.036 ms on its own CPU (ftrace, 10 s). Claimed only
	 * for its own CPU: ringbuf p99 5.14 ms against 8.09 (medians of five A/B runs, two boots), the A/B's hackbench
	 * loop 3.38 s a run against 2.80, hackbench alone no different (0.985x and 1.035x EEVDF; docs/benchmarks.md).
	 */
	if (cpu != (s32)bpf_get_smp_processor_id())
		return;
	sched_thread_home = cpu + 1;
	sched_thread_home_ts = bpf_ktime_get_ns();
}

/*
 * A decided task the kernel hands back (SCX_ENQ_REENQ, 7.x): it went to a local DSQ with SCX_ENQ_IMMED and could
 * not stay there, because a higher class took the CPU (an RT task: the kernel's reason SCX_TASK_REENQ_PREEMPTED) or
 * something went ahead of it before it started. Without IMMED it waited at the head of that CPU's local DSQ until
 * the RT task let go, however long, while the other CPU ran the rest: beside a FIFO busy loop holding CPU 1, of two
 * nice 0 hogs one got 28.7 % of a CPU and the other 71.3 %, where EEVDF gives each 44.7 % (VM, `rthog`). Its
 * decision still stands, so no record: it goes to the shared DSQ at the deadline it would be charged to now (as
 * jl_keep_prev projects it), with what is left of its slice, where any CPU may take it. Never back into a local
 * DSQ: an IMMED insert onto a CPU that is still taken is handed back again, and 256 of those in a row eject the
 * scheduler.
 */
static __always_inline bool jl_requeue_decided(struct task_struct *p, struct jl_task *t, u64 enq_flags)
{
	struct jl_cpu_run *run;
	u64 slice;

	if (!JL_ENQ_REENQ || !(enq_flags & JL_ENQ_REENQ) || !jl_decided(t) || !t->slice)
		return false;
	slice = p->scx.slice ? p->scx.slice : t->slice;
	run = jl_cpu_run_of(scx_bpf_task_cpu(p));
	if (run && run->resume_pid == p->pid)
		run->resume_pid = 0;        /* it waits in the shared DSQ now, in the order of its deadline */
	jl_dsq_insert_vtime(p, SCX_JL_SHARED_DSQ, slice, t->deadline + jl_unsent_charge(t, p, 0), 0);
	jl_count(nr_requeued);
	jl_kick_idle_cpu(p);
	return true;
}

void JL_OPS(jl_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct scx_jl_queued_task rec = {};
	struct jl_cpu_run *here;
	struct jl_task *t;

	if (jl_is_per_cpu_kthread(p)) {
		jl_dsq_insert(p, JL_DSQ_LOCAL, jl_config.slice_ns, enq_flags);
		jl_count(nr_kernel_dispatches);
		return;
	}
	if (jl_is_sched_thread(p)) {
		jl_enqueue_sched_thread(p, enq_flags);
		jl_count(nr_kernel_dispatches);
		return;
	}
	if (jl_is_bpf_placed(p)) {
		jl_enqueue_helper(p, enq_flags);
		jl_count(nr_kernel_dispatches);
		jl_kick_idle_cpu(p);
		return;
	}

	t = bpf_task_storage_get(&jl_tasks, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!t)
		goto fallback;      /* without an enq_cnt no decision could be matched to this enqueue */
	if (jl_requeue_decided(p, t, enq_flags))
		return;
	t->enq_cnt++;                   /* and with it any decision made so far is stale: jl_decided */

	rec.pid = p->pid;
	rec.cpu = scx_bpf_task_cpu(p);
	rec.nr_cpus_allowed = p->nr_cpus_allowed;
	rec.flags = enq_flags;
	rec.start_ts = t->start_ts;
	rec.stop_ts = t->stop_ts;
	rec.exec_runtime = t->exec_runtime;
	rec.run_total = t->run_total;
	t->run_sent = t->run_total;
	rec.weight = p->scx.weight;
	rec.vtime = p->scx.dsq_vtime;
	rec.enq_cnt = t->enq_cnt;
	rec.enq_ts = bpf_ktime_get_ns();
	rec.uid = jl_task_uid(p);
	__builtin_memcpy(rec.comm, p->comm, SCX_JL_COMM_LEN);

	here = jl_cpu_run_of(bpf_get_smp_processor_id());
	if (here)
		here->woke_rec = !!(enq_flags & JL_ENQ_WAKEUP);
	if (jl_produce(&rec, false) == JL_PRODUCED) {
		jl_count(nr_queued);
		return;
	}
fallback:
	jl_dsq_insert(p, SCX_JL_FALLBACK_DSQ, jl_config.slice_ns, enq_flags);
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
	t->slice = slice;
	/*
	 * The task's own CPU can run ops.enqueue between the enq_cnt check above and these writes (its affinity or
	 * nice changed while its record waited in the daemon). The decision then names an enq_cnt that is no longer
	 * the task's, so jl_decided stays false however late this write lands (the data-path review's S6), and the
	 * fields written above are read by nothing until the next decision rewrites them. The exchange orders those
	 * fields before the mark and is a full barrier: an enqueue that overtook this decision bumped enq_cnt before,
	 * and the read after it sees that. Counted, to learn how often it happens. The insert below loses no task
	 * either way: the kernel takes an insert only while the task waits in BPF.
	 */
	__sync_lock_test_and_set(&t->decided_for, d->enq_cnt);
	if (*(volatile u64 *)&t->enq_cnt != d->enq_cnt)
		jl_count(nr_decision_races);
	if (cpu == SCX_JL_CPU_ANY) {
		jl_dsq_insert_vtime(p, SCX_JL_SHARED_DSQ, slice, d->vtime, flags);
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
		jl_dsq_insert_vtime(p, SCX_JL_SHARED_DSQ, slice, d->vtime, flags);
		jl_count(nr_bounce_dispatches);
		jl_debug("bounce: pid %d to cpu %d", d->pid, cpu);
		jl_kick_idle_cpu(p);
	} else if (cpu == dr->cpu || p->nr_cpus_allowed == 1 ||
		   (!jl_cpu_released(cpu) && scx_bpf_test_and_clear_cpu_idle(cpu))) {
		/*
		 * The daemon saw the CPU idle, but so did every other decision of the batch: claim it, so that only
		 * one task goes to an idle CPU's own DSQ (which only that CPU consumes) while the others go where any
		 * CPU can take them. The dispatching CPU and a task's only CPU need no claim.
		 */
		jl_dsq_insert_vtime(p, cpu, slice, d->vtime, flags);
		/*
		 * A woken task whose only CPU is busy takes it from a later deadline. Left to wait for the running
		 * slice to end, a sleeper pinned to the CPU the scheduling thread was not on waited p99 7.9 ms beside two
		 * hogs per CPU, 0.08 ms with the kick (simulator; cyclictest's measuring thread is pinned so).
		 */
		if (cpu != dr->cpu && !((d->flags & SCX_JL_DF_PREEMPT) && jl_preempt_cpu(cpu, d->vtime)))
			scx_bpf_kick_cpu(cpu, JL_KICK_IDLE);
	} else {
		jl_dsq_insert_vtime(p, SCX_JL_SHARED_DSQ, slice, d->vtime, flags);
		jl_count(nr_idle_claim_lost);
		jl_kick_idle_cpu(p);
	}
	jl_count(nr_user_dispatches);
out:
	bpf_task_release(p);
	return 0;
}

static void jl_ring_wedged(long err)
{
	jl_error("javaland: the decision ring cannot be read (%ld): its positions or a header are corrupt", err);
}

/*
 * The drain assumed this CPU takes the first "any" decision from the shared DSQ. When it takes something
 * else, an idle CPU must take it, or it could wait for the next heartbeat. A global function, verified on its
 * own: inlined in jl_dispatch after the drain's callback, it made the verifier's jump history too long.
 */
__noinline int jl_took_other(u64 drained)
{
	if (drained > 0 && scx_bpf_dsq_nr_queued(SCX_JL_SHARED_DSQ) > 0)
		jl_kick_any_idle_cpu();
	return 0;
}

/* The vtime of a vtime DSQ's first task; false when it is empty. */
static __always_inline bool jl_dsq_head(u64 dsq_id, u64 *vtime)
{
	struct bpf_iter_scx_dsq it;
	struct task_struct *head;
	bool found = false;

	if (bpf_iter_scx_dsq_new(&it, dsq_id, 0) == 0) {
		head = bpf_iter_scx_dsq_next(&it);
		if (head) {
			*vtime = head->scx.dsq_vtime;
			found = true;
		}
	}
	bpf_iter_scx_dsq_destroy(&it);
	return found;
}

/* Whether a vtime DSQ's first task is due before vtime (an empty DSQ has nothing due). */
static __always_inline bool jl_dsq_due_before(u64 dsq_id, u64 vtime)
{
	u64 head;

	return jl_dsq_head(dsq_id, &head) && (s64)(head - vtime) <= 0;
}

/*
 * The clock also moves with the service the CPUs deliver, as a fair-queueing virtual time does: every run advances
 * it by runtime x 100 / (the runnable tasks' total weight), the rate at which every runnable task's vruntime grows
 * when each gets its share. A clock that moved only when a later deadline started stood still while tasks placed
 * below it (sleepers with their slice of credit, new tasks) ran, and every new one came in ahead of a task that
 * waited above it: under stress-ng --sleep a task waited more than the watchdog's 5 s. Advanced at the fair rate,
 * the floor for newcomers rises while they run, and what waits above the clock is reached within its lead times
 * the runnable weight over the CPUs. A racy add: a lost update is one run's worth.
 */
static __always_inline void jl_advance_clock(u64 runtime)
{
	s64 w = stats.runnable_weight;

	if (w < 100)
		w = 100;
	__sync_fetch_and_add(&stats.vtime_now, runtime * 100 / (u64)w);
}

/* Advances the clock by what t ran since it last did. */
static __always_inline void jl_advance_clock_for(struct jl_task *t, u64 now)
{
	if ((s64)(now - t->clock_ts) > 0)
		jl_advance_clock(now - t->clock_ts);
	t->clock_ts = now;
}

/*
 * A task whose slice ran out is still runnable, but its record has not reached the daemon yet: if this CPU took
 * the next task from the DSQs now, whatever waits there would win, however far behind it is in the policy's order
 * (a nice 19 hog would take a turn every time a nice 0 hog's slice ends). So the CPU keeps running it, for another
 * slice of the same length, while its deadline as the daemon will compute it (the one it runs under plus this
 * run's charge, runtime x 100 / weight: the policy's rule) is still earlier than every waiting one. What waits in
 * the fallback DSQ (no order, no deadline) always gets its turn.
 */
static __always_inline bool jl_keep_prev(struct task_struct *prev, s32 cpu)
{
	struct jl_task *t;
	u64 projected;

	if (!prev || !(prev->scx.flags & JL_TASK_QUEUED))
		return false;
	t = jl_task_of(prev);
	if (!t || !jl_decided(t) || !t->slice)
		return false;
	if (scx_bpf_dsq_nr_queued(SCX_JL_FALLBACK_DSQ) > 0)
		return false;
	projected = t->deadline + jl_unsent_charge(t, prev, bpf_ktime_get_ns() - t->start_ts);
	if (jl_dsq_due_before(SCX_JL_SHARED_DSQ, projected))
		return false;
	if (cpu >= 0 && (u32)cpu < nr_cpu_dsqs && jl_dsq_due_before(cpu, projected))
		return false;
	prev->scx.slice = t->slice;
	/*
	 * A kept run gets no ops.stopping, so the service it delivered so far moves the clock here: a clock that moved
	 * only when runs stopped fell behind two nice 0 hogs kept for 480 ms at a time, and the lag clamp at the
	 * clock plus one slice then forgave them 80 ms of each run, which the nice 19 hogs beside them waited for
	 * (simulator: nice 0:19 ratio 119 where the weights say 100).
	 */
	jl_advance_clock_for(t, bpf_ktime_get_ns());
	jl_count(nr_kept_running);
	return true;
}

/*
 * The CPU goes back to the decided task that left it still runnable, while that task's record is on its way to the
 * daemon, if its deadline plus the charge of the run it left is still earlier than everything waiting: jl_keep_prev
 * for a task that something else interrupted. A kworker or a daemon thread that ran at a nice 0 hog's slice end
 * handed the CPU, when it slept, to whatever waited in the DSQs: the hog's own decision was still on its way (ms
 * under TCG). In the VM half of the nice 19 hogs' turns came so (ftrace, 2 nice 0 and 2 nice 19 hogs, 2026-12-01):
 * they got 1/55-1/66 of the CPU time where their weights say 1/100. The decision on its way is cancelled by the
 * bumped enq_cnt, as for a direct wake-up; the record still reaches the daemon, which charges the run it reports.
 */
static __always_inline bool jl_resume_interrupted(s32 cpu)
{
	struct jl_cpu_run *run = jl_cpu_run_of(cpu);
	struct task_struct *p;
	struct jl_task *t;
	bool resumed = false;
	s32 pid;

	if (!run || !run->resume_pid)
		return false;
	pid = run->resume_pid;
	/*
	 * Something waiting is due first: it takes its turn, and the claim stands for the next dispatch here (a woken
	 * task that preempted the hog sleeps again in microseconds). Dropped at the first look, the claim was gone
	 * when the CPU freed, and a nice 19 hog took the turn instead: see jl_running.
	 */
	if (scx_bpf_dsq_nr_queued(SCX_JL_FALLBACK_DSQ) > 0 ||
	    jl_dsq_due_before(SCX_JL_SHARED_DSQ, run->resume_projected) ||
	    ((u32)cpu < nr_cpu_dsqs && jl_dsq_due_before(cpu, run->resume_projected)))
		return false;
	run->resume_pid = 0;    /* one resume: it was due first, and if it cannot run now its decision will come */
	p = bpf_task_from_pid(pid);
	if (!p)
		return false;
	t = jl_task_of(p);
	if (t && !jl_decided(t) && t->slice && t->enq_cnt == run->resume_enq_cnt && (p->scx.flags & JL_TASK_QUEUED) &&
	    bpf_cpumask_test_cpu(cpu, p->cpus_ptr)) {
		t->enq_cnt++;
		t->decided_for = t->enq_cnt;
		/*
		 * It runs under the deadline it was projected with, as the daemon will compute it. Left at the one
		 * of its last decision, every later projection (here and in jl_keep_prev) forgot the runs between:
		 * the decisions meant to move it were all cancelled, and a nice 0 hog interrupted by a kworker every
		 * 25 ms kept its CPU for 9.8 s of 10 (simulator, VM-like machine; nice 0:5 3.6-4.1).
		 */
		t->deadline = run->resume_projected;
		jl_dsq_insert(p, JL_DSQ_LOCAL, t->slice, JL_ENQ_IMMED);
		jl_count(nr_resumed);
		resumed = true;
	}
	bpf_task_release(p);
	return resumed;
}

/*
 * The scheduling thread used up its slice and is still runnable: it is busy and every task waits for its decisions,
 * so it keeps the CPU for another slice, unless a higher class holds that CPU. The kernel calls ops.dispatch before
 * it enqueues the task it passes as prev: left to jl_enqueue_sched_thread, the thread reached DIRECT only after this
 * CPU had taken another task, and then waited for the next dispatch of any CPU, with a fixed-slice policy a whole
 * slice (VM, fifo transport and --policy=fifo under stress-ng: 13 waits of 20.07-20.8 ms in 90 s, each the thread
 * leaving CPU 1 still runnable while CPU 0 had just started a 20 ms slice; 2026-12-04).
 */
static __always_inline bool jl_keep_sched_thread(struct task_struct *prev, s32 cpu)
{
	if (!prev || !(prev->scx.flags & JL_TASK_QUEUED) || !jl_is_sched_thread(prev) || jl_cpu_released(cpu))
		return false;
	prev->scx.slice = jl_config.slice_ns;
	return true;
}

/*
 * Whether this CPU may take the scheduling thread from DIRECT: any CPU, unless it waits for the CPU it woke on
 * (jl_enqueue_sched_thread); then that CPU, or another once a higher class holds that one (jl_cpu_release kicks an
 * idle CPU for it) or once it has waited slice_min_ns (that CPU went offline, or runs a long slice it could not
 * preempt).
 */
static __always_inline bool jl_may_take_sched_thread(s32 cpu)
{
	u32 home = sched_thread_home;

	if (!home || home == (u32)cpu + 1)
		return true;
	return jl_cpu_released(home - 1) || bpf_ktime_get_ns() - sched_thread_home_ts > jl_config.slice_min_ns;
}

void JL_OPS(jl_dispatch, s32 cpu, struct task_struct *prev)
{
	struct jl_drain dr = { .budget = scx_bpf_dispatch_nr_slots(), .cpu = cpu };

	jl_drain(&dr);

	if (jl_keep_sched_thread(prev, cpu))
		goto took_other;
	if (jl_may_take_sched_thread(cpu) && jl_dsq_move_to_local_flags(SCX_JL_DIRECT_DSQ, JL_ENQ_IMMED))
		goto took_other;
	if (jl_keep_prev(prev, cpu))
		goto took_other;
	if (jl_resume_interrupted(cpu))
		goto took_other;
	/* Tasks that could not reach the daemon must not starve behind a busy shared queue. */
	if (scx_bpf_dsq_nr_queued(SCX_JL_FALLBACK_DSQ) > 0 && (bpf_get_prandom_u32() & 3) == 0 &&
	    jl_dsq_move_to_local(SCX_JL_FALLBACK_DSQ))
		goto took_other;
	/*
	 * This CPU's own DSQ and the shared one hold deadlines of the same policy: the earlier head goes first. Taking
	 * the own DSQ first whenever it had a task let pinned tasks (affinity churn) starve everything in the shared
	 * DSQ, the kworker that runs sched_ext's watchdog included: the scheduler was ejected.
	 */
	if (cpu >= 0 && (u32)cpu < nr_cpu_dsqs) {
		u64 own, shared;

		if (jl_dsq_head(cpu, &own) &&
		    !(jl_dsq_head(SCX_JL_SHARED_DSQ, &shared) && (s64)(shared - own) < 0) &&
		    jl_dsq_move_to_local_flags(cpu, JL_ENQ_IMMED))
			goto took_other;
	}
	if (jl_dsq_move_to_local_flags(SCX_JL_SHARED_DSQ, JL_ENQ_IMMED))
		return;
	if (cpu >= 0 && (u32)cpu < nr_cpu_dsqs && jl_dsq_move_to_local_flags(cpu, JL_ENQ_IMMED))
		goto took_other;
	jl_dsq_move_to_local(SCX_JL_FALLBACK_DSQ);
	return;
took_other:
	jl_took_other(dr.drained);
}

void JL_OPS(jl_runnable, struct task_struct *p, u64 enq_flags)
{
	struct jl_task *t = jl_task_of(p);

	if (!t)
		return;
	t->exec_runtime = 0;
	t->ready_ts = bpf_ktime_get_ns();
	if (!t->runnable_weight) {
		t->runnable_weight = p->scx.weight ? p->scx.weight : 1;
		__sync_fetch_and_add(&stats.runnable_weight, t->runnable_weight);
	}
}

void JL_OPS(jl_quiescent, struct task_struct *p, u64 deq_flags)
{
	struct jl_task *t = jl_task_of(p);

	if (t && t->runnable_weight) {
		__sync_fetch_and_sub(&stats.runnable_weight, t->runnable_weight);
		t->runnable_weight = 0;
	}
}

/*
 * A task that waited for more than a slice starts: was another CPU it may use idle all that slice? That is the
 * placement failure sched_ext's own schedulers avoid (a CPU idles while work waits), counted so that the VM
 * comparison can show it does not happen. Measured at the start of the late task only, so a CPU that idled for a
 * while but was busy again by then is not seen: a lower bound, exact for the case that matters (a CPU left idle
 * until the task finally ran elsewhere).
 */
static __always_inline void jl_check_idle_while_waiting(struct task_struct *p, struct jl_task *t, s32 this_cpu,
							 u64 now)
{
	struct jl_cpu_run *other;
	u32 i;

	if (!t->ready_ts || now - t->ready_ts <= jl_config.slice_ns)
		return;
	bpf_for(i, 0, nr_cpu_dsqs) {
		if ((s32)i == this_cpu)
			continue;
		other = jl_cpu_run_of(i);
		if (!other || !other->idle_since || now - other->idle_since <= jl_config.slice_ns ||
		    !bpf_cpumask_test_cpu(i, p->cpus_ptr))
			continue;
		jl_count(nr_idle_while_waiting);
		jl_debug("idle while waiting: pid %d waited %llu ns, cpu %u idle", p->pid, now - t->ready_ts, i);
		break;
	}
}

void JL_OPS(jl_running, struct task_struct *p)
{
	struct jl_task *t = jl_task_of(p);
	s32 this_cpu = scx_bpf_task_cpu(p);
	struct jl_cpu_run *run = jl_cpu_run_of(this_cpu);
	u64 now = bpf_ktime_get_ns();

	__sync_fetch_and_add(&stats.nr_running, 1);
	if (t) {
		jl_check_idle_while_waiting(p, t, this_cpu, now);
		/* Every task waiting for a decision waited as long: what jl_enqueue_sched_thread is built to prevent. */
		if (t->ready_ts && now - t->ready_ts > jl_config.slice_ns && jl_is_sched_thread(p)) {
			jl_count(nr_sched_thread_late);
			jl_debug("scheduling thread late: waited %llu ns, runs on cpu %d", now - t->ready_ts, this_cpu);
		}
		t->ready_ts = 0;
		t->start_ts = now;
		t->clock_ts = now;
	}
	if (jl_is_sched_thread(p))
		sched_thread_cut_armed = 0;
	/*
	 * The policy's clock: the latest deadline a CPU started. The vtime DSQs hand out the earliest deadline first,
	 * so this tracks the front of the runnable set, not the leader: a task that slept (or a new one) is placed
	 * relative to what runs now, and weights act (a clock that followed the largest vruntime ever sent lifted
	 * light tasks to the heavy ones). A racy max: a lost update is made good by the next start.
	 */
	if (t && (jl_decided(t) || (t->helper && !jl_is_sched_thread(p))) && (s64)(t->deadline - stats.vtime_now) > 0)
		stats.vtime_now = t->deadline;
	if (run) {
		/* The daemon and per-CPU kthreads never get decisions; checked anyway: they must never be preempted. */
		run->preemptible = t && jl_decided(t) && !jl_is_bpf_placed(p) && !jl_is_per_cpu_kthread(p);
		run->deadline = t ? t->deadline : 0;
		/*
		 * The scheduling thread waits in DIRECT, this CPU may take it, and a decided task starts here instead:
		 * one woken onto this CPU while it idled (jl_select_cpu puts it in the local DSQ, which the kernel runs
		 * without ops.dispatch), or one a dispatch took just before the thread was queued. jl_enqueue_sched_thread
		 * found nothing here to preempt then; the task gives way now, as it would have if already running, and
		 * resumes after the thread (jl_resume_interrupted). Left to run, it held the thread for its slice: 21.1 ms
		 * in the VM (fifo transport, a timer woke the thread on an idle CPU that a new stress-ng worker had just
		 * claimed; 2026-12-04), and in the simulator with IPIs of 0.5-1.5 ms, 13-16 ms waits 20-63 times in 30 s.
		 * Once per wake-up of the thread (sched_thread_cut_armed).
		 */
		if (sched_thread_cut_armed && run->preemptible && scx_bpf_dsq_nr_queued(SCX_JL_DIRECT_DSQ) > 0 &&
		    jl_may_take_sched_thread(this_cpu)) {
			sched_thread_cut_armed = 0;
			run->preemptible = 0;
			scx_bpf_kick_cpu(this_cpu, JL_KICK_PREEMPT);
			jl_count(nr_sched_thread_cuts);
		}
		/*
		 * A decided task due after the one that left runs here: that one's turn passed, it waits for its
		 * decision. One due before it (a woken task that preempted it) leaves the claim: when it sleeps, the
		 * interrupted task resumes. Clearing it at any decided start gave the CPU, each time a woken task
		 * (rcu_preempt, a kworker, the shell) preempted a nice 0 hog, to a nice 19 hog whose deadline was far
		 * ahead, and the clock jumped there: the nice 0 hogs were floored up to it (VM, 2 nice 0 and 2 nice 19
		 * hogs: up to 7 s of vruntime lifted per 2 s, nice 0:19 67-84 where the weights say 100).
		 */
		if (t && jl_decided(t) && !(run->resume_pid && (s64)(t->deadline - run->resume_projected) < 0))
			run->resume_pid = 0;
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
	if (runnable)
		t->ready_ts = now;
	t->exec_runtime += now - t->start_ts;
	t->run_total += now - t->start_ts;
	/* Still runnable: ops.enqueue comes next and sends its record (enq_cnt + 1), unless a higher class took the CPU. */
	if (run && runnable && jl_decided(t) && !jl_is_bpf_placed(p)) {
		run->resume_pid = p->pid;
		run->resume_enq_cnt = t->enq_cnt + 1;
		run->resume_projected = t->deadline + jl_unsent_charge(t, p, 0);
	}
	jl_advance_clock_for(t, now);
	if (t->helper)
		t->helper_vtime += (now - t->start_ts) * 100 / (p->scx.weight ? p->scx.weight : 1);
}

/*
 * A higher class (an RT or deadline task, the stop task) took this CPU; jl_cpu_acquire is its return. In between,
 * nothing that could run elsewhere is queued to it: the scheduling thread (jl_sched_thread_cpu), decisions for an
 * idle CPU (jl_on_decision). A decided task it interrupted comes back through ops.enqueue on 7.x, where it was
 * inserted with SCX_ENQ_IMMED (jl_requeue_decided). Nothing is re-enqueued from here: scx_bpf_reenqueue_local beside
 * an RT thread per CPU waking every ms got the scheduler ejected in the VM (2026-12-03, docs/reviews.md).
 */
void JL_OPS(jl_cpu_release, s32 cpu, struct scx_cpu_release_args *args)
{
	struct jl_cpu_run *run = jl_cpu_run_of(cpu);

	if (run)
		run->released = 1;
	/* The scheduling thread waited for this CPU: another takes it now (jl_may_take_sched_thread), an idle one at once. */
	if (sched_thread_home == (u32)cpu + 1 && scx_bpf_dsq_nr_queued(SCX_JL_DIRECT_DSQ) > 0) {
		sched_thread_home = 0;
		jl_kick_any_idle_cpu();
	}
}

void JL_OPS(jl_cpu_acquire, s32 cpu, struct scx_cpu_acquire_args *args)
{
	struct jl_cpu_run *run = jl_cpu_run_of(cpu);

	if (run)
		run->released = 0;
}

void JL_OPS(jl_update_idle, s32 cpu, bool idle)
{
	struct jl_cpu_run *run = jl_cpu_run_of(cpu);
	u32 word;
	u64 bit;

	if (run)
		run->idle_since = idle ? bpf_ktime_get_ns() : 0;
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
	rec.uid = jl_task_uid(p);
	__builtin_memcpy(rec.comm, p->comm, SCX_JL_COMM_LEN);
	if (jl_produce(&rec, false) != JL_PRODUCED)
		jl_count(nr_exit_notices_lost);
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
			scx_bpf_kick_cpu(w * 64 + __builtin_ctzll(bits), JL_KICK_IDLE);
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

/*
 * Our part of the kernel's state dump at an ejection: the clock and the queues the policy's order depends on. The
 * kernel ends a line at '\n' or at the end of the callback, so every line but the last needs its '\n'.
 */
void JL_OPS(jl_ops_dump, struct scx_dump_ctx *dctx)
{
	jl_dump("javaland: vtime_now=%llu runnable_weight=%lld queued=%llu user=%llu cancel=%llu congested=%llu\n",
		stats.vtime_now, stats.runnable_weight, stats.nr_queued, stats.nr_user_dispatches,
		stats.nr_cancel_dispatches, stats.nr_sched_congested);
	jl_dump("javaland: shared=%d direct=%d fallback=%d kept=%llu claim_lost=%llu",
		scx_bpf_dsq_nr_queued(SCX_JL_SHARED_DSQ), scx_bpf_dsq_nr_queued(SCX_JL_DIRECT_DSQ),
		scx_bpf_dsq_nr_queued(SCX_JL_FALLBACK_DSQ), stats.nr_kept_running, stats.nr_idle_claim_lost);
}

void JL_OPS(jl_ops_dump_task, struct scx_dump_ctx *dctx, struct task_struct *p)
{
	struct jl_task *t = jl_task_of(p);

	if (t)
		jl_dump("javaland: deadline=%llu decided=%llu helper=%llu enq_cnt=%llu slice=%llu rw=%llu",
			t->deadline, (u64)jl_decided(t), t->helper, t->enq_cnt, t->slice, t->runnable_weight);
}

void JL_OPS(jl_exit, struct scx_exit_info *ei)
{
	bpf_probe_read_kernel_str(uei.reason, sizeof(uei.reason), ei->reason);
	bpf_probe_read_kernel_str(uei.msg, sizeof(uei.msg), ei->msg);
	/* The kernel keeps its dump only in ei (not in its log): what every CPU ran when it gave up on us. */
	if (ei->dump)
		bpf_probe_read_kernel_str(uei.dump, sizeof(uei.dump), ei->dump);
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
	.quiescent      = (void *)jl_quiescent,
	.dump           = (void *)jl_ops_dump,
	.dump_task      = (void *)jl_ops_dump_task,
	.update_idle    = (void *)jl_update_idle,
	.cpu_acquire    = (void *)jl_cpu_acquire,
	.cpu_release    = (void *)jl_cpu_release,
	.init_task      = (void *)jl_init_task,
	.exit_task      = (void *)jl_exit_task,
	.init           = (void *)jl_init,
	.exit           = (void *)jl_exit,
	.flags          = SCX_OPS_KEEP_BUILTIN_IDLE,
	.timeout_ms     = 5000,
	.name           = "javaland",
};
