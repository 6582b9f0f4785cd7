/* SPDX-License-Identifier: MIT */
#ifndef _ASM_X86_IRQFLAGS_H
#define _ASM_X86_IRQFLAGS_H

/*
 * A PV kernel cannot use cli/sti: "interrupts off" is the upcall mask in
 * its vcpu_info.  Turning events back on must not lose an event that
 * arrived while masked: if one is pending, any hypercall makes the
 * hypervisor deliver it on the way back (we use xen_version, the cheapest).
 */
#include <linux/compiler.h>
#include <asm/xen/hypercall.h>
#include <xen/xen.h>

static inline unsigned long arch_local_save_flags(void)
{
	return READ_ONCE(xen_vcpu_info()->evtchn_upcall_mask);
}

static inline void arch_local_irq_disable(void)
{
	WRITE_ONCE(xen_vcpu_info()->evtchn_upcall_mask, 1);
	barrier();
}

static inline void arch_local_irq_enable(void)
{
	struct vcpu_info *v = xen_vcpu_info();

	barrier();
	WRITE_ONCE(v->evtchn_upcall_mask, 0);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (READ_ONCE(v->evtchn_upcall_pending))
		HYPERVISOR_xen_version(XENVER_version, NULL);
}

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = arch_local_save_flags();

	arch_local_irq_disable();
	return flags;
}

static inline void arch_local_irq_restore(unsigned long masked)
{
	if (!masked)
		arch_local_irq_enable();
}

#define local_irq_disable()	arch_local_irq_disable()
#define local_irq_enable()	arch_local_irq_enable()
#define local_irq_save(f)	((f) = arch_local_irq_save())
#define local_irq_restore(f)	arch_local_irq_restore(f)
#define irqs_disabled()		(arch_local_save_flags() != 0)

#endif
