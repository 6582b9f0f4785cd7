// SPDX-License-Identifier: MIT
/*
 * The PV MMU from the guest's side, the same on Xen and on the host
 * hypervisor: find the m2p by asking, map and unmap pages through batched
 * mmu_update and multicall, build a second pinned address space and run on
 * it, and check that the hypervisor refuses what it must - a writable
 * mapping of a pagetable, a frame that is not ours, an invalid frame, a
 * superpage, a hypervisor L4 slot - with Xen's error codes.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/selftest.h>
#include <linux/string.h>
#include <linux/mm.h>
#include <asm/layout.h>
#include <asm/traps.h>
#include <asm/xen/mmu.h>
#include <xen/xen.h>

#define GUEST_KERNEL	(1ULL << 52)	/* Xen's mark on kernel L1 entries */

/* The scratch part of the kernel's L4 slot 32, and a free L4 slot. */
#define VA_MAP		(SCRATCH_BASE + (1UL << 30))
#define VA_BATCH	(SCRATCH_BASE + (2UL << 30))
#define VA_OTHER	(KERNEL_VIRT_BASE + (2UL << 39))	/* slot 34 */

static mfn_t alloc_frame(void)
{
	pfn_t pfn = alloc_pfns(0);

	return pfn_eq(pfn, INVALID_PFN) ? INVALID_MFN : pfn_to_mfn(pfn);
}

static void free_frame(mfn_t mfn)
{
	ST_CHECK(free_pfns(xen_mfn_to_pfn(mfn), 0) == 0);
}

/* The m2p, found where the hypervisor says, agrees with our p2m. */
static void check_m2p(void)
{
	struct xen_machphys_mapping map;
	unsigned long pfns[] = { 0, 1, 5, xen_start_info->nr_pages - 1 };
	unsigned int i;

	ST_CHECK(HYPERVISOR_memory_op(XENMEM_machphys_mapping, &map) == 0);
	ST_CHECK(map.v_start < map.v_end && map.max_mfn > 0);
	for (i = 0; i < ARRAY_SIZE(pfns); i++) {
		mfn_t mfn = pfn_to_mfn(_pfn(pfns[i]));

		ST_CHECK(pfn_x(xen_mfn_to_pfn(mfn)) == pfns[i]);
	}
	ST_CHECK(pfn_eq(xen_mfn_to_pfn(_mfn(map.max_mfn + 1)), INVALID_PFN));
}

/* Map a fresh page where nothing was, use it, see it as Xen stored it, unmap. */
static void map_unmap(void)
{
	mfn_t mfn = alloc_frame();
	volatile u64 *p = (volatile u64 *)VA_MAP;
	const u64 *alias;
	u64 e;

	ST_CHECK(selftest_read_faults(VA_MAP));
	ST_CHECK(xen_map_pages(&xen_kernel_pgd, VA_MAP, &mfn, 1, PAGE_KERNEL) == 0);
	p[0] = 0x5eed5eed5eed5eedULL;
	p[511] = 42;
	alias = xen_kmap(mfn, false);
	ST_CHECK(alias && alias[0] == 0x5eed5eed5eed5eedULL && alias[511] == 42);
	xen_kunmap((void *)alias);
	e = xen_lookup_pte(&xen_kernel_pgd, VA_MAP);
	ST_CHECK(mfn_eq(pte_mfn(e), mfn));
	/* A kernel mapping is stored with USER and Xen's guest-kernel mark. */
	ST_CHECK((e & (_PAGE_USER | GUEST_KERNEL)) == (_PAGE_USER | GUEST_KERNEL));
	/* The same frame through the direct map. */
	ST_CHECK(*(u64 *)pfn_to_virt(xen_mfn_to_pfn(mfn)) == 0x5eed5eed5eed5eedULL);
	ST_CHECK(xen_unmap_pages(&xen_kernel_pgd, VA_MAP, 1, XEN_FLUSH_ALL) == 0);
	ST_CHECK(selftest_read_faults(VA_MAP));
	ST_CHECK(xen_lookup_pte(&xen_kernel_pgd, VA_MAP) == 0);
	free_frame(mfn);
}

/* Sixteen pages in one batch, then three more in one multicall. */
static void batches(void)
{
	struct multicall_entry mc[3];
	mfn_t mfns[16];
	unsigned int i;

	for (i = 0; i < 16; i++)
		mfns[i] = alloc_frame();
	ST_CHECK(xen_map_pages(&xen_kernel_pgd, VA_BATCH, mfns, 16, PAGE_KERNEL) == 0);
	for (i = 0; i < 16; i++)
		*(volatile u64 *)(VA_BATCH + i * PAGE_SIZE) = i;
	for (i = 0; i < 16; i++)
		ST_CHECK(*(volatile u64 *)(VA_BATCH + i * PAGE_SIZE) == i);

	memset(mc, 0, sizeof(mc));
	for (i = 0; i < 3; i++) {
		mc[i].op = __HYPERVISOR_update_va_mapping;
		mc[i].args[0] = VA_BATCH + (16 + i) * PAGE_SIZE;
		mc[i].args[1] = mfn_pte(mfns[i], PAGE_KERNEL_RO);
	}
	ST_CHECK(HYPERVISOR_multicall(mc, 3) == 0);
	for (i = 0; i < 3; i++) {
		ST_CHECK(mc[i].result == 0);
		ST_CHECK(*(volatile u64 *)(VA_BATCH + (16 + i) * PAGE_SIZE) == i);
	}
	ST_CHECK(xen_unmap_pages(&xen_kernel_pgd, VA_BATCH, 19, XEN_FLUSH_ALL) == 0);
	ST_CHECK(selftest_read_faults(VA_BATCH + 18 * PAGE_SIZE));
	for (i = 0; i < 16; i++)
		free_frame(mfns[i]);
}

/*
 * A second pinned address space with a page only it maps; destroying it
 * gives back its L4 and the three tables it made for slot 34.
 */
static void second_address_space(void)
{
	unsigned long before = nr_free_pages();
	struct xen_pgd pgd;
	mfn_t mfn = alloc_frame();
	bool ok;

	ST_CHECK(xen_pgd_create(&pgd, &xen_kernel_pgd) == 0);
	ST_CHECK(nr_free_pages() == before - 2);
	ST_CHECK(xen_map_pages(&pgd, VA_OTHER, &mfn, 1, PAGE_KERNEL) == 0);
	ST_CHECK(selftest_read_faults(VA_OTHER));
	ST_CHECK(xen_pgd_switch(&pgd) == 0);
	*(volatile u64 *)VA_OTHER = 0xa5a5;
	ok = *(volatile u64 *)VA_OTHER == 0xa5a5;
	ST_CHECK(xen_pgd_switch(&xen_kernel_pgd) == 0);
	ST_CHECK(ok);
	ST_CHECK(selftest_read_faults(VA_OTHER));
	/* Unpinned while another L4 is current: its tables go away with it. */
	ST_CHECK(nr_free_pages() == before - 5);
	ST_CHECK(xen_pgd_destroy(&pgd) == 0);
	ST_CHECK(xen_pgd_destroy(&pgd) == -EINVAL);
	ST_CHECK(xen_pgd_destroy(&xen_kernel_pgd) == -EINVAL);
	free_frame(mfn);
	ST_CHECK(nr_free_pages() == before);
}

static int mmuext_pin(mfn_t mfn)
{
	struct mmuext_op op = { .cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = mfn_x(mfn) };

	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static int mmuext_unpin(mfn_t mfn)
{
	struct mmuext_op op = { .cmd = MMUEXT_UNPIN_TABLE, .arg1.mfn = mfn_x(mfn) };

	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/* The L1 table that maps va, found by reading each level through a kmap. */
static mfn_t l1_of(const struct xen_pgd *pgd, unsigned long va)
{
	mfn_t table = xen_pgd_l4_mfn(pgd);
	int level;

	for (level = 4; level > 1; level--) {
		const u64 *t = xen_kmap(table, false);
		u64 e = t ? t[(va >> (12 + 9 * (level - 1))) & 511] : 0;

		xen_kunmap((void *)t);
		if (!(e & _PAGE_PRESENT))
			return INVALID_MFN;
		table = pte_mfn(e);
	}
	return table;
}

/* An mfn near our own that the m2p and p2m say is not ours. */
static mfn_t foreign_frame(void)
{
	unsigned long base = mfn_x(pfn_to_mfn(_pfn(0))), i;

	for (i = 1; i < 4096; i++) {
		if (pfn_eq(xen_mfn_to_pfn(_mfn(base + i)), INVALID_PFN))
			return _mfn(base + i);
		if (base > i &&
		    pfn_eq(xen_mfn_to_pfn(_mfn(base - i)), INVALID_PFN))
			return _mfn(base - i);
	}
	return INVALID_MFN;
}

static void refusals(void)
{
	struct mmu_update req[3];
	struct xen_pgd *kp = &xen_kernel_pgd;
	mfn_t page = alloc_frame(), l1, foreign;
	unsigned long va = VA_MAP + 8 * PAGE_SIZE;
	unsigned int done = 99, idx = (va >> 12) & 511;
	int rc;

	ST_CHECK(xen_map_pages(kp, va, &page, 1, PAGE_KERNEL) == 0);
	memset((void *)va, 0, PAGE_SIZE);
	l1 = l1_of(kp, va);
	ST_CHECK(mfn_valid_raw(l1));

	/* A writable mapping of a pagetable: -EBUSY; read-only is fine. */
	ST_CHECK(HYPERVISOR_update_va_mapping(va + PAGE_SIZE,
					      mfn_pte(l1, PAGE_KERNEL), 0) == -EBUSY);
	ST_CHECK(HYPERVISOR_update_va_mapping(va + PAGE_SIZE,
					      mfn_pte(xen_pgd_l4_mfn(kp), PAGE_KERNEL), 0) == -EBUSY);
	ST_CHECK(HYPERVISOR_update_va_mapping(va + PAGE_SIZE,
					      mfn_pte(l1, PAGE_KERNEL_RO),
					      UVMF_INVLPG | UVMF_LOCAL) == 0);

	/* In a batch: the failing request's index comes back in done. */
	req[0].ptr = mfn_to_maddr(l1) + (idx + 2) * 8;
	req[0].val = mfn_pte(page, PAGE_KERNEL_RO);
	req[1].ptr = mfn_to_maddr(l1) + (idx + 3) * 8;
	req[1].val = mfn_pte(l1, PAGE_KERNEL);
	req[2].ptr = mfn_to_maddr(l1) + (idx + 4) * 8;
	req[2].val = mfn_pte(page, PAGE_KERNEL_RO);
	ST_CHECK(HYPERVISOR_mmu_update(req, 3, &done, DOMID_SELF) == -EBUSY);
	ST_CHECK(done == 1);
	ST_CHECK(!selftest_read_faults(va + 2 * PAGE_SIZE));
	ST_CHECK(selftest_read_faults(va + 3 * PAGE_SIZE));
	ST_CHECK(selftest_read_faults(va + 4 * PAGE_SIZE));

	/* A page mapped writable cannot become a pagetable. */
	ST_CHECK(mmuext_pin(page) == -EINVAL);

	/* A frame that is not ours: another domain's, or nobody's. */
	foreign = foreign_frame();
	ST_CHECK(mfn_valid_raw(foreign));
	rc = HYPERVISOR_update_va_mapping(va + 5 * PAGE_SIZE,
					  mfn_pte(foreign, PAGE_KERNEL_RO), 0);
	if (rc != -EBUSY)
		printk("  mapping foreign frame %#lx gave %d\n",
		       (unsigned long)mfn_x(foreign), rc);
	ST_CHECK(rc == -EBUSY || rc == -EPERM);

	/* Invalid frames, a hypervisor L4 slot, cache bits, a superpage. */
	ST_CHECK(mmuext_pin(_mfn(~0UL)) == -EINVAL);
	ST_CHECK(mmuext_pin(_mfn(1UL << 40)) == -EINVAL);
	req[0].ptr = mfn_to_maddr(xen_pgd_l4_mfn(kp)) + 256 * 8;
	req[0].val = mfn_pte(page, _PAGE_PRESENT | _PAGE_ACCESSED);
	ST_CHECK(HYPERVISOR_mmu_update(req, 1, NULL, DOMID_SELF) == -EINVAL);
	ST_CHECK(HYPERVISOR_update_va_mapping(va + 6 * PAGE_SIZE,
					      mfn_pte(page, PAGE_KERNEL_RO | _PAGE_PCD),
					      0) == -EINVAL);
	{
		/* PSE in the L2 entry that points at our L1. */
		const u64 *l4 = xen_kmap(xen_pgd_l4_mfn(kp), false);
		mfn_t l3 = pte_mfn(l4 ? l4[(va >> 39) & 511] : 0);
		const u64 *t;
		mfn_t l2;
		u64 e;

		xen_kunmap((void *)l4);
		t = xen_kmap(l3, false);
		l2 = pte_mfn(t ? t[(va >> 30) & 511] : 0);
		xen_kunmap((void *)t);
		t = xen_kmap(l2, false);
		e = t ? t[(va >> 21) & 511] : 0;
		xen_kunmap((void *)t);
		req[0].ptr = mfn_to_maddr(l2) + ((va >> 21) & 511) * 8;
		req[0].val = e | _PAGE_PSE;
		ST_CHECK(HYPERVISOR_mmu_update(req, 1, NULL, DOMID_SELF) == -EINVAL);
	}
	ST_CHECK(xen_unmap_pages(kp, va, 6, XEN_FLUSH_ALL) == 0);
	/* Still writable in the direct map; read-only there, it can be pinned. */
	ST_CHECK(mmuext_pin(page) == -EINVAL);
	ST_CHECK(xen_make_page_readonly(xen_mfn_to_pfn(page)) == 0);
	ST_CHECK(mmuext_pin(page) == 0);
	ST_CHECK(xen_make_page_writable(xen_mfn_to_pfn(page)) == -EBUSY);
	ST_CHECK(mmuext_unpin(page) == 0);
	ST_CHECK(xen_make_page_writable(xen_mfn_to_pfn(page)) == 0);
	free_frame(page);
}

static enum selftest_result test_mmu_run(void)
{
	if (xen_mmu_init()) {
		printk("  cannot set up the MMU client\n");
		return SELFTEST_ERROR;
	}
	/*
	 * These hold machine frames in locals from one hypercall to the
	 * next: each runs as one pagetable-update section, so that no
	 * suspend can find it half-way (asm/xen/mmu.h).
	 */
	mmu_section_begin();
	check_m2p();
	map_unmap();
	batches();
	second_address_space();
	refusals();
	mmu_section_end();
	return selftest_status();
}
DEFINE_SELFTEST(mmu, test_mmu_run);
