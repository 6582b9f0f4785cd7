/* SPDX-License-Identifier: MIT */
/*
 * Entry from the domain builder.  Xen's start of day for a 64-bit PV guest:
 * we run in ring 3 on the bootstrap pagetables (pt_base), rsi holds the
 * virtual address of start_info, rsp points at the top of the bootstrap
 * stack, events are masked.  We move to our own stack in .bss at once, so
 * nothing later depends on where the builder put its stack.
 *
 * Secondary vCPUs start at xen_secondary_startup with the register state
 * the boot CPU gave VCPUOP_initialise (arch/x86/xen/smp.c): rsp at the top
 * of the CPU's idle stack, rdi its CPU number, the GS base at its per-CPU
 * area, events masked.
 */
#include <asm/layout.h>

	.section .head.text, "ax"
	.globl startup_xen
startup_xen:
	cld
	movabs	$init_stack_top, %rsp
	xorl	%ebp, %ebp
	movq	%rsi, %rdi
	movabs	$xen_start_kernel, %rax
	call	*%rax
	/* xen_start_kernel never returns; if it does, fault loudly. */
	ud2

	.globl xen_secondary_startup
xen_secondary_startup:
	cld
	xorl	%ebp, %ebp
	movabs	$xen_cpu_bringup, %rax
	call	*%rax
	ud2

	.section .bss.init_stack, "aw", @nobits
	.balign PAGE_SIZE
	.globl init_stack
init_stack:
	.skip THREAD_SIZE
	.globl init_stack_top
init_stack_top:
