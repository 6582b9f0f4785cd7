/* SPDX-License-Identifier: MIT */
/*
 * Xen public ABI: version and build information,
 * HYPERVISOR_xen_version(cmd, arg).
 */
#ifndef __XEN_INTERFACE_VERSION_H__
#define __XEN_INTERFACE_VERSION_H__

#include <xen/interface/xen.h>
#include <xen/interface/features.h>

#define XENVER_version		0	/* NULL: returns major << 16 | minor */
#define XENVER_extraversion	1	/* xen_extraversion_t */
#define XENVER_compile_info	2	/* struct xen_compile_info */
#define XENVER_capabilities	3	/* xen_capabilities_info_t */
#define XENVER_changeset	4	/* xen_changeset_info_t */
#define XENVER_platform_parameters 5	/* struct xen_platform_parameters */
#define XENVER_get_features	6	/* struct xen_feature_info */
#define XENVER_pagesize		7	/* NULL: returns the page size */
#define XENVER_guest_handle	8	/* xen_domain_handle_t: domain UUID */
#define XENVER_commandline	9	/* xen_commandline_t; privileged */
#define XENVER_build_id		10	/* struct xen_build_id */

#ifndef __ASSEMBLY__

/* All strings are NUL-terminated within their arrays. */
typedef char xen_extraversion_t[16];		/* e.g. ".5" */
#define XEN_EXTRAVERSION_LEN	(sizeof(xen_extraversion_t))

struct xen_compile_info {
	char compiler[64];
	char compile_by[16];
	char compile_domain[32];
	char compile_date[32];
};
typedef struct xen_compile_info xen_compile_info_t;
XEN_ABI_OFFSET(struct xen_compile_info, compile_by, 64);
XEN_ABI_OFFSET(struct xen_compile_info, compile_domain, 80);
XEN_ABI_OFFSET(struct xen_compile_info, compile_date, 112);
XEN_ABI_SIZE(struct xen_compile_info, 144);

/* Space-separated guest types Xen can run, e.g. "xen-3.0-x86_64". */
typedef char xen_capabilities_info_t[1024];
#define XEN_CAPABILITIES_INFO_LEN	(sizeof(xen_capabilities_info_t))

typedef char xen_changeset_info_t[64];
#define XEN_CHANGESET_INFO_LEN	(sizeof(xen_changeset_info_t))

/* Lowest virtual address Xen reserves in the guest (HYPERVISOR_VIRT_START). */
struct xen_platform_parameters {
	xen_ulong_t virt_start;
};
typedef struct xen_platform_parameters xen_platform_parameters_t;
XEN_ABI_SIZE(struct xen_platform_parameters, 8);

/* IN: submap_idx selects bits 32*idx..32*idx+31; OUT: submap. */
struct xen_feature_info {
	uint32_t submap_idx;
	uint32_t submap;		/* bit n: XENFEAT_(32*idx + n) */
};
typedef struct xen_feature_info xen_feature_info_t;
XEN_ABI_OFFSET(struct xen_feature_info, submap, 4);
XEN_ABI_SIZE(struct xen_feature_info, 8);

typedef uint8_t xen_domain_handle_t[16];

typedef char xen_commandline_t[1024];

/* IN: len = room in buf; OUT: returns the number of bytes written. */
struct xen_build_id {
	uint32_t len;
	uint8_t buf[];
};
typedef struct xen_build_id xen_build_id_t;
XEN_ABI_OFFSET(struct xen_build_id, buf, 4);

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_INTERFACE_VERSION_H__ */
