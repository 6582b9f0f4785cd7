/* SPDX-License-Identifier: MIT */
#ifndef _ASM_X86_XEN_MMU_H
#define _ASM_X86_XEN_MMU_H

/*
 * The PV MMU: the pagetable hypercalls, and the kernel's client of them
 * (arch/x86/xen/mmu.c).  A PV guest never writes its own pagetables: it
 * asks the hypervisor, which checks every entry (Documentation/pv-mmu.rst).
 * Each hypercall costs a trap, so the client batches: many entries per
 * mmu_update, several hypercalls per multicall.
 */

#include <linux/types.h>
#include <asm/pgtable.h>
#include <asm/xen/hypercall.h>
#include <xen/interface/memory.h>

/* ---- hypercalls ---- */

/*
 * mmu_update(): applies reqs in order until one fails; *done (if given)
 * gets the number applied, which is the failing request's index.
 */
static inline int HYPERVISOR_mmu_update(const struct mmu_update *reqs,
					unsigned int count, unsigned int *done,
					domid_t dom)
{
	return HYPERCALL(mmu_update, reqs, count, done, dom, 0);
}

static inline int HYPERVISOR_mmuext_op(const struct mmuext_op *ops,
				       unsigned int count, unsigned int *done,
				       domid_t dom)
{
	return HYPERCALL(mmuext_op, ops, count, done, dom, 0);
}

static inline int HYPERVISOR_update_va_mapping(unsigned long va, u64 pte,
					       unsigned long flags)
{
	return HYPERCALL(update_va_mapping, va, pte, flags, 0, 0);
}

/* Runs each entry and stores its result there; 0 unless the list faults. */
static inline int HYPERVISOR_multicall(struct multicall_entry *calls,
				       unsigned int nr)
{
	return HYPERCALL(multicall, calls, nr, 0, 0, 0);
}

static inline int HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
	return HYPERCALL(memory_op, cmd, arg, 0, 0, 0);
}

/* ---- the client ---- */

/* One address space: an L4, pinned while it exists. */
struct xen_pgd {
	mfn_t l4;
};

/* The address space start of day gave us (start_info.pt_base). */
extern struct xen_pgd xen_kernel_pgd;

/*
 * Finds the m2p (XENMEM_machphys_mapping), the temporary-mapping slots and
 * the free pfns; every other call here does it on first use too.
 */
int xen_mmu_init(void);

/* pfn of a machine frame by the m2p, or INVALID_PFN if it is not ours. */
pfn_t xen_mfn_to_pfn(mfn_t mfn);

/*
 * A free pfn from the bump allocator: pfns above the start-of-day region,
 * handed out from the top of memory down and never returned.  Temporary,
 * until mm/ has a page allocator.  INVALID_PFN when none is left.
 */
pfn_t xen_alloc_pfn(void);

/*
 * Maps a frame at one of a few fixed slots at the end of the start-of-day
 * region (read-only unless writable) and returns its address; unmap it
 * with xen_kunmap().  NULL if all slots are busy or the hypervisor refuses.
 */
void *xen_kmap(mfn_t mfn, bool writable);
void xen_kunmap(void *addr);

/*
 * Mappings in pgd: n pages from va onto mfns[0..n-1] with pte flags prot.
 * Missing L3/L2/L1 tables are taken from the bump allocator.  The updates
 * go in batches of one mmu_update each; on failure the mappings before the
 * failing one stay.  Returns 0 or the hypervisor's error.
 */
int xen_map_pages(struct xen_pgd *pgd, unsigned long va, const mfn_t *mfns,
		  unsigned int n, u64 prot);
/* Unmaps n pages from va, then flushes the TLB, in one multicall. */
int xen_unmap_pages(struct xen_pgd *pgd, unsigned long va, unsigned int n);
/* The L1 entry for va in pgd (0 if none), read through the tables. */
u64 xen_lookup_pte(struct xen_pgd *pgd, unsigned long va);

/*
 * A new address space sharing every kernel slot of from's L4 (the same
 * L3 tables, so kernel mappings stay common), pinned.
 */
int xen_pgd_create(struct xen_pgd *pgd, const struct xen_pgd *from);
/* Unpins it; its own tables are not reused (see xen_alloc_pfn()). */
int xen_pgd_destroy(struct xen_pgd *pgd);
/* Loads it as this vCPU's base pointer. */
int xen_pgd_switch(const struct xen_pgd *pgd);

#endif
