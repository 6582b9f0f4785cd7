// SPDX-License-Identifier: MIT
/*
 * Page types and reference counts: the rules that make a PV guest's
 * pagetables safe, as Xen keeps them (Documentation/pv-mmu.rst).
 *
 * Every frame has a general count (any use: an allocation, a mapping, a
 * pin, a base pointer) and a type with a type count.  The type says what
 * the frame is used as - an L1..L4 pagetable, a writable page, or nothing
 * in particular - and can change only while the type count is zero.
 * Taking the first pagetable-type reference validates the frame's entries,
 * which takes the references they imply: an L1 entry a general reference
 * on the frame it maps (and a writable-type one if RW), an L2..L4 entry a
 * general and an L1..L3 type reference on the table below.  Dropping the
 * last type reference devalidates: every entry's references go again.
 * Because a writable mapping needs the writable type and a pagetable type
 * excludes it, a pagetable is never writable by the guest and a page the
 * guest can write never becomes a pagetable.
 *
 * Linear (recursive) pagetables are allowed with Xen's rules: the entry is
 * read-only, points at a validated table of its own level owned by the same
 * domain, and a table may either hold such entries or be the target of
 * them, never both (which bounds the chains, XSA-240).  An entry pointing
 * at its own table takes no reference at all.
 *
 * Unlike Xen nothing here is preemptible: validation runs to the end, and
 * a failure unwinds the entries already taken before returning the error
 * Xen returns.  All of it runs under d->mmu_lock.
 */
#include <errno.h>

#include "private.h"

static int validate(struct hv_domain *d, mfn_t mfn, unsigned int level);
static void devalidate(struct hv_domain *d, mfn_t mfn, unsigned int level);

void hv_mmu_lock(struct hv_domain *d)
{
	pthread_mutex_lock(&d->mmu_lock);
}

void hv_mmu_unlock(struct hv_domain *d)
{
	pthread_mutex_unlock(&d->mmu_lock);
}

/* Takes a general reference if d owns the frame; Xen's get_page(). */
bool hv_get_page(struct hv_domain *d, mfn_t mfn)
{
	struct hv_frame *f = owned_frame(d, mfn);

	/* Like Xen, refuse rather than let the count wrap. */
	if (!f || f->count >= UINT32_MAX - 1)
		return false;
	f->count++;
	return true;
}

/* Drops a general reference; the last one frees the frame. */
void hv_put_page(struct hv_domain *d, mfn_t mfn)
{
	struct hv_frame *f = hv_frame(d->m, mfn);

	if (--f->count == 0)
		hv_free_frame(d->m, mfn);
}

/*
 * Takes a type reference for type on a frame the caller holds a general
 * reference to: -EINVAL if the frame is in use as something else, or the
 * error of validating it when this is the first pagetable reference.
 */
/*
 * Whether a type change shows in getpageframeinfo3 (a pagetable level
 * came or went): such a frame is dirtied, so that a migration sends it
 * again with its new type (Xen's validate_page and devalidate_page).
 */
static bool type_shows(unsigned int from, unsigned int to)
{
	return from != to && (is_pt_type(from) || is_pt_type(to));
}

int hv_get_page_type(struct hv_domain *d, mfn_t mfn, unsigned int type)
{
	struct hv_frame *f = hv_frame(d->m, mfn);
	unsigned int was = f->type;
	int rc;

	if (f->type_count == UINT32_MAX)
		return -EINVAL;
	if (f->type_count) {
		/* Not yet validated means being validated now: not usable. */
		if (f->type != type || !(f->flags & HV_PGF_VALIDATED))
			return -EINVAL;
		f->type_count++;
		return 0;
	}
	if (f->type != type) {
		f->type = type;
		f->flags &= ~HV_PGF_VALIDATED;
	}
	f->type_count = 1;
	if (f->flags & HV_PGF_VALIDATED)
		return 0;
	if (is_pt_type(type)) {
		rc = validate(d, mfn, type);
		/* Validation rewrites entries, even one that fails midway. */
		hv_mark_dirty(d, mfn);
		if (rc) {
			f->type_count = 0;
			f->type = HV_PGT_NONE;
			return rc;
		}
	} else if (type_shows(was, type)) {
		hv_mark_dirty(d, mfn);
	}
	f->flags |= HV_PGF_VALIDATED;
	return 0;
}

/*
 * Drops a type reference held through an entry of table parent (or none:
 * INVALID_MFN).  A reference between tables of the same level is a linear
 * one, whose bookkeeping goes with it.  The last reference on a pagetable
 * devalidates it.
 */
static void put_type_from(struct hv_domain *d, mfn_t mfn, mfn_t parent)
{
	struct hv_frame *f = hv_frame(d->m, mfn);
	struct hv_frame *pf = mfn_valid_raw(parent) ? hv_frame(d->m, parent) :
			      NULL;

	if (f->type_count == 1 && is_pt_type(f->type) &&
	    (f->flags & HV_PGF_VALIDATED)) {
		f->flags &= ~HV_PGF_VALIDATED;
		devalidate(d, mfn, f->type);
		hv_mark_dirty(d, mfn);
	}
	if (pf && pf->type == f->type) {
		f->linear++;
		pf->linear--;
	}
	f->type_count--;
}

void hv_put_page_type(struct hv_domain *d, mfn_t mfn)
{
	put_type_from(d, mfn, INVALID_MFN);
}

/* A general and a type reference together; -EINVAL if d does not own mfn. */
int hv_get_page_and_type(struct hv_domain *d, mfn_t mfn, unsigned int type)
{
	int rc;

	if (!hv_get_page(d, mfn))
		return -EINVAL;
	rc = hv_get_page_type(d, mfn, type);
	if (rc)
		hv_put_page(d, mfn);
	return rc;
}

void hv_put_page_and_type(struct hv_domain *d, mfn_t mfn)
{
	hv_put_page_type(d, mfn);
	hv_put_page(d, mfn);
}

/* ---- entries ---- */

/*
 * What Xen writes back into a 64-bit guest's entries: kernel mappings
 * (no USER) become USER plus the soft "guest kernel" bit, user mappings
 * become global, and upper levels get USER (and ACCESSED at L4).
 */
static uint64_t adjust_entry(unsigned int level, uint64_t e)
{
	if (!(e & PTE_P))
		return e;
	switch (level) {
	case 1:
		if (!(e & PTE_US))
			e |= PTE_US | PTE_GUEST_KERNEL;
		if (!(e & PTE_GUEST_KERNEL))
			e |= PTE_G | PTE_US;
		return e;
	case 4:
		return e | PTE_US | PTE_A;
	default:
		return e | PTE_US;
	}
}

/*
 * The references a present L1 entry stands for.  Errors as Xen's
 * get_page_from_l1e() for an unprivileged guest: -EINVAL for bad flags
 * (or the all-ones "invalid" mfn), -EPERM for a frame outside RAM
 * (DOMID_IO's first MiB, or beyond the frame table), -EBUSY for a frame d
 * does not own (free, another domain's, DOMID_XEN's) or cannot have
 * writable.
 */
static int get_l1e(struct hv_domain *d, uint64_t e)
{
	mfn_t mfn = pte_mfn(e);
	struct hv_frame *f;

	if (e & ~PTE_ADDR & ~PTE_L1_OK)
		return -EINVAL;
	f = hv_frame(d->m, mfn);
	if (!f)
		return mfn_x(mfn) == PTE_MFN_ALL_ONES ? -EINVAL : -EPERM;
	if (f->owner == DOMID_IO)
		return -EPERM;
	if (!hv_get_page(d, mfn))
		return -EBUSY;
	if ((e & PTE_RW) && hv_get_page_type(d, mfn, HV_PGT_WRITABLE)) {
		hv_put_page(d, mfn);
		return -EBUSY;
	}
	return 0;
}

static void put_l1e(struct hv_domain *d, uint64_t e)
{
	mfn_t mfn = pte_mfn(e);
	struct hv_frame *f = hv_frame(d->m, mfn);

	if (!(e & PTE_P) || !f || f->owner == DOMID_IO)
		return;
	if (e & PTE_RW)
		hv_put_page_and_type(d, mfn);
	else
		hv_put_page(d, mfn);
}

/*
 * A linear entry: read-only, at a validated table of the same level owned
 * by d, with the chain rule of XSA-240.  Pointing at its own table needs
 * no reference.  Returns whether the entry may stand.
 */
static bool get_linear(struct hv_domain *d, uint64_t e, mfn_t table,
		       unsigned int level)
{
	mfn_t mfn = pte_mfn(e);
	struct hv_frame *pt = hv_frame(d->m, table), *f;

	if (e & PTE_RW)
		return false;
	if (mfn_eq(mfn, table))
		return true;
	if (!hv_get_page(d, mfn))
		return false;
	f = hv_frame(d->m, mfn);
	if (pt->linear < 0 || pt->linear == INT16_MAX ||
	    f->linear > 0 || f->linear == INT16_MIN ||
	    f->type != level || !(f->flags & HV_PGF_VALIDATED) ||
	    !f->type_count || f->type_count == UINT32_MAX) {
		hv_put_page(d, mfn);
		return false;
	}
	pt->linear++;
	f->linear--;
	f->type_count++;
	return true;
}

/* An L2..L4 entry of table: the table below, or a linear entry. */
static int get_upper(struct hv_domain *d, uint64_t e, mfn_t table,
		     unsigned int level)
{
	int rc;

	if (e & ~PTE_ADDR & ~PTE_UPPER_OK)
		return -EINVAL;
	rc = hv_get_page_and_type(d, pte_mfn(e), level - 1);
	if (rc == -EINVAL && get_linear(d, e, table, level))
		rc = 0;
	return rc;
}

static void put_upper(struct hv_domain *d, uint64_t e, mfn_t table)
{
	mfn_t mfn = pte_mfn(e);

	if (!(e & PTE_P) || mfn_eq(mfn, table))
		return;
	put_type_from(d, mfn, table);
	hv_put_page(d, mfn);
}

static int get_entry(struct hv_domain *d, uint64_t e, mfn_t table,
		     unsigned int level)
{
	return level == 1 ? get_l1e(d, e) : get_upper(d, e, table, level);
}

static void put_entry(struct hv_domain *d, uint64_t e, mfn_t table,
		      unsigned int level)
{
	if (level == 1)
		put_l1e(d, e);
	else
		put_upper(d, e, table);
}

static bool slot_checked(unsigned int level, unsigned int i)
{
	return level != 4 || is_guest_l4_slot(i);
}

/*
 * Checks every entry of a table becoming a level-`level` pagetable and
 * takes their references; on failure gives back those already taken.
 */
static int validate(struct hv_domain *d, mfn_t mfn, unsigned int level)
{
	uint64_t *t = table_ptr(d, mfn);
	unsigned int i;
	int rc;

	for (i = 0; i < 512; i++) {
		uint64_t e = read_pte(&t[i]);

		if (!slot_checked(level, i) || !(e & PTE_P))
			continue;
		rc = get_entry(d, e, mfn, level);
		if (rc) {
			while (i-- > 0)
				if (slot_checked(level, i))
					put_entry(d, read_pte(&t[i]), mfn, level);
			return rc;
		}
		write_pte(&t[i], adjust_entry(level, e));
	}
	/* Xen fills its own slots here; hv has nothing to show in them. */
	if (level == 4)
		for (i = 0; i < 512; i++)
			if (!is_guest_l4_slot(i))
				write_pte(&t[i], 0);
	d->mmu->st.validated[level]++;
	return 0;
}

static void devalidate(struct hv_domain *d, mfn_t mfn, unsigned int level)
{
	uint64_t *t = table_ptr(d, mfn);
	unsigned int i = 512;

	while (i-- > 0)
		if (slot_checked(level, i))
			put_entry(d, read_pte(&t[i]), mfn, level);
	d->mmu->st.devalidated[level]++;
}

/*
 * Writes entry idx of a validated pagetable, taking the new entry's
 * references before dropping the old one's (Xen's mod_lN_entry()).  A
 * change only in bits that carry no reference skips validation.
 */
int hv_mod_entry(struct hv_domain *d, mfn_t table, unsigned int idx,
		 uint64_t val, bool preserve_ad)
{
	unsigned int level = hv_frame(d->m, table)->type;
	uint64_t *p = &table_ptr(d, table)[idx];
	uint64_t old = read_pte(p);
	int rc;

	if (!slot_checked(level, idx))
		return -EINVAL;
	if (val & PTE_P) {
		uint64_t ok = level == 1 ? PTE_L1_OK : PTE_UPPER_OK;

		if (val & ~PTE_ADDR & ~ok)
			return -EINVAL;
		val = adjust_entry(level, val);
		if (!((old ^ val) & ~PTE_FASTPATH)) {
			if (preserve_ad)
				val |= old & (PTE_A | PTE_D);
			write_pte(p, val);
			hv_mark_dirty(d, table);
			hv_shadow_entry_changed(d, table, idx);
			return 0;
		}
		rc = get_entry(d, val, table, level);
		if (rc)
			return rc;
	}
	if (preserve_ad)
		val |= old & (PTE_A | PTE_D);
	write_pte(p, val);
	hv_mark_dirty(d, table);
	hv_shadow_entry_changed(d, table, idx);
	put_entry(d, old, table, level);
	return 0;
}

/* ---- pins and base pointers ---- */

/* MMUEXT_PIN_Ln_TABLE: a type and a general reference that stay. */
int hv_pin(struct hv_domain *d, mfn_t mfn, unsigned int level)
{
	struct hv_frame *f;
	int rc;

	rc = hv_get_page_and_type(d, mfn, level);
	if (rc)
		return rc;
	f = hv_frame(d->m, mfn);
	if (f->flags & HV_PGF_PINNED) {
		hv_put_page_and_type(d, mfn);
		return -EINVAL;
	}
	f->flags |= HV_PGF_PINNED;
	/* getpageframeinfo3 shows the pin: sent again (Xen marks it too). */
	hv_mark_dirty(d, mfn);
	return 0;
}

int hv_unpin(struct hv_domain *d, mfn_t mfn)
{
	struct hv_frame *f;

	if (!hv_get_page(d, mfn))
		return -EINVAL;
	f = hv_frame(d->m, mfn);
	if (!(f->flags & HV_PGF_PINNED)) {
		hv_put_page(d, mfn);
		return -EINVAL;
	}
	f->flags &= ~HV_PGF_PINNED;
	hv_mark_dirty(d, mfn);
	hv_put_page_and_type(d, mfn);
	hv_put_page(d, mfn);
	return 0;
}

/*
 * NEW_BASEPTR / NEW_USER_BASEPTR: the vCPU holds an L4 reference on its
 * base pointer.  A user base pointer of 0 means none.  The shadow shows
 * the kernel base pointer's address space, so it starts over.
 */
int hv_set_baseptr(struct hv_vcpu *v, mfn_t mfn, bool user)
{
	struct hv_domain *d = v->d;
	mfn_t *slot = user ? &v->cr3_user : &v->cr3;
	mfn_t old = *slot;
	int rc;

	if (mfn_eq(old, mfn)) {
		if (!user)
			hv_shadow_flush(d);
		return 0;
	}
	if (user && !mfn_x(mfn)) {
		mfn = INVALID_MFN;
	} else {
		rc = hv_get_page_and_type(d, mfn, HV_PGT_L4);
		if (rc)
			return rc;
	}
	*slot = mfn;
	if (!user) {
		hv_shadow_flush(d);
		d->mmu->sh_cr3 = mfn;
	}
	if (mfn_valid_raw(old))
		hv_put_page_and_type(d, old);
	return 0;
}

int hv_mmu_vcpu_set_baseptr(struct hv_vcpu *v, mfn_t l4)
{
	int rc;

	hv_mmu_lock(v->d);
	rc = hv_set_baseptr(v, l4, false);
	hv_mmu_unlock(v->d);
	return rc;
}

int hv_mmu_vcpu_set_user_baseptr(struct hv_vcpu *v, mfn_t l4)
{
	int rc;

	hv_mmu_lock(v->d);
	rc = hv_set_baseptr(v, l4, true);
	hv_mmu_unlock(v->d);
	return rc;
}

void hv_mmu_vcpu_drop_baseptr(struct hv_vcpu *v)
{
	struct hv_domain *d = v->d;

	hv_mmu_lock(d);
	if (mfn_valid_raw(v->cr3)) {
		hv_shadow_flush(d);
		hv_put_page_and_type(d, v->cr3);
		v->cr3 = INVALID_MFN;
	}
	hv_mmu_unlock(d);
}

/*
 * The toolstack pins and unpins on the domain's behalf, as Xen's builder
 * does with mmuext_op and the domain as foreigndom.
 */
long hv_mmu_pin_for_toolstack(struct hv_domain *d, unsigned int cmd, mfn_t mfn)
{
	long rc;

	hv_mmu_lock(d);
	switch (cmd) {
	case MMUEXT_PIN_L1_TABLE:
	case MMUEXT_PIN_L2_TABLE:
	case MMUEXT_PIN_L3_TABLE:
	case MMUEXT_PIN_L4_TABLE:
		rc = hv_pin(d, mfn, cmd - MMUEXT_PIN_L1_TABLE + 1);
		break;
	case MMUEXT_UNPIN_TABLE:
		rc = hv_unpin(d, mfn);
		break;
	default:
		rc = -EINVAL;
	}
	hv_mmu_unlock(d);
	return rc;
}

int hv_mmu_hold_page(struct hv_domain *d, mfn_t mfn)
{
	struct hv_frame *f;
	int rc = -EINVAL;

	hv_mmu_lock(d);
	f = owned_frame(d, mfn);
	if (f && f->hv_refs < UINT8_MAX) {
		rc = hv_get_page_and_type(d, mfn, HV_PGT_WRITABLE);
		if (!rc)
			f->hv_refs++;
	}
	hv_mmu_unlock(d);
	return rc;
}

void hv_mmu_release_page(struct hv_domain *d, mfn_t mfn)
{
	struct hv_frame *f;

	hv_mmu_lock(d);
	f = owned_frame(d, mfn);
	if (f && f->hv_refs) {
		f->hv_refs--;
		hv_put_page_and_type(d, mfn);
	}
	hv_mmu_unlock(d);
}

/*
 * Domain destruction, in Xen's order: base pointers, then pins, then the
 * hypervisor's own holds and shared pages, then allocation references.
 * Type references only ever point down the levels (or sideways once, for
 * linear entries), so once nothing holds a top-level table every table
 * devalidates in turn and every frame's count reaches zero.
 */
uint64_t hv_mmu_relinquish(struct hv_domain *d)
{
	struct hv_machine *m = d->m;
	uint64_t i, left = 0;
	unsigned int n;

	hv_mmu_lock(d);
	m->no_discard = true;
	for (n = 0; n < d->nr_vcpus; n++) {
		struct hv_vcpu *v = &d->vcpus[n];

		if (mfn_valid_raw(v->cr3))
			hv_put_page_and_type(d, v->cr3);
		if (mfn_valid_raw(v->cr3_user))
			hv_put_page_and_type(d, v->cr3_user);
		v->cr3 = INVALID_MFN;
		v->cr3_user = INVALID_MFN;
	}
	for (i = 0; i < m->nr_frames; i++) {
		struct hv_frame *f = &m->frames[i];

		if (f->owner == d->domid && (f->flags & HV_PGF_PINNED)) {
			f->flags &= ~HV_PGF_PINNED;
			hv_put_page_and_type(d, _mfn(i));
		}
	}
	for (i = 0; i < m->nr_frames; i++) {
		struct hv_frame *f = &m->frames[i];

		while (f->owner == d->domid && f->hv_refs) {
			f->hv_refs--;
			hv_put_page_and_type(d, _mfn(i));
		}
		if (f->owner == d->domid && (f->flags & HV_PGF_XENHEAP) &&
		    f->type_count) {
			f->flags &= ~HV_PGF_XENHEAP;
			hv_put_page_type(d, _mfn(i));
		}
	}
	for (i = 0; i < m->nr_frames; i++) {
		struct hv_frame *f = &m->frames[i];

		if (f->owner == d->domid && (f->flags & HV_PGF_ALLOCATED)) {
			f->flags &= ~HV_PGF_ALLOCATED;
			hv_put_page(d, _mfn(i));
		}
	}
	hv_shadow_flush(d);
	for (i = 0; i < m->nr_frames; i++)
		left += m->frames[i].owner == d->domid;
	hv_mmu_unlock(d);
	return left;
}
