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

/*
 * emulate.c: the instructions a guest writes a pagetable entry with,
 * decoded and then executed against a copy of its registers.
 */
struct hv_insn_regs {
	uint64_t gpr[16];		/* rax, rcx, rdx, rbx, rsp, ... r15 */
	uint64_t rip, rflags;
};

enum hv_insn_op {
	HV_INSN_MOV,
	HV_INSN_XCHG,
	HV_INSN_CMPXCHG,
	HV_INSN_CMPXCHG8B,
	HV_INSN_OR,
	HV_INSN_AND,
	HV_INSN_BTS,
	HV_INSN_BTR,
};

struct hv_insn {
	enum hv_insn_op op;
	unsigned int len;		/* bytes, prefixes included */
	unsigned int size;		/* memory operand: 1, 2, 4 or 8 bytes */
	bool lock;			/* lock prefix, or xchg's implied one */
	uint64_t ea;			/* memory operand's address */
	int reg;			/* register operand (x86 number), or -1 */
	bool high8;			/* ... and it is AH, CH, DH or BH */
	bool has_imm;
	uint64_t imm;			/* immediate, extended to size */
	unsigned int bit;		/* bts/btr: the bit within the operand */
};

void hv_insn_regs_from_uc(struct hv_insn_regs *r, const ucontext_t *uc);
void hv_insn_regs_to_uc(const struct hv_insn_regs *r, ucontext_t *uc);
/*
 * Decodes the instruction in bytes[0..avail) with registers r (and the GS
 * base for a gs: prefix): 0, -EFAULT if the bytes end too soon, or
 * -EOPNOTSUPP for anything but a supported write to memory.
 */
int hv_insn_decode(const uint8_t *bytes, unsigned int avail,
		   const struct hv_insn_regs *r, uint64_t gs_base,
		   struct hv_insn *in);
/*
 * Runs a decoded instruction on the operand's current value old: true and
 * the value to store in *val, or false when it stores nothing (a compare
 * that failed).  Registers and flags change in r; rip does not.
 */
bool hv_insn_exec(const struct hv_insn *in, struct hv_insn_regs *r,
		  uint64_t old, uint64_t *val);

/*
 * vcpu.c: a host page fault at guest address va: filled, emulated (ptwr),
 * or delivered to the guest.
 */
void hv_guest_page_fault(struct hv_vcpu *v, ucontext_t *uc, uint64_t va,
			 unsigned long hw_err);
/*
 * mm/ptwr.c: Xen's pv_ro_page_fault() for an L1 pagetable page: true if
 * the write at cr2 that faulted with error code ec was emulated (and uc
 * moved past it), false if the #PF is the guest's.
 */
bool hv_ptwr_fault(struct hv_vcpu *v, ucontext_t *uc, uint64_t cr2,
		   uint64_t ec);

#endif
