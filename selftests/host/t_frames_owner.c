// SPDX-License-Identifier: MIT
/*
 * Frames the guest does not own answer as on Xen (get_page_from_l1e in
 * Xen 4.17): the first MiB of machine memory belongs to DOMID_IO, and
 * mapping any of it is -EPERM, read-only or writable, by mmu_update or
 * update_va_mapping; hv's own frames below the xenheap belong to
 * DOMID_XEN, and mapping one is -EBUSY, like a free frame or another
 * domain's; a frame past the end of machine memory is -EPERM, the
 * all-ones frame -EINVAL.  None of them can be pinned or have its m2p
 * entry set (-EINVAL).  Each refusal changes no count, type or m2p entry.
 */
#include "t_mmu.h"

#define LEAF_RW	(PTE_P | PTE_RW | PTE_A | PTE_D)
#define LEAF_RO	(PTE_P | PTE_A)

/* A page in the test region's L1 that maps nothing yet. */
#define VA_FREE	(HV_TEST_VA + 40 * HV_PAGE_SIZE)

/* Both ways of mapping mfn, read-only and writable, give rc; none changes anything. */
static void refused_map(struct tenv *e, const char *what, mfn_t mfn, long rc)
{
	mfn_t l1 = mfn_of(e, HV_TEST_L1_PFN);
	unsigned int slot = (VA_FREE >> 12) & 511;
	struct snap s;
	long a, b, c, d;

	snap_take(e, &s);
	a = uvm(e, VA_FREE, pte(mfn, LEAF_RO), 0);
	b = uvm(e, VA_FREE, pte(mfn, LEAF_RW), 0);
	c = set_entry(e, l1, slot, pte(mfn, LEAF_RO));
	d = set_entry(e, l1, slot, pte(mfn, LEAF_RW));
	T_CHECK(a == rc && b == rc && c == rc && d == rc,
		"frames: %s (mfn %#lx): mapping it gives %ld (uvm ro %ld rw %ld, mmu_update ro %ld rw %ld)",
		what, (unsigned long)mfn_x(mfn), rc, a, b, c, d);
	T_CHECK(snap_same(e, &s) && peek(e, l1, slot) == 0,
		"frames: %s: ... and nothing changed", what);
}

static void refused_use(struct tenv *e, const char *what, mfn_t mfn)
{
	struct mmu_update r = { .ptr = mfn_to_maddr(mfn) | MMU_MACHPHYS_UPDATE,
				.val = 7 };
	struct snap s;

	snap_take(e, &s);
	T_CHECK(pin(e, mfn, 1) == -EINVAL && mmu_update(e, &r, 1, NULL) == -EINVAL,
		"frames: %s: cannot be pinned or given an m2p entry (-EINVAL)", what);
	T_CHECK(snap_same(e, &s), "frames: %s: ... and nothing changed", what);
}

int main(void)
{
	struct tenv e;
	struct hv_machine *m;
	mfn_t foreign = INVALID_MFN, freef = INVALID_MFN;
	uint64_t i, io = 0, xen = 0, mine_low = 0;

	if (!tenv_new(&e, 256))
		T_DONE();
	m = e.d->m;
	for (i = 0; i < m->nr_frames; i++) {
		const struct hv_frame *f = &m->frames[i];

		io += i < 256 && f->owner == DOMID_IO;
		xen += f->owner == DOMID_XEN;
		mine_low += i < 256 && f->owner == e.d->domid;
		if (f->owner == HV_TEST_FOREIGN && !mfn_valid_raw(foreign))
			foreign = _mfn(i);
		if (f->owner == DOMID_INVALID && !mfn_valid_raw(freef))
			freef = _mfn(i);
	}
	T_CHECK(io == 256 && mine_low == 0,
		"frames: all 256 frames of the first MiB are DOMID_IO's (%lu), none the guest's",
		(unsigned long)io);
	T_CHECK(xen == HV_XENHEAP_GAP,
		"frames: the %u frames below the xenheap are DOMID_XEN's (%lu)",
		HV_XENHEAP_GAP, (unsigned long)xen);

	refused_map(&e, "mfn 0 (DOMID_IO)", _mfn(0), -EPERM);
	refused_map(&e, "mfn 0x9f (DOMID_IO)", _mfn(0x9f), -EPERM);
	refused_map(&e, "mfn 0xff, the last of the first MiB", _mfn(0xff), -EPERM);
	refused_map(&e, "a DOMID_XEN frame", _mfn(HV_LOW_IO_FRAMES + m->nr_domheap),
		    -EBUSY);
	refused_map(&e, "the last DOMID_XEN frame", _mfn(HV_LOW_IO_FRAMES + m->nr_domheap + HV_XENHEAP_GAP - 1),
		    -EBUSY);
	refused_map(&e, "another domain's frame", foreign, -EBUSY);
	refused_map(&e, "a free frame", freef, -EBUSY);
	refused_map(&e, "a frame past machine memory", _mfn(m->nr_frames + 10), -EPERM);
	refused_map(&e, "the all-ones frame", _mfn(PTE_MFN_ALL_ONES), -EINVAL);
	refused_use(&e, "mfn 0x10 (DOMID_IO)", _mfn(0x10));
	refused_use(&e, "a DOMID_XEN frame", _mfn(HV_LOW_IO_FRAMES + m->nr_domheap + 1));

	T_CHECK(mfn_x(mfn_of(&e, 0)) >= HV_LOW_IO_FRAMES,
		"frames: the guest's memory starts above the first MiB");
	T_CHECK(uvm(&e, VA_FREE, pte(mfn_of(&e, 41), LEAF_RW), 0) == 0,
		"frames: a frame of its own still maps");
	T_CHECK(audit_ok(&e), "frames: audit clean");
	T_CHECK(tenv_free(&e) == 0, "frames: every frame freed");
	T_DONE();
}
