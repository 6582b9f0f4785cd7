/* SPDX-License-Identifier: MIT */
#ifndef _ASM_X86_PROCESSOR_H
#define _ASM_X86_PROCESSOR_H

/*
 * Waiting on a virtual CPU.  Our vCPUs share physical CPUs with others (on
 * the host hypervisor, with each other: a vCPU is a host thread), so a CPU
 * that spins for long may be keeping the very vCPU it waits for off the
 * physical CPU.  Spin loops therefore pause, and every so often give the
 * physical CPU back with SCHEDOP_yield.
 */
#include <linux/compiler.h>
#include <asm/xen/hypercall.h>

static __always_inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" : : : "memory");
}

/* Lets another vCPU run on our physical CPU; returns at once if none waits. */
static inline void arch_cpu_yield(void)
{
	HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

#define SPIN_YIELD_INTERVAL	256

/* One iteration of a wait loop; *spins counts iterations across calls. */
static inline void cpu_relax_yield(unsigned int *spins)
{
	if (++*spins % SPIN_YIELD_INTERVAL)
		cpu_relax();
	else
		arch_cpu_yield();
}

/*
 * Sleeps until an event is pending.  SCHEDOP_block unmasks events itself
 * and returns at once if one is already pending, so a caller that masked
 * events, checked for work and found none cannot miss the wake-up.
 * Returns with events unmasked.
 */
static inline void arch_safe_halt(void)
{
	HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

#endif
