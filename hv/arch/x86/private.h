/* SPDX-License-Identifier: MIT */
#ifndef _HV_ARCH_X86_PRIVATE_H
#define _HV_ARCH_X86_PRIVATE_H

/*
 * What the x86 part keeps to itself: the guest's registers as the signal
 * handlers see them (a ucontext), the way into and out of the guest on a
 * vCPU thread, and the bounce frames that deliver exceptions and events.
 * The rest of hv sees vCPUs through hv/private.h only.
 */
#include "hv/private.h"

/* Guest register access in a signal context. */
#define UC_REG(uc, r)	((uc)->uc_mcontext.gregs[REG_##r])

/* vcpu.c: the common exit of every handler parks v here when it must. */
void hv_vcpu_park(struct hv_vcpu *v, ucontext_t *uc);
/* The vCPU's saved state into a ucontext and back (context.c). */
void hv_regs_to_uc(const struct hv_vcpu *v, ucontext_t *uc);
void hv_regs_from_uc(struct hv_vcpu *v, const ucontext_t *uc);

/* hypercall.c: the number from SIGSYS, arguments from the registers. */
void hv_dispatch_hypercall(struct hv_vcpu *v, ucontext_t *uc,
			   unsigned int nr);

/* traps.c: exceptions and upcalls into the guest */
void hv_inject_trap(struct hv_vcpu *v, ucontext_t *uc, unsigned int vector,
		    bool has_error, uint64_t error_code);
bool hv_inject_upcall(struct hv_vcpu *v, ucontext_t *uc);
void hv_inject_page_fault(struct hv_vcpu *v, ucontext_t *uc, uint64_t cr2,
			  uint64_t error_code);

#endif
