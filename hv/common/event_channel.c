// SPDX-License-Identifier: MIT
/*
 * Event channels, 2-level ABI: 64 x 64 ports, pending and mask bits in
 * shared_info, a per-vCPU selector word in vcpu_info.
 *
 * Raising port p (set_pending): set its pending bit; if it was already set,
 * stop there.  Wake any vCPU in SCHEDOP_poll (it may poll this port, masked
 * or not); then, if the port is masked, stop.  Otherwise set bit p/64 of the
 * notified vCPU's evtchn_pending_sel and its evtchn_upcall_pending, and
 * wake that vCPU (a blocked vCPU wakes from its condition variable, a
 * running one gets a kick signal).  The upcall itself is delivered on the
 * vCPU's own thread when it next returns to the guest with events unmasked
 * (hv_deliver_events()).  All bit updates are atomic because the guest
 * changes the same words concurrently.
 *
 * Interdomain channels have the toolstack side (console, xenstore
 * backends) as their remote end: a backend registers a callback for its
 * port and is called when the guest sends on it.
 *
 * While the domain is frozen (paused, suspended, not started) nothing
 * touches shared_info or vcpu_info: a port raised meanwhile is only noted
 * in d->deferred, and raised for real when the domain thaws, so that what
 * the toolstack reads of a paused domain stays as it is.
 */
#include <errno.h>
#include <string.h>

#include "private.h"
#include <xen/interface/event_channel.h>

#define BITS 64

static bool port_valid(struct hv_domain *d, evtchn_port_t p)
{
	return p > 0 && p < HV_NR_EVTCHNS;
}

static bool virq_is_global(unsigned int virq)
{
	return virq != VIRQ_TIMER && virq != VIRQ_DEBUG &&
	       virq != VIRQ_XENOPROF && virq != VIRQ_XENPMU;
}

/* Raises port: the one place pending, selector and upcall bits are set. */
void hv_evtchn_set_pending(struct hv_domain *d, evtchn_port_t port)
{
	struct shared_info *s = d->shared_info;
	unsigned int word = port / BITS;
	uint64_t bit = 1UL << (port % BITS);
	struct vcpu_info *vi;
	struct hv_vcpu *v;

	if (hv_domain_frozen(d)) {
		__atomic_fetch_or(&d->deferred[word], bit, __ATOMIC_SEQ_CST);
		/* Thawed meanwhile: the replay may have run before our bit. */
		if (!hv_domain_frozen(d))
			hv_evtchn_replay_deferred(d);
		return;
	}
	if (__atomic_fetch_or(&s->evtchn_pending[word], bit,
			      __ATOMIC_SEQ_CST) & bit)
		return;
	/* A poller waits for its ports whether they are masked or not. */
	if (__atomic_load_n(&d->nr_polling, __ATOMIC_SEQ_CST)) {
		pthread_mutex_lock(&d->lock);
		pthread_cond_broadcast(&d->cond);
		pthread_mutex_unlock(&d->lock);
	}
	if (__atomic_load_n(&s->evtchn_mask[word], __ATOMIC_SEQ_CST) & bit)
		return;
	v = &d->vcpus[d->evtchns[port].notify_vcpu];
	vi = v->vcpu_info;
	if (__atomic_fetch_or(&vi->evtchn_pending_sel, 1UL << word,
			      __ATOMIC_SEQ_CST) & (1UL << word))
		return;
	__atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
	/* A vcpu_info the guest placed in its own frame is guest memory. */
	hv_mark_dirty_at(d, vi);
	hv_vcpu_wake(v);
}

void hv_evtchn_replay_deferred(struct hv_domain *d)
{
	unsigned int w;

	for (w = 0; w < ARRAY_SIZE(d->deferred); w++) {
		uint64_t bits = __atomic_exchange_n(&d->deferred[w], 0,
						    __ATOMIC_SEQ_CST);

		while (bits) {
			unsigned int b = __builtin_ctzll(bits);

			bits &= bits - 1;
			hv_evtchn_set_pending(d, w * BITS + b);
		}
	}
}

/* Lowest free port; called with evtchn_lock held. */
static int get_free_port(struct hv_domain *d)
{
	evtchn_port_t p;

	for (p = 1; p < HV_NR_EVTCHNS; p++)
		if (d->evtchns[p].state == HV_EVTCHN_FREE)
			return p;
	return -ENOSPC;
}

static long alloc_unbound(struct hv_vcpu *v, struct evtchn_alloc_unbound *a)
{
	struct hv_domain *d = v->d;
	int p;

	if (a->dom != DOMID_SELF && a->dom != d->domid)
		return -EPERM;
	p = get_free_port(d);
	if (p < 0)
		return p;
	d->evtchns[p].state = HV_EVTCHN_UNBOUND;
	d->evtchns[p].remote_dom = a->remote_dom == DOMID_SELF ?
				   d->domid : a->remote_dom;
	d->evtchns[p].notify_vcpu = 0;
	a->port = p;
	return 0;
}

static long bind_virq(struct hv_vcpu *v, struct evtchn_bind_virq *a)
{
	struct hv_domain *d = v->d;
	int p;

	if (a->virq >= NR_VIRQS)
		return -EINVAL;
	if (virq_is_global(a->virq) && a->vcpu != 0)
		return -EINVAL;
	if (a->vcpu >= d->nr_vcpus)
		return -ENOENT;
	if (d->vcpus[a->vcpu].virq_port[a->virq])
		return -EEXIST;
	p = get_free_port(d);
	if (p < 0)
		return p;
	d->evtchns[p].state = HV_EVTCHN_VIRQ;
	d->evtchns[p].virq = a->virq;
	d->evtchns[p].notify_vcpu = a->vcpu;
	d->vcpus[a->vcpu].virq_port[a->virq] = p;
	a->port = p;
	return 0;
}

static long bind_ipi(struct hv_vcpu *v, struct evtchn_bind_ipi *a)
{
	struct hv_domain *d = v->d;
	int p;

	if (a->vcpu >= d->nr_vcpus)
		return -ENOENT;
	p = get_free_port(d);
	if (p < 0)
		return p;
	d->evtchns[p].state = HV_EVTCHN_IPI;
	d->evtchns[p].notify_vcpu = a->vcpu;
	a->port = p;
	return 0;
}

static long close_port(struct hv_domain *d, evtchn_port_t p)
{
	struct hv_evtchn *e;

	if (!port_valid(d, p))
		return -EINVAL;
	e = &d->evtchns[p];
	switch (e->state) {
	case HV_EVTCHN_FREE:
		return -EINVAL;
	case HV_EVTCHN_VIRQ:
		d->vcpus[e->notify_vcpu].virq_port[e->virq] = 0;
		break;
	case HV_EVTCHN_INTERDOMAIN:
		if (e->backend)
			e->backend(d, p, HV_EVTCHN_BACKEND_CLOSED, e->backend_arg);
		break;
	}
	memset(e, 0, sizeof(*e));
	return 0;
}

static long send(struct hv_domain *d, evtchn_port_t p)
{
	struct hv_evtchn *e;

	if (!port_valid(d, p))
		return -EINVAL;
	e = &d->evtchns[p];
	switch (e->state) {
	case HV_EVTCHN_IPI:
		hv_evtchn_set_pending(d, p);
		return 0;
	case HV_EVTCHN_INTERDOMAIN:
		if (e->backend)
			e->backend(d, p, HV_EVTCHN_BACKEND_NOTIFY, e->backend_arg);
		return 0;
	case HV_EVTCHN_UNBOUND:
		return 0;	/* nobody listens yet: dropped, as on Xen */
	}
	return -EINVAL;
}

static long status(struct hv_domain *d, struct evtchn_status *a)
{
	static const uint32_t stat[] = {
		[HV_EVTCHN_FREE] = EVTCHNSTAT_closed,
		[HV_EVTCHN_UNBOUND] = EVTCHNSTAT_unbound,
		[HV_EVTCHN_INTERDOMAIN] = EVTCHNSTAT_interdomain,
		[HV_EVTCHN_VIRQ] = EVTCHNSTAT_virq,
		[HV_EVTCHN_IPI] = EVTCHNSTAT_ipi,
	};
	struct hv_evtchn *e;

	if (a->dom != DOMID_SELF && a->dom != d->domid)
		return -EPERM;
	if (a->port >= HV_NR_EVTCHNS)
		return -EINVAL;
	e = &d->evtchns[a->port];
	memset(&a->status, 0, sizeof(*a) - offsetof(struct evtchn_status, status));
	a->status = stat[e->state];
	a->vcpu = e->notify_vcpu;
	if (e->state == HV_EVTCHN_UNBOUND)
		a->u.unbound.dom = e->remote_dom;
	else if (e->state == HV_EVTCHN_INTERDOMAIN) {
		a->u.interdomain.dom = e->remote_dom;
		a->u.interdomain.port = e->remote_port;
	} else if (e->state == HV_EVTCHN_VIRQ)
		a->u.virq = e->virq;
	return 0;
}

static long bind_vcpu(struct hv_domain *d, struct evtchn_bind_vcpu *a)
{
	struct hv_evtchn *e;

	if (!port_valid(d, a->port))
		return -EINVAL;
	if (a->vcpu >= d->nr_vcpus)
		return -ENOENT;
	e = &d->evtchns[a->port];
	if (e->state == HV_EVTCHN_VIRQ && virq_is_global(e->virq)) {
		d->vcpus[e->notify_vcpu].virq_port[e->virq] = 0;
		d->vcpus[a->vcpu].virq_port[e->virq] = a->port;
	} else if (e->state != HV_EVTCHN_UNBOUND &&
		   e->state != HV_EVTCHN_INTERDOMAIN) {
		return -EINVAL;
	}
	e->notify_vcpu = a->vcpu;
	return 0;
}

/* Unmasking a pending port raises the upcall that masking held back. */
static long unmask(struct hv_domain *d, evtchn_port_t p)
{
	struct shared_info *s = d->shared_info;
	uint64_t bit = 1UL << (p % BITS);
	struct vcpu_info *vi;
	struct hv_vcpu *v;

	if (!port_valid(d, p))
		return -EINVAL;
	__atomic_fetch_and(&s->evtchn_mask[p / BITS], ~bit, __ATOMIC_SEQ_CST);
	if (!(__atomic_load_n(&s->evtchn_pending[p / BITS], __ATOMIC_SEQ_CST) & bit))
		return 0;
	v = &d->vcpus[d->evtchns[p].notify_vcpu];
	vi = v->vcpu_info;
	if (!(__atomic_fetch_or(&vi->evtchn_pending_sel, 1UL << (p / BITS),
				__ATOMIC_SEQ_CST) & (1UL << (p / BITS)))) {
		__atomic_store_n(&vi->evtchn_upcall_pending, 1,
				 __ATOMIC_SEQ_CST);
		hv_mark_dirty_at(d, vi);
		hv_vcpu_wake(v);
	}
	return 0;
}

/* Copies the argument in, runs op under the lock, copies the result out. */
#define WITH_ARG(type, fn)						\
	do {								\
		type arg;						\
		if (hv_copy_from_guest(v, &arg, a[1], sizeof(arg)))	\
			return -EFAULT;					\
		pthread_mutex_lock(&d->evtchn_lock);			\
		rc = fn;						\
		pthread_mutex_unlock(&d->evtchn_lock);			\
		if (!rc && hv_copy_to_guest(v, a[1], &arg, sizeof(arg))) \
			rc = -EFAULT;					\
	} while (0)

long hv_do_event_channel_op(struct hv_vcpu *v, ucontext_t *uc,
			    const uint64_t a[5])
{
	struct hv_domain *d = v->d;
	long rc;

	switch (a[0]) {
	case EVTCHNOP_alloc_unbound:
		WITH_ARG(struct evtchn_alloc_unbound, alloc_unbound(v, &arg));
		return rc;
	case EVTCHNOP_bind_virq:
		WITH_ARG(struct evtchn_bind_virq, bind_virq(v, &arg));
		return rc;
	case EVTCHNOP_bind_ipi:
		WITH_ARG(struct evtchn_bind_ipi, bind_ipi(v, &arg));
		return rc;
	case EVTCHNOP_close:
		WITH_ARG(struct evtchn_close, close_port(d, arg.port));
		return rc;
	case EVTCHNOP_send:
		WITH_ARG(struct evtchn_send, send(d, arg.port));
		return rc;
	case EVTCHNOP_status:
		WITH_ARG(struct evtchn_status, status(d, &arg));
		return rc;
	case EVTCHNOP_bind_vcpu:
		WITH_ARG(struct evtchn_bind_vcpu, bind_vcpu(d, &arg));
		return rc;
	case EVTCHNOP_unmask:
		WITH_ARG(struct evtchn_unmask, unmask(d, arg.port));
		return rc;
	case EVTCHNOP_bind_interdomain:
		/* Only the toolstack's backends are other ends here. */
		return -ESRCH;
	case EVTCHNOP_bind_pirq:
		return -EPERM;
	}
	return -ENOSYS;
}

/* The toolstack's ports for the start-of-day rings (ring_setup). */
long hv_evtchn_alloc_unbound_port(struct hv_domain *d)
{
	int p;

	pthread_mutex_lock(&d->evtchn_lock);
	p = get_free_port(d);
	if (p > 0) {
		d->evtchns[p].state = HV_EVTCHN_UNBOUND;
		d->evtchns[p].remote_dom = 0;
		d->evtchns[p].notify_vcpu = 0;
	}
	pthread_mutex_unlock(&d->evtchn_lock);
	return p;
}

/*
 * Toolstack side: make port an interdomain channel whose remote end is the
 * backend fn (the console ring, an fd of the toolstack's).
 */
int hv_evtchn_bind_backend(struct hv_domain *d, evtchn_port_t port,
			   hv_evtchn_backend_fn fn, void *arg)
{
	struct hv_evtchn *e;

	if (!port_valid(d, port))
		return -EINVAL;
	pthread_mutex_lock(&d->evtchn_lock);
	e = &d->evtchns[port];
	e->state = HV_EVTCHN_INTERDOMAIN;
	e->remote_dom = 0;		/* the toolstack plays dom0 */
	e->remote_port = port;
	e->backend = fn;
	e->backend_arg = arg;
	pthread_mutex_unlock(&d->evtchn_lock);
	return 0;
}

/* Raises a VIRQ on v if the guest bound it; no-op otherwise. */
void hv_send_virq(struct hv_vcpu *v, unsigned int virq)
{
	evtchn_port_t p = v->virq_port[virq];

	if (p)
		hv_evtchn_set_pending(v->d, p);
}
