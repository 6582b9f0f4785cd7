// SPDX-License-Identifier: MIT
/*
 * HYPERVISOR_sched_op: yield, block until an event, and shutdown, which
 * ends the domain with a reason the toolstack acts on (on_poweroff,
 * on_reboot, on_crash).  SHUTDOWN_suspend ends it too: without a save in
 * progress nobody will resume it, which is what Xen does as well.
 */
#include <errno.h>
#include <sched.h>

#include "private.h"
#include <xen/interface/sched.h>

/* Sleeps until an event is pending for v or the domain stops running. */
static long do_block(struct hv_vcpu *v)
{
	struct hv_domain *d = v->d;

	/* Blocking enables event delivery, as on Xen. */
	v->vcpu_info->evtchn_upcall_mask = 0;
	__atomic_store_n(&v->blocked, true, __ATOMIC_RELAXED);
	pthread_mutex_lock(&d->lock);
	while (d->state == HV_DOM_RUNNING &&
	       !__atomic_load_n(&v->vcpu_info->evtchn_upcall_pending,
				__ATOMIC_ACQUIRE))
		pthread_cond_wait(&d->cond, &d->lock);
	pthread_mutex_unlock(&d->lock);
	__atomic_store_n(&v->blocked, false, __ATOMIC_RELAXED);
	if (d->state != HV_DOM_RUNNING)
		hv_vcpu_exit(v);
	return 0;
}

static long do_shutdown(struct hv_vcpu *v, uint64_t arg)
{
	struct sched_shutdown sd;

	if (hv_copy_from_guest(v, &sd, arg, sizeof(sd)))
		return -EFAULT;
	hv_domain_shutdown(v->d, sd.reason);
	hv_vcpu_exit(v);
}

long hv_do_sched_op(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5])
{
	switch (a[0]) {
	case SCHEDOP_yield:
		sched_yield();
		return 0;
	case SCHEDOP_block:
		return do_block(v);
	case SCHEDOP_shutdown:
		return do_shutdown(v, a[1]);
	case SCHEDOP_remote_shutdown:
		return -EPERM;
	}
	return -ENOSYS;
}
