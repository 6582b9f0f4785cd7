// SPDX-License-Identifier: MIT
/*
 * The scheduler.
 *
 * Run queues.  Each CPU has one: the tasks bound to it that are ready to
 * run, not counting the one running, plus its idle task, which runs when
 * nothing else can and is never queued.  Tasks never change CPU, so a
 * task's run queue is fixed and every operation on a task takes exactly
 * one run queue lock: no lock ordering between run queues exists.
 *
 * Picking.  Every task accumulates "vruntime", the CPU time it used, and
 * the queued task with the least runs next.  A task that slept is given a
 * vruntime no lower than the queue's minimum less half a slice, so a long
 * sleep earns a quick turn but no monopoly.  A woken task preempts the
 * running one if its vruntime is lower by more than the wake-up
 * granularity; otherwise the running task keeps the CPU until its slice
 * ends (the per-CPU tick timer, armed only while others are waiting).
 *
 * The switch.  The task that leaves takes its run queue lock with events
 * masked and the task that arrives releases it (finish_task_switch, or
 * schedule_tail for a task's very first run), so nothing sees a half-done
 * switch, and wake_up_process() on another CPU waits until the task it
 * wakes is fully switched out.  on_cpu says whether a task's stack is still
 * in use; an exited task is freed only once it is clear (kthread_stop).
 *
 * Sleeping.  A task sets its state, then tests its wait condition, then
 * calls schedule(), which takes it off the run queue only if its state is
 * still not TASK_RUNNING under the run queue lock.  wake_up_process() sets
 * TASK_RUNNING under the same lock, so a wake-up between the test and
 * schedule() simply cancels the sleep.
 *
 * Stoppers.  Each CPU has one stopper thread (kernel/stop_machine.c),
 * which must run as soon as the CPU reaches a schedule point: it is picked
 * before any other queued task, and waking it always preempts.  This is
 * what makes a CPU park only where its running task can be switched out,
 * never inside a section with preemption disabled.
 *
 * Preemption.  Involuntary switches (__schedule(true)) never take a task
 * off the run queue, whatever its state says: a task preempted while on its
 * way to sleep is still runnable.  They happen when need_resched is set and
 * the preempt count is zero, either in preempt_enable() or on the way out
 * of an event upcall (irqentry_exit_cond_resched, called from entry_64.S
 * with events still masked).  A remote CPU asks for one with the
 * reschedule IPI; the IPI handler re-evaluates its own queue.
 */
#include <linux/kernel.h>
#include <linux/freezer.h>
#include <linux/string.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/time.h>
#include <linux/timer.h>
#include <asm/irqflags.h>
#include <asm/layout.h>
#include <asm/processor.h>
#include <asm/switch_to.h>

#define SCHED_SLICE_NS		(4 * NSEC_PER_MSEC)
#define SCHED_WAKEUP_GRAN_NS	(1 * NSEC_PER_MSEC)
#define SCHED_SLEEPER_CREDIT_NS	(SCHED_SLICE_NS / 2)

struct rq {
	spinlock_t lock;
	unsigned int cpu;
	struct list_head queue;		/* runnable, not running */
	unsigned int nr_queued;
	struct task_struct *curr;
	struct task_struct *idle;
	u64 min_vruntime;		/* never decreases */
	struct timer_list tick;		/* end of the running task's slice */
	unsigned long nr_switches;
} __aligned(64);

static struct rq runqueues[NR_CPUS];
static struct task_struct idle_tasks[NR_CPUS];
static u8 idle_stacks[NR_CPUS][THREAD_SIZE] __aligned(PAGE_SIZE);

extern char init_stack[];

/* The boot context of CPU 0, which becomes the task that runs init. */
struct task_struct init_task = {
	.state = TASK_RUNNING,
	.on_rq = 1,
	.on_cpu = 1,
	.run_list = LIST_HEAD_INIT(init_task.run_list),
	.stack = init_stack,
	.exited = COMPLETION_INITIALIZER(init_task.exited),
	.comm = "init",
};

static inline struct rq *cpu_rq(unsigned int cpu)
{
	return &runqueues[cpu];
}

static inline struct rq *this_rq(void)
{
	return cpu_rq(smp_processor_id());
}

static void resched_curr(struct rq *rq)
{
	WRITE_ONCE(per_cpu(rq->cpu)->need_resched, true);
}

static void update_min_vruntime(struct rq *rq)
{
	struct task_struct *p, *curr = rq->curr;
	bool have = false;
	u64 min = 0;

	if (curr != rq->idle && curr->on_rq) {
		min = curr->vruntime;
		have = true;
	}
	list_for_each_entry(p, &rq->queue, run_list) {
		if (!have || p->vruntime < min) {
			min = p->vruntime;
			have = true;
		}
	}
	if (have && min > rq->min_vruntime)
		rq->min_vruntime = min;
}

/* Charges the running task for the time since it was last charged. */
static void update_curr(struct rq *rq, u64 now)
{
	struct task_struct *curr = rq->curr;
	u64 delta;

	if (now <= curr->exec_start)
		return;
	delta = now - curr->exec_start;
	curr->exec_start = now;
	curr->sum_exec_runtime += delta;
	if (curr == rq->idle)
		return;
	curr->vruntime += delta;
	update_min_vruntime(rq);
}

static void enqueue_task(struct rq *rq, struct task_struct *p)
{
	list_add_tail(&p->run_list, &rq->queue);
	rq->nr_queued++;
}

static void dequeue_task(struct rq *rq, struct task_struct *p)
{
	list_del_init(&p->run_list);
	rq->nr_queued--;
}

static struct task_struct *first_queued(struct rq *rq)
{
	struct task_struct *p, *best = NULL;

	list_for_each_entry(p, &rq->queue, run_list) {
		if (p->flags & PF_STOPPER)
			return p;
		if (!best || p->vruntime < best->vruntime)
			best = p;
	}
	return best;
}

static struct task_struct *pick_next_task(struct rq *rq)
{
	struct task_struct *next = first_queued(rq);

	if (!next)
		return rq->idle;
	dequeue_task(rq, next);
	return next;
}

/* A woken task's credit for sleeping is at most half a slice. */
static void place_woken(struct rq *rq, struct task_struct *p)
{
	u64 floor = rq->min_vruntime > SCHED_SLEEPER_CREDIT_NS ?
		    rq->min_vruntime - SCHED_SLEEPER_CREDIT_NS : 0;

	if (p->vruntime < floor)
		p->vruntime = floor;
}

/* Starts a slice timer if tasks wait behind a running one; rq is ours. */
static void arm_tick(struct rq *rq, u64 now)
{
	if (rq->curr != rq->idle && rq->nr_queued && !timer_pending(&rq->tick))
		mod_timer(&rq->tick, now + SCHED_SLICE_NS);
}

/* Should queued task p take the CPU from the running one?  rq is ours. */
static void check_preempt_curr(struct rq *rq, struct task_struct *p, u64 now)
{
	struct task_struct *curr = rq->curr;

	if (curr == rq->idle || (p->flags & PF_STOPPER)) {
		resched_curr(rq);
		return;
	}
	update_curr(rq, now);
	if (p->vruntime + SCHED_WAKEUP_GRAN_NS < curr->vruntime)
		resched_curr(rq);
}

static void sched_tick(struct timer_list *t)
{
	struct rq *rq = container_of(t, struct rq, tick);

	arch_spin_lock(&rq->lock);
	if (rq->curr != rq->idle && rq->nr_queued)
		resched_curr(rq);
	arch_spin_unlock(&rq->lock);
}

void scheduler_ipi(void)
{
	struct rq *rq = this_rq();
	u64 now = xen_clocksource_read();
	struct task_struct *p;

	arch_spin_lock(&rq->lock);
	p = first_queued(rq);
	if (p) {
		check_preempt_curr(rq, p, now);
		arm_tick(rq, now);
	}
	arch_spin_unlock(&rq->lock);
}

bool wake_up_process(struct task_struct *p)
{
	struct rq *rq = cpu_rq(p->cpu);
	bool woken = false, kick = false;
	unsigned long flags;

	preempt_disable();
	local_irq_save(flags);
	arch_spin_lock(&rq->lock);
	if (p->state != TASK_RUNNING && p->state != TASK_DEAD) {
		WRITE_ONCE(p->state, TASK_RUNNING);
		WRITE_ONCE(p->woken, true);
		woken = true;
		if (!p->on_rq) {
			p->on_rq = 1;
			place_woken(rq, p);
			enqueue_task(rq, p);
			if (rq->cpu == smp_processor_id()) {
				u64 now = xen_clocksource_read();

				check_preempt_curr(rq, p, now);
				arm_tick(rq, now);
			} else {
				kick = true;
			}
		}
	}
	arch_spin_unlock(&rq->lock);
	if (kick)
		arch_send_reschedule_ipi(rq->cpu);
	local_irq_restore(flags);
	preempt_enable();
	return woken;
}

/* Gives a new task its place on its CPU's scale; before its first wake-up. */
void sched_fork(struct task_struct *p)
{
	p->vruntime = READ_ONCE(cpu_rq(p->cpu)->min_vruntime);
	p->on_rq = 0;
	p->on_cpu = 0;
}

/* Second half of a switch, on the new task's stack: see the file comment. */
static void finish_task_switch(struct task_struct *prev)
{
	struct rq *rq = this_rq();

	__atomic_store_n(&prev->on_cpu, 0, __ATOMIC_RELEASE);
	arch_spin_unlock(&rq->lock);
	local_irq_enable();
}

void schedule_tail(struct task_struct *prev)
{
	finish_task_switch(prev);
	preempt_enable();
}

/*
 * Picks the next task and switches to it.  The caller has preemption
 * disabled once; events may be masked or not and are unmasked on return.
 */
static void __schedule(bool preempt)
{
	struct percpu *pc = this_cpu();
	struct rq *rq = cpu_rq(pc->cpu);
	struct task_struct *prev = pc->curr, *next;
	u64 now;

	local_irq_disable();
	arch_spin_lock(&rq->lock);
	if (unlikely(task_stack_corrupted(prev)))
		panic("stack overflow in task %s", prev->comm);
	now = xen_clocksource_read();
	update_curr(rq, now);
	if (prev != rq->idle) {
		if (!preempt && prev->state != TASK_RUNNING) {
			prev->on_rq = 0;
			prev->nvcsw++;
		} else {
			enqueue_task(rq, prev);
			if (preempt)
				prev->nivcsw++;
		}
	}
	WRITE_ONCE(pc->need_resched, false);
	next = pick_next_task(rq);
	next->exec_start = now;
	if (next != rq->idle && rq->nr_queued)
		mod_timer(&rq->tick, now + SCHED_SLICE_NS);
	else if (timer_pending(&rq->tick))
		del_timer(&rq->tick);
	if (next == prev) {
		arch_spin_unlock(&rq->lock);
		local_irq_enable();
		return;
	}
	rq->curr = next;
	pc->curr = next;
	next->on_cpu = 1;
	rq->nr_switches++;
	prev = __switch_to_asm(prev, next);
	finish_task_switch(prev);
}

void schedule(void)
{
	if (unlikely(in_atomic() || irqs_disabled()))
		panic("schedule() in atomic context: task %s, preempt count %#x, events %s",
		      current->comm, preempt_count(),
		      irqs_disabled() ? "masked" : "unmasked");
	do {
		preempt_disable();
		__schedule(false);
		preempt_enable_no_resched();
	} while (need_resched());
}

void preempt_schedule(void)
{
	if (preempt_count() || irqs_disabled())
		return;
	do {
		preempt_disable();
		__schedule(true);
		preempt_enable_no_resched();
	} while (need_resched());
}

/* From an upcall's exit with events masked; returns with them masked. */
void preempt_schedule_irq(void)
{
	do {
		preempt_disable();
		__schedule(true);
		local_irq_disable();
		preempt_enable_no_resched();
	} while (need_resched());
}

void irqentry_exit_cond_resched(void)
{
	if (!preempt_count() && need_resched())
		preempt_schedule_irq();
}

/*
 * Lets every other runnable task on this CPU run before the caller runs
 * again; with none, offers the physical CPU to other vCPUs instead.
 */
void yield(void)
{
	struct task_struct *p, *curr = current;
	unsigned long flags;
	struct rq *rq;
	bool others;

	preempt_disable();
	local_irq_save(flags);
	rq = this_rq();
	arch_spin_lock(&rq->lock);
	others = rq->nr_queued != 0;
	if (others) {
		update_curr(rq, xen_clocksource_read());
		list_for_each_entry(p, &rq->queue, run_list)
			if (curr->vruntime <= p->vruntime)
				curr->vruntime = p->vruntime + 1;
	}
	arch_spin_unlock(&rq->lock);
	local_irq_restore(flags);
	preempt_enable_no_resched();
	if (others)
		schedule();
	else
		arch_cpu_yield();
}

void __noreturn do_exit(int code)
{
	struct task_struct *tsk = current;

	freezer_task_exit(tsk);
	tsk->exit_code = code;
	/* Not preempted from here on: on_cpu must only clear once we are gone. */
	preempt_disable();
	complete(&tsk->exited);
	set_current_state(TASK_DEAD);
	__schedule(false);
	panic("task %s ran after it exited", tsk->comm);
}

/* The idle loop: sleep in the hypervisor until an event brings work. */
void __noreturn cpu_startup_entry(void)
{
	for (;;) {
		while (!need_resched()) {
			local_irq_disable();
			if (need_resched()) {
				local_irq_enable();
				break;
			}
			arch_safe_halt();
		}
		schedule();
	}
}

static int idle_thread_fn(void *unused)
{
	cpu_startup_entry();
}

struct task_struct *init_idle(unsigned int cpu)
{
	struct task_struct *idle;
	struct rq *rq;

	if (cpu >= NR_CPUS)
		panic("init_idle: no CPU %u in this kernel", cpu);
	idle = &idle_tasks[cpu];
	rq = cpu_rq(cpu);
	memset(idle, 0, sizeof(*idle));
	idle->state = TASK_RUNNING;
	idle->cpu = cpu;
	idle->flags = PF_IDLE;
	idle->stack = idle_stacks[cpu];
	INIT_LIST_HEAD(&idle->run_list);
	init_completion(&idle->exited);
	snprintf(idle->comm, sizeof(idle->comm), "idle/%u", cpu);
	task_stack_init(idle);
	rq->idle = idle;
	if (cpu == 0) {
		/* CPU 0 runs init; its idle task starts on first switch. */
		idle->fn = idle_thread_fn;
		arch_prepare_task_stack(idle);
	} else {
		/* A secondary CPU starts life as its idle task. */
		idle->on_cpu = 1;
		rq->curr = idle;
		per_cpu(cpu)->curr = idle;
	}
	return idle;
}

void sched_init(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		struct rq *rq = cpu_rq(cpu);

		spin_lock_init(&rq->lock);
		rq->cpu = cpu;
		INIT_LIST_HEAD(&rq->queue);
		timer_setup(&rq->tick, sched_tick);
	}
	task_stack_init(&init_task);
	init_task.exec_start = xen_clocksource_read();
	cpu_rq(0)->curr = &init_task;
	init_idle(0);
}

unsigned long nr_context_switches(unsigned int cpu)
{
	return READ_ONCE(cpu_rq(cpu)->nr_switches);
}

unsigned int nr_queued(unsigned int cpu)
{
	return READ_ONCE(cpu_rq(cpu)->nr_queued);
}

const char *cpu_curr_comm(unsigned int cpu)
{
	const struct task_struct *p = READ_ONCE(cpu_rq(cpu)->curr);

	return p ? p->comm : "(none)";
}
