// SPDX-License-Identifier: MIT
/*
 * Guest virtual memory, seen from the hypervisor.  We never dereference a
 * guest pointer: every access walks the guest's own pagetables from the
 * vCPU's base pointer, checks presence and write permission at each level,
 * checks that each frame is one the domain owns, and then touches the
 * frame through the direct map.  What the guest could not access itself,
 * the hypervisor will not access on its behalf: that gives -EFAULT.
 *
 * A write holds d->mmu_lock from the walk to the end of the copy, so the
 * page it found writable cannot become a pagetable in between (its RW
 * entry holds a writable type reference, and no entry changes meanwhile).
 * The m2p slot is not in the guest's tables and so not reachable here.
 */
#include <errno.h>
#include <string.h>

#include "private.h"

#define PTE_P		0x001UL
#define PTE_RW		0x002UL
#define PTE_PSE		0x080UL
#define PTE_NX		(1UL << 63)
#define PTE_ADDR	0x000ffffffffff000UL

bool hv_is_canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

/* Frames a walk may step through: the domain's, or its shared_info. */
static bool walkable(struct hv_domain *d, mfn_t mfn)
{
	struct hv_frame *f = hv_frame(d->m, mfn);

	return f && f->owner == d->domid;
}

int hv_guest_walk(struct hv_domain *d, mfn_t cr3, uint64_t va,
		  struct hv_walk *w)
{
	mfn_t table = cr3;
	int level;

	memset(w, 0, sizeof(*w));
	w->writable = true;
	w->mfn = INVALID_MFN;
	for (level = 0; level < 5; level++)
		w->table[level] = INVALID_MFN;
	if (!hv_is_canonical(va))
		return -EFAULT;
	for (level = 4; level >= 1; level--) {
		unsigned int idx = (va >> (12 + 9 * (level - 1))) & 511;
		uint64_t *t, e;

		if (!walkable(d, table))
			return -EFAULT;
		w->table[level] = table;
		t = hv_mfn_ptr(d->m, table);
		e = __atomic_load_n(&t[idx], __ATOMIC_RELAXED);
		if (level == 1)
			w->l1e = &t[idx];
		if (!(e & PTE_P) || (level > 1 && (e & PTE_PSE))) {
			w->level = level;
			return -EFAULT;
		}
		w->writable &= !!(e & PTE_RW);
		w->nx |= !!(e & PTE_NX);
		table = maddr_to_mfn(e & PTE_ADDR);
	}
	if (!walkable(d, table))
		return -EFAULT;
	w->present = true;
	w->mfn = table;
	return 0;
}

/* Copies between guest virtual memory and dst/src, page by page. */
static int guest_copy(struct hv_vcpu *v, uint64_t gva, void *host, size_t len,
		      bool to_guest)
{
	struct hv_domain *d = v->d;

	while (len) {
		size_t off = gva & (HV_PAGE_SIZE - 1);
		size_t chunk = HV_PAGE_SIZE - off;
		struct hv_walk w;
		uint8_t *p;

		if (chunk > len)
			chunk = len;
		if (to_guest)
			hv_mmu_lock(d);
		if (hv_guest_walk(d, v->cr3, gva, &w) ||
		    (to_guest && !w.writable)) {
			if (to_guest)
				hv_mmu_unlock(d);
			return -EFAULT;
		}
		p = (uint8_t *)hv_mfn_ptr(d->m, w.mfn) + off;
		if (to_guest) {
			memcpy(p, host, chunk);
			hv_mark_dirty(d, w.mfn);
			hv_mmu_unlock(d);
		} else {
			memcpy(host, p, chunk);
		}
		host = (uint8_t *)host + chunk;
		gva += chunk;
		len -= chunk;
	}
	return 0;
}

int hv_copy_from_guest(struct hv_vcpu *v, void *dst, uint64_t gva, size_t len)
{
	return guest_copy(v, gva, dst, len, false);
}

int hv_copy_to_guest(struct hv_vcpu *v, uint64_t gva, const void *src,
		     size_t len)
{
	return guest_copy(v, gva, (void *)src, len, true);
}
