/* SPDX-License-Identifier: MIT */
/*
 * Xen public ABI: grant tables, HYPERVISOR_grant_table_op(cmd, args, n).
 *
 * A domain shares one of its pages by filling an entry of its grant table
 * (frames it gets with GNTTABOP_setup_table and maps): "domain domid may
 * map or copy frame".  The entry's index is the grant reference that the
 * peer then uses, typically passed through xenstore.
 */
#ifndef __XEN_INTERFACE_GRANT_TABLE_H__
#define __XEN_INTERFACE_GRANT_TABLE_H__

#include <xen/interface/xen.h>

/*
 * The first entries are set up by the toolstack for the console and
 * xenstore rings; a guest allocates references from 8 up.
 */
#define GNTTAB_NR_RESERVED_ENTRIES	8
#define GNTTAB_RESERVED_CONSOLE		0
#define GNTTAB_RESERVED_XENSTORE	1

/*
 * grant_entry_v1.flags.  The granting domain writes type and permission
 * bits last (after domid and frame, with a write barrier); Xen sets
 * reading/writing while a mapping or copy is in progress, and the grant
 * may only be revoked once both are clear.
 */
#define GTF_invalid		(xen_mk_uint(0) << 0)	/* entry unused */
#define GTF_permit_access	(xen_mk_uint(1) << 0)	/* may map or copy */
#define GTF_accept_transfer	(xen_mk_uint(2) << 0)	/* may send a page */
#define GTF_transitive		(xen_mk_uint(3) << 0)	/* v2 only */
#define GTF_type_mask		(xen_mk_uint(3) << 0)
/* Grantee gets read access only. */
#define _GTF_readonly		2
#define GTF_readonly		(xen_mk_uint(1) << _GTF_readonly)
/* Set by Xen while the frame is mapped or copied, for read / for write. */
#define _GTF_reading		3
#define GTF_reading		(xen_mk_uint(1) << _GTF_reading)
#define _GTF_writing		4
#define GTF_writing		(xen_mk_uint(1) << _GTF_writing)
/* Cache attributes for the grantee's mapping. */
#define _GTF_PWT		5
#define GTF_PWT			(xen_mk_uint(1) << _GTF_PWT)
#define _GTF_PCD		6
#define GTF_PCD			(xen_mk_uint(1) << _GTF_PCD)
#define _GTF_PAT		7
#define GTF_PAT			(xen_mk_uint(1) << _GTF_PAT)
/* v2 only: the entry grants part of a page. */
#define _GTF_sub_page		8
#define GTF_sub_page		(xen_mk_uint(1) << _GTF_sub_page)
/* GTF_accept_transfer entries reuse bits 2 and 3 for the transfer state. */
#define _GTF_transfer_committed	2
#define GTF_transfer_committed	(xen_mk_uint(1) << _GTF_transfer_committed)
#define _GTF_transfer_completed	3
#define GTF_transfer_completed	(xen_mk_uint(1) << _GTF_transfer_completed)

#define GNTTABOP_map_grant_ref		0
#define GNTTABOP_unmap_grant_ref	1
#define GNTTABOP_setup_table		2
#define GNTTABOP_dump_table		3
#define GNTTABOP_transfer		4
#define GNTTABOP_copy			5
#define GNTTABOP_query_size		6
#define GNTTABOP_unmap_and_replace	7
#define GNTTABOP_set_version		8
#define GNTTABOP_get_status_frames	9
#define GNTTABOP_get_version		10
#define GNTTABOP_swap_grant_ref		11
#define GNTTABOP_cache_flush		12

/* gnttab_map_grant_ref.flags */
#define _GNTMAP_device_map	0
#define GNTMAP_device_map	(1 << _GNTMAP_device_map)	/* for DMA */
#define _GNTMAP_host_map	1
#define GNTMAP_host_map		(1 << _GNTMAP_host_map)	/* for the CPU */
#define _GNTMAP_readonly	2
#define GNTMAP_readonly		(1 << _GNTMAP_readonly)
#define _GNTMAP_application_map	3
#define GNTMAP_application_map	(1 << _GNTMAP_application_map)	/* user */
#define _GNTMAP_contains_pte	4
#define GNTMAP_contains_pte	(1 << _GNTMAP_contains_pte)	/* host_addr
								 * is a PTE */
#define _GNTMAP_guest_avail0	16
#define GNTMAP_guest_avail_mask	(~xen_mk_uint(0) << _GNTMAP_guest_avail0)

/* gnttab_copy.flags: source/dest names a grant ref rather than a frame. */
#define _GNTCOPY_source_gref	0
#define GNTCOPY_source_gref	(1 << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref	1
#define GNTCOPY_dest_gref	(1 << _GNTCOPY_dest_gref)

/* gnttab_cache_flush.op */
#define GNTTAB_CACHE_CLEAN		(xen_mk_uint(1) << 0)
#define GNTTAB_CACHE_INVAL		(xen_mk_uint(1) << 1)
#define GNTTAB_CACHE_SOURCE_GREF	(xen_mk_uint(1) << 31)

/* Per-operation status codes (the status fields; 0 is success). */
#define GNTST_okay		(0)
#define GNTST_general_error	(-1)
#define GNTST_bad_domain	(-2)	/* no such domain */
#define GNTST_bad_gntref	(-3)	/* reference invalid or not granted */
#define GNTST_bad_handle	(-4)	/* mapping handle invalid */
#define GNTST_bad_virt_addr	(-5)	/* host_addr unusable */
#define GNTST_bad_dev_addr	(-6)	/* dev_bus_addr unusable */
#define GNTST_no_device_space	(-7)	/* IOMMU out of space */
#define GNTST_permission_denied	(-8)
#define GNTST_bad_page		(-9)	/* frame not valid for this */
#define GNTST_bad_copy_arg	(-10)	/* copy crosses a page end */
#define GNTST_address_too_big	(-11)	/* transfer frame too high */
#define GNTST_eagain		(-12)	/* busy: try again */
#define GNTST_no_space		(-13)	/* out of handles etc. */

#ifndef __ASSEMBLY__

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;	/* names one mapping, for unmap */

/* Version 1 grant entry: 8 bytes, 512 per 4 KiB table frame. */
struct grant_entry_v1 {
	uint16_t flags;			/* GTF_* */
	domid_t domid;			/* the domain being granted */
	uint32_t frame;			/* frame shared, or transferred in */
};
typedef struct grant_entry_v1 grant_entry_v1_t;
XEN_ABI_OFFSET(struct grant_entry_v1, domid, 2);
XEN_ABI_OFFSET(struct grant_entry_v1, frame, 4);
XEN_ABI_SIZE(struct grant_entry_v1, 8);

/*
 * Version 2 grant entry (after GNTTABOP_set_version 2): 16 bytes, with the
 * GTF_reading/GTF_writing bits moved to separate status frames of
 * grant_status_t.
 */
struct grant_entry_header {
	uint16_t flags;
	domid_t domid;
};
typedef struct grant_entry_header grant_entry_header_t;

union grant_entry_v2 {
	struct grant_entry_header hdr;
	struct {
		struct grant_entry_header hdr;
		uint32_t pad0;
		uint64_t frame;
	} full_page;
	struct {
		struct grant_entry_header hdr;
		uint16_t page_off;
		uint16_t length;
		uint64_t frame;
	} sub_page;
	struct {
		struct grant_entry_header hdr;
		domid_t trans_domid;
		uint16_t pad0;
		grant_ref_t gref;
	} transitive;
	uint32_t __spacer[4];
};
typedef union grant_entry_v2 grant_entry_v2_t;
typedef uint16_t grant_status_t;
XEN_ABI_OFFSET(union grant_entry_v2, full_page.frame, 8);
XEN_ABI_OFFSET(union grant_entry_v2, sub_page.length, 6);
XEN_ABI_OFFSET(union grant_entry_v2, transitive.gref, 8);
XEN_ABI_SIZE(union grant_entry_v2, 16);

/*
 * GNTTABOP_map_grant_ref: map ref of domain dom at host_addr (a virtual
 * address, or a PTE's machine address with GNTMAP_contains_pte) and/or
 * for device access.  OUT: status, handle, dev_bus_addr.
 */
struct gnttab_map_grant_ref {
	uint64_t host_addr;
	uint32_t flags;			/* GNTMAP_* */
	grant_ref_t ref;
	domid_t dom;
	int16_t status;			/* GNTST_* */
	grant_handle_t handle;
	uint64_t dev_bus_addr;
};
typedef struct gnttab_map_grant_ref gnttab_map_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_map_grant_ref_t);
XEN_ABI_OFFSET(struct gnttab_map_grant_ref, flags, 8);
XEN_ABI_OFFSET(struct gnttab_map_grant_ref, ref, 12);
XEN_ABI_OFFSET(struct gnttab_map_grant_ref, dom, 16);
XEN_ABI_OFFSET(struct gnttab_map_grant_ref, status, 18);
XEN_ABI_OFFSET(struct gnttab_map_grant_ref, handle, 20);
XEN_ABI_OFFSET(struct gnttab_map_grant_ref, dev_bus_addr, 24);
XEN_ABI_SIZE(struct gnttab_map_grant_ref, 32);

/* GNTTABOP_unmap_grant_ref: undo the mapping named by handle. */
struct gnttab_unmap_grant_ref {
	uint64_t host_addr;
	uint64_t dev_bus_addr;
	grant_handle_t handle;
	int16_t status;			/* GNTST_* */
};
typedef struct gnttab_unmap_grant_ref gnttab_unmap_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_unmap_grant_ref_t);
XEN_ABI_OFFSET(struct gnttab_unmap_grant_ref, dev_bus_addr, 8);
XEN_ABI_OFFSET(struct gnttab_unmap_grant_ref, handle, 16);
XEN_ABI_OFFSET(struct gnttab_unmap_grant_ref, status, 20);
XEN_ABI_SIZE(struct gnttab_unmap_grant_ref, 24);

/*
 * GNTTABOP_setup_table: grow dom's table to nr_frames frames and return
 * their machine frame numbers in frame_list, for the guest to map.
 */
struct gnttab_setup_table {
	domid_t dom;
	uint32_t nr_frames;
	int16_t status;			/* GNTST_* */
	XEN_GUEST_HANDLE(xen_pfn_t) frame_list;
};
typedef struct gnttab_setup_table gnttab_setup_table_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_setup_table_t);
XEN_ABI_OFFSET(struct gnttab_setup_table, nr_frames, 4);
XEN_ABI_OFFSET(struct gnttab_setup_table, status, 8);
XEN_ABI_OFFSET(struct gnttab_setup_table, frame_list, 16);
XEN_ABI_SIZE(struct gnttab_setup_table, 24);

/* GNTTABOP_dump_table: print dom's table on Xen's console (debug). */
struct gnttab_dump_table {
	domid_t dom;
	int16_t status;
};
typedef struct gnttab_dump_table gnttab_dump_table_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_dump_table_t);
XEN_ABI_SIZE(struct gnttab_dump_table, 4);

/* GNTTABOP_transfer: give our frame mfn to domid via its entry ref. */
struct gnttab_transfer {
	xen_pfn_t mfn;
	domid_t domid;
	grant_ref_t ref;
	int16_t status;
};
typedef struct gnttab_transfer gnttab_transfer_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_transfer_t);
XEN_ABI_OFFSET(struct gnttab_transfer, ref, 12);
XEN_ABI_OFFSET(struct gnttab_transfer, status, 16);
XEN_ABI_SIZE(struct gnttab_transfer, 24);

/*
 * GNTTABOP_copy: copy len bytes between two (frame or grant, offset)
 * places without mapping either; neither side may cross a page end.
 */
struct gnttab_copy_ptr {
	union {
		grant_ref_t ref;	/* with GNTCOPY_*_gref */
		xen_pfn_t gmfn;		/* else a frame of our own */
	} u;
	domid_t domid;
	uint16_t offset;
};
XEN_ABI_OFFSET(struct gnttab_copy_ptr, domid, 8);
XEN_ABI_OFFSET(struct gnttab_copy_ptr, offset, 10);
XEN_ABI_SIZE(struct gnttab_copy_ptr, 16);

struct gnttab_copy {
	struct gnttab_copy_ptr source;
	struct gnttab_copy_ptr dest;
	uint16_t len;
	uint16_t flags;			/* GNTCOPY_* */
	int16_t status;			/* GNTST_* */
};
typedef struct gnttab_copy gnttab_copy_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_copy_t);
XEN_ABI_OFFSET(struct gnttab_copy, dest, 16);
XEN_ABI_OFFSET(struct gnttab_copy, len, 32);
XEN_ABI_OFFSET(struct gnttab_copy, flags, 34);
XEN_ABI_OFFSET(struct gnttab_copy, status, 36);
XEN_ABI_SIZE(struct gnttab_copy, 40);

/* GNTTABOP_query_size: current and maximum table frames of dom. */
struct gnttab_query_size {
	domid_t dom;
	uint32_t nr_frames;
	uint32_t max_nr_frames;
	int16_t status;
};
typedef struct gnttab_query_size gnttab_query_size_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_query_size_t);
XEN_ABI_OFFSET(struct gnttab_query_size, nr_frames, 4);
XEN_ABI_OFFSET(struct gnttab_query_size, max_nr_frames, 8);
XEN_ABI_OFFSET(struct gnttab_query_size, status, 12);
XEN_ABI_SIZE(struct gnttab_query_size, 16);

/*
 * GNTTABOP_unmap_and_replace: unmap handle at host_addr and move the
 * mapping found at new_addr there instead (new_addr is then cleared).
 */
struct gnttab_unmap_and_replace {
	uint64_t host_addr;
	uint64_t new_addr;
	grant_handle_t handle;
	int16_t status;
};
typedef struct gnttab_unmap_and_replace gnttab_unmap_and_replace_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_unmap_and_replace_t);
XEN_ABI_OFFSET(struct gnttab_unmap_and_replace, handle, 16);
XEN_ABI_SIZE(struct gnttab_unmap_and_replace, 24);

/* GNTTABOP_set_version: choose entry format 1 or 2.  OUT: version. */
struct gnttab_set_version {
	uint32_t version;
};
typedef struct gnttab_set_version gnttab_set_version_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_set_version_t);
XEN_ABI_SIZE(struct gnttab_set_version, 4);

/* GNTTABOP_get_status_frames: machine frames of the v2 status table. */
struct gnttab_get_status_frames {
	uint32_t nr_frames;
	domid_t dom;
	int16_t status;
	XEN_GUEST_HANDLE(uint64_t) frame_list;
};
typedef struct gnttab_get_status_frames gnttab_get_status_frames_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_get_status_frames_t);
XEN_ABI_OFFSET(struct gnttab_get_status_frames, dom, 4);
XEN_ABI_OFFSET(struct gnttab_get_status_frames, frame_list, 8);
XEN_ABI_SIZE(struct gnttab_get_status_frames, 16);

/* GNTTABOP_get_version: entry format in use by dom. */
struct gnttab_get_version {
	domid_t dom;
	uint16_t pad;
	uint32_t version;
};
typedef struct gnttab_get_version gnttab_get_version_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_get_version_t);
XEN_ABI_SIZE(struct gnttab_get_version, 8);

/* GNTTABOP_swap_grant_ref: exchange two of our own entries. */
struct gnttab_swap_grant_ref {
	grant_ref_t ref_a;
	grant_ref_t ref_b;
	int16_t status;
};
typedef struct gnttab_swap_grant_ref gnttab_swap_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_swap_grant_ref_t);
XEN_ABI_SIZE(struct gnttab_swap_grant_ref, 12);

/* GNTTABOP_cache_flush: clean/invalidate a granted range (Arm). */
struct gnttab_cache_flush {
	union {
		uint64_t dev_bus_addr;
		grant_ref_t ref;
	} a;
	uint16_t offset;
	uint16_t length;
	uint32_t op;			/* GNTTAB_CACHE_* */
};
typedef struct gnttab_cache_flush gnttab_cache_flush_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_cache_flush_t);
XEN_ABI_OFFSET(struct gnttab_cache_flush, offset, 8);
XEN_ABI_OFFSET(struct gnttab_cache_flush, op, 12);
XEN_ABI_SIZE(struct gnttab_cache_flush, 16);

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_INTERFACE_GRANT_TABLE_H__ */
