// SPDX-License-Identifier: MIT
/*
 * Regions where a task holds machine frame numbers across schedule points
 * (linux/freezer.h): counted per task and for the whole domain, so that
 * the suspend audit can tell whether any task was parked inside one.
 */
#include <linux/kernel.h>
#include <linux/freezer.h>
#include <linux/sched.h>

static unsigned int nr_holders;

void mfn_hold_begin(void)
{
	struct task_struct *p = current;

	if (!(p->flags & PF_FREEZABLE))
		panic("task %s holds machine frame numbers across schedule points but is not freezable",
		      p->comm);
	if (!p->mfn_held++)
		__atomic_add_fetch(&nr_holders, 1, __ATOMIC_SEQ_CST);
}

void mfn_hold_end(void)
{
	struct task_struct *p = current;

	if (!p->mfn_held)
		panic("task %s: mfn_hold_end() without mfn_hold_begin()", p->comm);
	if (!--p->mfn_held)
		__atomic_sub_fetch(&nr_holders, 1, __ATOMIC_SEQ_CST);
}

unsigned int nr_mfn_holders(void)
{
	return __atomic_load_n(&nr_holders, __ATOMIC_ACQUIRE);
}
