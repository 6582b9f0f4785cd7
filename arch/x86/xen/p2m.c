// SPDX-License-Identifier: MIT
/*
 * Publishing the p2m for the toolstack.  To save or migrate a PV guest the
 * toolstack must read our pfn -> mfn table without our help, so we
 * describe where it lives in shared_info: max_pfn entries, found through a
 * three-level tree of machine frames.  pfn_to_mfn_frame_list_list names a
 * page of frame numbers, each naming a page of frame numbers, each naming
 * a page of the p2m itself (512 entries a page at every level).
 *
 * The p2m is start_info's mfn_list, which the builder put in the bootstrap
 * region, page-aligned, so the frame holding p2m page i is found through
 * the p2m itself.  The two upper levels live in .bss, sized by
 * CONFIG_XEN_P2M_MAX_GB.  max_pfn is written before the list-list: a
 * reader that sees the list-list also sees a valid max_pfn.
 */
#include <linux/kernel.h>
#include <asm/layout.h>
#include <xen/xen.h>
#include <xen/p2m.h>
#include <xen/suspend.h>

#define P2M_PER_PAGE		(PAGE_SIZE / sizeof(unsigned long))
#define P2M_MAX_PFNS		((unsigned long)CONFIG_XEN_P2M_MAX_GB << (30 - PAGE_SHIFT))
#define P2M_MAX_PAGES		(P2M_MAX_PFNS / P2M_PER_PAGE)

/* Frames, read by the toolstack as they are: rebuilt at every suspend. */
static unsigned long p2m_frame_list[P2M_MAX_PAGES]
	__mfn_published __aligned(PAGE_SIZE);
static unsigned long p2m_frame_list_list[P2M_PER_PAGE]
	__mfn_published __aligned(PAGE_SIZE);

BUILD_BUG_ON(P2M_MAX_PAGES / P2M_PER_PAGE > P2M_PER_PAGE);

/* The frame of a page of the bootstrap region (the image, the p2m). */
mfn_t xen_bootstrap_virt_to_mfn(const void *va)
{
	return pfn_to_mfn(_pfn(((unsigned long)va - KERNEL_VIRT_BASE) >>
			       PAGE_SHIFT));
}

unsigned long xen_p2m_frame_list_entry(unsigned long i)
{
	return i < P2M_MAX_PAGES ? p2m_frame_list[i] : 0;
}

unsigned long xen_p2m_frame_list_list_entry(unsigned long i)
{
	return i < P2M_PER_PAGE ? p2m_frame_list_list[i] : 0;
}

void xen_setup_p2m_frame_list(void)
{
	unsigned long nr = xen_start_info->nr_pages;
	unsigned long pages = DIV_ROUND_UP(nr, P2M_PER_PAGE), i;
	struct arch_shared_info *as = &HYPERVISOR_shared_info->arch;

	if (nr > P2M_MAX_PFNS)
		panic("%lu pages exceed CONFIG_XEN_P2M_MAX_GB (%u GiB)", nr,
		      CONFIG_XEN_P2M_MAX_GB);
	for (i = 0; i < pages; i++)
		p2m_frame_list[i] =
			mfn_x(xen_bootstrap_virt_to_mfn((const char *)xen_p2m +
							i * PAGE_SIZE));
	for (i = 0; i < DIV_ROUND_UP(pages, P2M_PER_PAGE); i++)
		p2m_frame_list_list[i] =
			mfn_x(xen_bootstrap_virt_to_mfn(&p2m_frame_list[i * P2M_PER_PAGE]));
	WRITE_ONCE(as->max_pfn, nr);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	WRITE_ONCE(as->pfn_to_mfn_frame_list_list,
		   mfn_x(xen_bootstrap_virt_to_mfn(p2m_frame_list_list)));
}
