// SPDX-License-Identifier: MIT
/*
 * A domain's life: create (load the kernel, build start of day), start
 * (vCPU 0 enters the guest), wait (until the guest shuts down or we are
 * told to destroy it), free.  The domain's state changes under d->lock and
 * every change is broadcast on d->cond, which blocked vCPUs and the
 * toolstack thread wait on; running vCPUs are kicked with a signal.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hv/private.h"
#include <xen/interface/sched.h>

#define MAX_KERNEL_SIZE (256UL << 20)

int hv_verbose;

void hv_set_verbose(int level)
{
	hv_verbose = level;
}

int hv_init(char *err, size_t errlen)
{
	if (hv_time_init(err, errlen) || hv_signals_init(err, errlen) ||
	    hv_shadow_reserve(err, errlen))
		return -1;
	return hv_seccomp_install(err, errlen);
}

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
	write_all(d->console_fd, buf, len);
	write_all(d->console_fd2, buf, len);
}

void hv_domain_add_console(struct hv_domain *d, int fd)
{
	d->console_fd2 = fd;
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

/* Reads the whole kernel file into memory; the caller frees *data. */
static int read_kernel(const char *path, void **data, size_t *size,
		       char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got = 0;

	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, errlen, "kernel '%s': %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0 ||
	    (uint64_t)st.st_size > MAX_KERNEL_SIZE) {
		snprintf(err, errlen, "kernel '%s': not a regular file of 1 byte to %lu MiB",
			 path, MAX_KERNEL_SIZE >> 20);
		goto fail;
	}
	*data = malloc(st.st_size);
	while (*data && got < st.st_size) {
		ssize_t n = read(fd, (char *)*data + got, st.st_size - got);

		if (n <= 0) {
			snprintf(err, errlen, "kernel '%s': short read", path);
			free(*data);
			*data = NULL;
			goto fail;
		}
		got += n;
	}
	*size = st.st_size;
	close(fd);
	return *data ? 0 : -1;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

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

static int alloc_domain(struct hv_domain *d, const struct hv_config *cfg,
			char *err, size_t errlen)
{
	const char *seed = getenv("TERN_HV_SEED");
	unsigned int i;

	d->cfg = *cfg;
	d->nr_pages = (uint64_t)cfg->memory_mb << (20 - HV_PAGE_SHIFT);
	d->nr_vcpus = cfg->vcpus;
	d->m = hv_machine_create(d->nr_pages * 2 + 1024,
				 seed ? strtoul(seed, NULL, 0) : 0x7e57,
				 err, errlen);
	d->p2m = calloc(d->nr_pages, sizeof(*d->p2m));
	d->vcpus = calloc(d->nr_vcpus, sizeof(*d->vcpus));
	if (!d->m || !d->p2m || !d->vcpus) {
		if (d->m)
			snprintf(err, errlen, "out of host memory");
		return -1;
	}
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	pthread_mutex_init(&d->threads_lock, NULL);
	pthread_mutex_init(&d->evtchn_lock, NULL);
	pthread_mutex_init(&d->console_lock, NULL);
	for (i = 0; i < d->nr_vcpus; i++) {
		d->vcpus[i].d = d;
		d->vcpus[i].id = i;
		d->vcpus[i].vcpu_info_mfn = INVALID_MFN;
	}
	return 0;
}

struct hv_domain *hv_domain_create(const struct hv_config *cfg,
				   uint16_t domid, int console_fd,
				   char *err, size_t errlen)
{
	struct hv_domain *d = calloc(1, sizeof(*d));
	struct hv_elf_image img;
	void *data = NULL;
	size_t size = 0;
	unsigned int i;
	char why[512];

	if (!d)
		return NULL;
	/*
	 * Only vcpu_info slots in shared_info for now: a guest with more
	 * vCPUs would have to register placements before using them.
	 */
	if (cfg->vcpus > XEN_LEGACY_MAX_VCPUS) {
		snprintf(err, errlen, "vcpus = %u: this hypervisor runs at most %u vCPUs",
			 cfg->vcpus, XEN_LEGACY_MAX_VCPUS);
		free(d);
		return NULL;
	}
	d->domid = domid;
	d->console_fd = console_fd;
	d->console_fd2 = -1;
	d->state = HV_DOM_BUILDING;
	if (read_kernel(cfg->kernel, &data, &size, err, errlen))
		goto fail;
	if (hv_elf_parse(&img, data, size, why, sizeof(why))) {
		snprintf(err, errlen, "kernel '%s': %s", cfg->kernel, why);
		goto fail;
	}
	if (alloc_domain(d, cfg, err, errlen) ||
	    hv_domain_build(d, &img, err, errlen))
		goto fail;
	for (i = 0; i < d->nr_vcpus && i < XEN_LEGACY_MAX_VCPUS; i++) {
		d->vcpus[i].vcpu_info = &d->shared_info->vcpu_info[i];
		d->vcpus[i].vcpu_info->evtchn_upcall_mask = 1;
	}
	set_wallclock(d);
	d->boot_ns = 0;
	d->boot_ns = hv_system_time(d);
	/* The store port stays unbound until a xenstored attaches. */
	d->evtchns[d->store_evtchn].state = HV_EVTCHN_UNBOUND;
	hv_evtchn_bind_backend(d, d->console_evtchn, hv_console_ring_backend,
			       NULL);
	d->vcpus[0].initialised = true;
	free(data);
	return d;
fail:
	free(data);
	hv_domain_free(d);
	return NULL;
}

int hv_domain_start(struct hv_domain *d, char *err, size_t errlen)
{
	int rc;

	d->state = HV_DOM_RUNNING;
	rc = hv_timers_start(d);
	if (!rc)
		rc = hv_vcpu_start(&d->vcpus[0]);
	if (rc) {
		snprintf(err, errlen, "starting vCPU 0: %s", strerror(-rc));
		d->state = HV_DOM_DYING;
	}
	return rc;
}

static void set_state(struct hv_domain *d, enum hv_domain_state s,
		      unsigned int reason)
{
	unsigned int i;
	bool changed = false;

	pthread_mutex_lock(&d->lock);
	if (d->state == HV_DOM_RUNNING ||
	    (s == HV_DOM_DYING && d->state != HV_DOM_DYING)) {
		if (d->state == HV_DOM_RUNNING)
			d->shutdown_reason = reason;
		d->state = s;
		changed = true;
	}
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
	if (!changed)
		return;
	for (i = 0; i < d->nr_vcpus; i++)
		if (&d->vcpus[i] != hv_current)
			hv_vcpu_kick(&d->vcpus[i]);
}

void hv_domain_shutdown(struct hv_domain *d, unsigned int reason)
{
	set_state(d, HV_DOM_SHUTDOWN, reason);
}

void hv_domain_destroy(struct hv_domain *d)
{
	set_state(d, HV_DOM_DYING, SHUTDOWN_poweroff);
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

static enum hv_outcome outcome_of(const struct hv_domain *d)
{
	if (d->state == HV_DOM_DYING)
		return HV_OUT_DESTROYED;
	switch (d->shutdown_reason) {
	case SHUTDOWN_poweroff:
		return HV_OUT_POWEROFF;
	case SHUTDOWN_reboot:
		return HV_OUT_REBOOT;
	case SHUTDOWN_suspend:
		return HV_OUT_SUSPEND;
	case SHUTDOWN_watchdog:
		return HV_OUT_WATCHDOG;
	case SHUTDOWN_soft_reset:
		return HV_OUT_SOFT_RESET;
	}
	return HV_OUT_CRASH;
}

enum hv_outcome hv_domain_wait(struct hv_domain *d)
{
	unsigned int i;

	pthread_mutex_lock(&d->lock);
	while (d->state == HV_DOM_RUNNING)
		pthread_cond_wait(&d->cond, &d->lock);
	pthread_mutex_unlock(&d->lock);
	hv_timers_stop(d);
	hv_store_stop(d);
	for (i = 0; i < d->nr_vcpus; i++) {
		if (!d->vcpus[i].thread)
			continue;
		hv_vcpu_kick(&d->vcpus[i]);
		pthread_join(d->vcpus[i].thread, NULL);
		d->vcpus[i].thread = 0;
	}
	return outcome_of(d);
}

const char *hv_outcome_name(enum hv_outcome o)
{
	static const char *const names[] = {
		[HV_OUT_POWEROFF] = "poweroff", [HV_OUT_REBOOT] = "reboot",
		[HV_OUT_SUSPEND] = "suspend", [HV_OUT_CRASH] = "crash",
		[HV_OUT_WATCHDOG] = "watchdog", [HV_OUT_SOFT_RESET] = "soft_reset",
		[HV_OUT_DESTROYED] = "destroyed",
	};

	return o <= HV_OUT_DESTROYED ? names[o] : "unknown";
}

void hv_domain_print_stats(struct hv_domain *d, FILE *f)
{
	unsigned int i;

	fprintf(f, "hypercall            calls     errors\n");
	for (i = 0; i < 64; i++) {
		const char *name = hv_hypercall_name(i);

		if (d->hypercalls[i])
			fprintf(f, "%-18s %7lu %10lu\n", name ? name : "?",
				(unsigned long)d->hypercalls[i],
				(unsigned long)d->hypercall_errors[i]);
	}
	fprintf(f, "%-18s %7lu\n", "unknown", (unsigned long)d->hypercalls_unknown);
	fprintf(f, "shadow mappings    %7lu\n", (unsigned long)d->shadow_maps);
	if (d->mmu)
		hv_mmu_print_stats(d, f);
}

void hv_domain_free(struct hv_domain *d)
{
	unsigned int i;

	if (!d)
		return;
	if (d->state != HV_DOM_BUILDING)
		hv_shadow_unmap(d, HV_GUEST_VA_START,
				HV_GUEST_VA_END - HV_GUEST_VA_START);
	for (i = 0; d->vcpus && i < d->nr_vcpus; i++)
		free(d->vcpus[i].altstack.ss_sp);
	if (d->mmu)
		hv_mmu_destroy(d);
	hv_machine_destroy(d->m);
	free(d->p2m);
	free(d->vcpus);
	free(d);
}
