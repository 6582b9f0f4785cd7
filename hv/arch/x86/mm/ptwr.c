// SPDX-License-Identifier: MIT
/*
 * Writable pagetables (VMASST_TYPE_writable_pagetables), as Xen's ptwr
 * offers them to a PV guest: with the assist on, a kernel may write an
 * entry of one of its L1 tables with an ordinary instruction, although
 * the table is mapped read-only (it must be: a pagetable is never
 * writable).  The write faults; we decode the instruction, validate the
 * entry it would make exactly as mmu_update would, store it with its
 * references, and resume the guest after the instruction.
 *
 * Which faults qualify, as in Xen's fixup_page_fault() and
 * pv_ro_page_fault(): the assist is on, the vCPU is in kernel mode, the
 * fault is a write to a present page (not a fetch), and the page is a
 * validated L1 table of this domain mapped read-only.  L2..L4 tables do
 * not qualify (Xen's writable pagetables stop at L1), nor does an
 * unvalidated page.  Anything else, and any write we cannot or will not
 * do, is delivered as the #PF the hardware raised, with the same error
 * code: what Xen delivers when ptwr_emulated_update() or its emulator
 * says "unhandleable".
 *
 * The rules of the write (Xen's ptwr_emulated_update()): naturally
 * aligned, within the faulting page, 1 to 8 bytes; a narrower write is
 * merged into the 8-byte entry it falls in and the whole entry checked.
 * The check and the store are hv_mod_entry() - mmu_update's own path, so
 * there is one validator - under d->mmu_lock, which also makes every
 * locked form atomic against other vCPUs' updates: a cmpxchg whose
 * compare fails stores nothing and validates nothing (the emulator
 * compares before it writes), and returns what it saw in rax as the CPU
 * would.  Registers and flags change only once the store is done.
 */
#include <errno.h>
#include <string.h>

#include "private.h"
#include "hv/arch/x86/private.h"

#define PF_PRESENT	0x01UL
#define PF_WRITE	0x02UL
#define EFLAGS_TF	0x00000100UL
#define EFLAGS_RF	0x00010000UL

/* The instruction at rip: as many of its 15 bytes as the guest can read. */
static unsigned int fetch_insn(struct hv_vcpu *v, uint64_t rip, uint8_t *buf)
{
	unsigned int n = 15;

	if (!hv_copy_from_guest(v, buf, rip, n))
		return n;
	/* It may end before the next page, which need not be mapped. */
	n = HV_PAGE_SIZE - (rip & (HV_PAGE_SIZE - 1));
	if (n < 15 && !hv_copy_from_guest(v, buf, rip, n))
		return n;
	return 0;
}

/* The validated L1 of ours that a read-only mapping shows at va, or NULL. */
static struct hv_frame *ro_l1_at(struct hv_vcpu *v, uint64_t va, mfn_t *mfn)
{
	struct hv_domain *d = v->d;
	struct hv_frame *f;
	struct hv_walk w;

	if (hv_guest_walk(d, v->cr3, va, &w) || w.writable)
		return NULL;
	f = owned_frame(d, w.mfn);
	if (!f || f->type != HV_PGT_L1 || !f->type_count ||
	    !(f->flags & HV_PGF_VALIDATED))
		return NULL;
	*mfn = w.mfn;
	return f;
}

/*
 * Emulates in under d->mmu_lock: 0 with r updated, or the error that
 * refused it (-EOPNOTSUPP for a write outside Xen's rules).
 */
static int emulate_write(struct hv_vcpu *v, const struct hv_insn *in,
			 struct hv_insn_regs *r, uint64_t cr2)
{
	struct hv_domain *d = v->d;
	unsigned int idx, shift;
	uint64_t full, old, val, mask;
	mfn_t mfn;

	if (((in->ea ^ cr2) & ~(HV_PAGE_SIZE - 1)) ||
	    (in->ea & (in->size - 1)))
		return -EOPNOTSUPP;
	if (!ro_l1_at(v, in->ea, &mfn))
		return -EOPNOTSUPP;
	idx = (in->ea & (HV_PAGE_SIZE - 1)) >> 3;
	shift = (in->ea & 7) * 8;
	mask = in->size == 8 ? ~0UL : ((1UL << (in->size * 8)) - 1) << shift;
	full = read_pte(&table_ptr(d, mfn)[idx]);
	old = (full & mask) >> shift;
	if (!hv_insn_exec(in, r, old, &val))
		return 0;
	return hv_mod_entry(d, mfn, idx, (full & ~mask) | ((val << shift) & mask),
			    false);
}

bool hv_ptwr_fault(struct hv_vcpu *v, ucontext_t *uc, uint64_t cr2,
		   uint64_t ec)
{
	struct hv_domain *d = v->d;
	struct hv_insn_regs r;
	struct hv_insn in;
	uint8_t bytes[15];
	unsigned int n;
	int rc;

	if (!hv_vm_assist(d, VMASST_TYPE_writable_pagetables) ||
	    !v->kernel_mode || ec != (PF_PRESENT | PF_WRITE))
		return false;
	hv_insn_regs_from_uc(&r, uc);
	n = fetch_insn(v, r.rip, bytes);
	rc = n ? hv_insn_decode(bytes, n, &r, v->gs_base_kernel, &in) :
		 -EFAULT;
	if (rc) {
		hv_mmu_count(d, HV_OP_PTWR, -EOPNOTSUPP);
		return false;
	}
	hv_mmu_lock(d);
	rc = emulate_write(v, &in, &r, cr2);
	hv_mmu_unlock(d);
	hv_mmu_count(d, HV_OP_PTWR, rc);
	if (rc)
		return false;
	r.rip += in.len;
	r.rflags &= ~EFLAGS_RF;
	hv_insn_regs_to_uc(&r, uc);
	hv_mmu_after_hypercall(v, uc, "a ptwr emulated write");
	/* A single-stepping guest sees its step end, as after the CPU's. */
	if (r.rflags & EFLAGS_TF)
		hv_inject_trap(v, uc, 1, false, 0);
	return true;
}
