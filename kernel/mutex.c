// SPDX-License-Identifier: MIT
/*
 * Mutexes (linux/mutex.h): a lock word taken with compare-and-swap, and a
 * wait queue for the tasks that found it taken.  The wait queue protocol
 * (sleeper marks itself asleep before it tests, waker changes the state
 * before it wakes) is what makes the unlock-then-wake order safe: a task
 * that tested "locked" just before the unlock is already on the queue and
 * gets the wake-up.
 */
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/preempt.h>

void mutex_init(struct mutex *m)
{
	m->locked = 0;
	init_waitqueue_head(&m->wait);
}

bool mutex_trylock(struct mutex *m)
{
	u32 free = 0;

	return __atomic_compare_exchange_n(&m->locked, &free, 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void mutex_lock(struct mutex *m)
{
	if (in_interrupt())
		panic("mutex_lock from an event handler: it could sleep");
	if (mutex_trylock(m))
		return;
	wait_event(m->wait, mutex_trylock(m));
}

void mutex_unlock(struct mutex *m)
{
	__atomic_store_n(&m->locked, 0, __ATOMIC_RELEASE);
	wake_up(&m->wait);
}
