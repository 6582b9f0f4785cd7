// SPDX-License-Identifier: MIT
/*
 * The xenstore ring's event channel, with the toolstack as its other end.
 *
 * Under Xen the builder leaves the store port unbound in the guest and
 * xenstored binds to it when the toolstack introduces the domain.  Here the
 * daemon (tern-xenstored) is another process that maps the ring page from
 * the domain's memfd, and the toolstack relays notifications between it and
 * the guest over a socket (tools/xenstored/xs_attach.h).  This file is the
 * hypervisor's half: it lends the toolstack what the daemon needs (the
 * memfd, the ring's mfn and port), turns the guest's EVTCHNOP_send on the
 * port into a callback, and raises the port when the toolstack says the
 * daemon updated the ring.  Until hv_domain_store_bind() the port stays
 * unbound and sends on it go nowhere, as on Xen before the introduction.
 * Raises stop before the domain's vCPU threads are joined (hv_store_stop()).
 */
#include <sched.h>

#include "hv/private.h"

static void store_backend(struct hv_domain *d, uint32_t port,
			  enum hv_evtchn_backend_event ev, void *arg)
{
	struct hv_store_link *l = arg;

	if (ev == HV_EVTCHN_BACKEND_NOTIFY)
		l->kick(l->arg);
}

void hv_domain_rings(struct hv_domain *d, struct hv_rings *r)
{
	r->memfd = d->m->memfd;
	r->store_mfn = d->store_mfn;
	r->store_port = d->store_evtchn;
	r->console_mfn = d->console_mfn;
	r->console_port = d->console_evtchn;
}

int hv_domain_store_bind(struct hv_domain *d, void (*kick)(void *arg),
			 void *arg)
{
	struct hv_store_link *l = &d->store_link;

	l->kick = kick;
	l->arg = arg;
	return hv_evtchn_bind_backend(d, d->store_evtchn, store_backend, l);
}

void hv_domain_store_notify(struct hv_domain *d)
{
	struct hv_store_link *l = &d->store_link;
	struct hv_evtchn *e = &d->evtchns[d->store_evtchn];
	bool bound;

	__atomic_fetch_add(&l->raising, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&l->stopped, __ATOMIC_SEQ_CST))
		goto out;
	/* A guest that closed the port gets nothing, as on Xen. */
	pthread_mutex_lock(&d->evtchn_lock);
	bound = e->state == HV_EVTCHN_INTERDOMAIN &&
		e->backend == store_backend;
	pthread_mutex_unlock(&d->evtchn_lock);
	if (bound)
		hv_evtchn_set_pending(d, d->store_evtchn);
out:
	__atomic_fetch_sub(&l->raising, 1, __ATOMIC_SEQ_CST);
}

/*
 * Raising a port may kick a vCPU thread, and a thread being joined must
 * not be kicked.  A raise either saw "stopped" and did nothing, or is
 * counted in "raising" before it looked, so waiting for the count to
 * drop after setting "stopped" leaves none in flight (both are sequentially
 * consistent, so one of the two sides sees the other's store).
 */
void hv_store_stop(struct hv_domain *d)
{
	struct hv_store_link *l = &d->store_link;

	__atomic_store_n(&l->stopped, true, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&l->raising, __ATOMIC_SEQ_CST))
		sched_yield();
}
