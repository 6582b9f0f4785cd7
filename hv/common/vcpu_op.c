// SPDX-License-Identifier: MIT
/*
 * HYPERVISOR_vcpu_op: bringing secondary vCPUs up from a register state
 * the guest provides (checked as setvcpucontext checks it, context.c),
 * taking them down (a down vCPU parks at its next exit), their timers, and
 * moving a vCPU's vcpu_info into a page of the guest's choosing.
 *
 * Xen's rules kept here: one-shot timer operations act on the calling vCPU
 * only; a one-shot timer in the past with VCPU_SSHOTTMR_future set fails
 * with -ETIME; a vCPU can be initialised once (-EEXIST after); up needs a
 * prior initialise (-EINVAL); a bad vCPU number gives -ENOENT.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include <xen/interface/vcpu.h>

/* Xen's default_initialise_vcpu: a context for a vCPU that has none yet. */
static long initialise(struct hv_vcpu *v, struct hv_vcpu *target, uint64_t arg)
{
	struct vcpu_guest_context *c;
	long rc;

	if (target->initialised)
		return -EEXIST;
	c = malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	rc = hv_copy_from_guest(v, c, arg, sizeof(*c)) ? -EFAULT : 0;
	if (!rc) {
		target->vcpu_info->evtchn_upcall_mask = 1;
		hv_mark_dirty_at(v->d, target->vcpu_info);
		rc = hv_arch_set_info_guest(target, c);
	}
	free(c);
	return rc;
}

static long up(struct hv_vcpu *target)
{
	struct hv_domain *d = target->d;

	if (!target->initialised)
		return -EINVAL;
	pthread_mutex_lock(&d->lock);
	__atomic_store_n(&target->down, false, __ATOMIC_RELAXED);
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
	if (hv_vcpu_start(target))
		return -ENOMEM;
	hv_timers_changed(d);
	return 0;
}

static long down(struct hv_vcpu *v, struct hv_vcpu *target)
{
	__atomic_store_n(&target->down, true, __ATOMIC_RELAXED);
	if (target != v)
		hv_vcpu_kick(target);
	return 0;
}

static long singleshot(struct hv_vcpu *v, uint64_t arg)
{
	struct vcpu_set_singleshot_timer t;

	if (hv_copy_from_guest(v, &t, arg, sizeof(t)))
		return -EFAULT;
	if ((t.flags & VCPU_SSHOTTMR_future) &&
	    (int64_t)t.timeout_abs_ns < hv_system_time(v->d))
		return -ETIME;
	pthread_mutex_lock(&v->d->lock);
	v->singleshot_ns = t.timeout_abs_ns ? (int64_t)t.timeout_abs_ns : 1;
	pthread_cond_broadcast(&v->d->timer_cond);
	pthread_mutex_unlock(&v->d->lock);
	return 0;
}

/* Sets (arg) or, with stop, stops target's periodic timer. */
static long periodic(struct hv_vcpu *v, struct hv_vcpu *target, uint64_t arg,
		     bool stop)
{
	struct vcpu_set_periodic_timer t = { 0 };

	if (!stop && hv_copy_from_guest(v, &t, arg, sizeof(t)))
		return -EFAULT;
	/* Xen refuses periods under 1 ms as a denial of service. */
	if (!stop && t.period_ns < 1000000)
		return -EINVAL;
	pthread_mutex_lock(&v->d->lock);
	target->periodic_ns = t.period_ns;
	target->periodic_next = hv_system_time(v->d) + target->periodic_ns;
	pthread_cond_broadcast(&v->d->timer_cond);
	pthread_mutex_unlock(&v->d->lock);
	return 0;
}

/* Moves target's vcpu_info into a guest page; the old contents come along. */
static long register_vcpu_info(struct hv_vcpu *v, struct hv_vcpu *target,
			       uint64_t arg)
{
	struct vcpu_register_vcpu_info r;
	struct hv_frame *f;
	struct vcpu_info *nv;

	if (hv_copy_from_guest(v, &r, arg, sizeof(r)))
		return -EFAULT;
	if (r.rsvd || r.offset > HV_PAGE_SIZE - sizeof(struct vcpu_info))
		return -EINVAL;
	if (mfn_valid_raw(target->vcpu_info_mfn))
		return -EINVAL;
	f = hv_frame(v->d->m, _mfn(r.mfn));
	if (!f || f->owner != v->d->domid)
		return -EINVAL;
	/* We write it directly from now on: it must never become a pagetable. */
	if (hv_mmu_hold_page(v->d, _mfn(r.mfn)))
		return -EINVAL;
	nv = (void *)((uint8_t *)hv_mfn_ptr(v->d->m, _mfn(r.mfn)) + r.offset);
	memcpy(nv, target->vcpu_info, sizeof(*nv));
	/* Make the guest rescan everything it may have missed meanwhile. */
	__atomic_store_n(&nv->evtchn_pending_sel, ~0UL, __ATOMIC_SEQ_CST);
	__atomic_store_n(&nv->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
	hv_mark_dirty_at(v->d, nv);
	target->vcpu_info = nv;
	target->vcpu_info_mfn = _mfn(r.mfn);
	hv_vcpu_wake(target);
	return 0;
}

long hv_do_vcpu_op(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5])
{
	struct hv_domain *d = v->d;
	struct hv_vcpu *t;

	if (a[1] >= d->nr_vcpus)
		return -ENOENT;
	t = &d->vcpus[a[1]];
	switch (a[0]) {
	case VCPUOP_initialise:
		return initialise(v, t, a[2]);
	case VCPUOP_up:
		return up(t);
	case VCPUOP_down:
		down(v, t);
		return 0;
	case VCPUOP_is_up:
		return t->thread &&
		       !__atomic_load_n(&t->down, __ATOMIC_ACQUIRE);
	case VCPUOP_set_singleshot_timer:
		return t == v ? singleshot(v, a[2]) : -EINVAL;
	case VCPUOP_stop_singleshot_timer:
		if (t != v)
			return -EINVAL;
		v->singleshot_ns = 0;
		return 0;
	case VCPUOP_set_periodic_timer:
		return periodic(v, t, a[2], false);
	case VCPUOP_stop_periodic_timer:
		return periodic(v, t, 0, true);
	case VCPUOP_register_vcpu_info:
		return register_vcpu_info(v, t, a[2]);
	}
	return -ENOSYS;
}
