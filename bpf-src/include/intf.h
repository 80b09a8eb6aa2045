/* SPDX-License-Identifier: GPL-2.0 */
/*
 * intf.h: every byte layout shared between the BPF side and the Java daemon.
 *
 * This is the one place for these layouts. The Java twins live in
 * core/src/main/java/org/scxjavaland/core/wire/ and are checked against this
 * header by WireLayoutTest, which reads build/out/intf-layout.properties
 * (written by layout-dump.c, compiled by the host C compiler from this file).
 *
 * The header compiles in two worlds: BPF programs (types from vmlinux.h) and
 * host C (types from <linux/types.h>). All fields are naturally aligned and
 * every struct has explicit padding, so both compilers agree on the layout.
 */
#ifndef SCX_JAVALAND_INTF_H
#define SCX_JAVALAND_INTF_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define SCX_JL_MAX_CPUS         1024
#define SCX_JL_COMM_LEN         16
#define SCX_JL_IDLE_WORDS       (SCX_JL_MAX_CPUS / 64)

/* Custom DSQs: one per CPU (id = cpu), then these. */
#define SCX_JL_SHARED_DSQ       (SCX_JL_MAX_CPUS + 0)  /* vtime-ordered: decisions with cpu 'any', and the daemon's
                                                           other threads and kernel helpers at the current vtime */
#define SCX_JL_DIRECT_DSQ       (SCX_JL_MAX_CPUS + 1)  /* FIFO, consumed first: the scheduling thread only */
#define SCX_JL_FALLBACK_DSQ     (SCX_JL_MAX_CPUS + 2)  /* FIFO: tasks user space could not take (ring full) */

/* dispatched_task.cpu: let BPF pick the CPU. */
#define SCX_JL_CPU_ANY          (-1)
/* queued_task.cpu: this record is an exit notice (the task is gone; free its state). */
#define SCX_JL_CPU_EXITED       (-1)

/* rodata_config.transport */
#define SCX_JL_TRANSPORT_RINGBUF 0
#define SCX_JL_TRANSPORT_FIFO    1

/*
 * Kernel -> user: a task that wants a CPU (RINGBUF record, or QUEUE map value).
 * 112 bytes.
 */
struct scx_jl_queued_task {
	__s32 pid;
	__s32 cpu;              /* CPU it last ran on; SCX_JL_CPU_EXITED for an exit notice */
	__u64 nr_cpus_allowed;
	__u64 flags;            /* the enqueue flags (SCX_ENQ_*) */
	__u64 start_ts;         /* ns: when it last started running */
	__u64 stop_ts;          /* ns: when it last stopped running */
	__u64 exec_runtime;     /* ns run since it last slept */
	__u64 run_total;        /* ns run in all, as counted at each stop: the policy charges its growth between
				 * records, every piece of it (a run that a higher class interrupted resumes without
				 * a new enqueue, so the last [start_ts, stop_ts] is not all that ran) */
	__u64 weight;           /* 1..10000, 100 = nice 0 */
	__u64 vtime;            /* the task's vtime as the kernel holds it */
	__u64 enq_cnt;          /* enqueue generation, echoed back to detect stale decisions */
	__u64 enq_ts;           /* ns (CLOCK_MONOTONIC): when ops.enqueue queued it (the daemon's dispatch latency) */
	__u64 uid;              /* never the same for two tasks with this pid: p->scx.tid, else its fork time */
	char  comm[SCX_JL_COMM_LEN];
};

/*
 * dispatched_task.flags: this task may preempt the CPU running the latest deadline if that deadline is later
 * than its own (a decision to SCX_JL_CPU_ANY that finds no idle CPU), or the CPU its decision names (on the
 * same terms).
 */
#define SCX_JL_DF_PREEMPT       (1ULL << 0)

/*
 * User -> kernel: the decision for one task (USER_RINGBUF record, or QUEUE map value).
 * 40 bytes.
 */
struct scx_jl_dispatched_task {
	__s32 pid;
	__s32 cpu;              /* target CPU, or SCX_JL_CPU_ANY */
	__u64 flags;            /* SCX_JL_DF_*; never passed to the kernel as enqueue flags */
	__u64 slice_ns;         /* 0 = the configured default */
	__u64 vtime;            /* deadline: order in the vtime DSQs */
	__u64 enq_cnt;          /* copied from the queued record */
};

/*
 * Read-only configuration, section ".rodata.config": the daemon writes it
 * between open and load. The ops_off_* fields are filled in by the BPF
 * compiler (offsetof in the local struct sched_ext_ops) so that the daemon can
 * set flags, timeout and dump length in the struct_ops map without its own
 * copy of the kernel's layout.
 */
struct scx_jl_config {
	__u32 daemon_tgid;      /* every thread of this process is dispatched by BPF itself */
	__u32 transport;        /* SCX_JL_TRANSPORT_* */
	__u64 slice_ns;         /* default slice */
	__u32 nr_cpu_ids;
	__u32 verbose;
	__u32 khugepaged_pid;
	__u32 heartbeat_ms;     /* 0 = no heartbeat timer */
	__u32 ops_off_flags;
	__u32 ops_off_timeout_ms;
	__u32 ops_off_exit_dump_len;
	__u32 ops_off_name;
	__u32 sched_tid;        /* the scheduling thread: runs first everywhere, and preempts when it wakes */
	__u32 ops_off_hotplug_seq;
	__u64 slice_min_ns;     /* slice of the daemon's other threads and of the kernel helpers BPF places */
};

/*
 * Counters and shared state, section ".data.stats". BPF writes the counters;
 * the daemon writes nr_scheduled (tasks it holds) and reads the rest.
 */
struct scx_jl_stats {
	__u64 nr_queued;              /* records handed to user space */
	__u64 nr_user_dispatches;     /* user decisions inserted */
	__u64 nr_kernel_dispatches;   /* tasks BPF dispatched itself */
	__u64 nr_cancel_dispatches;   /* stale decisions (enq_cnt moved on, task gone) */
	__u64 nr_bounce_dispatches;   /* decision named a CPU the task may not use */
	__u64 nr_failed_dispatches;   /* malformed decision records */
	__u64 nr_sched_congested;     /* ring or queue full: task sent to the fallback DSQ */
	__u64 nr_exit_notices_lost;   /* exit notice could not be queued */
	__u64 nr_running;
	__u64 nr_online_cpus;
	__u64 nr_heartbeats;
	__u64 nr_daemon_wakeups;      /* forced wake-ups of the daemon (heartbeat) */
	__u64 nr_preempt_kicks;       /* CPUs kicked with SCX_KICK_PREEMPT for a SCX_JL_DF_PREEMPT decision */
	__u64 nr_scheduled;           /* written by the daemon */
	__u64 vtime_now;              /* the latest deadline a CPU started a user-decided task with (the policy's clock) */
	__u64 nr_idle_claim_lost;     /* decision named an idle CPU that was no longer idle: sent to the shared DSQ */
	__u64 nr_kept_running;        /* slice ended, nothing waiting was due before it: the CPU kept running it */
	__s64 runnable_weight;        /* sum of the weights of the runnable tasks (ops.runnable .. ops.quiescent) */
	__u64 nr_direct_wakeups;      /* woken onto an idle CPU with nothing waiting: placed by BPF, not the daemon */
	__u64 nr_idle_while_waiting;  /* a task started after waiting > slice_ns while a CPU it may use idled > slice_ns */
	__u64 nr_resumed;             /* a decided task something else interrupted, run again before its decision came */
	__u64 nr_requeued;            /* a decided task a higher class took the CPU from (7.x IMMED): to the shared DSQ */
	__u64 nr_decision_races;      /* a decision applied while its task's own CPU enqueued it again (review S6) */
	__u64 nr_sched_thread_late;   /* the scheduling thread started more than slice_ns after it became runnable */
	__u64 nr_sched_thread_cuts;   /* a decided task starting where the waiting scheduling thread may run: cut for it */
	__u64 idle_cpus[SCX_JL_IDLE_WORDS]; /* bit per CPU, kept by ops.update_idle */
};

#define SCX_JL_EXIT_REASON_LEN 128
#define SCX_JL_EXIT_MSG_LEN    1024
/*
 * The kernel's state dump (every CPU's tasks and DSQs) at an ejection, as long as the kernel's default dump (32 KiB):
 * at 16 KiB the list of tasks was cut on a busy machine. A longer --exit-dump-len is cut here.
 */
#define SCX_JL_EXIT_DUMP_LEN   32768

/*
 * Why the scheduler stopped, section ".data.uei". ops.exit fills reason, msg
 * and exit_code, then publishes kind last, so a non-zero kind means the rest
 * is complete.
 */
struct scx_jl_exit_info {
	__s32 kind;             /* SCX_EXIT_*; 0 = still running */
	__u32 pad;
	__s64 exit_code;        /* user code | reason << 32 | action << 48 */
	char  reason[SCX_JL_EXIT_REASON_LEN];
	char  msg[SCX_JL_EXIT_MSG_LEN];
	char  dump[SCX_JL_EXIT_DUMP_LEN];   /* empty when the kernel made none (orderly exits) */
};

/*
 * Decision latency histogram of the observer (observe.bpf.c): log-linear buckets, 2^SCX_JL_LAT_SUB_BITS per power
 * of two (12.5 % wide). Bucket i < 8 holds exactly i ns; above, bucket (e - 2) * 8 + m holds the values whose
 * highest set bit is e and whose next three bits are m. The last bucket also takes everything larger (> 4 s).
 */
#define SCX_JL_LAT_SUB_BITS     3
#define SCX_JL_LAT_BUCKETS      256

/*
 * Counters of the observer, section ".data.observe" (the scheduler's counters stay in ".data.stats", which the
 * observer fills as the scheduler would). BPF writes the counters, the daemon reads them and writes
 * stop_producing. Every event is a record the observer tried to hand to the daemon: nr_events = nr_produced +
 * nr_dropped.
 */
struct scx_jl_observe_stats {
	__u64 nr_events;
	__u64 nr_wakeups;             /* sched_wakeup */
	__u64 nr_wakeups_new;         /* sched_wakeup_new */
	__u64 nr_preempted;           /* sched_switch away from a task that stays runnable */
	__u64 nr_exits;               /* sched_process_exit of a task the daemon has heard of (an exit notice) */
	__u64 nr_produced;            /* records written into the channel, exit notices included */
	__u64 nr_dropped;             /* records the channel had no room for */
	__u64 nr_untracked;           /* events of tasks the state map had no room for (sent with empty run figures) */
	__u64 nr_drained;             /* decisions BPF took from the channel */
	__u64 nr_latency_samples;     /* decisions matched to their record: the histogram's total */
	__u64 latency_max_ns;
	__u64 stop_producing;         /* written by the daemon: 1 = no more records, only drain (it is about to stop) */
	__u64 latency_hist[SCX_JL_LAT_BUCKETS]; /* record produced -> its decision read back by BPF */
};

/*
 * Harness program context (host tests only): BPF_PROG_TEST_RUN passes this as
 * the syscall program's ctx. The harness plays the kernel side of the
 * transports without sched_ext.
 */
struct scx_jl_harness_ctx {
	__u32 op;               /* SCX_JL_HARNESS_OP_* */
	__u32 count;            /* records to produce, or at most to drain */
	__u64 first_pid;        /* produced records carry pid = first_pid + i, enq_cnt = i */
	__u64 discard_every;    /* produce: discard every n-th reserved record (0 = never) */
	__u64 exit_every;       /* produce: record i is an exit notice when (i + 1) % n == 0 (0 = never) */
	__u64 produced;         /* out */
	__u64 dropped;          /* out: ring or queue full */
	__u64 drained;          /* out: decisions consumed */
	__u64 checksum;         /* out: sum over drained decisions of pid ^ enq_cnt ^ slice_ns ^ vtime */
	__u64 hold_loops;       /* produce input, ringbuf: the first record stays reserved (BUSY) this many loop turns */
};

#define SCX_JL_HARNESS_OP_PRODUCE       1
#define SCX_JL_HARNESS_OP_DRAIN         2
#define SCX_JL_HARNESS_OP_PRODUCE_INPUT 3   /* produce the first count records of the input section, as written */

/* Records in the harness's input section (.data.harness_input), which user space writes. */
#define SCX_JL_HARNESS_INPUT_MAX 256

#endif /* SCX_JAVALAND_INTF_H */
