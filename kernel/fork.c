// SPDX-License-Identifier: MIT
/*
 * Where tasks come from: a task_struct from kmalloc and a stack from
 * vmalloc_stack(), which maps it below an unmapped guard page.  At most
 * CONFIG_NR_KTHREADS exist at once, so a runaway creator meets -ENOMEM
 * long before it has eaten the domain's memory.  A task is counted from
 * kthread_create() until kthread_stop() has seen it off its CPU for good.
 *
 * Besides the guard page, the lowest word of every stack holds a magic
 * value that the scheduler checks each time it switches a task out; it
 * also covers the idle and init stacks, which live in the image.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <asm/layout.h>

#define STACK_END_MAGIC	0x57ac6e0d57ac6e0dUL

static unsigned int tasks_free = CONFIG_NR_KTHREADS;
static DEFINE_SPINLOCK(task_count_lock);

void task_stack_init(struct task_struct *p)
{
	*(unsigned long *)p->stack = STACK_END_MAGIC;
}

bool task_stack_corrupted(const struct task_struct *p)
{
	return *(const unsigned long *)p->stack != STACK_END_MAGIC;
}

static bool take_task_slot(void)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&task_count_lock, flags);
	ok = tasks_free > 0;
	if (ok)
		tasks_free--;
	spin_unlock_irqrestore(&task_count_lock, flags);
	return ok;
}

static void put_task_slot(void)
{
	unsigned long flags;

	spin_lock_irqsave(&task_count_lock, flags);
	tasks_free++;
	spin_unlock_irqrestore(&task_count_lock, flags);
}

/* A zeroed task_struct with its stack, or NULL at the limit or short. */
struct task_struct *alloc_task_struct(void)
{
	struct task_struct *p;

	if (!take_task_slot())
		return NULL;
	p = kzalloc(sizeof(*p));
	if (p)
		p->stack = vmalloc_stack();
	if (!p || !p->stack) {
		kfree(p);
		put_task_slot();
		return NULL;
	}
	task_stack_init(p);
	return p;
}

void free_task_struct(struct task_struct *p)
{
	vfree_stack(p->stack);
	kfree(p);
	put_task_slot();
}

unsigned int nr_free_tasks(void)
{
	return READ_ONCE(tasks_free);
}
