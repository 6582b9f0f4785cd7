// SPDX-License-Identifier: MIT
/*
 * A new task's stack.  The first switch to a task pops an
 * inactive_task_frame and returns through it, so a task that never ran
 * gets one that "returns" to ret_from_kthread with zeroed registers (rbp 0
 * ends backtraces there).  The frame sits 16 bytes below the top so that
 * ret_from_kthread starts with the 16-byte stack alignment the ABI gives a
 * function before its call instruction.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/sched.h>
#include <asm/layout.h>
#include <asm/switch_to.h>

_Static_assert(__builtin_offsetof(struct task_struct, thread.sp) ==
	       TASK_THREAD_SP, "switch code expects thread.sp at offset 0");

void arch_prepare_task_stack(struct task_struct *p)
{
	unsigned long top = (unsigned long)p->stack + THREAD_SIZE;
	struct inactive_task_frame *f;

	f = (struct inactive_task_frame *)(top - 16 - sizeof(*f));
	memset(f, 0, sizeof(*f) + 16);
	f->ret_addr = (unsigned long)ret_from_kthread;
	p->thread.sp = (unsigned long)f;
}
