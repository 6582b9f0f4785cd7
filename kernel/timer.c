// SPDX-License-Identifier: MIT
/*
 * Kernel timers, sleeping with a timeout, msleep.
 *
 * Each CPU has a timer base: its pending timers sorted by expiry, under a
 * lock (other CPUs may delete timers from it).  The hypervisor gives each
 * vCPU a single one-shot timer, and the base keeps it at or before its
 * earliest expiry: a timer that becomes the first one reprograms it, a
 * deleted first timer leaves it early, which only costs a spurious timer
 * event.  That event (VIRQ_TIMER, arch/x86/xen/time.c) runs every timer
 * that is due, with the base unlocked around each handler so that
 * handlers may arm timers, then reprograms for the next one.
 *
 * The hypervisor fires when its clock passes the deadline and refreshes
 * our clock record before it tells us, so "due" by our clock holds for
 * the timer that fired; if ever it did not, reprogramming for the same
 * deadline makes the hypervisor fire again at once.
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/time.h>
#include <linux/timer.h>
#include <asm/processor.h>

struct timer_base {
	spinlock_t lock;
	struct list_head pending;	/* sorted by expiry, FIFO among equals */
	struct timer_list *running;	/* handler being run, or NULL */
} __aligned(64);

static struct timer_base timer_bases[NR_CPUS];

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *t))
{
	INIT_LIST_HEAD(&t->entry);
	t->function = fn;
	t->expires = 0;
	t->cpu = 0;
	t->pending = false;
}

bool del_timer(struct timer_list *t)
{
	struct timer_base *b;
	unsigned long flags;
	bool was = false;

	if (!timer_pending(t))
		return false;
	b = &timer_bases[READ_ONCE(t->cpu)];
	local_irq_save(flags);
	arch_spin_lock(&b->lock);
	if (t->pending && &timer_bases[t->cpu] == b) {
		list_del_init(&t->entry);
		WRITE_ONCE(t->pending, false);
		was = true;
	}
	arch_spin_unlock(&b->lock);
	local_irq_restore(flags);
	return was;
}

/* Never from the timer's own handler: that would wait for itself. */
bool del_timer_sync(struct timer_list *t)
{
	bool was = del_timer(t);
	unsigned int spins = 0;
	unsigned int cpu = READ_ONCE(t->cpu);

	if (cpu != smp_processor_id())
		while (READ_ONCE(timer_bases[cpu].running) == t)
			cpu_relax_yield(&spins);
	return was;
}

bool mod_timer(struct timer_list *t, u64 expires)
{
	bool was = del_timer(t);
	struct timer_list *pos;
	struct timer_base *b;
	unsigned long flags;

	local_irq_save(flags);
	b = &timer_bases[smp_processor_id()];
	arch_spin_lock(&b->lock);
	t->expires = expires;
	t->cpu = smp_processor_id();
	list_for_each_entry(pos, &b->pending, entry)
		if (pos->expires > expires)
			break;
	list_add_tail(&t->entry, &pos->entry);
	WRITE_ONCE(t->pending, true);
	if (b->pending.next == &t->entry)
		xen_timer_set_oneshot(expires);
	arch_spin_unlock(&b->lock);
	local_irq_restore(flags);
	return was;
}

/* The timer event of this CPU, in its upcall: run what is due. */
static void run_local_timers(void)
{
	struct timer_base *b = &timer_bases[smp_processor_id()];

	arch_spin_lock(&b->lock);
	while (!list_empty(&b->pending)) {
		struct timer_list *t = list_first_entry(&b->pending,
							struct timer_list,
							entry);

		if (t->expires > xen_clocksource_read()) {
			xen_timer_set_oneshot(t->expires);
			break;
		}
		list_del_init(&t->entry);
		WRITE_ONCE(t->pending, false);
		WRITE_ONCE(b->running, t);
		arch_spin_unlock(&b->lock);
		t->function(t);
		arch_spin_lock(&b->lock);
		WRITE_ONCE(b->running, NULL);
	}
	arch_spin_unlock(&b->lock);
}

void timers_resume_this_cpu(void)
{
	struct timer_base *b = &timer_bases[smp_processor_id()];
	unsigned long flags;

	local_irq_save(flags);
	arch_spin_lock(&b->lock);
	if (!list_empty(&b->pending))
		xen_timer_set_oneshot(list_first_entry(&b->pending,
						       struct timer_list,
						       entry)->expires);
	arch_spin_unlock(&b->lock);
	local_irq_restore(flags);
}

void timers_init(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		spin_lock_init(&timer_bases[cpu].lock);
		INIT_LIST_HEAD(&timer_bases[cpu].pending);
	}
	xen_set_timer_handler(run_local_timers);
}

struct process_timer {
	struct timer_list timer;
	struct task_struct *task;
};

static void process_timeout(struct timer_list *t)
{
	wake_up_process(container_of(t, struct process_timer, timer)->task);
}

/*
 * Sleeps in the state the caller set until woken or timeout_ns have
 * passed; returns the time left (0 once the timeout has passed).
 */
u64 schedule_timeout(u64 timeout_ns)
{
	struct process_timer pt;
	u64 deadline, now;

	if (timeout_ns == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout_ns;
	}
	now = xen_clocksource_read();
	deadline = now + timeout_ns < now ? ~0ULL - 1 : now + timeout_ns;
	timer_setup(&pt.timer, process_timeout);
	pt.task = current;
	mod_timer(&pt.timer, deadline);
	schedule();
	del_timer_sync(&pt.timer);
	now = xen_clocksource_read();
	return deadline > now ? deadline - now : 0;
}

void msleep(unsigned int ms)
{
	u64 left = (u64)ms * NSEC_PER_MSEC;

	while (left) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		left = schedule_timeout(left);
	}
}
