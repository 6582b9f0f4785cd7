// SPDX-License-Identifier: MIT
/*
 * HYPERVISOR_xen_version.  This hypervisor implements Xen 4.17's guest ABI,
 * so it answers 4.17, with an extraversion that says what it really is.
 */
#include <errno.h>
#include <string.h>

#include "private.h"
#include <xen/interface/features.h>
#include <xen/interface/version.h>

#define HV_XEN_MAJOR 4
#define HV_XEN_MINOR 17

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
		return put_string(v, a[1], XEN_EXTRAVERSION_LEN, ".0-tern");
	case XENVER_compile_info:
		return compile_info(v, a[1]);
	case XENVER_capabilities:
		return put_string(v, a[1], XEN_CAPABILITIES_INFO_LEN,
				  "xen-3.0-x86_64 ");
	case XENVER_changeset:
		return put_string(v, a[1], XEN_CHANGESET_INFO_LEN, "tern-hv");
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
