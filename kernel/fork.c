// SPDX-License-Identifier: MIT
/*
 * Where tasks come from: until there is a page allocator, a fixed pool of
 * task_structs and THREAD_SIZE stacks in .bss (CONFIG_NR_KTHREADS of each).
 * A slot is busy from kthread_create() until kthread_stop() has seen the
 * task off its CPU for good.
 *
 * Stacks have no guard page (that needs the MMU client); instead the
 * lowest word of every stack holds a magic value that the scheduler checks
 * each time it switches a task out, so an overflow is caught at the next
 * switch rather than by a mysterious crash later.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <asm/layout.h>

#define STACK_END_MAGIC	0x57ac6e0d57ac6e0dUL

static struct task_struct task_pool[CONFIG_NR_KTHREADS];
static u8 task_stacks[CONFIG_NR_KTHREADS][THREAD_SIZE] __aligned(PAGE_SIZE);
static bool task_busy[CONFIG_NR_KTHREADS];
static unsigned int tasks_free = CONFIG_NR_KTHREADS;
static DEFINE_SPINLOCK(task_pool_lock);

void task_stack_init(struct task_struct *p)
{
	*(unsigned long *)p->stack = STACK_END_MAGIC;
}

bool task_stack_corrupted(const struct task_struct *p)
{
	return *(const unsigned long *)p->stack != STACK_END_MAGIC;
}

/* A zeroed task_struct with its stack, or NULL when the pool is empty. */
struct task_struct *alloc_task_struct(void)
{
	struct task_struct *p = NULL;
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&task_pool_lock, flags);
	for (i = 0; i < ARRAY_SIZE(task_pool); i++) {
		if (!task_busy[i]) {
			task_busy[i] = true;
			tasks_free--;
			p = &task_pool[i];
			break;
		}
	}
	spin_unlock_irqrestore(&task_pool_lock, flags);
	if (!p)
		return NULL;
	memset(p, 0, sizeof(*p));
	p->stack = task_stacks[i];
	task_stack_init(p);
	return p;
}

void free_task_struct(struct task_struct *p)
{
	unsigned long flags;

	spin_lock_irqsave(&task_pool_lock, flags);
	task_busy[p - task_pool] = false;
	tasks_free++;
	spin_unlock_irqrestore(&task_pool_lock, flags);
}

unsigned int nr_free_tasks(void)
{
	return READ_ONCE(tasks_free);
}
