// SPDX-License-Identifier: MIT
/*
 * The freezer.  Suspend must not catch a task holding a machine frame
 * number the toolstack cannot see: in a register, on its stack, between
 * reading a pagetable entry and writing the next.  Linux solves this by
 * making tasks stop at points they choose (try_to_freeze()); so do we,
 * for the kthreads that ask for it (set_freezable()).  Others - self-test
 * helpers, reporters - hold no frames and are left alone.
 *
 * freeze_kthreads() raises a flag and waits, polling, until every
 * freezable task has parked itself (PF_FROZEN) or the time is up.  A
 * parked task sleeps until thaw_kthreads() clears the flag and wakes it.
 * A parked task asked to stop (kthread_stop()) leaves the freezer at once
 * so that it can exit.  The list of freezable tasks is freezer_tasks.c's.
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/freezer.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/time.h>

#include "freezer_tasks.h"

static bool system_freezing;
static DEFINE_MUTEX(freeze_mutex);

bool freezing(void)
{
	return READ_ONCE(system_freezing);
}

static void set_frozen(struct task_struct *p, bool frozen)
{
	unsigned long flags;

	/* Under the lock: the freezer reads flags while walking the list. */
	spin_lock_irqsave(&freezer_lock, flags);
	if (frozen)
		p->flags |= PF_FROZEN;
	else
		p->flags &= ~PF_FROZEN;
	spin_unlock_irqrestore(&freezer_lock, flags);
}

bool try_to_freeze(void)
{
	struct task_struct *p = current;

	if (!freezing() || !(p->flags & PF_FREEZABLE))
		return false;
	set_frozen(p, true);
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (!freezing() || READ_ONCE(p->should_stop))
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	set_frozen(p, false);
	return true;
}

/* Counts freezable tasks, and of them parked ones; names a straggler. */
static unsigned int count_tasks(unsigned int *frozen, char *late, size_t len)
{
	struct task_struct *p;
	unsigned long flags;
	unsigned int n = 0;

	*frozen = 0;
	spin_lock_irqsave(&freezer_lock, flags);
	list_for_each_entry(p, &freezable_tasks, freeze_list) {
		n++;
		if (p->flags & PF_FROZEN)
			(*frozen)++;
		else if (late && !late[0])
			snprintf(late, len, "%s (cpu %u)", p->comm, p->cpu);
	}
	spin_unlock_irqrestore(&freezer_lock, flags);
	return n;
}

unsigned int nr_freezable(void)
{
	unsigned int frozen;

	return count_tasks(&frozen, NULL, 0);
}

unsigned int nr_frozen(void)
{
	unsigned int frozen;

	count_tasks(&frozen, NULL, 0);
	return frozen;
}

static void wake_freezable(void)
{
	struct task_struct *p;
	unsigned long flags;

	spin_lock_irqsave(&freezer_lock, flags);
	list_for_each_entry(p, &freezable_tasks, freeze_list)
		wake_up_process(p);
	spin_unlock_irqrestore(&freezer_lock, flags);
}

void thaw_kthreads(void)
{
	WRITE_ONCE(system_freezing, false);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wake_freezable();
	mutex_unlock(&freeze_mutex);
}

int freeze_kthreads(u64 timeout_ns)
{
	u64 end = xen_clocksource_read() + timeout_ns;
	unsigned int n, frozen;
	char late[TASK_COMM_LEN + 16];

	if (current->flags & PF_FREEZABLE)
		return -EDEADLK;
	mutex_lock(&freeze_mutex);
	WRITE_ONCE(system_freezing, true);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (;;) {
		late[0] = '\0';
		n = count_tasks(&frozen, late, sizeof(late));
		if (frozen == n)
			return 0;
		if (xen_clocksource_read() > end)
			break;
		msleep(1);
	}
	printk("freezer: %u of %u kthreads frozen after %llu ms; %s did not stop, thawing\n",
	       frozen, n, (unsigned long long)(timeout_ns / NSEC_PER_MSEC),
	       late);
	thaw_kthreads();
	return -EBUSY;
}
