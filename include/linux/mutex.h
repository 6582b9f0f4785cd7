/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_MUTEX_H
#define _LINUX_MUTEX_H

/*
 * Sleeping locks, for task context only.  A task that finds the mutex
 * held sleeps on its wait queue instead of spinning, so the holder may
 * itself sleep (wait for ring space, for a reply) while holding it,
 * which a spinlock forbids.  Unlocking wakes every waiter and each one
 * tries again: simple, and fair enough for the few tasks that contend.
 */
#include <linux/types.h>
#include <linux/wait.h>

struct mutex {
	u32 locked;			/* 0 free, 1 held */
	struct wait_queue_head wait;
};

#define __MUTEX_INITIALIZER(name)					\
	{ 0, __WAIT_QUEUE_HEAD_INITIALIZER((name).wait) }
#define DEFINE_MUTEX(name)						\
	struct mutex name = __MUTEX_INITIALIZER(name)

void mutex_init(struct mutex *m);
/* Sleeps until the mutex is ours; never from an event handler. */
void mutex_lock(struct mutex *m);
bool mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m);

static inline bool mutex_is_locked(struct mutex *m)
{
	return READ_ONCE(m->locked) != 0;
}

#endif
