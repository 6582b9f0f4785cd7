/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_WAIT_H
#define _LINUX_WAIT_H

/*
 * Wait queues: tasks sleeping until a condition holds.  The sleeper puts
 * itself on the queue and marks itself asleep *before* it tests the
 * condition; the waker makes the condition true *before* wake_up().  With
 * that order a wake-up can come before schedule() and is not lost: it
 * just makes the sleeper runnable again, and schedule() returns at once.
 * wake_up() wakes every waiter; each re-tests its condition.
 */
#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/task_state.h>

struct task_struct;

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};

struct wait_queue_entry {
	struct task_struct *task;
	struct list_head entry;
};

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) {				\
	.lock = __SPIN_LOCK_UNLOCKED,					\
	.head = LIST_HEAD_INIT((name).head),				\
}
#define DECLARE_WAIT_QUEUE_HEAD(name)					\
	struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

void init_waitqueue_head(struct wait_queue_head *wq);
void init_wait_entry(struct wait_queue_entry *w);
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w,
		     unsigned int state);
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w);
void wake_up(struct wait_queue_head *wq);
/* As wake_up(), with wq->lock already held. */
void wake_up_locked(struct wait_queue_head *wq);

void schedule(void);
u64 schedule_timeout(u64 timeout_ns);

/* Sleeps until cond is true. */
#define wait_event(wq, cond)						\
	do {								\
		struct wait_queue_entry __we;				\
									\
		init_wait_entry(&__we);					\
		for (;;) {						\
			prepare_to_wait(&(wq), &__we,			\
					TASK_UNINTERRUPTIBLE);		\
			if (cond)					\
				break;					\
			schedule();					\
		}							\
		finish_wait(&(wq), &__we);				\
	} while (0)

/*
 * Sleeps until cond is true or timeout_ns have passed.  Evaluates to 0 if
 * the time ran out with cond still false, otherwise to the time left (at
 * least 1).
 */
#define wait_event_timeout(wq, cond, timeout_ns)			\
	({								\
		struct wait_queue_entry __we;				\
		u64 __left = (timeout_ns);				\
									\
		init_wait_entry(&__we);					\
		for (;;) {						\
			prepare_to_wait(&(wq), &__we,			\
					TASK_UNINTERRUPTIBLE);		\
			if (cond) {					\
				__left = __left ? __left : 1;		\
				break;					\
			}						\
			if (!__left)					\
				break;					\
			__left = schedule_timeout(__left);		\
		}							\
		finish_wait(&(wq), &__we);				\
		__left;							\
	})

#endif
