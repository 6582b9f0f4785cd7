/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_PREEMPT_H
#define _LINUX_PREEMPT_H

/*
 * Preemption control.  Each CPU counts the reasons its current task must
 * not be switched out involuntarily: the low bits count preempt_disable()
 * nesting (spinlocks hold one), bits 16-23 count event upcalls in progress.
 * A task is preempted only when the count is zero and events are unmasked:
 * on return from an upcall, or when preempt_enable() brings the count back
 * to zero with a reschedule pending.
 *
 * The count lives in struct percpu rather than in the task: every context
 * switch happens at the same count (one, inside the scheduler), so the
 * value a task sees on its CPU is always its own.  An upcall that
 * interrupts a read-modify-write of the count puts it back as it found it
 * before returning, so plain increments are safe.
 */
#include <linux/percpu.h>

#define PREEMPT_MASK	0x0000ffff
#define HARDIRQ_OFFSET	0x00010000
#define HARDIRQ_MASK	0x00ff0000

static __always_inline int preempt_count(void)
{
	return READ_ONCE(this_cpu()->preempt_count);
}

static __always_inline void preempt_count_add(int n)
{
	struct percpu *p = this_cpu();

	WRITE_ONCE(p->preempt_count, p->preempt_count + n);
}

static __always_inline bool need_resched(void)
{
	return READ_ONCE(this_cpu()->need_resched);
}

void preempt_schedule(void);

#define preempt_disable()						\
	do {								\
		preempt_count_add(1);					\
		barrier();						\
	} while (0)

#define preempt_enable_no_resched()					\
	do {								\
		barrier();						\
		preempt_count_add(-1);					\
	} while (0)

#define preempt_enable()						\
	do {								\
		barrier();						\
		preempt_count_add(-1);					\
		if (unlikely(!preempt_count() && need_resched()))	\
			preempt_schedule();				\
	} while (0)

/* Inside an event upcall (an "interrupt"). */
#define in_interrupt()		(preempt_count() & HARDIRQ_MASK)
/* Sleeping is forbidden: preemption is off or we are in an upcall. */
#define in_atomic()		(preempt_count() != 0)

#define irq_enter()		preempt_count_add(HARDIRQ_OFFSET)
#define irq_exit()		preempt_count_add(-HARDIRQ_OFFSET)

#endif
