/* SPDX-License-Identifier: MIT */
#ifndef _ASM_X86_PERCPU_H
#define _ASM_X86_PERCPU_H

/*
 * The kernel GS base of each vCPU points at that CPU's struct percpu, whose
 * first word holds its own address: one %gs-relative load turns "this CPU"
 * into an ordinary pointer.  The load is volatile so that the compiler never
 * moves it above the hypercall that sets the base on the boot CPU.
 */
struct percpu;

static __always_inline struct percpu *arch_this_cpu(void)
{
	struct percpu *p;

	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(p));
	return p;
}

#endif
