/* SPDX-License-Identifier: MIT */
#ifndef _ASM_X86_PTRACE_H
#define _ASM_X86_PTRACE_H

/*
 * Registers saved by the trap entry code.  The tail from rip onwards is the
 * hardware-shaped frame that remains after the entry stub has popped the rcx
 * and r11 that Xen's bounce frame puts on top; vector and error_code are
 * pushed by the stub (error_code 0 for vectors without one).
 */
#define PTREGS_R15	0
#define PTREGS_RAX	80
#define PTREGS_VECTOR	120
#define PTREGS_ERROR	128
#define PTREGS_RIP	136
#define PTREGS_SIZE	176

#ifndef __ASSEMBLY__
#include <linux/types.h>

struct pt_regs {
	u64 r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	u64 rax, rcx, rdx, rsi, rdi;
	u64 vector, error_code;
	u64 rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct pt_regs) == PTREGS_SIZE, "pt_regs size");
_Static_assert(__builtin_offsetof(struct pt_regs, rax) == PTREGS_RAX, "rax");
_Static_assert(__builtin_offsetof(struct pt_regs, vector) == PTREGS_VECTOR, "vector");
_Static_assert(__builtin_offsetof(struct pt_regs, rip) == PTREGS_RIP, "rip");

void show_regs(const struct pt_regs *regs);
#endif

#endif
