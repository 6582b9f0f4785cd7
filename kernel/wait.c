// SPDX-License-Identifier: MIT
/*
 * Wait queues (the protocol is described in linux/wait.h).  An entry stays
 * on its queue from prepare_to_wait() until finish_wait(), across every
 * sleep of a wait_event() loop; wake_up() wakes the entries but never
 * removes them, so only their owner ever unlinks them.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/wait.h>

void init_waitqueue_head(struct wait_queue_head *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->head);
}

void init_wait_entry(struct wait_queue_entry *w)
{
	w->task = current;
	INIT_LIST_HEAD(&w->entry);
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w,
		     unsigned int state)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	if (list_empty(&w->entry))
		list_add_tail(&w->entry, &wq->head);
	set_current_state(state);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	unsigned long flags;

	__set_current_state(TASK_RUNNING);
	if (list_empty(&w->entry))
		return;
	spin_lock_irqsave(&wq->lock, flags);
	list_del_init(&w->entry);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void wake_up_locked(struct wait_queue_head *wq)
{
	struct wait_queue_entry *w;

	list_for_each_entry(w, &wq->head, entry)
		wake_up_process(w->task);
}

void wake_up(struct wait_queue_head *wq)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	wake_up_locked(wq);
	spin_unlock_irqrestore(&wq->lock, flags);
}
