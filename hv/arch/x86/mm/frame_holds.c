// SPDX-License-Identifier: MIT
/*
 * Setting the hypervisor's own holds on a frame aside, so that page
 * exchange can move a frame the hypervisor uses (the frame_holds domctl;
 * Documentation/page-exchange.rst has the whole method).
 *
 * On Xen the xenstore and console rings are granted to, or foreign-mapped
 * by, backends in other domains, and a live vCPU's cr3 cannot be changed
 * (arch_set_info_guest() refuses), so Xen's offline method refuses those
 * frames.  Here every user of such a frame is the hypervisor itself or a
 * daemon the toolstack talks to, so the frame can move: the toolstack
 * asks for the holds to be released before it takes its copy, and taken
 * again on the new frame after the exchange, exactly as it unpins and
 * pins a table.  A hold is a reference the hypervisor keeps (a writable
 * type reference for a ring or a vcpu_info, an L4 reference for a base
 * pointer); while it is aside the frame has only its allocation and the
 * guest's own mappings, which the toolstack clears, so steal_page's test
 * in the exchange passes.
 *
 * What makes it safe is that nothing uses the frame while its holds are
 * aside.  The domain is suspended, so no vCPU runs and the event channel
 * code touches no vcpu_info (event_channel.c defers raised ports while the
 * domain is frozen); the console backend checks the aside flag under its
 * lock and notes a kick for later; a vcpu_info lives in the vCPU's
 * aside_info until it is taken again, so the context getter still reads
 * it; a base pointer is simply absent (INVALID_MFN), which only a running
 * vCPU would notice, and the domain cannot be resumed until the holds are
 * back.  tern-xenstored's mapping of the xenstore ring is not a hold: the
 * toolstack freezes and moves it through the daemon itself.
 */
#include <errno.h>
#include <string.h>

#include "private.h"

/* What vCPU v holds on frame mfn. */
static uint32_t vcpu_holds(const struct hv_vcpu *v, mfn_t mfn)
{
	uint32_t held = 0;

	if (mfn_eq(v->vcpu_info_mfn, mfn))
		held |= HV_HOLD_VCPU_INFO;
	if (mfn_eq(v->cr3, mfn) || mfn_eq(v->cr3_user, mfn))
		held |= HV_HOLD_BASEPTR;
	return held;
}

/* frame_state's flags for the holds on mfn; under the MMU lock. */
uint32_t hv_frame_hold_flags(struct hv_domain *d, mfn_t mfn)
{
	uint32_t flags = 0;
	unsigned int n;

	/* A ring set aside still names its old frame, but holds it no more. */
	if (mfn_eq(d->console_mfn, mfn) && !d->aside_console)
		flags |= HV_FRAME_CONSOLE_RING;
	if (mfn_eq(d->store_mfn, mfn) && !d->aside_store)
		flags |= HV_FRAME_STORE_RING;
	for (n = 0; n < d->nr_vcpus; n++) {
		uint32_t held = vcpu_holds(&d->vcpus[n], mfn);

		if (held & HV_HOLD_VCPU_INFO)
			flags |= HV_FRAME_VCPU_INFO;
		if (held & HV_HOLD_BASEPTR)
			flags |= HV_FRAME_BASEPTR;
	}
	return flags;
}

/* The vcpu_info of v moves into the hypervisor, contents and all. */
static void vcpu_info_aside(struct hv_domain *d, struct hv_vcpu *v)
{
	uint8_t *page = hv_mfn_ptr(d->m, v->vcpu_info_mfn);

	v->aside_info_off = (uint8_t *)v->vcpu_info - page;
	memcpy(&v->aside_info, v->vcpu_info, sizeof(v->aside_info));
	v->vcpu_info = &v->aside_info;
	v->vcpu_info_mfn = INVALID_MFN;
	v->aside_vcpu_info = true;
}

/* Releases every hold on mfn; under the MMU lock. */
static long release(struct hv_domain *d, mfn_t mfn, uint32_t *held)
{
	unsigned int n;

	if (!owned_frame(d, mfn))
		return -EINVAL;
	if (mfn_valid_raw(d->aside_mfn))
		return -EBUSY;
	*held = 0;
	pthread_mutex_lock(&d->console_lock);
	if (mfn_eq(d->console_mfn, mfn)) {
		d->aside_console = true;
		d->console_kick_aside = false;
		hv_mmu_release_page(d, mfn);
		*held |= HV_HOLD_CONSOLE_RING;
	}
	pthread_mutex_unlock(&d->console_lock);
	if (mfn_eq(d->store_mfn, mfn)) {
		d->aside_store = true;
		hv_mmu_release_page(d, mfn);
		*held |= HV_HOLD_STORE_RING;
	}
	for (n = 0; n < d->nr_vcpus; n++) {
		struct hv_vcpu *v = &d->vcpus[n];

		if (mfn_eq(v->vcpu_info_mfn, mfn)) {
			vcpu_info_aside(d, v);
			hv_mmu_release_page(d, mfn);
			*held |= HV_HOLD_VCPU_INFO;
		}
		if (mfn_eq(v->cr3_user, mfn)) {
			v->aside_cr3_user = true;
			hv_set_baseptr(v, _mfn(0), true);
			*held |= HV_HOLD_BASEPTR;
		}
		if (mfn_eq(v->cr3, mfn)) {
			/* No vCPU runs: the shadow follows no table meanwhile. */
			v->aside_cr3 = true;
			v->cr3 = INVALID_MFN;
			hv_put_page_and_type(d, mfn);
			*held |= HV_HOLD_BASEPTR;
		}
	}
	if (mfn_eq(d->mmu->sh_cr3, mfn)) {
		hv_shadow_flush(d);
		d->mmu->sh_cr3 = INVALID_MFN;
	}
	if (*held)
		d->aside_mfn = mfn;
	return 0;
}

/*
 * Drops what take() got on mfn so far: every hold still marked aside
 * that is on mfn goes back aside (the rings to the frame they were on).
 */
static void untake(struct hv_domain *d, mfn_t mfn, bool console, bool store)
{
	unsigned int n;

	for (n = 0; n < d->nr_vcpus; n++) {
		struct hv_vcpu *v = &d->vcpus[n];

		if (v->aside_cr3 && mfn_eq(v->cr3, mfn)) {
			v->cr3 = INVALID_MFN;
			hv_put_page_and_type(d, mfn);
		}
		if (v->aside_cr3_user && mfn_eq(v->cr3_user, mfn))
			hv_set_baseptr(v, _mfn(0), true);
		if (v->aside_vcpu_info && mfn_eq(v->vcpu_info_mfn, mfn)) {
			vcpu_info_aside(d, v);
			hv_mmu_release_page(d, mfn);
		}
	}
	if (store) {
		d->store_mfn = d->aside_mfn;
		hv_mmu_release_page(d, mfn);
	}
	if (console) {
		pthread_mutex_lock(&d->console_lock);
		d->console_mfn = d->aside_mfn;
		pthread_mutex_unlock(&d->console_lock);
		hv_mmu_release_page(d, mfn);
	}
	if (mfn_eq(d->mmu->sh_cr3, mfn)) {
		hv_shadow_flush(d);
		d->mmu->sh_cr3 = INVALID_MFN;
	}
}

/*
 * Takes every hold set aside onto mfn, all or nothing; under the MMU
 * lock.  *kick: the console was kicked while its ring was aside.
 */
static long take(struct hv_domain *d, mfn_t mfn, uint32_t *held, bool *kick)
{
	bool console = false, store = false;
	unsigned int n;
	long rc = 0;

	if (!mfn_valid_raw(d->aside_mfn))
		return -ENOENT;
	if (!owned_frame(d, mfn))
		return -EINVAL;
	*held = 0;
	if (d->aside_console) {
		rc = hv_mmu_hold_page(d, mfn) ? -EINVAL : 0;
		if (rc)
			return rc;
		pthread_mutex_lock(&d->console_lock);
		d->console_mfn = mfn;
		pthread_mutex_unlock(&d->console_lock);
		console = true;
		*held |= HV_HOLD_CONSOLE_RING;
	}
	if (d->aside_store) {
		rc = hv_mmu_hold_page(d, mfn) ? -EINVAL : 0;
		if (rc)
			goto undo;
		d->store_mfn = mfn;
		store = true;
		*held |= HV_HOLD_STORE_RING;
	}
	for (n = 0; n < d->nr_vcpus; n++) {
		struct hv_vcpu *v = &d->vcpus[n];

		if (v->aside_vcpu_info) {
			struct vcpu_info *vi;

			rc = hv_mmu_hold_page(d, mfn) ? -EINVAL : 0;
			if (rc)
				goto undo;
			vi = (void *)((uint8_t *)hv_mfn_ptr(d->m, mfn) +
				      v->aside_info_off);
			memcpy(vi, &v->aside_info, sizeof(*vi));
			hv_mark_dirty_at(d, vi);
			v->vcpu_info = vi;
			v->vcpu_info_mfn = mfn;
			*held |= HV_HOLD_VCPU_INFO;
		}
		if (v->aside_cr3) {
			rc = hv_get_page_and_type(d, mfn, HV_PGT_L4);
			if (rc) {
				rc = -EINVAL;
				goto undo;
			}
			v->cr3 = mfn;
			*held |= HV_HOLD_BASEPTR;
		}
		if (v->aside_cr3_user) {
			rc = hv_set_baseptr(v, mfn, true) ? -EINVAL : 0;
			if (rc)
				goto undo;
			*held |= HV_HOLD_BASEPTR;
		}
	}
	/* Everything is on mfn: nothing is aside any more. */
	for (n = 0; n < d->nr_vcpus; n++) {
		struct hv_vcpu *v = &d->vcpus[n];

		v->aside_vcpu_info = v->aside_cr3 = v->aside_cr3_user = false;
	}
	pthread_mutex_lock(&d->console_lock);
	*kick = d->aside_console && d->console_kick_aside;
	d->aside_console = false;
	d->console_kick_aside = false;
	pthread_mutex_unlock(&d->console_lock);
	d->aside_store = false;
	d->aside_mfn = INVALID_MFN;
	return 0;
undo:
	untake(d, mfn, console, store);
	return rc;
}

long hv_frame_holds(struct hv_domain *d, struct hv_domctl_frame_holds *h,
		    bool *kick)
{
	long rc;

	*kick = false;
	hv_mmu_lock(d);
	switch (h->cmd) {
	case HV_HOLDS_RELEASE:
		rc = release(d, _mfn(h->mfn), &h->held);
		break;
	case HV_HOLDS_TAKE:
		rc = take(d, _mfn(h->mfn), &h->held, kick);
		break;
	default:
		rc = -EINVAL;
	}
	hv_mmu_unlock(d);
	return rc;
}

bool hv_frame_holds_aside(struct hv_domain *d)
{
	bool aside;

	hv_mmu_lock(d);
	aside = mfn_valid_raw(d->aside_mfn);
	hv_mmu_unlock(d);
	return aside;
}
