// SPDX-License-Identifier: MIT
/*
 * HYPERVISOR_console_io.  Xen lets only privileged domains use it in
 * release builds; debug builds let every domain write.  This hypervisor
 * behaves like a debug build for writes, so that a guest has output from
 * its first instruction, and refuses reads to unprivileged guests as Xen
 * does.  Output goes to the domain's console (see domain.c).
 */
#include <errno.h>

#include "private.h"
#include <xen/interface/io/console.h>

#define CHUNK 256

long hv_do_console_io(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5])
{
	uint64_t gva = a[2];
	int64_t count = (int32_t)a[1];
	char buf[CHUNK];

	switch (a[0]) {
	case CONSOLEIO_write:
		if (count < 0)
			return -EINVAL;
		while (count > 0) {
			size_t n = count > CHUNK ? CHUNK : count;

			if (hv_copy_from_guest(v, buf, gva, n))
				return -EFAULT;
			hv_console_write(v->d, buf, n);
			gva += n;
			count -= n;
		}
		return 0;
	case CONSOLEIO_read:
		return -EPERM;
	}
	return -ENOSYS;
}

/*
 * The console ring's backend, what xenconsoled is on Xen: when the guest
 * kicks the console port, copy what it produced to the domain's console
 * and tell it the space is free again.  The indexes are the guest's to
 * write, so they are read once and sanity-checked: a producer more than a
 * ring ahead of the consumer is garbage, and we resynchronise rather than
 * trust it.
 */
void hv_console_ring_backend(struct hv_domain *d, uint32_t port,
			     enum hv_evtchn_backend_event ev, void *arg)
{
	struct xencons_interface *r;
	XENCONS_RING_IDX cons, prod;
	char buf[sizeof(r->out)];
	size_t n = 0;

	if (ev != HV_EVTCHN_BACKEND_NOTIFY)
		return;
	pthread_mutex_lock(&d->console_lock);
	if (d->aside_console) {
		/* Being moved (frame_holds.c): read once it is taken again. */
		d->console_kick_aside = true;
		pthread_mutex_unlock(&d->console_lock);
		return;
	}
	r = hv_mfn_ptr(d->m, d->console_mfn);
	cons = __atomic_load_n(&r->out_cons, __ATOMIC_ACQUIRE);
	prod = __atomic_load_n(&r->out_prod, __ATOMIC_ACQUIRE);
	if (prod - cons > sizeof(r->out)) {
		hv_console_printf(d, "(hv) console ring indexes out of range (cons %u prod %u): skipped\n",
				  cons, prod);
		cons = prod;
	}
	while (cons != prod)
		buf[n++] = r->out[MASK_XENCONS_IDX(cons++, r->out)];
	__atomic_store_n(&r->out_cons, cons, __ATOMIC_RELEASE);
	hv_mark_dirty(d, d->console_mfn);
	pthread_mutex_unlock(&d->console_lock);
	hv_console_write(d, buf, n);
	hv_evtchn_set_pending(d, port);
}
