/* SPDX-License-Identifier: MIT */
/*
 * Exception and event entry for a 64-bit PV kernel.
 *
 * The hypervisor delivers an exception or an event upcall by building a
 * "bounce frame" on our kernel stack (16-byte aligned), from low to high
 * addresses: rcx, r11, [error code], rip, cs, rflags, rsp, ss, and jumping
 * to the handler registered with set_trap_table / set_callbacks.  rcx and
 * r11 are there because a 64-bit PV kernel is entered the way syscall
 * returns to ring 3, which clobbers both.  Each stub pops them back, pushes
 * a zero error code where the CPU gives none plus the vector, and the
 * common code saves the rest as struct pt_regs.
 *
 * We cannot use iretq to return: we are in ring 3 and the frame describes
 * the hypervisor's view of us.  HYPERVISOR_iret does it: its stub in the
 * hypercall page pushes rcx, r11 and rax above our "flags" word, so the
 * hypervisor finds a struct iret_context at rsp.  The IF bit of the saved
 * rflags tells it whether to re-enable event delivery.
 *
 * An upcall is only ever delivered to code running with events unmasked,
 * so on its way out, still masked, it is a point where the interrupted
 * task may be preempted (irqentry_exit_cond_resched; kernel/sched.c
 * decides from the preempt count).  The frame stays on the task's stack
 * while other tasks run, and the task returns through it when it is
 * switched back in.
 */
#include <asm/ptrace.h>
#include <xen/interface/xen.h>

#define IRET_ENTRY (hypercall_page + __HYPERVISOR_iret * 32)

.macro SAVE_REGS
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%rax
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

.macro RESTORE_REGS
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
.endm

.macro TRAP name:req, vector:req, has_error=0
	.globl \name
	.type \name, @function
\name:
	popq	%rcx
	popq	%r11
	.if \has_error == 0
	pushq	$0
	.endif
	pushq	$\vector
	jmp	trap_common
	.size \name, . - \name
.endm

	.text
TRAP xen_divide_error,		0
TRAP xen_debug,			1
TRAP xen_int3,			3
TRAP xen_overflow,		4
TRAP xen_bounds,		5
TRAP xen_invalid_op,		6
TRAP xen_device_not_available,	7
TRAP xen_double_fault,		8,	1
TRAP xen_invalid_tss,		10,	1
TRAP xen_segment_not_present,	11,	1
TRAP xen_stack_segment,		12,	1
TRAP xen_general_protection,	13,	1
TRAP xen_page_fault,		14,	1
TRAP xen_spurious_interrupt,	15
TRAP xen_coprocessor_error,	16
TRAP xen_alignment_check,	17,	1
TRAP xen_machine_check,		18
TRAP xen_simd_error,		19

/* Event upcall: same frame, no error code; vector -1 marks "not a trap". */
TRAP xen_hypervisor_callback,	-1

trap_common:
	SAVE_REGS
	cld
	movq	%rsp, %rdi
	cmpq	$-1, PTREGS_VECTOR(%rsp)
	je	1f
	call	do_trap
	jmp	trap_return
1:	call	xen_evtchn_do_upcall
	call	irqentry_exit_cond_resched

	.globl trap_return
trap_return:
	RESTORE_REGS
	addq	$16, %rsp		/* vector, error code */
	pushq	$0			/* iret_context.flags: not in syscall */
	jmp	IRET_ENTRY

/*
 * The failsafe callback runs when the hypervisor could not load the segment
 * registers of the context we asked it to return to.  Its frame carries
 * rcx, r11, ds, es, fs, gs, rip, cs, rflags, rsp, ss.  There is nothing to
 * recover for a kernel that never changes its data segments: report it.
 */
	.globl xen_failsafe_callback
xen_failsafe_callback:
	popq	%rcx
	popq	%r11
	addq	$32, %rsp		/* ds, es, fs, gs */
	pushq	$0
	pushq	$-2
	SAVE_REGS
	cld
	movq	%rsp, %rdi
	call	xen_failsafe
	ud2
