// SPDX-License-Identifier: MIT
/*
 * The p2m as the toolstack will read it when it saves or migrates us:
 * shared_info's max_pfn and frame list must describe start_info's
 * mfn_list exactly, and the m2p must agree with it, on whichever
 * hypervisor runs us.  (hv's audit checks the same from outside.)
 */
#include <linux/kernel.h>
#include <linux/selftest.h>
#include <asm/layout.h>
#include <asm/xen/mmu.h>
#include <xen/p2m.h>
#include <xen/xen.h>

#define PER_PAGE (PAGE_SIZE / sizeof(unsigned long))

static enum selftest_result test_p2m_run(void)
{
	const struct arch_shared_info *as = &HYPERVISOR_shared_info->arch;
	unsigned long nr = xen_start_info->nr_pages;
	unsigned long pages = DIV_ROUND_UP(nr, PER_PAGE), i, bad = 0;

	ST_CHECK(READ_ONCE(as->max_pfn) == nr);
	ST_CHECK(as->pfn_to_mfn_frame_list_list != 0);
	ST_CHECK(!((unsigned long)xen_p2m & (PAGE_SIZE - 1)));

	/* Level 1: each p2m page, by its frame. */
	for (i = 0; i < pages; i++)
		if (xen_p2m_frame_list_entry(i) !=
		    mfn_x(pfn_to_mfn(_pfn(((unsigned long)xen_p2m - KERNEL_VIRT_BASE) /
					  PAGE_SIZE + i))))
			bad++;
	ST_CHECK(bad == 0);
	ST_CHECK(xen_p2m_frame_list_entry(pages) == 0);
	/* Level 2 and the root: frames of the frame-list pages. */
	ST_CHECK(xen_p2m_frame_list_list_entry(0) != 0);
	ST_CHECK(xen_p2m_frame_list_list_entry(DIV_ROUND_UP(pages, PER_PAGE)) == 0);

	/* The m2p agrees with every entry of the p2m. */
	if (xen_mmu_init())
		return SELFTEST_ERROR;
	for (i = 0, bad = 0; i < nr; i++)
		if (pfn_x(xen_mfn_to_pfn(_mfn(xen_p2m[i]))) != i)
			bad++;
	ST_CHECK(bad == 0);
	return selftest_status();
}
DEFINE_SELFTEST(p2m, test_p2m_run);
