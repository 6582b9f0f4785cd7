// SPDX-License-Identifier: MIT
/*
 * No freezer (CONFIG_FREEZER=n): a test build only, to show that the
 * suspend tests catch what happens without one.  freeze_kthreads() returns
 * at once and try_to_freeze() never parks, so tasks are switched out
 * wherever stop_machine()'s stoppers find them, possibly in the middle of
 * a stretch where they hold machine frame numbers (linux/freezer.h).
 * Freezable tasks are still listed, so the counts stay meaningful.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/freezer.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

#include "freezer_tasks.h"


static bool warned;

bool freezing(void)
{
	return false;
}

bool try_to_freeze(void)
{
	return false;
}

unsigned int nr_freezable(void)
{
	struct task_struct *p;
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&freezer_lock, flags);
	list_for_each_entry(p, &freezable_tasks, freeze_list)
		n++;
	spin_unlock_irqrestore(&freezer_lock, flags);
	return n;
}

unsigned int nr_frozen(void)
{
	return 0;
}

int freeze_kthreads(u64 timeout_ns)
{
	if (!warned) {
		warned = true;
		printk("freezer: disabled (CONFIG_FREEZER=n: a test build, unsafe for suspend)\n");
	}
	return 0;
}

void thaw_kthreads(void)
{
}
