// SPDX-License-Identifier: MIT
/*
 * Page exchange and page offline: the hypervisor's part of taking a bad
 * machine frame away from a PV guest (Documentation/page-exchange.rst
 * tells the whole method; the toolstack's part is
 * tools/libs/guest/xg_offline_page.c).
 *
 * XENMEM_exchange trades frames of a domain for fresh ones.  The guest
 * may ask for its own; the toolstack asks for a suspended domain's
 * (domctl memory_exchange).  The checks are Xen's memory_exchange():
 * nr_exchanged within in.nr_extents (a continuation cannot start past
 * the end), both sides naming one domain and covering the same number
 * of pages without the shifts overflowing, and, before the first
 * access, both guest arrays range-checked from the continuation point
 * to their ends -- the check XSA-29 found missing and XSA-212 found done
 * from the wrong offset, so that a continuation wrote hypervisor memory.
 * Only order-0 extents are exchanged here (no contiguous runs to give).
 *
 * An input frame is taken only when nothing but its allocation holds it
 * (Xen's steal_page): no mapping, type reference, pin, base pointer or
 * hypervisor hold.  That is why the toolstack must unpin the frame and
 * clear every entry that maps it first, and why a frame the hypervisor
 * maps for a backend (hv's grant-like holds: rings, vcpu_info, the
 * hypercall page) can never be exchanged.  Each extent is all or
 * nothing: the new frame is allocated before the old is let go, so a
 * failure leaves that extent as it was, and nr_exchanged says how far
 * the call got.
 *
 * Page offline follows Xen's page states (PGC_state): a frame in use
 * goes from "in use" to "offline pending" and, once its owner frees it
 * (here: the exchange), to "offlined", which the allocator skips for
 * ever; a free frame is offlined at once.  Hypervisor frames (DOMID_IO,
 * the xenheap) are refused.
 */
#include <errno.h>
#include <stdlib.h>

#include "private.h"
#include <xen/interface/memory.h>

/* Xen's limit on a domU's extent order (CONFIG_DOMU_MAX_ORDER). */
#define DOMU_MAX_ORDER	9

/* Whether nothing but the allocation holds f (Xen's steal_page test). */
static bool only_allocation(const struct hv_frame *f)
{
	return f->count == 1 && !f->type_count && !f->hv_refs && !f->linear &&
	       (f->flags & ~(HV_PGF_VALIDATED | HV_PGF_OFFLINE_PENDING)) ==
	       HV_PGF_ALLOCATED;
}

/*
 * One order-0 extent: old, a frame of d held only by its allocation,
 * for a fresh frame that becomes pfn's.  0 with *new set, or -errno with
 * nothing changed.  Under d->mmu_lock.
 */
static long exchange_one(struct hv_domain *d, mfn_t old, pfn_t pfn,
			 mfn_t *new)
{
	struct hv_frame *f = owned_frame(d, old);
	pfn_t old_pfn;
	mfn_t at;

	if (!f || !only_allocation(f))
		return -EINVAL;
	/* hv keeps a p2m: the pfn must be the old frame's or have none. */
	old_pfn = hv_m2p(d->m, old);
	at = hv_p2m(d, pfn);
	if (pfn_x(pfn) >= d->max_pages ||
	    (mfn_valid_raw(at) && !mfn_eq(at, old)))
		return -EINVAL;
	if (hv_alloc_frames(d->m, d->domid, 1, new))
		return -ENOMEM;
	if (pfn_x(old_pfn) < d->max_pages && mfn_eq(hv_p2m(d, old_pfn), old)) {
		hv_set_p2m(d, old_pfn, INVALID_MFN);
		hv_mark_pfn_dirty(d, old_pfn);
	}
	hv_set_p2m(d, pfn, *new);
	hv_set_m2p(d->m, *new, pfn);
	hv_mark_pfn_dirty(d, pfn);
	f->flags &= ~HV_PGF_ALLOCATED;
	hv_put_page(d, old);
	return 0;
}

/* The checks of Xen's memory_exchange() that need no guest memory. */
static long check_shape(const struct xen_memory_exchange *x)
{
	if (x->in.extent_order > DOMU_MAX_ORDER ||
	    x->out.extent_order > DOMU_MAX_ORDER)
		return -EFAULT;
	if (x->nr_exchanged > x->in.nr_extents ||
	    x->in.domid != x->out.domid ||
	    (~0UL >> x->in.extent_order) < x->in.nr_extents ||
	    (~0UL >> x->out.extent_order) < x->out.nr_extents ||
	    (x->in.nr_extents << x->in.extent_order) !=
	    (x->out.nr_extents << x->out.extent_order))
		return -EINVAL;
	return 0;
}

/* Xen's guest_handle_subrange_okay() for an array of 8-byte entries. */
static bool subrange_ok(uint64_t base, uint64_t first, uint64_t last)
{
	uint64_t lo, hi;

	if (first > last)
		return true;
	/* The last byte's address must not wrap past the top. */
	if (base > UINT64_MAX - 7 || last > (UINT64_MAX - 7 - base) / 8)
		return false;
	lo = base + first * 8;
	hi = base + last * 8 + 7;
	/* Both ends, and nothing between them, where a guest may point. */
	return hv_addr_ok(lo) && hv_addr_ok(hi) &&
	       (hi < (1UL << 47) || lo >= HYPERVISOR_VIRT_END);
}

/* XENMEM_exchange by the guest itself; arg is its xen_memory_exchange. */
long hv_memory_exchange(struct hv_vcpu *v, uint64_t arg)
{
	struct hv_domain *d = v->d;
	struct xen_memory_exchange x;
	uint64_t i;
	long rc;

	if (hv_copy_from_guest(v, &x, arg, sizeof(x)))
		return -EFAULT;
	rc = check_shape(&x);
	if (rc)
		return rc;
	if (x.nr_exchanged == x.in.nr_extents)
		return 0;
	if (!subrange_ok(xen_guest_handle_addr(x.in.extent_start),
			 x.nr_exchanged, x.in.nr_extents - 1) ||
	    !subrange_ok(xen_guest_handle_addr(x.out.extent_start),
			 x.nr_exchanged, x.out.nr_extents - 1))
		return -EFAULT;
	if (x.in.domid != DOMID_SELF && x.in.domid != d->domid)
		return x.in.domid == DOMID_IO || x.in.domid == DOMID_XEN ?
		       -EPERM : -ESRCH;
	if (x.in.extent_order || x.out.extent_order)
		return -EOPNOTSUPP;
	hv_mmu_lock(d);
	for (i = x.nr_exchanged; i < x.in.nr_extents; i++) {
		uint64_t in_va = xen_guest_handle_addr(x.in.extent_start) + i * 8;
		uint64_t out_va = xen_guest_handle_addr(x.out.extent_start) + i * 8;
		uint64_t old, pfn;
		mfn_t new;

		if (hv_copy_from_guest(v, &old, in_va, 8) ||
		    hv_copy_from_guest(v, &pfn, out_va, 8)) {
			rc = -EFAULT;
			break;
		}
		rc = exchange_one(d, _mfn(old), _pfn(pfn), &new);
		if (rc)
			break;
		old = mfn_x(new);
		if (hv_copy_to_guest(v, out_va, &old, 8)) {
			/* Xen keeps the exchange and says -EFAULT. */
			i++;
			rc = -EFAULT;
			break;
		}
	}
	if (i > x.nr_exchanged)
		hv_shadow_flush(d);
	hv_mmu_unlock(d);
	x.nr_exchanged = i;
	if (hv_copy_to_guest(v, arg + offsetof(struct xen_memory_exchange,
					       nr_exchanged),
			     &x.nr_exchanged, sizeof(x.nr_exchanged)) && !rc)
		rc = -EFAULT;
	return rc;
}

long hv_memory_exchange_for_toolstack(struct hv_domain *d,
				      struct hv_domctl_memory_exchange *x,
				      const uint64_t *in, uint64_t *out)
{
	const uint64_t *pfns = in + x->nr_extents;
	uint64_t i;
	long rc = 0;

	if (x->in_order != x->out_order || x->nr_exchanged > x->nr_extents)
		return -EINVAL;
	if (x->in_order)
		return -EOPNOTSUPP;
	hv_mmu_lock(d);
	for (i = x->nr_exchanged; i < x->nr_extents && !rc; i++) {
		mfn_t new;

		rc = exchange_one(d, _mfn(in[i]), _pfn(pfns[i]), &new);
		if (rc)
			break;
		out[i] = mfn_x(new);
	}
	if (i > x->nr_exchanged)
		hv_shadow_flush(d);
	hv_mmu_unlock(d);
	x->nr_exchanged = i;
	return rc;
}

/* ---- page offline ---- */

static uint32_t owner_bits(const struct hv_frame *f)
{
	return PG_OFFLINE_OWNED | (uint32_t)f->owner << PG_OFFLINE_OWNER_SHIFT;
}

static bool hypervisor_frame(const struct hv_machine *m, mfn_t mfn,
			     const struct hv_frame *f)
{
	return f->owner == DOMID_IO || (f->flags & HV_PGF_XENHEAP) ||
	       mfn_x(mfn) < HV_LOW_IO_FRAMES ||
	       mfn_x(mfn) >= HV_LOW_IO_FRAMES + m->nr_domheap;
}

static long offline(struct hv_machine *m, mfn_t mfn, struct hv_frame *f,
		    uint32_t *status)
{
	if (f->flags & HV_PGF_OFFLINED) {
		*status = PG_OFFLINE_OFFLINED;
		return 0;
	}
	if (hypervisor_frame(m, mfn, f)) {
		*status = PG_OFFLINE_FAILED | PG_OFFLINE_XENPAGE;
		return -EPERM;
	}
	if (f->owner == DOMID_INVALID) {
		f->flags = HV_PGF_OFFLINED;
		m->nr_free--;
		*status = PG_OFFLINE_OFFLINED;
		return 0;
	}
	f->flags |= HV_PGF_OFFLINE_PENDING;
	*status = PG_OFFLINE_PENDING | owner_bits(f);
	return 0;
}

static long online(struct hv_machine *m, struct hv_frame *f, uint32_t *status)
{
	if (f->flags & HV_PGF_OFFLINED) {
		f->flags = 0;
		m->nr_free++;
	} else {
		f->flags &= ~HV_PGF_OFFLINE_PENDING;
	}
	*status = PG_ONLINE_ONLINED;
	return 0;
}

long hv_page_offline_op(struct hv_domain *d, unsigned int cmd, mfn_t mfn,
			uint32_t *status)
{
	struct hv_machine *m = d->m;
	struct hv_frame *f = hv_frame(m, mfn);
	long rc = 0;

	*status = PG_OFFLINE_INVALID;
	if (!f)
		return -EINVAL;
	hv_mmu_lock(d);
	pthread_mutex_lock(&m->lock);
	switch (cmd) {
	case HV_PAGE_OFFLINE:
		rc = offline(m, mfn, f, status);
		break;
	case HV_PAGE_ONLINE:
		rc = online(m, f, status);
		break;
	case HV_PAGE_QUERY:
		*status = f->flags & HV_PGF_OFFLINED ?
			  PG_OFFLINE_STATUS_OFFLINED :
			  f->flags & HV_PGF_OFFLINE_PENDING ?
			  PG_OFFLINE_STATUS_OFFLINE_PENDING :
			  PG_OFFLINE_STATUS_ONLINE;
		break;
	default:
		rc = -EINVAL;
	}
	pthread_mutex_unlock(&m->lock);
	hv_mmu_unlock(d);
	return rc;
}

long hv_frame_state(struct hv_domain *d, struct hv_domctl_frame_state *s)
{
	struct hv_frame *f = hv_frame(d->m, _mfn(s->mfn));

	if (!f)
		return -EINVAL;
	hv_mmu_lock(d);
	s->owner = f->owner;
	s->count = f->count;
	s->type_count = f->type_count;
	s->type = f->type;
	s->flags = 0;
	if (f->flags & HV_PGF_PINNED)
		s->flags |= HV_FRAME_PINNED;
	if (f->flags & HV_PGF_VALIDATED)
		s->flags |= HV_FRAME_VALIDATED;
	if (f->hv_refs)
		s->flags |= HV_FRAME_HV_HELD;
	if (hypervisor_frame(d->m, _mfn(s->mfn), f))
		s->flags |= HV_FRAME_XENHEAP;
	if (f->flags & HV_PGF_OFFLINE_PENDING)
		s->flags |= HV_FRAME_OFFLINE_PENDING;
	if (f->flags & HV_PGF_OFFLINED)
		s->flags |= HV_FRAME_OFFLINED;
	s->flags |= hv_frame_hold_flags(d, _mfn(s->mfn));
	hv_mmu_unlock(d);
	return 0;
}
