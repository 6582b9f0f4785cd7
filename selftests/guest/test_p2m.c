// SPDX-License-Identifier: MIT
/*
 * The p2m as the toolstack reads it when it saves or migrates us, and
 * read the way it reads it: from shared_info's root frame, through the
 * machine frames each level names (mapped by frame number, never
 * through our own tables of the list), down to the p2m pages, each entry
 * checked against the hypervisor's m2p, read directly.  Nothing here
 * recomputes the list with arch/x86/xen/p2m.c's code: every level and
 * the root are compared with what the hypervisor says.  Then the checker
 * is shown to fail: a copy of the list (two pages of our own, the root
 * and the first frame-list page, with two entries of the latter swapped)
 * must be found wrong in exactly those two p2m pages.  The published list
 * itself is never touched: hv's audit reads it from outside after every
 * MMU hypercall.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/selftest.h>
#include <linux/string.h>
#include <asm/layout.h>
#include <asm/xen/mmu.h>
#include <xen/xen.h>

#define PER_PAGE (PAGE_SIZE / sizeof(unsigned long))

struct walk {
	const u64 *m2p;
	unsigned long m2p_entries;
	unsigned long bad;		/* entries that disagree */
	unsigned long seen;		/* p2m entries compared */
};

/* The hypervisor's m2p entry for mfn, or ~0 past its end. */
static u64 m2p_of(const struct walk *w, unsigned long mfn)
{
	return mfn < w->m2p_entries ? READ_ONCE(w->m2p[mfn]) : ~0ULL;
}

static void note(struct walk *w, const char *what, unsigned long i,
		 unsigned long v)
{
	if (w->bad++ < 4)
		printk("  p2m walk: %s %lu: %#lx\n", what, i, v);
}

/* A page of the p2m: entry j must be the frame whose m2p entry is its pfn. */
static void walk_p2m_page(struct walk *w, unsigned long mfn, unsigned long k,
			  unsigned long nr)
{
	const unsigned long *p = xen_kmap(_mfn(mfn), false);
	unsigned long j;

	if (!p) {
		note(w, "cannot map p2m page", k, mfn);
		return;
	}
	for (j = 0; j < PER_PAGE && k * PER_PAGE + j < nr; j++, w->seen++)
		if (m2p_of(w, p[j]) != k * PER_PAGE + j)
			note(w, "p2m entry of pfn", k * PER_PAGE + j, p[j]);
	xen_kunmap((void *)p);
}

/* From the root down; counts what disagrees with the hypervisor. */
static unsigned long walk_list(unsigned long root, unsigned long nr)
{
	struct xen_machphys_mapping map;
	unsigned long pages = DIV_ROUND_UP(nr, PER_PAGE), i, k;
	struct walk w = { 0 };
	const unsigned long *l3, *l2;

	if (HYPERVISOR_memory_op(XENMEM_machphys_mapping, &map))
		return ~0UL;
	w.m2p = (const u64 *)map.v_start;
	w.m2p_entries = min(map.max_mfn + 1, (map.v_end - map.v_start) / 8);
	/* The root and every frame of the list are ours (the m2p says so). */
	if (m2p_of(&w, root) >= nr)
		note(&w, "root is not our frame", 0, root);
	l3 = xen_kmap(_mfn(root), false);
	if (!l3)
		return w.bad + 1;
	for (i = 0; i < PER_PAGE; i++) {
		unsigned long l2mfn = l3[i];

		if (i >= DIV_ROUND_UP(pages, PER_PAGE)) {
			if (l2mfn)
				note(&w, "root entry past the end", i, l2mfn);
			continue;
		}
		if (m2p_of(&w, l2mfn) >= nr) {
			note(&w, "frame-list page is not ours", i, l2mfn);
			continue;
		}
		l2 = xen_kmap(_mfn(l2mfn), false);
		if (!l2) {
			note(&w, "cannot map frame-list page", i, l2mfn);
			continue;
		}
		for (k = i * PER_PAGE; k < (i + 1) * PER_PAGE; k++) {
			unsigned long mfn = l2[k % PER_PAGE];

			if (k >= pages) {
				if (mfn)
					note(&w, "frame-list entry past the end", k, mfn);
			} else if (m2p_of(&w, mfn) >= nr) {
				note(&w, "p2m page is not our frame", k, mfn);
			} else {
				/* Its 512 entries say whether it is page k. */
				walk_p2m_page(&w, mfn, k, nr);
			}
		}
		xen_kunmap((void *)l2);
	}
	xen_kunmap((void *)l3);
	if (w.seen != nr)
		note(&w, "entries compared", w.seen, nr);
	return w.bad;
}

/*
 * A copy of the list in two pages of our own: the root, and its first
 * frame-list page with entries 0 and 1 swapped.  Returns the copy's root
 * frame (INVALID_MFN if pages are short); free with the pfns given back.
 */
static mfn_t swapped_copy(unsigned long root, pfn_t *r, pfn_t *f)
{
	unsigned long *cr, *cf, t;
	const unsigned long *src;

	*r = alloc_pfns(0);
	*f = alloc_pfns(0);
	if (pfn_eq(*r, INVALID_PFN) || pfn_eq(*f, INVALID_PFN))
		return INVALID_MFN;
	cr = pfn_to_virt(*r);
	cf = pfn_to_virt(*f);
	src = xen_kmap(_mfn(root), false);
	if (!src)
		return INVALID_MFN;
	memcpy(cr, src, PAGE_SIZE);
	xen_kunmap((void *)src);
	src = xen_kmap(_mfn(cr[0]), false);
	if (!src)
		return INVALID_MFN;
	memcpy(cf, src, PAGE_SIZE);
	xen_kunmap((void *)src);
	t = cf[0];
	cf[0] = cf[1];
	cf[1] = t;
	cr[0] = mfn_x(pfn_to_mfn(*f));
	return pfn_to_mfn(*r);
}

static enum selftest_result test_p2m_run(void)
{
	const struct arch_shared_info *as = &HYPERVISOR_shared_info->arch;
	unsigned long nr = xen_start_info->nr_pages;
	unsigned long root = READ_ONCE(as->pfn_to_mfn_frame_list_list);

	if (xen_mmu_init())
		return SELFTEST_ERROR;
	ST_CHECK(READ_ONCE(as->max_pfn) == nr);
	ST_CHECK(root != 0);
	if (!root)
		return selftest_status();
	/* Frame numbers held from here to the end: one section. */
	mmu_section_begin();
	ST_CHECK(walk_list(root, nr) == 0);
	if (DIV_ROUND_UP(nr, PER_PAGE) >= 2) {
		pfn_t r = INVALID_PFN, f = INVALID_PFN;
		mfn_t copy = swapped_copy(root, &r, &f);

		printk("  a copy with two frame-list entries swapped; the walk must notice\n");
		/* Every entry of both p2m pages names the wrong pfn. */
		ST_CHECK(mfn_valid_raw(copy) &&
			 walk_list(mfn_x(copy), nr) == 2 * PER_PAGE);
		if (!pfn_eq(r, INVALID_PFN))
			free_pfns(r, 0);
		if (!pfn_eq(f, INVALID_PFN))
			free_pfns(f, 0);
		ST_CHECK(walk_list(root, nr) == 0);
	}
	mmu_section_end();
	return selftest_status();
}
DEFINE_SELFTEST(p2m, test_p2m_run);
