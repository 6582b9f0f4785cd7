/* SPDX-License-Identifier: MIT */
#ifndef _TOOLS_LIBS_CTRL_XC_H
#define _TOOLS_LIBS_CTRL_XC_H

/*
 * tern's libxenctrl: the toolstack's only way to the hypervisor.  Each
 * call is one domctl (hv/include/hv/domctl.h), made either in this very
 * process -- the process that runs the domain, where the builder works --
 * or over another process's control socket (hv/include/hv/control.h):
 * the handle decides, the calls are the same.  Names and meanings follow
 * Xen's xc_* functions; results are 0 (or a count) or a negative errno,
 * never -1 with errno.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/frame.h>
#include "hv/include/hv/domctl.h"

typedef struct xc_interface xc_interface;

/* The hypervisor of this process. */
xc_interface *xc_interface_open_local(void);
/*
 * The hypervisor behind the control socket at path; NULL with errno set
 * if it does not answer there.
 */
xc_interface *xc_interface_open_socket(const char *path);
void xc_interface_close(xc_interface *xch);

/* One request as it is: what every call below makes. */
long xc_domctl(xc_interface *xch, struct hv_domctl *op,
	       struct hv_domctl_payload *p);

int xc_domain_create(xc_interface *xch, domid_t domid, uint64_t max_pages,
		     unsigned int max_vcpus, uint32_t seed);
int xc_domain_destroy(xc_interface *xch, domid_t domid);
int xc_domain_pause(xc_interface *xch, domid_t domid);
int xc_domain_unpause(xc_interface *xch, domid_t domid);
int xc_domain_resume_domctl(xc_interface *xch, domid_t domid);
int xc_domain_getinfo(xc_interface *xch, domid_t domid,
		      struct hv_domctl_getdomaininfo *info);
/* Flags that change with every block and wake, not with the domain's state. */
#define XC_DOMINF_SCHEDULING	(XEN_DOMINF_running | XEN_DOMINF_blocked)
/*
 * Waits until domid's getdomaininfo flags, apart from the scheduling
 * ones, differ from *flags (or it is gone: -ESRCH), then updates them
 * and info.  In the domain's own process
 * it sleeps on the hypervisor's state changes; over a socket it asks
 * every 20 ms.
 */
int xc_domain_wait_change(xc_interface *xch, domid_t domid, uint32_t *flags,
			  struct hv_domctl_getdomaininfo *info);

int xc_vcpu_getcontext(xc_interface *xch, domid_t domid, unsigned int vcpu,
		       struct vcpu_guest_context *ctxt);
int xc_vcpu_setcontext(xc_interface *xch, domid_t domid, unsigned int vcpu,
		       const struct vcpu_guest_context *ctxt);
int xc_vcpu_getinfo(xc_interface *xch, domid_t domid, unsigned int vcpu,
		    struct hv_domctl_getvcpuinfo *info);
/* The vCPU thread's host CPU mask into map (len bytes); bytes used, or -errno. */
long xc_vcpu_getaffinity(xc_interface *xch, domid_t domid, unsigned int vcpu,
			 uint8_t *map, size_t len);

/* Frames for nr pfns from first, in batches; mfns[i] is pfn first + i's. */
int xc_domain_populate_physmap(xc_interface *xch, domid_t domid, pfn_t first,
			       uint64_t nr, mfn_t *mfns);
int xc_domain_decrease_reservation(xc_interface *xch, domid_t domid,
				   pfn_t first, uint64_t nr);
int xc_get_memlist(xc_interface *xch, domid_t domid, pfn_t first, uint64_t nr,
		   mfn_t *mfns);
/* types[i]: XEN_DOMCTL_PFINFO_* of pfns[i]; any number, in batches. */
int xc_get_pfn_type_batch(xc_interface *xch, domid_t domid, uint64_t n,
			  const pfn_t *pfns, uint32_t *types);

/*
 * The domain's machine memory mapped into this process, shared and
 * writable: frame n at base + n * 4096.  memfd stays open (the caller may
 * hand it on) until xc_unmap_foreign().
 */
struct xc_foreign_map {
	int memfd;
	uint8_t *base;
	uint64_t nr_frames;
};
int xc_map_foreign(xc_interface *xch, domid_t domid, struct xc_foreign_map *m);
void xc_unmap_foreign(struct xc_foreign_map *m);

static inline void *xc_foreign_frame(const struct xc_foreign_map *m, mfn_t mfn)
{
	return mfn_x(mfn) < m->nr_frames ? m->base + (mfn_x(mfn) << 12) : NULL;
}

/*
 * The m2p (one pfn_t per machine frame) mapped read-only: m2p[mfn] is
 * the pfn the hypervisor records for the frame, INVALID_PFN for one
 * nobody owns.  Xen's xc_map_m2p.
 */
struct xc_m2p_map {
	const pfn_t *m2p;
	uint64_t nr_frames;
	uint64_t bytes;
};
int xc_map_m2p(xc_interface *xch, domid_t domid, struct xc_m2p_map *m);
void xc_unmap_m2p(struct xc_m2p_map *m);

/* The m2p's entry for mfn, INVALID_PFN beyond the machine. */
static inline pfn_t xc_m2p_lookup(const struct xc_m2p_map *m, mfn_t mfn)
{
	return mfn_x(mfn) < m->nr_frames ? m->m2p[mfn_x(mfn)] : INVALID_PFN;
}

/* XEN_DOMCTL_gettscinfo / settscinfo (X86_TSC_INFO of a stream). */
int xc_domain_get_tsc_info(xc_interface *xch, domid_t domid,
			   struct hv_domctl_tsc_info *t);
int xc_domain_set_tsc_info(xc_interface *xch, domid_t domid,
			   const struct hv_domctl_tsc_info *t);
/*
 * The hypervisor's PV MMU audit of the domain, now: 0, or -EIO with what
 * it found in *why (the caller frees it; NULL when clean).
 */
int xc_domain_audit(xc_interface *xch, domid_t domid, char **why);

int xc_domain_hypercall_init(xc_interface *xch, domid_t domid, mfn_t mfn);
/* MMUEXT_PIN_L<level>_TABLE, or unpin with level 0, on the domain's behalf. */
int xc_mmuext_pin(xc_interface *xch, domid_t domid, unsigned int level,
		  mfn_t mfn);
/* HV_RING_CONSOLE or HV_RING_STORE: the port comes back. */
int xc_ring_setup(xc_interface *xch, domid_t domid, unsigned int kind,
		  mfn_t mfn, uint32_t *port);
int xc_evtchn_bind_fd(xc_interface *xch, domid_t domid, uint32_t port, int fd,
		      uint8_t send_byte, uint8_t raise_byte);
int xc_console_output(xc_interface *xch, domid_t domid, int fd);
/* Text answers, NUL-terminated, the caller frees *out. */
int xc_debug_keys(xc_interface *xch, domid_t domid, const char *keys,
		  char **out);
int xc_domain_stats(xc_interface *xch, domid_t domid, char **out);
int xc_shadow_control(xc_interface *xch, domid_t domid,
		      struct hv_domctl_shadow_op *op, uint8_t *bitmap,
		      size_t bitmap_len);

/* Xen's xc_shadow_op_stats_t: the counts PEEK and CLEAN return. */
typedef struct xc_shadow_op_stats {
	uint32_t fault_count;
	uint32_t dirty_count;
} xc_shadow_op_stats_t;

/*
 * Xen's xc_logdirty_control: a log-dirty verb (XEN_DOMCTL_SHADOW_OP_*)
 * with its mode; for PEEK and CLEAN the bitmap of pages bits (NULL: the
 * counts only) and the counts into stats (may be NULL).  Returns pages,
 * as Xen's does, or -errno.  The migration toolstack's sequence is in
 * Documentation/log-dirty.rst.
 */
long long xc_logdirty_control(xc_interface *xch, domid_t domid,
			      unsigned int sop, uint8_t *bitmap,
			      unsigned long pages, unsigned int mode,
			      xc_shadow_op_stats_t *stats);

/*
 * Page exchange (Documentation/page-exchange.rst), each on a suspended
 * domain.  Xen's xc_domain_memory_exchange_pages for order-0 extents:
 * in[i] traded for a new frame that becomes out_pfns[i]'s, into out[i];
 * *nr_exchanged (may be NULL: 0) in: where to start, out: how far it got.
 */
int xc_domain_memory_exchange_pages(xc_interface *xch, domid_t domid,
				    uint64_t nr, const mfn_t *in,
				    const pfn_t *out_pfns, mfn_t *out,
				    uint64_t *nr_exchanged);
/* mmu_update requests as the domain's own; *done: how many applied. */
int xc_mmu_update(xc_interface *xch, domid_t domid,
		  const struct mmu_update *reqs, unsigned int count,
		  unsigned int *done);
/* HV_PAGE_OFFLINE / _ONLINE / _QUERY: Xen's page_offline_op, one frame. */
int xc_page_offline_op(xc_interface *xch, domid_t domid, unsigned int cmd,
		       mfn_t mfn, uint32_t *status);
/* What holds one frame (struct hv_domctl_frame_state). */
int xc_frame_state(xc_interface *xch, domid_t domid, mfn_t mfn,
		   struct hv_domctl_frame_state *s);
/*
 * HV_HOLDS_RELEASE / _TAKE: the hypervisor's holds on a frame of a
 * suspended domain set aside and taken again (struct
 * hv_domctl_frame_holds); *held the HV_HOLD_* that moved.
 */
int xc_frame_holds(xc_interface *xch, domid_t domid, unsigned int cmd,
		   mfn_t mfn, uint32_t *held);
/*
 * The host memory of the next nr frames the domain will be given made
 * ready in the background (struct hv_domctl_prefill); how far it got.
 */
int xc_domain_prefill(xc_interface *xch, domid_t domid, uint64_t nr);
int xc_domain_prefill_status(xc_interface *xch, domid_t domid, uint64_t *nr,
			     uint64_t *done);
/* What `xl info` shows of the hypervisor's host (physinfo). */
int xc_physinfo(xc_interface *xch, struct hv_physinfo *info);

#endif
