// SPDX-License-Identifier: MIT
/*
 * hv_domctl(): the one entry point of the toolstack into the hypervisor
 * (hv/include/hv/domctl.h says what each request does).  This file checks
 * a request's shape -- version, domain, payload sizes -- and hands it to
 * the part that owns the state: domain.c for the life cycle, context.c
 * for vCPU contexts, p2m.c for memory, event_channel.c and evtchn_fd.c
 * for ports.
 *
 * Requests run one at a time under hv_domctl_lock, as Xen's domctls do
 * under its domctl lock, which also keeps a domain from being destroyed
 * under a request.  No vCPU thread, timer thread or signal handler ever
 * takes that lock, so a request may wait for them (pause waits until
 * every vCPU is parked, destroy until every thread is gone) without
 * deadlock.  A vCPU context is only read or written while the vCPU is
 * parked: a request that needs one on a running domain pauses it for its
 * own duration, as Xen's getvcpucontext pauses the vCPU.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"

pthread_mutex_t hv_domctl_lock;

/* Before main(): domctls work without hv_init() (the builder's tests). */
static void __attribute__((constructor)) init_domctl_lock(void)
{
	pthread_mutex_init(&hv_domctl_lock, NULL);
}

int hv_dup_fd(int fd)
{
	int copy = fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, 3);

	if (fd < 0)
		return -EBADF;
	return copy < 0 ? -errno : copy;
}

/* The payload in must be exactly len bytes. */
static bool in_is(const struct hv_domctl_payload *p, size_t len)
{
	return p->in_len == len && (len == 0 || p->in);
}

static bool out_room(const struct hv_domctl_payload *p, size_t len)
{
	return p->out_max >= len && (len == 0 || p->out);
}

static long getdomaininfo(struct hv_domain *d, struct hv_domctl_getdomaininfo *i)
{
	struct hv_domctl_getvcpuinfo vi;
	bool running = false, blocked = false;
	unsigned int n;

	memset(i, 0, sizeof(*i));
	pthread_mutex_lock(&d->lock);
	switch (d->state) {
	case HV_DOM_DYING:
		i->flags |= XEN_DOMINF_dying;
		break;
	case HV_DOM_SHUTDOWN:
		i->flags |= XEN_DOMINF_shutdown |
			    (d->shutdown_reason & XEN_DOMINF_shutdownmask) <<
			    XEN_DOMINF_shutdownshift;
		break;
	default:
		break;
	}
	if (d->pause_count)
		i->flags |= XEN_DOMINF_paused;
	i->pause_count = d->pause_count;
	pthread_mutex_unlock(&d->lock);
	for (n = 0; n < d->nr_vcpus; n++) {
		hv_vcpu_thread_info(&d->vcpus[n], &vi);
		i->cpu_time += vi.cpu_time;
		i->nr_online_vcpus += vi.online;
		running |= vi.running;
		blocked |= vi.online && vi.blocked;
	}
	if (running)
		i->flags |= XEN_DOMINF_running;
	else if (blocked)
		i->flags |= XEN_DOMINF_blocked;
	i->max_vcpu_id = d->nr_vcpus - 1;
	i->tot_pages = d->tot_pages;
	i->max_pages = d->max_pages;
	i->shared_info_frame = mfn_x(d->shared_info_mfn);
	i->nr_frames = d->m->nr_frames;
	i->crashed_by_hv = d->crashed_by_hv;
	return 0;
}

/* Pauses d for the time of a context access unless it is still already. */
static bool hold_still(struct hv_domain *d, long *rc)
{
	bool still;

	pthread_mutex_lock(&d->lock);
	still = hv_domain_frozen(d) && hv_domain_still(d);
	pthread_mutex_unlock(&d->lock);
	if (still)
		return false;
	*rc = hv_domain_pause(d);
	return !*rc;
}

static void release_still(struct hv_domain *d, bool held)
{
	if (held)
		hv_domain_unpause(d);
}

static long vcpu_context(struct hv_domain *d, struct hv_domctl *op,
			 struct hv_domctl_payload *p, bool set)
{
	const size_t len = sizeof(struct vcpu_guest_context);
	struct hv_vcpu *v;
	bool held;
	long rc = 0;

	if (op->u.vcpu.vcpu >= d->nr_vcpus)
		return -EINVAL;
	v = &d->vcpus[op->u.vcpu.vcpu];
	if (set ? !in_is(p, len) : !out_room(p, len))
		return set ? -EINVAL : -ENOBUFS;
	if (!set && !v->initialised)
		return -ENODATA;
	if (d->state == HV_DOM_DYING)
		return -EINVAL;
	held = hold_still(d, &rc);
	if (rc)
		return rc;
	if (set) {
		rc = hv_arch_set_info_guest(v, p->in);
		/* Brought up in a running domain: its thread starts now. */
		if (!rc && !v->down && !v->thread && d->state == HV_DOM_RUNNING)
			rc = hv_vcpu_start(v);
	} else {
		hv_arch_get_info_guest(v, p->out);
		p->out_len = len;
	}
	release_still(d, held);
	return rc;
}

static long pfn_batch(struct hv_domain *d, struct hv_domctl *op,
		      struct hv_domctl_payload *p)
{
	pfn_t first = _pfn(op->u.pfns.first_pfn);
	uint64_t nr = op->u.pfns.nr;
	long rc;

	if (nr > HV_DOMCTL_MAX_BATCH)
		return -EINVAL;
	switch (op->cmd) {
	case HV_DOMCTL_populate_physmap:
		if (!out_room(p, nr * 8))
			return -ENOBUFS;
		rc = hv_p2m_populate(d, first, nr, p->out);
		if (!rc)
			p->out_len = nr * 8;
		return rc;
	case HV_DOMCTL_decrease_reservation:
		return hv_p2m_release(d, first, nr);
	case HV_DOMCTL_getmemlist:
		if (pfn_x(first) > d->max_pages || nr > d->max_pages - pfn_x(first))
			return -EINVAL;
		if (!out_room(p, nr * 8))
			return -ENOBUFS;
		hv_p2m_memlist(d, first, nr, p->out);
		p->out_len = nr * 8;
		return 0;
	}
	return -ENOSYS;
}

static long frame_info(struct hv_domain *d, struct hv_domctl_payload *p)
{
	const uint64_t *in = p->in;
	uint64_t *out = p->out, n = p->in_len / 8, i;

	if (p->in_len % 8 || n > HV_DOMCTL_MAX_BATCH || (n && !in))
		return -EINVAL;
	if (!out_room(p, n * 8))
		return -ENOBUFS;
	for (i = 0; i < n; i++) {
		uint64_t pfn = in[i];

		out[i] = pfn < d->max_pages ? hv_p2m_frame_type(d, _pfn(pfn)) :
			 XEN_DOMCTL_PFINFO_XTAB;
	}
	p->out_len = n * 8;
	return 0;
}

static long hypercall_init(struct hv_domain *d, mfn_t mfn)
{
	long rc;

	hv_mmu_lock(d);
	rc = hv_mmu_hold_page(d, mfn);
	if (!rc) {
		hv_hypercall_page_init(d, mfn);
		hv_mmu_release_page(d, mfn);
	}
	hv_mmu_unlock(d);
	return rc ? -EINVAL : 0;
}

static long ring_setup(struct hv_domain *d, struct hv_domctl_ring_setup *r)
{
	mfn_t mfn = _mfn(r->mfn), *slot;
	long port;

	switch (r->kind) {
	case HV_RING_CONSOLE:
		slot = &d->console_mfn;
		break;
	case HV_RING_STORE:
		slot = &d->store_mfn;
		break;
	default:
		return -EINVAL;
	}
	if (mfn_valid_raw(*slot))
		return -EEXIST;
	if (hv_mmu_hold_page(d, mfn))
		return -EINVAL;
	port = hv_evtchn_alloc_unbound_port(d);
	if (port < 0) {
		hv_mmu_release_page(d, mfn);
		return port;
	}
	*slot = mfn;
	r->port = port;
	if (r->kind == HV_RING_STORE) {
		d->store_evtchn = port;
		return 0;
	}
	d->console_evtchn = port;
	return hv_evtchn_bind_backend(d, port, hv_console_ring_backend, NULL);
}

static long console_output(struct hv_domain *d, int fd)
{
	int copy;

	if (d->nr_console_fds >= HV_CONSOLE_OUTPUTS)
		return -ENOSPC;
	copy = hv_dup_fd(fd);
	if (copy < 0)
		return copy;
	d->console_fds[d->nr_console_fds] = copy;
	__atomic_store_n(&d->nr_console_fds, d->nr_console_fds + 1,
			 __ATOMIC_RELEASE);
	return 0;
}

/* Text the request answers with, into the payload out. */
static long text_out(struct hv_domctl_payload *p, char *buf, size_t len)
{
	long rc = 0;

	if (!buf)
		return -ENOMEM;
	if (!out_room(p, len))
		rc = -ENOBUFS;
	else if (len)
		memcpy(p->out, buf, len);
	p->out_len = rc ? 0 : len;
	free(buf);
	return rc;
}

static long debug_keys(struct hv_domain *d, struct hv_domctl_payload *p)
{
	const char *keys = p->in;
	size_t i, len = 0;
	unsigned int n;
	char *buf = NULL;
	FILE *f;

	if (!p->in_len || !keys)
		return -EINVAL;
	for (i = 0; i < p->in_len; i++)
		if (keys[i] != 'q')
			return -EINVAL;
	f = open_memstream(&buf, &len);
	if (!f)
		return -ENOMEM;
	for (i = 0; i < p->in_len; i++) {
		for (n = 0; n < d->nr_vcpus; n++) {
			struct hv_vcpu *v = &d->vcpus[n];
			uint32_t port = __atomic_load_n(&v->virq_port[VIRQ_DEBUG],
							__ATOMIC_ACQUIRE);

			fprintf(f, "notifying vCPU %u (virq %u, port %u)\n",
				v->id, VIRQ_DEBUG, port);
			hv_send_virq(v, VIRQ_DEBUG);
		}
	}
	fclose(f);
	return text_out(p, buf, len);
}

static long get_stats(struct hv_domain *d, struct hv_domctl_payload *p)
{
	size_t len = 0;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return -ENOMEM;
	hv_print_hypercall_stats(d, f);
	fprintf(f, "%-18s %7lu\n", "shadow mappings",
		(unsigned long)d->shadow_maps);
	hv_mmu_print_stats(d, f);
	hv_logdirty_print_stats(d, f);
	fclose(f);
	return text_out(p, buf, len);
}

static long shadow_op(struct hv_domain *d, struct hv_domctl_shadow_op *s,
		      struct hv_domctl_payload *p)
{
	return hv_logdirty_op(d, s, p->out, p->out_max, &p->out_len);
}

/*
 * The m2p for another process, read-only: a new open of the memfd's
 * /proc entry gives a descriptor that cannot map it writable.
 */
static long map_m2p(struct hv_domain *d, struct hv_domctl *op,
		    struct hv_domctl_payload *p)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", d->m->m2p_fd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	p->fd_out = fd;
	op->u.map_m2p.nr_frames = d->m->nr_frames;
	op->u.map_m2p.bytes = d->m->m2p_bytes;
	return 0;
}

/* The PV MMU audit, on a still domain; what it found as text. */
static long audit(struct hv_domain *d, struct hv_domctl_payload *p)
{
	char *why = calloc(1, 4096);
	long rc = 0;
	bool held;

	if (!why)
		return -ENOMEM;
	if (d->state == HV_DOM_DYING) {
		free(why);
		return -EINVAL;
	}
	held = hold_still(d, &rc);
	if (rc) {
		free(why);
		return rc;
	}
	if (!hv_mmu_audit(d, why, 4096))
		hv_shadow_audit(d, why, 4096);
	release_still(d, held);
	return text_out(p, why, strlen(why));
}

static long vcpu_info_op(struct hv_domain *d, struct hv_domctl *op,
			 struct hv_domctl_payload *p)
{
	struct hv_vcpu *v;
	uint32_t n = op->cmd == HV_DOMCTL_getvcpuinfo ? op->u.getvcpuinfo.vcpu :
		     op->u.vcpu.vcpu;

	if (n >= d->nr_vcpus)
		return -EINVAL;
	v = &d->vcpus[n];
	if (op->cmd == HV_DOMCTL_getvcpuinfo) {
		hv_vcpu_thread_info(v, &op->u.getvcpuinfo);
		op->u.getvcpuinfo.vcpu = n;
		return 0;
	}
	p->out_len = hv_vcpu_thread_affinity(v, p->out, p->out_max);
	return 0;
}

/* Whether d is shut down for suspend: its vCPUs parked, its contexts kept. */
static bool suspended(struct hv_domain *d)
{
	bool yes;

	pthread_mutex_lock(&d->lock);
	yes = d->state == HV_DOM_SHUTDOWN &&
	      d->shutdown_reason == SHUTDOWN_suspend;
	pthread_mutex_unlock(&d->lock);
	return yes;
}

/* Page exchange's requests, each only on a suspended domain. */
static long memory_exchange(struct hv_domain *d, struct hv_domctl *op,
			    struct hv_domctl_payload *p)
{
	struct hv_domctl_memory_exchange *x = &op->u.memory_exchange;
	long rc;

	if (x->nr_extents > HV_DOMCTL_MAX_BATCH / 2 ||
	    !in_is(p, x->nr_extents * 16))
		return -EINVAL;
	if (!out_room(p, x->nr_extents * 8))
		return -ENOBUFS;
	if (!suspended(d))
		return -EBUSY;
	rc = hv_memory_exchange_for_toolstack(d, x, p->in, p->out);
	p->out_len = x->nr_extents * 8;
	return rc;
}

static long mmu_update(struct hv_domain *d, struct hv_domctl *op,
		       struct hv_domctl_payload *p)
{
	struct hv_domctl_mmu_update *u = &op->u.mmu_update;

	u->done = 0;
	if (u->count > HV_DOMCTL_MAX_BATCH ||
	    !in_is(p, u->count * sizeof(struct mmu_update)))
		return -EINVAL;
	if (!suspended(d))
		return -EBUSY;
	return hv_mmu_update_for_toolstack(d, p->in, u->count, &u->done);
}

static long frame_holds(struct hv_domain *d, struct hv_domctl_frame_holds *h)
{
	bool kick;
	long rc;

	if (!suspended(d))
		return -EBUSY;
	rc = hv_frame_holds(d, h, &kick);
	/* The guest's output that came while its ring was aside. */
	if (kick)
		hv_console_ring_backend(d, d->console_evtchn,
					HV_EVTCHN_BACKEND_NOTIFY, NULL);
	return rc;
}

static long prefill(struct hv_domain *d, struct hv_domctl_prefill *p)
{
	switch (p->cmd) {
	case HV_PREFILL_START:
		if (p->nr > d->max_pages)
			return -EINVAL;
		return hv_machine_prefill(d->m, p->nr);
	case HV_PREFILL_STATUS:
		p->nr = d->m->prefill_nr;
		p->done = hv_machine_prefilled(d->m);
		return 0;
	}
	return -EINVAL;
}

static long dispatch(struct hv_domain *d, struct hv_domctl *op,
		     struct hv_domctl_payload *p)
{
	switch (op->cmd) {
	case HV_DOMCTL_destroydomain:
		hv_domain_destroy(d);
		return 0;
	case HV_DOMCTL_pausedomain:
		return hv_domain_pause(d);
	case HV_DOMCTL_unpausedomain:
		return hv_domain_unpause(d);
	case HV_DOMCTL_resumedomain:
		return hv_domain_resume(d);
	case HV_DOMCTL_getdomaininfo:
		return getdomaininfo(d, &op->u.getdomaininfo);
	case HV_DOMCTL_getvcpucontext:
		return vcpu_context(d, op, p, false);
	case HV_DOMCTL_setvcpucontext:
		return vcpu_context(d, op, p, true);
	case HV_DOMCTL_getvcpuinfo:
	case HV_DOMCTL_getvcpuaffinity:
		return vcpu_info_op(d, op, p);
	case HV_DOMCTL_populate_physmap:
	case HV_DOMCTL_decrease_reservation:
	case HV_DOMCTL_getmemlist:
		return pfn_batch(d, op, p);
	case HV_DOMCTL_getpageframeinfo3:
		return frame_info(d, p);
	case HV_DOMCTL_hypercall_init:
		return hypercall_init(d, _mfn(op->u.hypercall_init.gmfn));
	case HV_DOMCTL_shadow_op:
		return shadow_op(d, &op->u.shadow_op, p);
	case HV_DOMCTL_map_foreign:
		p->fd_out = hv_dup_fd(d->m->memfd);
		if (p->fd_out < 0)
			return p->fd_out;
		op->u.map_foreign.nr_frames = d->m->nr_frames;
		return 0;
	case HV_DOMCTL_mmuext_op:
		return hv_mmu_pin_for_toolstack(d, op->u.mmuext_op.cmd,
						_mfn(op->u.mmuext_op.mfn));
	case HV_DOMCTL_ring_setup:
		return ring_setup(d, &op->u.ring_setup);
	case HV_DOMCTL_evtchn_bind_fd:
		return hv_evtchn_bind_fd(d, op->u.evtchn_bind_fd.port, p->fd_in,
					 op->u.evtchn_bind_fd.send_byte,
					 op->u.evtchn_bind_fd.raise_byte);
	case HV_DOMCTL_console_output:
		return console_output(d, p->fd_in);
	case HV_DOMCTL_debug_keys:
		return debug_keys(d, p);
	case HV_DOMCTL_get_stats:
		return get_stats(d, p);
	case HV_DOMCTL_gettscinfo:
		return hv_tsc_get_info(d, &op->u.tsc_info);
	case HV_DOMCTL_settscinfo:
		return hv_tsc_set_info(d, &op->u.tsc_info);
	case HV_DOMCTL_map_m2p:
		return map_m2p(d, op, p);
	case HV_DOMCTL_audit:
		return audit(d, p);
	case HV_DOMCTL_prefill:
		return prefill(d, &op->u.prefill);
	case HV_DOMCTL_memory_exchange:
		return memory_exchange(d, op, p);
	case HV_DOMCTL_mmu_update:
		return mmu_update(d, op, p);
	case HV_DOMCTL_page_offline:
		return hv_page_offline_op(d, op->u.page_offline.cmd,
					  _mfn(op->u.page_offline.mfn),
					  &op->u.page_offline.status);
	case HV_DOMCTL_frame_state:
		return hv_frame_state(d, &op->u.frame_state);
	case HV_DOMCTL_frame_holds:
		return frame_holds(d, &op->u.frame_holds);
	}
	return -ENOSYS;
}

long hv_domctl(struct hv_domctl *op, struct hv_domctl_payload *p)
{
	struct hv_domctl_payload none = { .fd_in = -1, .fd_out = -1 };
	struct hv_domain *d;
	long rc;

	if (!p)
		p = &none;
	p->out_len = 0;
	p->fd_out = -1;
	/* Xen's answer to a toolstack built for another interface. */
	if (op->interface_version != HV_DOMCTL_INTERFACE_VERSION)
		return -EACCES;
	if (p->in_len > HV_DOMCTL_MAX_PAYLOAD)
		return -EINVAL;
	pthread_mutex_lock(&hv_domctl_lock);
	if (op->cmd == HV_DOMCTL_createdomain) {
		rc = hv_domain_create(op->domain, &op->u.createdomain);
	} else if (op->cmd == HV_DOMCTL_physinfo) {
		rc = -ENOBUFS;
		if (out_room(p, sizeof(struct hv_physinfo))) {
			hv_physinfo(p->out);
			p->out_len = sizeof(struct hv_physinfo);
			rc = 0;
		}
	} else {
		d = hv_domain_find(op->domain);
		rc = d ? dispatch(d, op, p) : -ESRCH;
	}
	pthread_mutex_unlock(&hv_domctl_lock);
	return rc;
}
