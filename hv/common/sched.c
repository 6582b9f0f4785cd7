// SPDX-License-Identifier: MIT
/*
 * HYPERVISOR_sched_op: yield, block until an event, poll a few ports (with
 * an optional deadline), and shutdown, which ends the domain with a reason
 * the toolstack acts on (on_poweroff, on_reboot, on_crash).
 *
 * SHUTDOWN_suspend does not end it: as on Xen the domain stays, shut down
 * with that reason and frozen, every vCPU parked with its context -- the
 * caller's just after this hypercall, which returned 0, with rdx still
 * the start_info mfn the guest passed -- until the toolstack saves it or
 * resumes it (resumedomain).  A blocked or polling vCPU of a domain that
 * freezes returns 0 at once to park at its exit (an early wake-up, which
 * Xen allows too).
 */
#include <errno.h>
#include <sched.h>
#include <time.h>

#include "private.h"
#include <xen/interface/sched.h>

/* Sleeps until an event is pending for v or the domain stops or freezes. */
static long do_block(struct hv_vcpu *v)
{
	struct hv_domain *d = v->d;

	/* Blocking enables event delivery, as on Xen. */
	v->vcpu_info->evtchn_upcall_mask = 0;
	hv_mark_dirty_at(d, v->vcpu_info);
	__atomic_store_n(&v->blocked, true, __ATOMIC_RELAXED);
	pthread_mutex_lock(&d->lock);
	while (!hv_domain_over(d) && !hv_domain_frozen(d) &&
	       !__atomic_load_n(&v->vcpu_info->evtchn_upcall_pending,
				__ATOMIC_ACQUIRE))
		pthread_cond_wait(&d->cond, &d->lock);
	pthread_mutex_unlock(&d->lock);
	__atomic_store_n(&v->blocked, false, __ATOMIC_RELAXED);
	if (hv_domain_over(d))
		hv_vcpu_exit(v);
	return 0;
}

#define POLL_MAX_PORTS	128	/* Xen's limit */

static bool port_pending(struct hv_domain *d, evtchn_port_t p)
{
	return __atomic_load_n(&d->shared_info->evtchn_pending[p / 64],
			       __ATOMIC_ACQUIRE) & (1UL << (p % 64));
}

/* An upcall is due: Xen's poll returns at once for that too. */
static bool upcall_due(struct hv_vcpu *v)
{
	return !__atomic_load_n(&v->vcpu_info->evtchn_upcall_mask,
				__ATOMIC_ACQUIRE) &&
	       __atomic_load_n(&v->vcpu_info->evtchn_upcall_pending,
			       __ATOMIC_ACQUIRE);
}

static bool poll_done(struct hv_vcpu *v, const evtchn_port_t *ports,
		      unsigned int n, uint64_t timeout, unsigned int wakeups)
{
	unsigned int i;

	if (hv_domain_over(v->d) || hv_domain_frozen(v->d) || upcall_due(v) ||
	    __atomic_load_n(&v->wakeups, __ATOMIC_SEQ_CST) != wakeups)
		return true;
	for (i = 0; i < n; i++)
		if (port_pending(v->d, ports[i]))
			return true;
	return timeout && hv_system_time(v->d) >= (int64_t)timeout;
}

/* The host's CLOCK_REALTIME (d->cond's clock) at guest system time t. */
static struct timespec poll_deadline(struct hv_domain *d, uint64_t t)
{
	int64_t left = (int64_t)t - hv_system_time(d);
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (left > 0) {
		ts.tv_sec += left / 1000000000;
		ts.tv_nsec += left % 1000000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
	}
	return ts;
}

/*
 * SCHEDOP_poll: sleeps until one of the ports is pending (masked or not),
 * an upcall is due, the deadline passes, or anything wakes the vCPU the
 * way an event does (hv_vcpu_wake(): an event newly pending for it, even
 * with upcalls masked, as Xen's vcpu_kick ends a poll); 0 in every case,
 * so callers loop on their own condition.  Up to 128 ports, each below
 * the 2-level ABI's limit.
 */
static long do_poll(struct hv_vcpu *v, uint64_t arg)
{
	struct hv_domain *d = v->d;
	evtchn_port_t ports[POLL_MAX_PORTS];
	struct sched_poll sp;
	struct timespec ts;
	unsigned int i, wakeups;

	if (hv_copy_from_guest(v, &sp, arg, sizeof(sp)))
		return -EFAULT;
	if (sp.nr_ports > POLL_MAX_PORTS)
		return -EINVAL;
	if (hv_copy_from_guest(v, ports, (uint64_t)sp.ports.p,
			       sp.nr_ports * sizeof(ports[0])))
		return -EFAULT;
	for (i = 0; i < sp.nr_ports; i++)
		if (ports[i] >= HV_NR_EVTCHNS)
			return -EINVAL;
	wakeups = __atomic_load_n(&v->wakeups, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&d->nr_polling, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&v->blocked, true, __ATOMIC_RELAXED);
	pthread_mutex_lock(&d->lock);
	while (!poll_done(v, ports, sp.nr_ports, sp.timeout, wakeups)) {
		if (!sp.timeout) {
			pthread_cond_wait(&d->cond, &d->lock);
			continue;
		}
		ts = poll_deadline(d, sp.timeout);
		pthread_cond_timedwait(&d->cond, &d->lock, &ts);
	}
	pthread_mutex_unlock(&d->lock);
	__atomic_store_n(&v->blocked, false, __ATOMIC_RELAXED);
	__atomic_fetch_sub(&d->nr_polling, 1, __ATOMIC_SEQ_CST);
	if (hv_domain_over(d))
		hv_vcpu_exit(v);
	return 0;
}

static long do_shutdown(struct hv_vcpu *v, uint64_t arg)
{
	struct sched_shutdown sd;

	if (hv_copy_from_guest(v, &sd, arg, sizeof(sd)))
		return -EFAULT;
	hv_domain_shutdown(v->d, sd.reason);
	/* Suspended: park at the exit with this call's result, 0. */
	if (!hv_domain_over(v->d))
		return 0;
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
	case SCHEDOP_poll:
		return do_poll(v, a[1]);
	case SCHEDOP_shutdown:
		return do_shutdown(v, a[1]);
	case SCHEDOP_remote_shutdown:
		return -EPERM;
	}
	return -ENOSYS;
}
