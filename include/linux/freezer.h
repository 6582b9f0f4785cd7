/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_FREEZER_H
#define _LINUX_FREEZER_H

/*
 * The freezer (kernel/freezer.c): before the domain is suspended, every
 * kthread that works with machine frames must stop at a point of its own
 * choosing where no frame number is in flight - never half-way through a
 * pagetable update.  Such a thread calls set_freezable() once and
 * try_to_freeze() at those points; freeze_kthreads() waits until each one
 * is parked there.  Threads that are not freezable are not waited for.
 */
#include <linux/types.h>

struct task_struct;

/* Marks the calling kthread as one the freezer waits for. */
void set_freezable(void);
/*
 * A freeze point: if a freeze is under way, parks the caller until
 * thaw_kthreads() (or kthread_stop()) and returns true; else false at once.
 */
bool try_to_freeze(void);
/* Is a freeze under way? */
bool freezing(void);

/*
 * Freezes every freezable kthread, waiting up to timeout_ns.  0 once all
 * are parked; -EBUSY if one did not get there in time (it is named on the
 * console and everything is thawed again); -EDEADLK if the caller is
 * itself freezable.  Sleeps; one freeze at a time.
 */
int freeze_kthreads(u64 timeout_ns);
void thaw_kthreads(void);
/* How many freezable kthreads exist, and how many are parked. */
unsigned int nr_freezable(void);
unsigned int nr_frozen(void);

/*
 * A task that keeps machine frame numbers across a schedule point (in a
 * variable, between two pagetable hypercalls) must be freezable and must
 * not freeze in between: it marks that stretch with mfn_hold_begin() and
 * mfn_hold_end(), and re-reads the p2m after each of its freeze points.
 * (A pagetable-update section that holds them only with preemption off
 * needs no mark: nothing parks inside it, asm/xen/mmu.h.)  The suspend
 * audit checks that no task is inside such a stretch; beginning one in a
 * task that is not freezable panics.
 */
void mfn_hold_begin(void);
void mfn_hold_end(void);
/* How many tasks are inside an mfn_hold_begin() stretch now. */
unsigned int nr_mfn_holders(void);

/* do_exit()'s part: a thread leaves the freezer's list before it dies. */
void freezer_task_exit(struct task_struct *p);

#endif
