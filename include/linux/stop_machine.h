/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_STOP_MACHINE_H
#define _LINUX_STOP_MACHINE_H

/*
 * stop_machine() (kernel/stop_machine*.c): run a function on one CPU while
 * every other online CPU is parked with events masked, so that nothing
 * else in the domain runs - no task, no event handler.  Suspend runs its
 * last steps this way, on CPU 0.
 *
 * Where a CPU parks is what makes suspend safe (Documentation/suspend.rst):
 * with CONFIG_SUSPEND_SAFE_PARKING each CPU parks in its stopper thread,
 * which it only reaches at a schedule point, so never inside a
 * pagetable-update section (those run with preemption disabled,
 * asm/xen/mmu.h).  Without it (a test build only) a CPU parks in the
 * function-call IPI handler, on top of whatever it was doing.
 */
#include <linux/types.h>

/*
 * Runs fn(data) on cpu, with events masked there, once every other online
 * CPU is parked; then after(data), if given, on every CPU (cpu too) with
 * events still masked, before any of them goes on.  Returns fn's value, or
 * -ETIMEDOUT (fn not run) if a CPU did not park within a few seconds,
 * -EINVAL for a CPU that is not online (or, parking by IPI, that is not
 * the caller's).  Sleeps, so call it from a task; one at a time.  fn and
 * after must not wait for another CPU (an IPI, a lock another CPU may
 * hold) and must not sleep.
 */
int stop_machine_on(unsigned int cpu, int (*fn)(void *data),
		    void (*after)(void *data), void *data);
/* stop_machine_on() the calling CPU, with no after step. */
int stop_machine(int (*fn)(void *data), void *data);
/* Is this CPU parked by stop_machine() right now (for tests)? */
bool cpu_stopped(unsigned int cpu);
/* Starts the per-CPU stopper threads; after smp_init(). */
void stop_machine_init(void);

/* Private to kernel/stop_machine*.c. */
void stop_machine_set_parked(unsigned int cpu, bool parked);

#endif
