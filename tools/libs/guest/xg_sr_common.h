/* SPDX-License-Identifier: MIT */
#ifndef _TOOLS_LIBS_GUEST_XG_SR_COMMON_H
#define _TOOLS_LIBS_GUEST_XG_SR_COMMON_H

/*
 * What the parts of save and restore share, as Xen's xg_sr_common.h: a
 * context per save or restore, and the operations its guest type
 * provides.  The common parts (xg_sr_save.c, xg_sr_restore.c) know the
 * stream -- headers, the order of records, PAGE_DATA batches, END --
 * and nothing of pagetables; the x86 PV parts (xg_sr_save_x86_pv.c,
 * xg_sr_restore_x86_pv.c, xg_sr_common_x86_pv.c) know the guest: its
 * p2m, its pagetables, start_info, shared_info, vCPU contexts.  HVM
 * would be another pair of ops.
 */
#include <stdarg.h>

#include "xg.h"
#include <xen/interface/migration.h>
#include <xen/interface/sched.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* Pages per PAGE_DATA record, as Xen's saver sends them. */
#define XG_SR_BATCH		1024U
/* A type no pfn of the stream has had yet (restore). */
#define XG_SR_TYPE_NONE		0xffffffffU
#define XG_SR_PTES		(XG_PAGE_SIZE / sizeof(uint64_t))
#define XG_SR_FPP		(XG_PAGE_SIZE / sizeof(uint64_t))

struct xg_sr_ctx;

struct xg_sr_save_ops {
	/* Maps and checks what the save reads: p2m, m2p, shared_info. */
	int (*setup)(struct xg_sr_ctx *ctx);
	/* X86_PV_INFO (records before STATIC_DATA_END). */
	int (*static_data)(struct xg_sr_ctx *ctx);
	/* X86_PV_P2M_FRAMES. */
	int (*start_of_stream)(struct xg_sr_ctx *ctx);
	/* The pfns to send, in order, with their types. */
	uint64_t (*nr_pfns)(struct xg_sr_ctx *ctx);
	/*
	 * One page: its type and data (NULL: none).  1 in a live round
	 * for a pagetable caught mid-change (Xen's EAGAIN from
	 * normalise_pagetable): it is left out and goes in the last round.
	 */
	int (*page)(struct xg_sr_ctx *ctx, uint64_t pfn, uint32_t *type,
		    const void **data, void *scratch);
	/* Live: the types of pfns[0..n) read again, as they are now. */
	int (*refresh_types)(struct xg_sr_ctx *ctx, const uint64_t *pfns,
			     unsigned int n);
	/*
	 * Live, after each CLEAN while the guest runs: sets in bitmap each
	 * pfn whose frame changed, to go in the next round on its new frame
	 * (the p2m's leaves that dirty names read again).
	 */
	int (*round_check)(struct xg_sr_ctx *ctx, const uint8_t *dirty,
			   uint8_t *bitmap);
	/* Live, once suspended: the same, every check strict. */
	int (*final_check)(struct xg_sr_ctx *ctx, const uint8_t *dirty,
			   uint8_t *bitmap);
	/* TSC, SHARED_INFO, the vCPUs. */
	int (*end_of_stream)(struct xg_sr_ctx *ctx);
	void (*cleanup)(struct xg_sr_ctx *ctx);
};

/* One record, with where it sits, as the restore reads it. */
struct xg_sr_record {
	uint32_t type;
	uint32_t length;
	uint64_t offset;		/* of its header in the stream */
	uint64_t index;			/* 1 for the first after the headers */
	void *data;			/* the body (not for PAGE_DATA) */
};

struct xg_sr_restore_ops {
	int (*setup)(struct xg_sr_ctx *ctx);
	/* Records of the guest type; -2 for one it does not know. */
	int (*process_record)(struct xg_sr_ctx *ctx, struct xg_sr_record *rec);
	/* The largest body a record of this type may have (0: none). */
	uint64_t (*max_length)(struct xg_sr_ctx *ctx, uint32_t type);
	/* After STATIC_DATA_END (or where a v2 stream implies it). */
	int (*static_data_complete)(struct xg_sr_ctx *ctx);
	/*
	 * PAGE_DATA: count pfns with their types, checked and recorded;
	 * pages[i] set where the data of the i-th page with data goes.
	 */
	int (*pages_begin)(struct xg_sr_ctx *ctx, unsigned int count,
			   const uint64_t *pfns, const uint32_t *types,
			   void **pages);
	/* After the data is in: pagetables turned back into frames. */
	int (*pages_end)(struct xg_sr_ctx *ctx, unsigned int count,
			 const uint64_t *pfns, const uint32_t *types,
			 void **pages);
	int (*stream_complete)(struct xg_sr_ctx *ctx);
	void (*cleanup)(struct xg_sr_ctx *ctx);
};

struct xg_sr_x86_pv_save {
	struct xc_foreign_map mem;
	struct xc_m2p_map m2p;
	struct shared_info *shinfo;
	uint64_t p2m_size;		/* pfns the p2m covers */
	mfn_t *p2m;			/* the guest's, copied */
	uint32_t *types;		/* per pfn */
	mfn_t *p2m_frames;		/* frames holding the p2m */
	uint64_t nr_p2m_frames;
	unsigned int max_vcpu_id;
};

struct xg_sr_x86_pv_restore {
	uint64_t p2m_size;		/* 0 until X86_PV_P2M_FRAMES */
	mfn_t *p2m;			/* new frame of each pfn, max_pages long */
	uint32_t *types;		/* XG_SR_TYPE_NONE until sent */
	pfn_t *p2m_pfns;		/* pfn of each p2m frame, or INVALID */
	uint64_t nr_p2m_pfns;		/* room in p2m_pfns */
	struct vcpu_guest_context *vcpus;	/* X86_PV_VCPU_BASIC, by id */
	bool *vcpu_seen;
	uint8_t shinfo[XG_PAGE_SIZE];
	bool seen_shinfo;
	bool seen_tsc;
	bool seen_pv_info;
	mfn_t shared_info_mfn;
	uint8_t *scratch;		/* dry run: where pages go */
	uint64_t ext_records;		/* EXTENDED, XSAVE, MSRS read */
};

struct xg_sr_ctx {
	xc_interface *xch;
	domid_t domid;
	char *err;
	size_t errlen;
	struct xg_sr_stats *stats;
	/* The record being handled, for messages; NULL between records. */
	const struct xg_sr_record *rec;

	union {
		struct {
			struct xg_sr_out *out;
			const struct xg_sr_save_ops *ops;
			struct xg_live *live;	/* NULL: suspended save */
			bool final;		/* live: the last round */
			struct xg_sr_x86_pv_save pv;
		} save;
		struct {
			struct xg_sr_in *in;
			struct xg_restore *r;
			const struct xg_sr_restore_ops *ops;
			uint32_t version;
			bool seen_static_data_end;
			bool seen_page_data;
			bool seen_context;	/* TSC, SHARED_INFO, vCPU */
			bool created;
			struct xg_sr_x86_pv_restore pv;
			uint64_t counts[XC_SR_REC_X86_MSR_POLICY + 1];
		} restore;
	};
};

extern const struct xg_sr_save_ops xg_sr_save_ops_x86_pv;
extern const struct xg_sr_restore_ops xg_sr_restore_ops_x86_pv;

/*
 * One line into ctx->err, prefixed with the record being read (type and
 * offset) when there is one; always -1, for "return xg_sr_fail(...)".
 */
int xg_sr_fail(struct xg_sr_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* libxc's record name ("PAGE_DATA"), or NULL for a type it does not have. */
const char *xg_sr_rec_name(uint32_t type);
/* "L1".."L4", "pinned L4", "normal", "invalid"... of a PFINFO type. */
const char *xg_sr_type_name(uint32_t type);
uint64_t xg_sr_now_ns(void);
/*
 * Maps the frames mfns[0..n) of m into this process ahead of use, in
 * runs of neighbours (MADV_POPULATE_*): one call per run instead of a
 * page fault per page.  A kernel without it faults them in as they come.
 */
void xg_sr_prefault(const struct xc_foreign_map *m, const mfn_t *mfns,
		    uint64_t n, bool write);

/* ---- x86 PV pagetable entries (xg_sr_common_x86_pv.c) ---- */

#define XG_PTE_PRESENT		0x001ULL
#define XG_PTE_PSE		0x080ULL
#define XG_PTE_ADDR		0x000ffffffffff000ULL

/*
 * L4 slots no guest pagetable may fill: Xen's own (256..271), which both
 * hypervisors reserve, and the slot where this hypervisor shows the m2p.
 */
bool xg_sr_l4_slot_reserved(unsigned int slot);
/* The level (1..4) of a PFINFO type that is a pagetable, else 0. */
unsigned int xg_sr_pt_level(uint32_t type);
/* Whether a PFINFO type carries a page of data in PAGE_DATA. */
bool xg_sr_type_has_data(uint32_t type);

#endif
