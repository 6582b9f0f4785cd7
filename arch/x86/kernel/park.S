/* SPDX-License-Identifier: MIT */
/*
 * A parked CPU's continuation, for a vCPU the toolstack did not restore
 * (arch/x86/xen/smp.c, xen_smp_resume()).  xen_park_save() is setjmp():
 * it keeps the callee-saved registers, the stack pointer and the return
 * address of a CPU about to park in its stopper, and returns 0.  A vCPU
 * started anew at xen_park_resume, with rdi pointing at that record,
 * loads them back and returns 1 from xen_park_save() on the same stack:
 * the stopper goes on as if it had never stopped running.
 *
 * Layout of struct park_ctx: rbx, rbp, r12, r13, r14, r15, rsp, rip.
 */
	.text
	.globl xen_park_save
	.type xen_park_save, @function
xen_park_save:
	movq	%rbx, 0(%rdi)
	movq	%rbp, 8(%rdi)
	movq	%r12, 16(%rdi)
	movq	%r13, 24(%rdi)
	movq	%r14, 32(%rdi)
	movq	%r15, 40(%rdi)
	leaq	8(%rsp), %rax
	movq	%rax, 48(%rdi)
	movq	(%rsp), %rax
	movq	%rax, 56(%rdi)
	xorl	%eax, %eax
	ret
	.size xen_park_save, . - xen_park_save

	.globl xen_park_resume
	.type xen_park_resume, @function
xen_park_resume:
	cld
	movq	0(%rdi), %rbx
	movq	8(%rdi), %rbp
	movq	16(%rdi), %r12
	movq	24(%rdi), %r13
	movq	32(%rdi), %r14
	movq	40(%rdi), %r15
	movq	48(%rdi), %rsp
	movl	$1, %eax
	jmpq	*56(%rdi)
	.size xen_park_resume, . - xen_park_resume
