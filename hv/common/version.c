// SPDX-License-Identifier: MIT
/*
 * HYPERVISOR_xen_version.  This hypervisor implements Xen 4.17's guest ABI,
 * so it answers 4.17, with an extraversion that says what it really is.
 * The toolstack's physinfo (tern-xl info) reads the same strings here.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "private.h"
#include <xen/interface/features.h>
#include <xen/interface/version.h>

#define HV_XEN_MAJOR 4
#define HV_XEN_MINOR 17

static const char extraversion[] = ".0-tern";
static const char capabilities[] = "xen-3.0-x86_64 ";
static const char changeset[] = "tern-hv";

static long put(struct hv_vcpu *v, uint64_t gva, const void *src, size_t len)
{
	return hv_copy_to_guest(v, gva, src, len) ? -EFAULT : 0;
}

static long put_string(struct hv_vcpu *v, uint64_t gva, size_t size,
		       const char *s)
{
	char buf[1024];

	memset(buf, 0, size);
	strncpy(buf, s, size - 1);
	return put(v, gva, buf, size);
}

static long compile_info(struct hv_vcpu *v, uint64_t gva)
{
	struct xen_compile_info ci;

	memset(&ci, 0, sizeof(ci));
	snprintf(ci.compiler, sizeof(ci.compiler), "gcc");
	snprintf(ci.compile_by, sizeof(ci.compile_by), "tern");
	snprintf(ci.compile_domain, sizeof(ci.compile_domain), "tern-hv");
	snprintf(ci.compile_date, sizeof(ci.compile_date), "%s", __DATE__);
	return put(v, gva, &ci, sizeof(ci));
}

static long features(struct hv_vcpu *v, uint64_t gva)
{
	struct xen_feature_info fi;

	if (hv_copy_from_guest(v, &fi, gva, sizeof(fi)))
		return -EFAULT;
	fi.submap = fi.submap_idx == 0 ?
		    (1u << XENFEAT_pae_pgdir_above_4gb) : 0;
	return put(v, gva, &fi, sizeof(fi));
}

long hv_do_xen_version(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5])
{
	struct xen_platform_parameters pp = { .virt_start = HV_GUEST_VA_END };
	uint8_t handle[16] = { 0 };

	switch (a[0]) {
	case XENVER_version:
		return (HV_XEN_MAJOR << 16) | HV_XEN_MINOR;
	case XENVER_extraversion:
		return put_string(v, a[1], XEN_EXTRAVERSION_LEN, extraversion);
	case XENVER_compile_info:
		return compile_info(v, a[1]);
	case XENVER_capabilities:
		return put_string(v, a[1], XEN_CAPABILITIES_INFO_LEN,
				  capabilities);
	case XENVER_changeset:
		return put_string(v, a[1], XEN_CHANGESET_INFO_LEN, changeset);
	case XENVER_platform_parameters:
		return put(v, a[1], &pp, sizeof(pp));
	case XENVER_get_features:
		return features(v, a[1]);
	case XENVER_pagesize:
		return HV_PAGE_SIZE;
	case XENVER_guest_handle:
		return put(v, a[1], handle, sizeof(handle));
	case XENVER_commandline:
	case XENVER_build_id:
		return -EPERM;
	}
	return -ENOSYS;
}

/* vm.max_map_count, or 0 if it cannot be read. */
static uint64_t max_map_count(void)
{
	unsigned long long n = 0;
	FILE *f = fopen("/proc/sys/vm/max_map_count", "re");

	if (f) {
		if (fscanf(f, "%llu", &n) != 1)
			n = 0;
		fclose(f);
	}
	return n;
}

/*
 * The physinfo domctl (Xen's XEN_SYSCTL_physinfo and the version calls
 * xl info makes): the host this process runs on, as hv sees it.
 */
void hv_physinfo(struct hv_physinfo *p)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	long pages = sysconf(_SC_PHYS_PAGES), avail = sysconf(_SC_AVPHYS_PAGES);
	long size = sysconf(_SC_PAGESIZE);

	memset(p, 0, sizeof(*p));
	p->nr_cpus = cpus > 0 ? cpus : 0;
	p->pagesize = HV_PAGE_SIZE;
	/* The host's pages may not be 4 KiB; ours always are. */
	p->total_pages = pages > 0 && size > 0 ? pages * (size / HV_PAGE_SIZE) : 0;
	p->free_pages = avail > 0 && size > 0 ? avail * (size / HV_PAGE_SIZE) : 0;
	p->xen_major = HV_XEN_MAJOR;
	p->xen_minor = HV_XEN_MINOR;
	p->virt_start = HV_GUEST_VA_END;
	p->max_map_count = max_map_count();
	snprintf(p->xen_extra, sizeof(p->xen_extra), "%s", extraversion);
	snprintf(p->xen_caps, sizeof(p->xen_caps), "%s", capabilities);
	snprintf(p->xen_changeset, sizeof(p->xen_changeset), "%s", changeset);
	snprintf(p->logdirty, sizeof(p->logdirty), "%s",
		 hv_logdirty_mechanism(p->logdirty_note,
				       sizeof(p->logdirty_note)));
}
