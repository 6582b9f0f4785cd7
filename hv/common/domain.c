// SPDX-License-Identifier: MIT
/*
 * A domain's life, as Xen's common/domain.c has it: created empty and
 * paused (the toolstack populates and builds it through domctls), started
 * by the first unpause, paused and unpaused by the toolstack, shut down by
 * the guest (or crashed by us), resumed after a suspend, destroyed.
 *
 * The domain's state, its pause count and each vCPU's live and parked
 * flags change under d->lock, and every change is broadcast on d->cond.
 * "Frozen" sums up the states in which no guest code may run -- not
 * started, paused by the toolstack, or shut down with SHUTDOWN_suspend --
 * and every vCPU thread looks at it on each exit to the guest: a frozen
 * domain's vCPUs park there, their registers saved in their struct
 * hv_vcpu (arch/x86/vcpu.c), no timer fires (time.c) and raised ports
 * wait (event_channel.c).  Pausing kicks every vCPU and waits until all
 * of them are parked, so the caller finds the domain still.
 *
 * The other shutdown reasons end the vCPU threads, as they did before
 * save/restore existed: only a suspended domain has contexts to resume.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "private.h"
#include <xen/interface/sched.h>

/* Domains of this process, by id; under hv_domctl_lock. */
#define HV_MAX_DOMAINS	8
static struct hv_domain *domains[HV_MAX_DOMAINS];

/* hv_domain_state_seq() and its waiters. */
static pthread_mutex_t state_lock;
static pthread_cond_t state_cond;
static uint64_t state_seq;

/* Before main(): the library is usable without hv_init() (tests). */
static void __attribute__((constructor)) init_state_lock(void)
{
	pthread_mutex_init(&state_lock, NULL);
	pthread_cond_init(&state_cond, NULL);
}

int hv_init(char *err, size_t errlen)
{
	if (hv_time_init(err, errlen) || hv_signals_init(err, errlen) ||
	    hv_shadow_reserve(err, errlen))
		return -1;
	return hv_seccomp_install(err, errlen);
}

uint64_t hv_domain_state_seq(void)
{
	uint64_t seq;

	pthread_mutex_lock(&state_lock);
	seq = state_seq;
	pthread_mutex_unlock(&state_lock);
	return seq;
}

void hv_domain_state_wait(uint64_t *seen)
{
	pthread_mutex_lock(&state_lock);
	while (state_seq == *seen)
		pthread_cond_wait(&state_cond, &state_lock);
	*seen = state_seq;
	pthread_mutex_unlock(&state_lock);
}

void hv_domain_state_changed(void)
{
	pthread_mutex_lock(&state_lock);
	state_seq++;
	pthread_cond_broadcast(&state_cond);
	pthread_mutex_unlock(&state_lock);
}

struct hv_domain *hv_domain_find(domid_t domid)
{
	unsigned int i;

	for (i = 0; i < HV_MAX_DOMAINS; i++)
		if (domains[i] && domains[i]->domid == domid)
			return domains[i];
	return NULL;
}

/* ---- console output ---- */

static void write_all(int fd, const char *buf, size_t len)
{
	while (fd >= 0 && len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= n;
	}
}

void hv_console_write(struct hv_domain *d, const char *buf, size_t len)
{
	unsigned int i, n = __atomic_load_n(&d->nr_console_fds, __ATOMIC_ACQUIRE);

	for (i = 0; i < n; i++)
		write_all(d->console_fds[i], buf, len);
}

void hv_console_printf(struct hv_domain *d, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (n > 0)
		hv_console_write(d, buf, n);
}

/* ---- creation ---- */

static void set_wallclock(struct hv_domain *d)
{
	struct shared_info *s = d->shared_info;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	s->wc_version++;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	s->wc_sec = (uint32_t)ts.tv_sec;
	s->wc_sec_hi = (uint32_t)((uint64_t)ts.tv_sec >> 32);
	s->wc_nsec = ts.tv_nsec;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	s->wc_version++;
}

/*
 * shared_info is a hypervisor page shared writable with the guest: one
 * type reference for the sharing, as Xen's share_xen_page_with_guest().
 * It has no pfn, so no m2p entry.
 */
static int share_info_page(struct hv_domain *d)
{
	struct hv_frame *f;
	mfn_t mfn;

	if (hv_alloc_xenheap_frame(d->m, d->domid, &mfn))
		return -ENOMEM;
	f = hv_frame(d->m, mfn);
	f->type = HV_PGT_WRITABLE;
	f->type_count = 1;
	f->flags |= HV_PGF_VALIDATED;
	d->shared_info_mfn = mfn;
	d->shared_info = hv_mfn_ptr(d->m, mfn);
	return 0;
}

static struct hv_domain *alloc_domain(domid_t domid,
				      const struct hv_domctl_createdomain *c)
{
	struct hv_domain *d = calloc(1, sizeof(*d));
	uint64_t pfn;
	unsigned int i;
	char err[256];

	if (!d)
		return NULL;
	d->domid = domid;
	d->max_pages = c->max_pages;
	d->nr_vcpus = c->max_vcpus;
	d->state = HV_DOM_BUILDING;
	d->pause_count = 1;
	d->frozen = true;
	d->store_mfn = d->console_mfn = INVALID_MFN;
	d->aside_mfn = INVALID_MFN;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	pthread_mutex_init(&d->threads_lock, NULL);
	pthread_mutex_init(&d->evtchn_lock, NULL);
	pthread_mutex_init(&d->console_lock, NULL);
	hv_timers_init(d);
	d->m = hv_machine_create(d->max_pages * 2 + 1024, c->seed, err,
				 sizeof(err));
	d->p2m = malloc(d->max_pages * sizeof(*d->p2m));
	d->vcpus = calloc(d->nr_vcpus, sizeof(*d->vcpus));
	if (!d->m || !d->p2m || !d->vcpus)
		return d;
	for (pfn = 0; pfn < d->max_pages; pfn++)
		hv_set_p2m(d, _pfn(pfn), INVALID_MFN);
	for (i = 0; i < d->nr_vcpus; i++) {
		struct hv_vcpu *v = &d->vcpus[i];

		v->d = d;
		v->id = i;
		v->down = true;
		v->kernel_mode = true;
		v->vcpu_info_mfn = INVALID_MFN;
	}
	return d;
}

/* Frees what alloc_domain() and the building made; no thread is left. */
static void free_domain(struct hv_domain *d)
{
	unsigned int i;

	if (d->state != HV_DOM_BUILDING)
		hv_shadow_unmap(d, HV_GUEST_VA_START,
				HV_GUEST_VA_END - HV_GUEST_VA_START);
	for (i = 0; d->vcpus && i < d->nr_vcpus; i++)
		free(d->vcpus[i].altstack.ss_sp);
	for (i = 0; i < d->nr_console_fds; i++)
		close(d->console_fds[i]);
	hv_machine_destroy(d->m);
	free(d->p2m);
	free(d->vcpus);
	free(d);
}

long hv_domain_create(domid_t domid, const struct hv_domctl_createdomain *c)
{
	struct hv_domain *d;
	unsigned int i, slot = HV_MAX_DOMAINS;

	if (domid == 0 || domid >= DOMID_FIRST_RESERVED || !c->max_pages ||
	    c->max_pages > (1UL << 40) / HV_PAGE_SIZE || !c->max_vcpus ||
	    c->max_vcpus > HV_MAX_VCPUS)
		return -EINVAL;
	if (hv_domain_find(domid))
		return -EEXIST;
	for (i = 0; i < HV_MAX_DOMAINS && slot == HV_MAX_DOMAINS; i++)
		if (!domains[i])
			slot = i;
	if (slot == HV_MAX_DOMAINS)
		return -ENOSPC;
	d = alloc_domain(domid, c);
	if (!d)
		return -ENOMEM;
	if (!d->m || !d->p2m || !d->vcpus || hv_mmu_init(d) ||
	    share_info_page(d)) {
		if (d->mmu)
			hv_mmu_destroy(d);
		free_domain(d);
		return -ENOMEM;
	}
	/* Events stay masked on every vCPU until the guest unmasks them. */
	for (i = 0; i < d->nr_vcpus; i++) {
		d->vcpus[i].vcpu_info = &d->shared_info->vcpu_info[i];
		d->vcpus[i].vcpu_info->evtchn_upcall_mask = 1;
	}
	set_wallclock(d);
	d->boot_ns = 0;
	d->boot_ns = hv_system_time(d);
	domains[slot] = d;
	hv_domain_state_changed();
	return 0;
}

/* ---- freezing: pause, shutdown for suspend, resume ---- */

/* Whether d must be frozen now; under d->lock. */
static bool must_freeze(const struct hv_domain *d)
{
	return d->state == HV_DOM_BUILDING || d->pause_count ||
	       (d->state == HV_DOM_SHUTDOWN &&
		d->shutdown_reason == SHUTDOWN_suspend);
}

/*
 * Brings d->frozen in line with the state; under d->lock.  Returns true
 * if the domain thaws, for the caller to replay what waited, once it has
 * dropped the lock.
 */
static bool update_frozen(struct hv_domain *d)
{
	bool was = d->frozen, now = must_freeze(d);

	__atomic_store_n(&d->frozen, now, __ATOMIC_SEQ_CST);
	pthread_cond_broadcast(&d->cond);
	return was && !now;
}

static void kick_all(struct hv_domain *d)
{
	unsigned int i;

	for (i = 0; i < d->nr_vcpus; i++)
		if (&d->vcpus[i] != hv_current)
			hv_vcpu_kick(&d->vcpus[i]);
}

/*
 * Ends a change made under d->lock: brings the freeze in line, unlocks,
 * and then raises what waited while frozen and restarts the timers.
 */
static void changed_unlock(struct hv_domain *d)
{
	bool thaw = update_frozen(d);

	pthread_mutex_unlock(&d->lock);
	if (thaw) {
		hv_evtchn_replay_deferred(d);
		hv_timers_changed(d);
	}
	hv_domain_state_changed();
}

/* Xen's domain_pause_by_systemcontroller: returns once d is still. */
long hv_domain_pause(struct hv_domain *d)
{
	pthread_mutex_lock(&d->lock);
	if (d->pause_count >= 255) {
		pthread_mutex_unlock(&d->lock);
		return -EOVERFLOW;
	}
	d->pause_count++;
	update_frozen(d);
	kick_all(d);
	while (!hv_domain_still(d))
		pthread_cond_wait(&d->cond, &d->lock);
	pthread_mutex_unlock(&d->lock);
	hv_domain_state_changed();
	return 0;
}

/* The first unpause starts the domain: timers, and each vCPU that is up. */
static long start(struct hv_domain *d)
{
	char why[512];
	unsigned int i;
	long rc;

	if (d->audit_at_start && hv_mmu_audit(d, why, sizeof(why))) {
		hv_console_printf(d, "(hv) start of day fails the MMU audit: %s\n",
				  why);
		return -EINVAL;
	}
	rc = hv_timers_start(d);
	for (i = 0; !rc && i < d->nr_vcpus; i++)
		if (d->vcpus[i].initialised && !d->vcpus[i].down)
			rc = hv_vcpu_start(&d->vcpus[i]);
	return rc;
}

/* Xen's domain_unpause_by_systemcontroller. */
long hv_domain_unpause(struct hv_domain *d)
{
	bool first;
	long rc;

	pthread_mutex_lock(&d->lock);
	if (!d->pause_count) {
		pthread_mutex_unlock(&d->lock);
		return -EINVAL;
	}
	first = d->pause_count == 1 && d->state == HV_DOM_BUILDING;
	pthread_mutex_unlock(&d->lock);
	if (first) {
		rc = start(d);
		if (rc)
			return rc;
	}
	pthread_mutex_lock(&d->lock);
	d->pause_count--;
	if (first)
		d->state = HV_DOM_RUNNING;
	changed_unlock(d);
	return 0;
}

/* Xen's domain_resume: a suspended domain runs on from its contexts. */
long hv_domain_resume(struct hv_domain *d)
{
	/* A frame's holds are aside for page exchange: it must not run. */
	if (hv_frame_holds_aside(d))
		return -EBUSY;
	pthread_mutex_lock(&d->lock);
	if (d->state == HV_DOM_RUNNING || d->state == HV_DOM_BUILDING) {
		pthread_mutex_unlock(&d->lock);
		return 0;
	}
	if (d->state != HV_DOM_SHUTDOWN ||
	    d->shutdown_reason != SHUTDOWN_suspend) {
		pthread_mutex_unlock(&d->lock);
		return -EINVAL;
	}
	__atomic_store_n(&d->state, HV_DOM_RUNNING, __ATOMIC_SEQ_CST);
	d->shutdown_reason = 0;
	changed_unlock(d);
	return 0;
}

/* ---- the end ---- */

void hv_domain_shutdown(struct hv_domain *d, unsigned int reason)
{
	bool changed = false;

	pthread_mutex_lock(&d->lock);
	if (d->state == HV_DOM_RUNNING) {
		d->shutdown_reason = reason;
		__atomic_store_n(&d->state, HV_DOM_SHUTDOWN, __ATOMIC_SEQ_CST);
		update_frozen(d);
		changed = true;
	}
	pthread_mutex_unlock(&d->lock);
	if (!changed)
		return;
	kick_all(d);
	hv_domain_state_changed();
}

void hv_domain_crash(struct hv_vcpu *v, ucontext_t *uc, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hv_console_printf(v->d, "(hv) domain %u crashed on vCPU %u: %s\n",
			  v->d->domid, v->id, msg);
	hv_dump_registers(v, uc);
	v->d->crashed_by_hv = true;
	hv_domain_shutdown(v->d, SHUTDOWN_crash);
	hv_vcpu_exit(v);
}

/*
 * Xen's domain_kill and the final free: every vCPU thread leaves, the
 * timer thread and the toolstack's event channel ends stop (a raise kicks
 * a vCPU thread, which must not happen to one being joined), the frames
 * go back, and the domain is forgotten.  Under the domctl lock, on a
 * thread that is not one of the domain's.
 */
uint64_t hv_domain_destroy(struct hv_domain *d)
{
	uint64_t left;
	unsigned int i;

	pthread_mutex_lock(&d->lock);
	__atomic_store_n(&d->state, HV_DOM_DYING, __ATOMIC_SEQ_CST);
	update_frozen(d);
	pthread_mutex_unlock(&d->lock);
	kick_all(d);
	hv_timers_stop(d);
	hv_evtchn_fds_stop(d);
	for (i = 0; i < d->nr_vcpus; i++) {
		if (!d->vcpus[i].thread)
			continue;
		hv_vcpu_kick(&d->vcpus[i]);
		pthread_join(d->vcpus[i].thread, NULL);
		d->vcpus[i].thread = 0;
	}
	hv_evtchn_fds_free(d);
	for (i = 0; i < HV_MAX_DOMAINS; i++)
		if (domains[i] == d)
			domains[i] = NULL;
	hv_logdirty_destroy(d);
	left = hv_mmu_relinquish(d);
	hv_mmu_destroy(d);
	free_domain(d);
	hv_domain_state_changed();
	return left;
}
