/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H

/*
 * Tasks and the scheduler (kernel/sched.c).
 *
 * Every task is a kernel thread bound to one CPU for life.  Each CPU has a
 * run queue of the tasks ready to run there, an idle task that runs when
 * the queue is empty, and picks the queued task that has had the least CPU
 * time (its "vruntime").  A task gives the CPU up by sleeping (schedule()
 * after setting its state), by yield(), or involuntarily: when a woken
 * task has had clearly less CPU time than the running one, or when the
 * running one has used up its slice while others wait.  Involuntary
 * switches happen only where preemption is allowed (linux/preempt.h).
 */
#include <linux/types.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/completion.h>
#include <linux/task_state.h>

#define TASK_COMM_LEN		16
#define MAX_SCHEDULE_TIMEOUT	(~0ULL)

#define PF_IDLE			0x1
#define PF_KTHREAD		0x2
#define PF_FREEZABLE		0x4	/* stops in try_to_freeze() (linux/freezer.h) */
#define PF_FROZEN		0x8	/* ... and is stopped there now */
#define PF_STOPPER		0x10	/* a CPU's stopper: runs before anything else */

/* Saved by the context switch (asm/switch_to.h). */
struct thread_struct {
	unsigned long sp;
};

struct task_struct {
	struct thread_struct thread;	/* first: the switch code uses offset 0 */
	unsigned int state;		/* TASK_*; written under the rq lock or by itself */
	unsigned int cpu;		/* the CPU it is bound to */
	unsigned int flags;		/* PF_* */
	int on_rq;			/* runnable: queued or running */
	int on_cpu;			/* its stack is in use on its CPU */
	struct list_head run_list;	/* in its run queue while queued */
	u64 vruntime;			/* CPU time, ns, on its queue's scale */
	u64 exec_start;			/* when it last started running */
	u64 sum_exec_runtime;		/* CPU time in total, ns */
	unsigned long nvcsw;		/* switches away because it slept */
	unsigned long nivcsw;		/* switches away because it was preempted */
	void *stack;			/* lowest address of THREAD_SIZE bytes */
	int (*fn)(void *arg);		/* kthread body */
	void *fn_arg;
	int exit_code;
	bool woken;			/* wake_up_process() has run on it */
	bool should_stop;		/* kthread_stop() was called */
	bool stopped_unstarted;		/* ... before anyone woke it */
	struct completion exited;	/* completed by do_exit() */
	struct list_head freeze_list;	/* on the freezer's list if freezable */
	unsigned int mfn_held;		/* mfn_hold_begin() nesting (linux/freezer.h) */
	char comm[TASK_COMM_LEN];
};

static __always_inline struct task_struct *get_current(void)
{
	return this_cpu()->curr;
}
#define current get_current()

/* Marks the caller asleep; the full barrier orders it before the test. */
#define set_current_state(s)						\
	do {								\
		WRITE_ONCE(current->state, (s));			\
		__atomic_thread_fence(__ATOMIC_SEQ_CST);		\
	} while (0)
#define __set_current_state(s)	WRITE_ONCE(current->state, (s))

extern struct task_struct init_task;

void sched_init(void);
/* Prepares cpu's idle task; for a secondary CPU it is what the CPU starts on. */
struct task_struct *init_idle(unsigned int cpu);
/* The idle loop of the calling CPU. */
void __noreturn cpu_startup_entry(void);

void schedule(void);
void yield(void);
u64 schedule_timeout(u64 timeout_ns);
bool wake_up_process(struct task_struct *p);
void preempt_schedule_irq(void);
/* On the way out of an event upcall: switch tasks if one is due. */
void irqentry_exit_cond_resched(void);
/* Handler of the reschedule IPI. */
void scheduler_ipi(void);
void __noreturn do_exit(int code);
/* Places a new task on its CPU's vruntime scale; before it first runs. */
void sched_fork(struct task_struct *p);
unsigned long nr_context_switches(unsigned int cpu);
/* Tasks waiting on cpu's run queue, besides the one running. */
unsigned int nr_queued(unsigned int cpu);
/* The name of the task cpu runs now (a snapshot, for diagnostics). */
const char *cpu_curr_comm(unsigned int cpu);

/* Called on a new task's stack by its first switch-in (asm/switch_to.h). */
void schedule_tail(struct task_struct *prev);
void __noreturn kthread_main(void);

/* Task memory (kernel/fork.c). */
struct task_struct *alloc_task_struct(void);
void free_task_struct(struct task_struct *p);
void task_stack_init(struct task_struct *p);
bool task_stack_corrupted(const struct task_struct *p);
unsigned int nr_free_tasks(void);

#endif
