// SPDX-License-Identifier: MIT
/*
 * Memory at start of day.  Xen (or the host hypervisor's builder) maps only
 * the bootstrap region: the image, start_info, the p2m, the start-of-day
 * tables, a stack and some padding, pfn n at KERNEL_VIRT_BASE + n pages.
 * Everything above it is ours but unmapped.  We extend that same rule to
 * every pfn - the direct map - through the PV MMU client, then hand the
 * pfns above the bootstrap region to the page allocator.
 *
 * The tables for the new part come from the top of that memory, before it
 * is mapped: the client makes every L2 and L1 first (xen_populate_tables),
 * taking pages from the allocator's boot pool, so the pfns that became
 * tables are known and contiguous when the leaf entries are written.
 * Those get read-only entries, since Xen refuses a writable mapping of a
 * page that is a table; all others are mapped read-write, no-execute.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <asm/layout.h>
#include <asm/xen/mmu.h>
#include <xen/xen.h>

#define CHUNK		512	/* one L1's worth of entries per call */

static pfn_t chunk_pfns[CHUNK];

/* Maps pfns [lo, hi) at their direct-map addresses with prot. */
static void map_range(unsigned long lo, unsigned long hi, u64 prot)
{
	while (lo < hi) {
		unsigned int n = min(hi - lo, CHUNK - (lo % CHUNK)), i;
		int rc;

		for (i = 0; i < n; i++)
			chunk_pfns[i] = _pfn(lo + i);
		rc = xen_map_pfns(&xen_kernel_pgd,
				  (unsigned long)pfn_to_virt(_pfn(lo)),
				  chunk_pfns, n, prot);
		if (rc)
			panic("direct map: mapping pfns %#lx-%#lx failed: %d",
			      lo, lo + n, rc);
		lo += n;
	}
}

void xen_setup_memory(void)
{
	unsigned long nr = xen_start_info->nr_pages;
	unsigned long lo = xen_bootstrap_end_pfn(), tables;
	int rc;

	if (!lo)
		panic("direct map: cannot set up the MMU client");
	if (nr > (DIRECT_MAP_SIZE >> PAGE_SHIFT))
		panic("direct map: %lu pages do not fit its %lu GiB", nr,
		      DIRECT_MAP_SIZE >> 30);
	/* Room for the tables, the allocator's bookkeeping and some use. */
	if (nr < lo + MIN_FREE_PAGES)
		panic("direct map: %lu pages leave nothing above the %lu-page bootstrap region",
		      nr, lo);
	page_alloc_boot_pool(_pfn(lo), _pfn(nr));
	rc = xen_populate_tables(&xen_kernel_pgd,
				 (unsigned long)pfn_to_virt(_pfn(lo)),
				 (unsigned long)pfn_to_virt(_pfn(nr)));
	if (rc)
		panic("direct map: cannot make its tables: %d", rc);
	tables = pfn_x(page_alloc_boot_low());
	map_range(lo, tables, PAGE_KERNEL);
	map_range(tables, nr, PAGE_KERNEL_RO);
	xen_direct_map_done();
	printk("direct map: pfns %#lx-%#lx mapped at %p, %lu new tables\n", lo,
	       nr, pfn_to_virt(_pfn(lo)), nr - tables);
	page_alloc_init();
}
