// SPDX-License-Identifier: MIT
/*
 * The list of freezable tasks, kept in every build: the freezer
 * (freezer.c) walks it to freeze and thaw, and the test build without one
 * (freezer_off.c) still counts it, so that both report the same tasks.
 * A task joins in set_freezable() and leaves in do_exit().
 */
#include <linux/kernel.h>
#include <linux/freezer.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

#include "freezer_tasks.h"


LIST_HEAD(freezable_tasks);
DEFINE_SPINLOCK(freezer_lock);

void set_freezable(void)
{
	struct task_struct *p = current;
	unsigned long flags;

	spin_lock_irqsave(&freezer_lock, flags);
	if (!(p->flags & PF_FREEZABLE)) {
		p->flags |= PF_FREEZABLE;
		list_add_tail(&p->freeze_list, &freezable_tasks);
	}
	spin_unlock_irqrestore(&freezer_lock, flags);
}

void freezer_task_exit(struct task_struct *p)
{
	unsigned long flags;

	spin_lock_irqsave(&freezer_lock, flags);
	if (p->flags & PF_FREEZABLE) {
		list_del_init(&p->freeze_list);
		p->flags &= ~PF_FREEZABLE;
	}
	spin_unlock_irqrestore(&freezer_lock, flags);
}
