// SPDX-License-Identifier: MIT
/*
 * Guest time.  System time is nanoseconds since the domain was created,
 * taken from the host's CLOCK_MONOTONIC.  Each vCPU's vcpu_info carries a
 * pvclock record (system_time at tsc_timestamp, and the factor that turns
 * TSC ticks into nanoseconds) so the guest can extrapolate with rdtsc;
 * writers bump the version to odd before and to even after changing it,
 * so a reader that sees an odd or changed version retries.  Extrapolation
 * and the host clock drift apart slightly between updates: the guest must
 * never let its clock go backwards across an update (it keeps the largest
 * value it has returned).
 *
 * Timers: one thread per domain sleeps until the earliest one-shot or
 * periodic deadline of any vCPU and then raises VIRQ_TIMER on that vCPU.
 * Like Xen, every vCPU starts with a 10 ms periodic timer, which a guest
 * that prefers one-shot timers stops.  While the domain is frozen
 * (paused, suspended) nothing fires: deadlines that pass meanwhile fire
 * once it thaws, a periodic timer once for all the ticks it missed.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "private.h"
#include <xen/interface/migration.h>

#define NSEC_PER_SEC 1000000000LL
#define DEFAULT_PERIOD_NS (10 * 1000000LL)

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static uint32_t tsc_mul;
static int8_t tsc_shift;
static uint32_t tsc_khz;

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/*
 * Measures the TSC against CLOCK_MONOTONIC and picks mul/shift so that
 * ns = ((ticks << shift) * mul) >> 32 with mul < 2^32, as pvclock wants.
 */
int hv_time_init(char *err, size_t errlen)
{
	struct timespec pause = { 0, 20 * 1000000 };
	int64_t t0, t1;
	uint64_t c0, c1, hz;
	unsigned __int128 m;
	int shift = 0;

	if (tsc_mul)
		return 0;
	t0 = mono_ns();
	c0 = rdtsc();
	nanosleep(&pause, NULL);
	t1 = mono_ns();
	c1 = rdtsc();
	if (c1 <= c0 || t1 <= t0) {
		snprintf(err, errlen, "cannot calibrate the TSC");
		return -1;
	}
	hz = (unsigned __int128)(c1 - c0) * NSEC_PER_SEC / (t1 - t0);
	for (;;) {
		m = ((unsigned __int128)NSEC_PER_SEC << 32);
		m = shift >= 0 ? m / ((unsigned __int128)hz << shift) :
				 (m << -shift) / hz;
		if (m >= (1ULL << 32))
			shift++;
		else if (m < (1ULL << 31) && shift > -31)
			shift--;
		else
			break;
	}
	tsc_mul = (uint32_t)m;
	tsc_shift = shift;
	tsc_khz = hz / 1000;
	return 0;
}

/* TSC ticks as nanoseconds, with the pvclock factors. */
static uint64_t tsc_to_ns(uint64_t tsc)
{
	if (tsc_shift >= 0)
		tsc <<= tsc_shift;
	else
		tsc >>= -tsc_shift;
	return (uint64_t)(((unsigned __int128)tsc * tsc_mul) >> 32);
}

/* Xen's tsc_get_info() for a domain whose guest reads the TSC natively. */
long hv_tsc_get_info(struct hv_domain *d, struct hv_domctl_tsc_info *t)
{
	char err[64];

	if (hv_time_init(err, sizeof(err)))
		return -EIO;
	memset(t, 0, sizeof(*t));
	t->tsc_mode = d->tsc_mode;
	t->gtsc_khz = d->tsc_mode == XC_SR_TSC_MODE_NEVER_EMULATE ? 0 : tsc_khz;
	t->elapsed_nsec = d->tsc_mode == XC_SR_TSC_MODE_NEVER_EMULATE ? 0 :
			  tsc_to_ns(rdtsc());
	t->incarnation = d->incarnation;
	return 0;
}

/* Xen's tsc_set_info(), before the domain first runs. */
long hv_tsc_set_info(struct hv_domain *d, const struct hv_domctl_tsc_info *t)
{
	switch (t->tsc_mode) {
	case XC_SR_TSC_MODE_DEFAULT:
	case XC_SR_TSC_MODE_NEVER_EMULATE:
		break;
	case XC_SR_TSC_MODE_ALWAYS_EMULATE:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
	if (d->state != HV_DOM_BUILDING)
		return -EBUSY;
	d->tsc_mode = t->tsc_mode;
	d->incarnation = t->incarnation + 1;
	return 0;
}

int64_t hv_system_time(struct hv_domain *d)
{
	return mono_ns() - d->boot_ns;
}

void hv_update_vcpu_time(struct hv_vcpu *v)
{
	struct vcpu_time_info *t = &v->vcpu_info->time;
	uint32_t ver = t->version;

	__atomic_store_n(&t->version, ver + 1 + (ver & 1), __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	t->tsc_timestamp = rdtsc();
	t->system_time = hv_system_time(v->d);
	t->tsc_to_system_mul = tsc_mul;
	t->tsc_shift = tsc_shift;
	t->flags = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&t->version, ver + 2 + (ver & 1), __ATOMIC_RELEASE);
	hv_mark_dirty_at(v->d, t);
}

/* Earliest deadline of any vCPU, or INT64_MAX; under d->lock. */
static int64_t next_deadline(struct hv_domain *d)
{
	int64_t next = INT64_MAX;
	unsigned int i;

	for (i = 0; i < d->nr_vcpus; i++) {
		struct hv_vcpu *v = &d->vcpus[i];

		if (!v->started)
			continue;
		if (v->singleshot_ns && v->singleshot_ns < next)
			next = v->singleshot_ns;
		if (v->periodic_ns && v->periodic_next < next)
			next = v->periodic_next;
	}
	return next;
}

/* Fires what is due at now; under d->lock, which set_pending does not take. */
static void fire_due(struct hv_domain *d, int64_t now)
{
	unsigned int i;

	for (i = 0; i < d->nr_vcpus; i++) {
		struct hv_vcpu *v = &d->vcpus[i];
		bool fire = false;

		if (!v->started)
			continue;
		if (v->singleshot_ns && v->singleshot_ns <= now) {
			v->singleshot_ns = 0;
			fire = true;
		}
		if (v->periodic_ns && v->periodic_next <= now) {
			while (v->periodic_next <= now)
				v->periodic_next += v->periodic_ns;
			fire = true;
		}
		if (fire) {
			hv_update_vcpu_time(v);
			pthread_mutex_unlock(&d->lock);
			hv_send_virq(v, VIRQ_TIMER);
			pthread_mutex_lock(&d->lock);
		}
	}
}

static void *timer_main(void *arg)
{
	struct hv_domain *d = arg;

	pthread_mutex_lock(&d->lock);
	while (d->state != HV_DOM_DYING) {
		int64_t next = next_deadline(d), now = hv_system_time(d);

		if (hv_domain_frozen(d) || d->state != HV_DOM_RUNNING) {
			pthread_cond_wait(&d->timer_cond, &d->lock);
			continue;
		}
		if (next <= now) {
			fire_due(d, now);
			continue;
		}
		if (next == INT64_MAX) {
			pthread_cond_wait(&d->timer_cond, &d->lock);
		} else {
			int64_t abs = next + d->boot_ns;
			struct timespec ts = { abs / NSEC_PER_SEC,
					       abs % NSEC_PER_SEC };

			pthread_cond_timedwait(&d->timer_cond, &d->lock, &ts);
		}
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

int hv_timers_start(struct hv_domain *d)
{
	unsigned int i;

	for (i = 0; i < d->nr_vcpus; i++) {
		d->vcpus[i].periodic_ns = DEFAULT_PERIOD_NS;
		d->vcpus[i].periodic_next = DEFAULT_PERIOD_NS;
	}
	return -pthread_create(&d->timer_thread, NULL, timer_main, d);
}

/* The timer thread's clock is CLOCK_MONOTONIC, as system time's. */
void hv_timers_init(struct hv_domain *d)
{
	pthread_condattr_t ca;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&d->timer_cond, &ca);
	pthread_condattr_destroy(&ca);
}

/* Tells the timer thread that a deadline or the domain state changed. */
void hv_timers_changed(struct hv_domain *d)
{
	pthread_mutex_lock(&d->lock);
	pthread_cond_broadcast(&d->timer_cond);
	pthread_mutex_unlock(&d->lock);
}

void hv_timers_stop(struct hv_domain *d)
{
	if (!d->timer_thread)
		return;
	hv_timers_changed(d);
	pthread_join(d->timer_thread, NULL);
	d->timer_thread = 0;
}
