/* SPDX-License-Identifier: MIT */
#ifndef _ASM_X86_SWITCH_TO_H
#define _ASM_X86_SWITCH_TO_H

/*
 * The context switch saves only what the C calling convention says a
 * callee must preserve (rbx, rbp, r12-r15) on the old task's stack, and
 * the stack pointer in its task_struct; the switch is an ordinary function
 * call, so everything else is already saved by the caller or dead.
 * Returns, on the new task's stack, the task that was switched away from.
 */

#define TASK_THREAD_SP	0	/* offsetof(struct task_struct, thread.sp) */

#ifndef __ASSEMBLY__
/* What the switch leaves on a stack, lowest address first. */
struct inactive_task_frame {
	unsigned long r15, r14, r13, r12, rbx, rbp;
	unsigned long ret_addr;
};

struct task_struct;

struct task_struct *__switch_to_asm(struct task_struct *prev,
				    struct task_struct *next);
/* Where a new task's first switch-in returns to. */
void ret_from_kthread(void);
/* Lays out a new task's stack so that switching to it calls kthread_main(). */
void arch_prepare_task_stack(struct task_struct *p);
#endif

#endif
