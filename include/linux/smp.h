/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_SMP_H
#define _LINUX_SMP_H

/*
 * Running code on other CPUs.
 *
 * smp_call_function_single(cpu, fn, info, wait) runs fn(info) on cpu in
 * its event handler (events masked, must not sleep); smp_call_function()
 * does so on every other online CPU and on_each_cpu() on all of them,
 * the caller's CPU directly.  With wait, the call returns once fn has
 * returned everywhere.  Callers must be in task context with events
 * unmasked: two CPUs waiting on each other with events masked would wait
 * forever.
 */
#include <linux/types.h>
#include <linux/percpu.h>
#include <linux/cpumask.h>

typedef void (*smp_call_func_t)(void *info);

int smp_call_function_single(unsigned int cpu, smp_call_func_t fn, void *info,
			     bool wait);
void smp_call_function(smp_call_func_t fn, void *info, bool wait);
void on_each_cpu(smp_call_func_t fn, void *info, bool wait);

/* Boot: find the vCPUs, bring each up, wait until it runs its idle loop. */
void smp_init(void);
/* A secondary CPU is ready for work: called on it, events still masked. */
void cpu_mark_online(unsigned int cpu);

/* IPI handlers, called by the architecture in upcall context. */
void generic_smp_call_function_interrupt(void);
void __noreturn stop_this_cpu(void);
/* Stops every other online CPU; returns how many were running. */
unsigned int smp_stop_other_cpus(void);

/*
 * What the architecture provides (arch/x86/xen/smp.c): find the vCPUs and
 * set up the boot CPU's IPIs; start a CPU at its idle task; send IPIs; stop
 * a CPU from the outside; park the calling CPU for good.
 */
void arch_smp_prepare_cpus(void);
int arch_cpu_up(unsigned int cpu);
void arch_send_call_function_ipi(unsigned int cpu);
void arch_send_reschedule_ipi(unsigned int cpu);
void arch_send_stop_ipi(unsigned int cpu);
void arch_cpu_force_stop(unsigned int cpu);
/*
 * Called by a CPU as it parks in its stopper: records where it is, so that
 * a vCPU lost across a restore can be started again right there.  Returns
 * false, and true when it comes back that way (like setjmp()).
 */
bool arch_park_checkpoint(unsigned int cpu);
void __noreturn arch_cpu_halt(void);

#endif
