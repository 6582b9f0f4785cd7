// SPDX-License-Identifier: MIT
/*
 * Writable pagetables (VMASST_TYPE_writable_pagetables) from the guest's
 * side, the same on Xen and on the host hypervisor.  With the assist on,
 * a plain store into one of our L1 tables - mapped read-only, as every
 * pagetable is - is done by the hypervisor as if it were an mmu_update: a
 * mov maps a page, a 4-byte store into the high half sets NX, lock cmpxchg
 * swaps an entry or, with a stale compare value, leaves it and hands back
 * what is there.  A store that would make an entry map a pinned pagetable
 * writable, or that aims at an L2, is refused with the #PF the store
 * raised (error code 3: present, write, kernel mode), and with the assist
 * off every such store faults.
 *
 * tern's kernel itself leaves the assist off (Documentation/pv-mmu.rst
 * says why): this test turns it on for its own run and off again.  The
 * stores run under an exception fixup, so a hypervisor that refuses what
 * it should emulate shows as a FAILURE, not a crash.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/selftest.h>
#include <linux/mm.h>
#include <asm/layout.h>
#include <asm/traps.h>
#include <asm/xen/mmu.h>
#include <xen/xen.h>

#define VA_PTWR		(SCRATCH_BASE + (3UL << 30))
#define PF_EC_WRITE	0x3UL		/* present | write, kernel mode */

/* The fault a store took, if it took one. */
static struct trap_record trap;

/* A plain 8-byte mov of val to p; true if it faulted (trap says how). */
static bool store_faults(volatile u64 *p, u64 val)
{
	unsigned long n = last_fixup_trap.count;

	__asm__ __volatile__("1: movq %1, (%0)\n2:\n" _ASM_EXTABLE(1b, 2b)
			     : : "r"(p), "r"(val) : "memory");
	trap = last_fixup_trap;
	return trap.count != n;
}

/* The same with a 4-byte mov (the high half of an entry). */
static bool store32_faults(volatile u32 *p, u32 val)
{
	unsigned long n = last_fixup_trap.count;

	__asm__ __volatile__("1: movl %1, (%0)\n2:\n" _ASM_EXTABLE(1b, 2b)
			     : : "r"(p), "r"(val) : "memory");
	trap = last_fixup_trap;
	return trap.count != n;
}

/* lock cmpxchg on p; *old in, what was there out; true if it faulted. */
static bool cmpxchg_faults(volatile u64 *p, u64 *old, u64 val, bool *swapped)
{
	unsigned long n = last_fixup_trap.count;
	u64 expect = *old, seen = expect;

	__asm__ __volatile__("1: lock cmpxchgq %2, (%1)\n2:\n"
			     _ASM_EXTABLE(1b, 2b)
			     : "+a"(seen) : "r"(p), "r"(val) : "memory", "cc");
	trap = last_fixup_trap;
	*swapped = seen == expect;
	*old = seen;
	return trap.count != n;
}

/*
 * The 8 bytes at va, or ~0 if reading them faults: a mapping the
 * hypervisor should have made and did not is a FAILURE, not a crash.
 */
static u64 peek(unsigned long va)
{
	unsigned long n = last_fixup_trap.count;
	u64 v = 0;

	__asm__ __volatile__("1: movq (%1), %0\n2:\n" _ASM_EXTABLE(1b, 2b)
			     : "+r"(v) : "r"(va) : "memory");
	return last_fixup_trap.count == n ? v : ~0ULL;
}

/* A #PF at va from a write, as Xen delivers it to a kernel. */
static bool write_fault_at(const volatile void *va)
{
	return trap.vector == X86_TRAP_PF && trap.cr2 == (unsigned long)va &&
	       trap.error_code == PF_EC_WRITE;
}

static int invlpg(unsigned long va)
{
	struct mmuext_op op = { .cmd = MMUEXT_INVLPG_LOCAL,
				.arg1.linear_addr = va };

	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/* The table at level `level` on the way to va (4: the L4). */
static mfn_t table_of(unsigned long va, int level)
{
	mfn_t table = xen_pgd_l4_mfn(&xen_kernel_pgd);
	int l;

	for (l = 4; l > level; l--) {
		const u64 *t = xen_kmap(table, false);
		u64 e = t ? t[(va >> (12 + 9 * (l - 1))) & 511] : 0;

		xen_kunmap((void *)t);
		if (!(e & _PAGE_PRESENT))
			return INVALID_MFN;
		table = pte_mfn(e);
	}
	return table;
}

static mfn_t alloc_frame(void)
{
	pfn_t pfn = alloc_pfns(0);

	return pfn_eq(pfn, INVALID_PFN) ? INVALID_MFN : pfn_to_mfn(pfn);
}

static void run(void)
{
	mfn_t a = alloc_frame(), b = alloc_frame(), l1, l2;
	unsigned long va = VA_PTWR, idx = (va >> 12) & 511;
	volatile u64 *l1p, *l2p, *ptep;
	u64 e, old;
	bool swapped;

	/* A's mapping makes the L1; entry idx + 1 is ours to write. */
	ST_CHECK(xen_map_pages(&xen_kernel_pgd, va, &a, 1, PAGE_KERNEL) == 0);
	*(volatile u64 *)va = 0xa;
	*(volatile u64 *)pfn_to_virt(xen_mfn_to_pfn(b)) = 0xb;
	l1 = table_of(va, 1);
	l2 = table_of(va, 2);
	ST_CHECK(mfn_valid_raw(l1) && mfn_valid_raw(l2));
	l1p = xen_kmap(l1, false);
	ST_CHECK(l1p != NULL);
	if (!l1p)
		return;
	ptep = &l1p[idx + 1];

	/* A plain store maps B (executable, for the next step). */
	ST_CHECK(selftest_read_faults(va + PAGE_SIZE));
	ST_CHECK(!store_faults(ptep, mfn_pte(b, PAGE_KERNEL & ~_PAGE_NX)));
	ST_CHECK(peek(va + PAGE_SIZE) == 0xb);
	e = xen_lookup_pte(&xen_kernel_pgd, va + PAGE_SIZE);
	ST_CHECK(mfn_eq(pte_mfn(e), b) && (e & _PAGE_RW) && !(e & _PAGE_NX));

	/* A 4-byte store into the high half sets NX and keeps the frame. */
	ST_CHECK(!store32_faults((volatile u32 *)ptep + 1,
				 (u32)(mfn_pte(b, PAGE_KERNEL) >> 32)));
	ST_CHECK(invlpg(va + PAGE_SIZE) == 0);
	e = xen_lookup_pte(&xen_kernel_pgd, va + PAGE_SIZE);
	ST_CHECK(mfn_eq(pte_mfn(e), b) && (e & _PAGE_NX) && (e & _PAGE_RW));
	ST_CHECK(peek(va + PAGE_SIZE) == 0xb);

	/* cmpxchg with what is there swaps B for A, read-only. */
	old = *ptep;
	ST_CHECK(!cmpxchg_faults(ptep, &old, mfn_pte(a, PAGE_KERNEL_RO), &swapped));
	ST_CHECK(swapped);
	ST_CHECK(invlpg(va + PAGE_SIZE) == 0);
	ST_CHECK(peek(va + PAGE_SIZE) == 0xa);
	e = *ptep;
	ST_CHECK(mfn_eq(pte_mfn(e), a) && !(e & _PAGE_RW));

	/* A stale compare value: nothing stored, the entry handed back. */
	old = e ^ _PAGE_ACCESSED;
	ST_CHECK(!cmpxchg_faults(ptep, &old, mfn_pte(b, PAGE_KERNEL), &swapped));
	ST_CHECK(!swapped && old == e && *ptep == e);

	/* Making an entry map a pinned pagetable writable: the #PF. */
	ST_CHECK(store_faults(ptep, mfn_pte(xen_pgd_l4_mfn(&xen_kernel_pgd),
					    PAGE_KERNEL)));
	ST_CHECK(write_fault_at(ptep));
	ST_CHECK(store_faults(ptep, mfn_pte(l1, PAGE_KERNEL)));
	ST_CHECK(write_fault_at(ptep));
	ST_CHECK(*ptep == e);

	/* Writable pagetables stop at L1: a store into the L2 faults. */
	l2p = xen_kmap(l2, false);
	ST_CHECK(l2p != NULL);
	if (l2p) {
		volatile u64 *p = &l2p[(va >> 21) & 511];

		ST_CHECK(store_faults(p, *p));
		ST_CHECK(write_fault_at(p));
		xen_kunmap((void *)l2p);
	}

	/* Cleared by a plain store, then flushed as a kernel must. */
	ST_CHECK(!store_faults(ptep, 0));
	ST_CHECK(invlpg(va + PAGE_SIZE) == 0);
	ST_CHECK(selftest_read_faults(va + PAGE_SIZE));

	/* With the assist off the same store is the guest's #PF. */
	ST_CHECK(HYPERVISOR_vm_assist(VMASST_CMD_disable,
				      VMASST_TYPE_writable_pagetables) == 0);
	ST_CHECK(store_faults(ptep, mfn_pte(b, PAGE_KERNEL)));
	ST_CHECK(write_fault_at(ptep));
	ST_CHECK(*ptep == 0);

	xen_kunmap((void *)l1p);
	/* Two pages: a store that went wrong above may have left the second. */
	ST_CHECK(xen_unmap_pages(&xen_kernel_pgd, va, 2, XEN_FLUSH_ALL) == 0);
	ST_CHECK(free_pfns(xen_mfn_to_pfn(a), 0) == 0);
	ST_CHECK(free_pfns(xen_mfn_to_pfn(b), 0) == 0);
}

static enum selftest_result test_ptwr_run(void)
{
	int rc;

	if (xen_mmu_init()) {
		printk("  cannot set up the MMU client\n");
		return SELFTEST_ERROR;
	}
	rc = HYPERVISOR_vm_assist(VMASST_CMD_enable,
				  VMASST_TYPE_writable_pagetables);
	if (rc) {
		printk("  vm_assist(enable, writable_pagetables): %d\n", rc);
		return SELFTEST_FAILURE;
	}
	ST_CHECK(HYPERVISOR_vm_assist(VMASST_CMD_enable, 6) == -EINVAL);
	ST_CHECK(HYPERVISOR_vm_assist(2, VMASST_TYPE_writable_pagetables) == -ENOSYS);
	/* Frames in locals between hypercalls: one section (asm/xen/mmu.h). */
	mmu_section_begin();
	run();
	mmu_section_end();
	HYPERVISOR_vm_assist(VMASST_CMD_disable, VMASST_TYPE_writable_pagetables);
	return selftest_status();
}
DEFINE_SELFTEST(ptwr, test_ptwr_run);
