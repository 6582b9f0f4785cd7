/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_TIMER_H
#define _LINUX_TIMER_H

/*
 * Kernel timers: call a function at a system time (ns, linux/time.h) on
 * the CPU that armed the timer, from its timer event handler (events
 * masked, must not sleep).  Each CPU keeps its pending timers sorted and
 * its one-shot hypervisor timer set to the earliest of them.
 *
 * A timer has one owner at a time: arming the same timer from two CPUs at
 * once is a bug.  del_timer() may be called from any CPU;
 * del_timer_sync() also waits for a handler running elsewhere to finish.
 */
#include <linux/types.h>
#include <linux/list.h>

struct timer_list {
	struct list_head entry;
	u64 expires;
	void (*function)(struct timer_list *t);
	unsigned int cpu;		/* queue it is (or was last) on */
	bool pending;
};

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *t));
/* (Re)arms t on the calling CPU; returns whether it was pending. */
bool mod_timer(struct timer_list *t, u64 expires);
/* Disarms t; returns whether it was pending. */
bool del_timer(struct timer_list *t);
bool del_timer_sync(struct timer_list *t);

static inline bool timer_pending(const struct timer_list *t)
{
	return READ_ONCE(t->pending);
}

void timers_init(void);
/*
 * Programs the calling CPU's one-shot timer for its earliest timer again:
 * after a restore the hypervisor has none pending for us.
 */
void timers_resume_this_cpu(void);

#endif
