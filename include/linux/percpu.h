/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_PERCPU_H
#define _LINUX_PERCPU_H

/*
 * Per-CPU data: one struct percpu per CPU, reached through the GS base
 * (asm/percpu.h).  Tasks never move between CPUs, so a pointer from
 * this_cpu() stays valid for the task that took it, even across a context
 * switch.  Fields other CPUs write (need_resched) are read with READ_ONCE.
 */
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/threads.h>
#include <asm/percpu.h>

struct task_struct;
struct vcpu_info;

struct percpu {
	struct percpu *self;		/* must stay first: read as %gs:0 */
	unsigned int cpu;
	int preempt_count;		/* see linux/preempt.h */
	bool need_resched;		/* set under the run queue lock */
	struct task_struct *curr;
	/* This vCPU's slot in shared_info: event mask, pending bits, time. */
	struct vcpu_info *vcpu_info;
	unsigned long upcalls;		/* event upcalls taken */
	unsigned int mmu_section;	/* pagetable-update sections open (asm/xen/mmu.h) */
} __aligned(64);

extern struct percpu cpu_data[NR_CPUS];

static inline struct percpu *this_cpu(void)
{
	return arch_this_cpu();
}

static inline struct percpu *per_cpu(unsigned int cpu)
{
	return &cpu_data[cpu];
}

#define smp_processor_id()	(this_cpu()->cpu)

/* Fills cpu's struct percpu; before the CPU or anything on it runs. */
void percpu_init(unsigned int cpu);
/* Points the boot CPU's GS base at its struct percpu: the first thing done. */
void xen_setup_boot_percpu(void);

#endif
