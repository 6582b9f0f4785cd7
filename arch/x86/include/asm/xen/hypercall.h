/* SPDX-License-Identifier: MIT */
#ifndef _ASM_X86_XEN_HYPERCALL_H
#define _ASM_X86_XEN_HYPERCALL_H

/*
 * Hypercalls go through the hypercall page, 32 bytes per call, which the
 * hypervisor fills in at build time (XEN_ELFNOTE_HYPERCALL_PAGE).  Arguments
 * travel in rdi, rsi, rdx, r10, r8; the result comes back in rax.  Debug
 * builds of Xen scribble over argument registers, so every argument register
 * is an in/out operand here.
 */

#include <linux/types.h>
#include <xen/interface/xen.h>
#include <xen/interface/sched.h>
#include <xen/interface/version.h>
#include <xen/interface/callback.h>
#include <xen/interface/arch-x86/xen.h>

extern char hypercall_page[];

#define __HYPERCALL_ENTRY(nr) "call hypercall_page+" #nr "*32"
#define _hypercall_str(x) #x

static inline long _hypercall5(unsigned int nr, unsigned long a1,
			       unsigned long a2, unsigned long a3,
			       unsigned long a4, unsigned long a5)
{
	register unsigned long r10 __asm__("r10") = a4;
	register unsigned long r8 __asm__("r8") = a5;
	long ret;
	unsigned long entry = (unsigned long)hypercall_page + nr * 32;

	__asm__ __volatile__("call *%[entry]"
			     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3),
			       "+r"(r10), "+r"(r8)
			     : [entry] "m"(entry)
			     : "memory", "rcx", "r11");
	return ret;
}

#define HYPERCALL(nr, a1, a2, a3, a4, a5)				\
	_hypercall5(__HYPERVISOR_##nr, (unsigned long)(a1),		\
		    (unsigned long)(a2), (unsigned long)(a3),		\
		    (unsigned long)(a4), (unsigned long)(a5))

static inline int HYPERVISOR_console_io(int cmd, int len, const char *buf)
{
	return HYPERCALL(console_io, cmd, len, buf, 0, 0);
}

static inline int HYPERVISOR_sched_op(int cmd, void *arg)
{
	return HYPERCALL(sched_op, cmd, arg, 0, 0, 0);
}

static inline int HYPERVISOR_xen_version(int cmd, void *arg)
{
	return HYPERCALL(xen_version, cmd, arg, 0, 0, 0);
}

static inline int HYPERVISOR_set_trap_table(const struct trap_info *table)
{
	return HYPERCALL(set_trap_table, table, 0, 0, 0, 0);
}

static inline int HYPERVISOR_set_callbacks(unsigned long event,
					   unsigned long failsafe,
					   unsigned long syscall)
{
	return HYPERCALL(set_callbacks, event, failsafe, syscall, 0, 0);
}

static inline int HYPERVISOR_callback_op(int cmd, void *arg)
{
	return HYPERCALL(callback_op, cmd, arg, 0, 0, 0);
}

static inline int HYPERVISOR_event_channel_op(int cmd, void *arg)
{
	return HYPERCALL(event_channel_op, cmd, arg, 0, 0, 0);
}

static inline int HYPERVISOR_set_segment_base(int reg, unsigned long value)
{
	return HYPERCALL(set_segment_base, reg, value, 0, 0, 0);
}

static inline int HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
	return HYPERCALL(vcpu_op, cmd, vcpu, arg, 0, 0);
}

/* vm_assist(cmd, type): turns a VMASST_TYPE_* assist on or off. */
static inline int HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{
	return HYPERCALL(vm_assist, cmd, type, 0, 0, 0);
}

/* Any hypercall by number, for tests of the dispatcher itself. */
static inline long HYPERVISOR_raw(unsigned int nr, unsigned long a1,
				  unsigned long a2, unsigned long a3)
{
	return _hypercall5(nr, a1, a2, a3, 0, 0);
}

#endif
