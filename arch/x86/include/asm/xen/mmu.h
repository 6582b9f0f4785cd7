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
#include <linux/percpu.h>
#include <linux/preempt.h>
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

/* ---- pagetable-update sections ---- */

/*
 * A pagetable-update section: from turning the first pfn into a machine
 * frame number, through building the mmu_update batch and issuing it, to
 * using its result.  Machine frame numbers live only inside one, in
 * registers and on the stack, so a suspend must never find a CPU or a task
 * stopped inside one (Documentation/suspend.rst): a section runs with
 * preemption disabled, and stop_machine() parks CPUs only at schedule
 * points.  Events stay enabled: no event handler parks a CPU, and a long
 * batch (the direct map at boot) must still serve cross-CPU calls.  The
 * per-CPU depth lets the suspend audit check it.  Sections nest; they must
 * not sleep.  Every function below opens its own.
 */
static inline void mmu_section_begin(void)
{
	preempt_disable();
	this_cpu()->mmu_section++;
	barrier();
}

static inline void mmu_section_end(void)
{
	barrier();
	this_cpu()->mmu_section--;
	preempt_enable();
}

/* ---- the client ---- */

/*
 * One address space: an L4, pinned while it exists.  Named by its pfn:
 * its machine frame changes when the domain is restored elsewhere.
 */
struct xen_pgd {
	pfn_t l4;
};

/* The address space start of day gave us (start_info.pt_base). */
extern struct xen_pgd xen_kernel_pgd;

/* Which CPUs' TLBs an unmap or remap flushes. */
#define XEN_FLUSH_LOCAL	0	/* this CPU's: the mapping was private to it */
#define XEN_FLUSH_ALL	1	/* every vCPU's: a shared kernel mapping */

/*
 * Finds the m2p (XENMEM_machphys_mapping), the bootstrap region and the
 * temporary-mapping slots; every other call here does it on first use
 * too.  The first call must come before a second CPU is up.
 */
int xen_mmu_init(void);

/* The first pfn above the bootstrap region Xen mapped for us. */
unsigned long xen_bootstrap_end_pfn(void);
/* Every pfn is now in the direct map: tables are read there. */
void xen_direct_map_done(void);

/* pfn of a machine frame by the m2p, or INVALID_PFN if it is not ours. */
pfn_t xen_mfn_to_pfn(mfn_t mfn);

/*
 * The direct-map entry of pfn made read-only (before the page becomes a
 * table, or is granted read-only) or writable again (refused by the
 * hypervisor while the page is still a table).  0 if pfn is not mapped yet.
 */
int xen_make_page_readonly(pfn_t pfn);
int xen_make_page_writable(pfn_t pfn);

/*
 * Maps a frame at one of a few fixed slots at the end of the bootstrap
 * region (read-only unless writable) and returns its address; unmap it
 * with xen_kunmap().  A pagetable-update section stays open in between
 * (the slot's entry names the frame).  NULL if all slots are busy or the
 * hypervisor refuses.
 */
void *xen_kmap(mfn_t mfn, bool writable);
/* Gives a kmap slot back; any other address is ignored. */
void xen_kunmap(void *addr);

/*
 * Mappings in pgd: n pages from va onto mfns[0..n-1] with pte flags prot,
 * for callers that hold machine frames (inside their own section, or
 * between freeze points: linux/freezer.h); xen_map_pfns() takes pfns,
 * where nothing is mapped yet (no TLB flush; use xen_remap_page() to
 * change a present entry).  Missing L3/L2/L1 tables come from the page
 * allocator.  The leaf updates go in batches of one mmu_update each; on
 * failure the mappings before the failing one stay.  Returns 0 or the
 * hypervisor's error.
 */
int xen_map_pages(struct xen_pgd *pgd, unsigned long va, const mfn_t *mfns,
		  unsigned int n, u64 prot);
/* xen_map_pages() of pfns, turned into frames inside the section. */
int xen_map_pfns(struct xen_pgd *pgd, unsigned long va, const pfn_t *pfns,
		 unsigned int n, u64 prot);
/* Makes every table needed to map [va, end) in pgd, mapping nothing. */
int xen_populate_tables(struct xen_pgd *pgd, unsigned long va,
			unsigned long end);
/*
 * Unmaps n pages from va (holes are skipped), then flushes the TLBs that
 * flush names, all in one multicall for the last batch.
 */
int xen_unmap_pages(struct xen_pgd *pgd, unsigned long va, unsigned int n,
		    unsigned int flush);
/*
 * Points va in the current address space at mfn with prot (or clears it
 * for INVALID_MFN) by update_va_mapping, with an invlpg on the CPUs that
 * flush names.  The tables must exist.
 */
int xen_remap_page(unsigned long va, mfn_t mfn, u64 prot, unsigned int flush);
/* The L1 entry for va in pgd (0 if none), read through the tables. */
u64 xen_lookup_pte(struct xen_pgd *pgd, unsigned long va);
/* The pfn va maps in pgd, INVALID_PFN if none or not one of ours. */
pfn_t xen_lookup_pfn(struct xen_pgd *pgd, unsigned long va);

/* The machine frame of pgd's L4 now (use it inside a section only). */
mfn_t xen_pgd_l4_mfn(const struct xen_pgd *pgd);

/*
 * After a suspend: the m2p may have moved or grown on another host.
 * Called on the CPU that suspended, others parked.
 */
int xen_mmu_resume(void);

/*
 * Suspend audit: walks every pagetable of every address space (Xen's own
 * L4 slots excepted) and calls bad() for each present entry whose frame is
 * not one of ours (the m2p and the p2m must agree), with the level and the
 * virtual address it maps; returns how many there were.  entries counts
 * the present entries looked at.
 */
unsigned long xen_mmu_audit(void (*bad)(int level, unsigned long va, u64 e),
			    unsigned long *entries);

/*
 * A new address space sharing every kernel slot of from's L4 (the same
 * L3 tables, so kernel mappings stay common), pinned.
 */
int xen_pgd_create(struct xen_pgd *pgd, const struct xen_pgd *from);
/*
 * Unpins it and frees its L4 and the tables it made for slots of its own;
 * it must not be any vCPU's current address space.  -EINVAL for the
 * kernel's, or one already destroyed.
 */
int xen_pgd_destroy(struct xen_pgd *pgd);
/* Loads it as this vCPU's base pointer. */
int xen_pgd_switch(const struct xen_pgd *pgd);

#endif
