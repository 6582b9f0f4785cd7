/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_STOP_MACHINE_H
#define _LINUX_STOP_MACHINE_H

/*
 * stop_machine() (kernel/stop_machine.c): run a function on the calling
 * CPU while every other online CPU spins with events masked, so that
 * nothing else in the domain runs - no task, no event handler.  Suspend
 * runs its last steps this way.
 */
#include <linux/types.h>

/*
 * Runs fn(data) on the calling CPU, with events masked there too, once
 * every other online CPU has stopped; returns fn's value, or -ETIMEDOUT
 * (fn not run) if a CPU did not stop within a few seconds.  Sleeps before
 * and after, so call it from a task.  fn must not wait for another CPU
 * (an IPI, a lock another CPU may hold).  One at a time.
 */
int stop_machine(int (*fn)(void *data), void *data);
/* Is this CPU parked by stop_machine() right now (for tests)? */
bool cpu_stopped(unsigned int cpu);

#endif
