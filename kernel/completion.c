// SPDX-License-Identifier: MIT
/*
 * Completions on top of a wait queue: 'done' is protected by the queue's
 * lock, and a waiter re-tests it on every wake-up because wake_up() wakes
 * all waiters while complete() makes only one of them able to proceed.
 * COMPLETE_ALL is a 'done' that no waiter consumes.
 */
#include <linux/kernel.h>
#include <linux/completion.h>
#include <linux/sched.h>

#define COMPLETE_ALL	(~0U)

void init_completion(struct completion *c)
{
	c->done = 0;
	init_waitqueue_head(&c->wait);
}

void reinit_completion(struct completion *c)
{
	WRITE_ONCE(c->done, 0);
}

void complete(struct completion *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->wait.lock, flags);
	if (c->done != COMPLETE_ALL)
		c->done++;
	wake_up_locked(&c->wait);
	spin_unlock_irqrestore(&c->wait.lock, flags);
}

void complete_all(struct completion *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->wait.lock, flags);
	c->done = COMPLETE_ALL;
	wake_up_locked(&c->wait);
	spin_unlock_irqrestore(&c->wait.lock, flags);
}

/* Takes one completion if there is one; the caller must not hold the lock. */
static bool try_consume(struct completion *c)
{
	unsigned long flags;
	bool got = false;

	spin_lock_irqsave(&c->wait.lock, flags);
	if (c->done) {
		if (c->done != COMPLETE_ALL)
			c->done--;
		got = true;
	}
	spin_unlock_irqrestore(&c->wait.lock, flags);
	return got;
}

u64 wait_for_completion_timeout(struct completion *c, u64 timeout_ns)
{
	struct wait_queue_entry w;
	u64 left = timeout_ns;

	init_wait_entry(&w);
	for (;;) {
		prepare_to_wait(&c->wait, &w, TASK_UNINTERRUPTIBLE);
		if (try_consume(c)) {
			left = left ? left : 1;
			break;
		}
		if (!left)
			break;
		left = schedule_timeout(left);
	}
	finish_wait(&c->wait, &w);
	return left;
}

void wait_for_completion(struct completion *c)
{
	wait_for_completion_timeout(c, MAX_SCHEDULE_TIMEOUT);
}

bool completion_done(struct completion *c)
{
	return READ_ONCE(c->done) != 0;
}
