/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_KTHREAD_H
#define _LINUX_KTHREAD_H

/*
 * Kernel threads.  kthread_create*() makes a named thread that will run
 * fn(data) on one CPU for its whole life, but leaves it asleep;
 * wake_up_process() starts it, kthread_run*() does both.  Whoever creates
 * a thread must eventually kthread_stop() it, which asks it to stop (see
 * kthread_should_stop()), waits until its function has returned, frees it
 * and hands back fn's return value; a thread that was never woken does
 * not run fn at all and gives -EINTR.  Failures come back as ERR_PTR().
 */
#include <linux/types.h>
#include <linux/err.h>
#include <linux/compiler.h>
#include <linux/smp.h>

struct task_struct;

struct task_struct *kthread_create_on_cpu(int (*fn)(void *data), void *data,
					  unsigned int cpu,
					  const char *namefmt, ...)
	__printf(4, 5);
/* Wakes p unless it is an error; returns p (the kthread_run*() step). */
struct task_struct *kthread_start(struct task_struct *p);

/* On the calling CPU. */
#define kthread_create(fn, data, ...)					\
	kthread_create_on_cpu(fn, data, smp_processor_id(), __VA_ARGS__)
#define kthread_run_on_cpu(fn, data, cpu, ...)				\
	kthread_start(kthread_create_on_cpu(fn, data, cpu, __VA_ARGS__))
#define kthread_run(fn, data, ...)					\
	kthread_start(kthread_create(fn, data, __VA_ARGS__))

int kthread_stop(struct task_struct *k);
bool kthread_should_stop(void);

#endif
