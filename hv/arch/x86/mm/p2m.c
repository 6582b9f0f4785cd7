// SPDX-License-Identifier: MIT
/*
 * Which machine frame each of a domain's pfns has: the toolstack's side of
 * memory population (Xen's XENMEM_populate_physmap and
 * decrease_reservation on a domain's behalf, getmemlist) and the frame
 * types it reads back for saving (getpageframeinfo3).
 *
 * hv keeps its own p2m, filled here and nowhere else: a PV guest never
 * asks hv to translate a pfn, so this record is what the toolstack was
 * given, and what the audit checks the m2p against until the guest
 * publishes its own list.  Every frame populated also gets its m2p entry,
 * as Xen's populate_physmap sets it for a PV domain.  All of it runs
 * under d->mmu_lock, since the frame table is the PV MMU's.
 */
#include <errno.h>
#include <stdlib.h>

#include "private.h"

static bool range_ok(const struct hv_domain *d, pfn_t first, uint64_t nr)
{
	return nr <= HV_DOMCTL_MAX_BATCH && pfn_x(first) <= d->max_pages &&
	       nr <= d->max_pages - pfn_x(first);
}

long hv_p2m_populate(struct hv_domain *d, pfn_t first, uint64_t nr,
		     uint64_t *mfns)
{
	mfn_t *got;
	uint64_t i;
	long rc = 0;

	if (!range_ok(d, first, nr))
		return -EINVAL;
	got = malloc((nr ? nr : 1) * sizeof(*got));
	if (!got)
		return -ENOMEM;
	hv_mmu_lock(d);
	for (i = 0; i < nr && !rc; i++)
		if (mfn_valid_raw(hv_p2m(d, pfn_add(first, i))))
			rc = -EEXIST;
	if (!rc && hv_alloc_frames(d->m, d->domid, nr, got))
		rc = -ENOMEM;
	for (i = 0; !rc && i < nr; i++) {
		hv_set_p2m(d, pfn_add(first, i), got[i]);
		hv_set_m2p(d->m, got[i], pfn_add(first, i));
		/* A new (zeroed) frame: under log-dirty, sent again. */
		hv_mark_pfn_dirty(d, pfn_add(first, i));
		mfns[i] = mfn_x(got[i]);
	}
	if (!rc)
		d->tot_pages += nr;
	hv_mmu_unlock(d);
	free(got);
	return rc;
}

/* A frame only its allocation holds: nothing maps, types or holds it. */
static bool only_allocated(const struct hv_frame *f)
{
	return f->count == 1 && !f->type_count && !f->hv_refs &&
	       (f->flags & ~HV_PGF_OFFLINE_PENDING) == HV_PGF_ALLOCATED;
}

long hv_p2m_release(struct hv_domain *d, pfn_t first, uint64_t nr)
{
	uint64_t i;
	long rc = 0;

	if (!range_ok(d, first, nr))
		return -EINVAL;
	hv_mmu_lock(d);
	for (i = 0; i < nr && !rc; i++) {
		mfn_t mfn = hv_p2m(d, pfn_add(first, i));

		if (!mfn_valid_raw(mfn))
			rc = -ENOENT;
		else if (!only_allocated(hv_frame(d->m, mfn)))
			rc = -EBUSY;
	}
	for (i = 0; !rc && i < nr; i++) {
		mfn_t mfn = hv_p2m(d, pfn_add(first, i));

		hv_frame(d->m, mfn)->flags &= ~HV_PGF_ALLOCATED;
		hv_put_page(d, mfn);
		hv_set_p2m(d, pfn_add(first, i), INVALID_MFN);
		/* Gone: a migration learns it (XTAB) by sending it again. */
		hv_mark_pfn_dirty(d, pfn_add(first, i));
		d->tot_pages--;
	}
	hv_mmu_unlock(d);
	return rc;
}

void hv_p2m_memlist(struct hv_domain *d, pfn_t first, uint64_t nr,
		    uint64_t *mfns)
{
	uint64_t i;

	hv_mmu_lock(d);
	for (i = 0; i < nr; i++)
		mfns[i] = mfn_x(hv_p2m(d, pfn_add(first, i)));
	hv_mmu_unlock(d);
}

/*
 * getpageframeinfo3's answer for one pfn.  As Xen, the type a frame last
 * had counts even when no reference holds it any more: its contents may
 * still be a pagetable's, which is what a save must know.
 */
uint32_t hv_p2m_frame_type(struct hv_domain *d, pfn_t pfn)
{
	static const uint32_t level[] = {
		[HV_PGT_L1] = XEN_DOMCTL_PFINFO_L1TAB,
		[HV_PGT_L2] = XEN_DOMCTL_PFINFO_L2TAB,
		[HV_PGT_L3] = XEN_DOMCTL_PFINFO_L3TAB,
		[HV_PGT_L4] = XEN_DOMCTL_PFINFO_L4TAB,
	};
	mfn_t mfn = hv_p2m(d, pfn);
	struct hv_frame *f;
	uint32_t type;

	if (!mfn_valid_raw(mfn))
		return XEN_DOMCTL_PFINFO_XTAB;
	hv_mmu_lock(d);
	f = owned_frame(d, mfn);
	if (!f)
		type = XEN_DOMCTL_PFINFO_XTAB;
	else if (is_pt_type(f->type))
		type = level[f->type] |
		       (f->flags & HV_PGF_PINNED ? XEN_DOMCTL_PFINFO_LPINTAB : 0);
	else
		type = XEN_DOMCTL_PFINFO_NOTAB;
	hv_mmu_unlock(d);
	return type;
}
