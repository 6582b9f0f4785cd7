// SPDX-License-Identifier: MIT
/*
 * Kernel threads (the API is described in linux/kthread.h).  A thread
 * starts in kthread_main() on its own stack.  Once it has been woken its
 * function runs, even if kthread_stop() comes before the thread got the
 * CPU; only a thread stopped before anyone woke it exits without calling
 * its function (kthread_stop() returns -EINTR then).  kthread_stop()
 * frees the thread only after do_exit() has switched it out for the last
 * time (state TASK_DEAD, on_cpu clear), since until then it still runs on
 * the stack being freed.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <asm/processor.h>
#include <asm/switch_to.h>

void __noreturn kthread_main(void)
{
	struct task_struct *self = current;

	if (READ_ONCE(self->stopped_unstarted))
		do_exit(-EINTR);
	do_exit(self->fn(self->fn_arg));
}

static struct task_struct *kthread_vcreate(int (*fn)(void *data), void *data,
					   unsigned int cpu,
					   const char *namefmt, va_list ap)
{
	struct task_struct *p;

	if (cpu >= NR_CPUS || !cpu_online(cpu))
		return ERR_PTR(-EINVAL);
	p = alloc_task_struct();
	if (!p)
		return ERR_PTR(-ENOMEM);
	vsnprintf(p->comm, sizeof(p->comm), namefmt, ap);
	p->state = TASK_UNINTERRUPTIBLE;
	p->cpu = cpu;
	p->flags = PF_KTHREAD;
	p->fn = fn;
	p->fn_arg = data;
	INIT_LIST_HEAD(&p->run_list);
	init_completion(&p->exited);
	sched_fork(p);
	arch_prepare_task_stack(p);
	return p;
}

struct task_struct *kthread_create_on_cpu(int (*fn)(void *data), void *data,
					  unsigned int cpu,
					  const char *namefmt, ...)
{
	struct task_struct *p;
	va_list ap;

	va_start(ap, namefmt);
	p = kthread_vcreate(fn, data, cpu, namefmt, ap);
	va_end(ap);
	return p;
}

struct task_struct *kthread_start(struct task_struct *p)
{
	if (!IS_ERR(p))
		wake_up_process(p);
	return p;
}

bool kthread_should_stop(void)
{
	return READ_ONCE(current->should_stop);
}

int kthread_stop(struct task_struct *k)
{
	unsigned int spins = 0;
	int ret;

	/* Only the creator wakes a new thread, and it is the caller here. */
	if (!READ_ONCE(k->woken))
		WRITE_ONCE(k->stopped_unstarted, true);
	WRITE_ONCE(k->should_stop, true);
	wake_up_process(k);
	wait_for_completion(&k->exited);
	while (READ_ONCE(k->state) != TASK_DEAD ||
	       __atomic_load_n(&k->on_cpu, __ATOMIC_ACQUIRE))
		cpu_relax_yield(&spins);
	ret = k->exit_code;
	free_task_struct(k);
	return ret;
}
