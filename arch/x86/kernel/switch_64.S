/* SPDX-License-Identifier: MIT */
/*
 * Context switch and the first instructions of a new task.
 *
 * __switch_to_asm(prev, next) pushes the callee-saved registers on prev's
 * stack, stores rsp in prev->thread.sp, loads next's, pops next's
 * registers and returns on next's stack, with rax = prev.  A task that
 * never ran has a frame made by arch_prepare_task_stack() whose return
 * address is ret_from_kthread: it finishes the switch for the task it
 * replaced (schedule_tail) and calls kthread_main(), which never returns.
 */
#include <asm/switch_to.h>

	.text
	.globl __switch_to_asm
	.type __switch_to_asm, @function
__switch_to_asm:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, TASK_THREAD_SP(%rdi)
	movq	TASK_THREAD_SP(%rsi), %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	movq	%rdi, %rax
	ret
	.size __switch_to_asm, . - __switch_to_asm

	.globl ret_from_kthread
	.type ret_from_kthread, @function
ret_from_kthread:
	movq	%rax, %rdi
	movabs	$schedule_tail, %rax
	call	*%rax
	movabs	$kthread_main, %rax
	call	*%rax
	ud2
	.size ret_from_kthread, . - ret_from_kthread
