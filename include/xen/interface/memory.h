/* SPDX-License-Identifier: MIT */
/*
 * Xen public ABI: memory reservation and physmap operations,
 * HYPERVISOR_memory_op(cmd, arg).
 *
 * A PV guest is not translated: it keeps its own P2M, Xen hands it machine
 * frame numbers and takes machine frames back.  Extents are runs of
 * 2^extent_order frames.
 */
#ifndef __XEN_INTERFACE_MEMORY_H__
#define __XEN_INTERFACE_MEMORY_H__

#include <xen/interface/xen.h>

/*
 * Commands; the argument of each is named beside it ("domid" means a
 * pointer to a domid_t, and the result is the return value).
 */
#define XENMEM_increase_reservation	0	/* xen_memory_reservation */
#define XENMEM_decrease_reservation	1	/* xen_memory_reservation */
#define XENMEM_maximum_ram_page		2	/* NULL: highest RAM frame */
#define XENMEM_current_reservation	3	/* domid: pages owned */
#define XENMEM_maximum_reservation	4	/* domid: page limit */
#define XENMEM_machphys_mfn_list	5	/* xen_machphys_mfn_list */
#define XENMEM_populate_physmap		6	/* xen_memory_reservation */
#define XENMEM_add_to_physmap		7	/* xen_add_to_physmap */
/* 8 is unused (a removed operation). */
#define XENMEM_memory_map		9	/* xen_memory_map */
#define XENMEM_machine_memory_map	10	/* xen_memory_map; dom0 */
#define XENMEM_exchange			11	/* xen_memory_exchange */
#define XENMEM_machphys_mapping		12	/* xen_machphys_mapping */
#define XENMEM_set_memory_map		13	/* xen_foreign_memory_map */
#define XENMEM_maximum_gpfn		14	/* domid: highest GPFN */
#define XENMEM_remove_from_physmap	15	/* xen_remove_from_physmap */
#define XENMEM_set_pod_target		16	/* xen_pod_target */
#define XENMEM_get_pod_target		17	/* xen_pod_target */
#define XENMEM_get_sharing_freed_pages	18	/* tools only */
#define XENMEM_get_sharing_shared_pages	19	/* tools only */
#define XENMEM_paging_op		20	/* tools only */
#define XENMEM_access_op		21	/* tools only */
#define XENMEM_sharing_op		22	/* tools only */
#define XENMEM_add_to_physmap_batch	23	/* ..._add_to_physmap_batch */
#define XENMEM_claim_pages		24	/* tools only */
#define XENMEM_machphys_compat_mfn_list	25	/* as 5, for 32-bit guests */
#define XENMEM_get_vnumainfo		26	/* virtual NUMA layout */
#define XENMEM_reserved_device_memory_map 27	/* tools only */
#define XENMEM_acquire_resource		28	/* ..._mem_acquire_resource */

/*
 * xen_memory_reservation.mem_flags: bits 0-7 limit the machine address
 * width of the frames (0: no limit), bits 8-15 hold NUMA node + 1.
 */
#define XENMEMF_address_bits(x)		(x)
#define XENMEMF_get_address_bits(x)	((x) & 0xffu)
#define XENMEMF_node(x)			(((x) + 1) << 8)
#define XENMEMF_get_node(x)		((((x) >> 8) - 1) & 0xffu)
#define XENMEMF_populate_on_demand	(1 << 16)	/* HVM only */
#define XENMEMF_exact_node_request	(1 << 17)	/* no fallback */
#define XENMEMF_exact_node(n)	(XENMEMF_node(n) | XENMEMF_exact_node_request)
#define XENMEMF_vnode			(1 << 18)	/* node is virtual */

/* xen_add_to_physmap.space: what kind of frame idx names. */
#define XENMAPSPACE_shared_info		0	/* the shared-info page */
#define XENMAPSPACE_grant_table		1	/* a grant-table frame */
#define XENMAPSPACE_gmfn		2	/* one of our own frames */
#define XENMAPSPACE_gmfn_range		3	/* size of them (not batch) */
#define XENMAPSPACE_gmfn_foreign	4	/* another domain's frame */
#define XENMAPSPACE_dev_mmio		5	/* device MMIO; Arm only */

/* OR'd into idx with XENMAPSPACE_grant_table: a status frame (v2). */
#define XENMAPIDX_grant_table_status	0x80000000

#ifndef __ASSEMBLY__

/*
 * increase/decrease_reservation and populate_physmap: nr_extents extents
 * of 2^extent_order frames each.  decrease: extent_start lists the frames
 * to give back.  increase: Xen stores the machine frames obtained there.
 * populate_physmap: IN the PFNs to back, OUT (PV) their machine frames;
 * Xen also sets the M2P entries.  The return value is the number of
 * extents done.
 */
struct xen_memory_reservation {
	XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
	xen_ulong_t nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags;		/* XENMEMF_* */
	domid_t domid;			/* usually DOMID_SELF */
};
typedef struct xen_memory_reservation xen_memory_reservation_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_reservation_t);
XEN_ABI_OFFSET(struct xen_memory_reservation, nr_extents, 8);
XEN_ABI_OFFSET(struct xen_memory_reservation, extent_order, 16);
XEN_ABI_OFFSET(struct xen_memory_reservation, mem_flags, 20);
XEN_ABI_OFFSET(struct xen_memory_reservation, domid, 24);
XEN_ABI_SIZE(struct xen_memory_reservation, 32);

/*
 * XENMEM_exchange: trade the frames listed in in for new ones described by
 * out (e.g. contiguous or below 4 GiB).  Both sides must cover the same
 * number of bytes.  nr_exchanged counts input extents done so far; it must
 * be 0 on the first call and lets a partial exchange be resumed.
 */
struct xen_memory_exchange {
	struct xen_memory_reservation in;
	struct xen_memory_reservation out;
	xen_ulong_t nr_exchanged;
};
typedef struct xen_memory_exchange xen_memory_exchange_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_exchange_t);
XEN_ABI_OFFSET(struct xen_memory_exchange, out, 32);
XEN_ABI_OFFSET(struct xen_memory_exchange, nr_exchanged, 64);
XEN_ABI_SIZE(struct xen_memory_exchange, 72);

/* Argument of the commands that only name a domain. */
struct xen_memory_domain {
	domid_t domid;
};
XEN_ABI_SIZE(struct xen_memory_domain, 2);

/*
 * XENMEM_machphys_mfn_list: the machine frames backing the M2P table, one
 * per 2 MiB of table.  IN: max_extents, extent_start; OUT: nr_extents.
 */
struct xen_machphys_mfn_list {
	uint32_t max_extents;
	XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
	uint32_t nr_extents;
};
typedef struct xen_machphys_mfn_list xen_machphys_mfn_list_t;
DEFINE_XEN_GUEST_HANDLE(xen_machphys_mfn_list_t);
XEN_ABI_OFFSET(struct xen_machphys_mfn_list, extent_start, 8);
XEN_ABI_OFFSET(struct xen_machphys_mfn_list, nr_extents, 16);
XEN_ABI_SIZE(struct xen_machphys_mfn_list, 24);

/*
 * XENMEM_machphys_mapping: where the read-only M2P table is mapped in the
 * guest and the highest machine frame it covers.
 */
struct xen_machphys_mapping {
	xen_ulong_t v_start;
	xen_ulong_t v_end;
	xen_ulong_t max_mfn;
};
typedef struct xen_machphys_mapping xen_machphys_mapping_t;
DEFINE_XEN_GUEST_HANDLE(xen_machphys_mapping_t);
XEN_ABI_OFFSET(struct xen_machphys_mapping, v_end, 8);
XEN_ABI_OFFSET(struct xen_machphys_mapping, max_mfn, 16);
XEN_ABI_SIZE(struct xen_machphys_mapping, 24);

/*
 * XENMEM_add_to_physmap: map the frame named by (space, idx) at gpfn of
 * domid.  Meant for translated guests; a PV guest maps frames through
 * its own page tables.  size is used only by XENMAPSPACE_gmfn_range.
 */
struct xen_add_to_physmap {
	domid_t domid;
	uint16_t size;
	uint32_t space;			/* XENMAPSPACE_* */
	xen_ulong_t idx;
	xen_pfn_t gpfn;
};
typedef struct xen_add_to_physmap xen_add_to_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_t);
XEN_ABI_OFFSET(struct xen_add_to_physmap, size, 2);
XEN_ABI_OFFSET(struct xen_add_to_physmap, space, 4);
XEN_ABI_OFFSET(struct xen_add_to_physmap, idx, 8);
XEN_ABI_OFFSET(struct xen_add_to_physmap, gpfn, 16);
XEN_ABI_SIZE(struct xen_add_to_physmap, 24);

/* XENMEM_add_to_physmap_batch: size mappings, one error code each. */
struct xen_add_to_physmap_batch {
	domid_t domid;
	uint16_t space;			/* XENMAPSPACE_* */
	uint16_t size;
	union {
		domid_t foreign_domid;	/* XENMAPSPACE_gmfn_foreign */
		uint16_t res0;		/* otherwise 0 */
	} u;
	XEN_GUEST_HANDLE(xen_ulong_t) idxs;
	XEN_GUEST_HANDLE(xen_pfn_t) gpfns;
	XEN_GUEST_HANDLE(int) errs;
};
typedef struct xen_add_to_physmap_batch xen_add_to_physmap_batch_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_batch_t);
XEN_ABI_OFFSET(struct xen_add_to_physmap_batch, u, 6);
XEN_ABI_OFFSET(struct xen_add_to_physmap_batch, idxs, 8);
XEN_ABI_OFFSET(struct xen_add_to_physmap_batch, errs, 24);
XEN_ABI_SIZE(struct xen_add_to_physmap_batch, 32);

/* XENMEM_remove_from_physmap: unmap whatever is at gpfn of domid. */
struct xen_remove_from_physmap {
	domid_t domid;
	xen_pfn_t gpfn;
};
typedef struct xen_remove_from_physmap xen_remove_from_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_remove_from_physmap_t);
XEN_ABI_OFFSET(struct xen_remove_from_physmap, gpfn, 8);
XEN_ABI_SIZE(struct xen_remove_from_physmap, 16);

/*
 * XENMEM_memory_map / XENMEM_machine_memory_map: fetch an E820-style map
 * (the domain's pseudo-physical one, or the host's).  IN: nr_entries =
 * room in buffer; OUT: nr_entries = entries written.
 */
struct xen_memory_map {
	uint32_t nr_entries;
	XEN_GUEST_HANDLE(void) buffer;	/* struct xen_e820_entry[] */
};
typedef struct xen_memory_map xen_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_map_t);
XEN_ABI_OFFSET(struct xen_memory_map, buffer, 8);
XEN_ABI_SIZE(struct xen_memory_map, 16);

/* XENMEM_set_memory_map (toolstack): set domid's pseudo-physical map. */
struct xen_foreign_memory_map {
	domid_t domid;
	struct xen_memory_map map;
};
typedef struct xen_foreign_memory_map xen_foreign_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_foreign_memory_map_t);
XEN_ABI_OFFSET(struct xen_foreign_memory_map, map, 8);
XEN_ABI_SIZE(struct xen_foreign_memory_map, 24);

/*
 * One entry of the memory map buffer: the classic BIOS E820 record,
 * 20 bytes, packed.  type is XEN_E820_*.
 */
struct xen_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((__packed__));
XEN_ABI_OFFSET(struct xen_e820_entry, size, 8);
XEN_ABI_OFFSET(struct xen_e820_entry, type, 16);
XEN_ABI_SIZE(struct xen_e820_entry, 20);

#define XEN_E820_RAM		1
#define XEN_E820_RESERVED	2
#define XEN_E820_ACPI		3
#define XEN_E820_NVS		4
#define XEN_E820_UNUSABLE	5

/* XENMEM_{set,get}_pod_target: populate-on-demand target (HVM). */
struct xen_pod_target {
	uint64_t target_pages;		/* IN */
	uint64_t tot_pages;		/* OUT */
	uint64_t pod_cache_pages;	/* OUT */
	uint64_t pod_entries;		/* OUT */
	domid_t domid;			/* IN */
};
typedef struct xen_pod_target xen_pod_target_t;
XEN_ABI_OFFSET(struct xen_pod_target, domid, 32);
XEN_ABI_SIZE(struct xen_pod_target, 40);

/* XENMEM_acquire_resource: map frames of a domain resource. */
#define XENMEM_resource_ioreq_server		0
#define XENMEM_resource_grant_table		1
#define XENMEM_resource_vmtrace_buf		2
#define XENMEM_resource_grant_table_id_shared	0
#define XENMEM_resource_grant_table_id_status	1

struct xen_mem_acquire_resource {
	domid_t domid;
	uint16_t type;			/* XENMEM_resource_* */
	uint32_t id;			/* which instance of type */
	uint32_t nr_frames;		/* IN: wanted; OUT: got */
	uint32_t pad;			/* must be zero */
	uint64_t frame;			/* first frame of the resource */
	XEN_GUEST_HANDLE(xen_pfn_t) frame_list;
};
typedef struct xen_mem_acquire_resource xen_mem_acquire_resource_t;
DEFINE_XEN_GUEST_HANDLE(xen_mem_acquire_resource_t);
XEN_ABI_OFFSET(struct xen_mem_acquire_resource, nr_frames, 8);
XEN_ABI_OFFSET(struct xen_mem_acquire_resource, frame, 16);
XEN_ABI_OFFSET(struct xen_mem_acquire_resource, frame_list, 24);
XEN_ABI_SIZE(struct xen_mem_acquire_resource, 32);

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_INTERFACE_MEMORY_H__ */
