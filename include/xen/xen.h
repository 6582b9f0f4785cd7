/* SPDX-License-Identifier: MIT */
#ifndef _XEN_XEN_H
#define _XEN_XEN_H

/* What the kernel knows about the hypervisor it runs on, from start of day. */

#include <linux/types.h>
#include <linux/percpu.h>
#include <xen/frame.h>
#include <xen/interface/xen.h>
#include <xen/interface/sched.h>

extern struct start_info *xen_start_info;
extern struct shared_info *HYPERVISOR_shared_info;
extern const unsigned long *xen_p2m;	/* start_info->mfn_list */

/* The calling CPU's vcpu_info: its event mask, pending bits and clock. */
static inline struct vcpu_info *xen_vcpu_info(void)
{
	return this_cpu()->vcpu_info;
}

static inline mfn_t pfn_to_mfn(pfn_t pfn)
{
	if (pfn_x(pfn) >= xen_start_info->nr_pages)
		return INVALID_MFN;
	return _mfn(xen_p2m[pfn_x(pfn)]);
}

void xen_map_shared_info(void);
/*
 * Suspend: point shared_info's place at the image page's own frame, a
 * dummy with every event masked (xen_park_shared_info()), and map
 * start_info's shared_info there again (xen_resume_shared_info(), on
 * every CPU).  0 or the hypervisor's error.
 */
int xen_park_shared_info(void);
int xen_resume_shared_info(void);
/*
 * Maps every pfn in the direct map and starts the page allocator on the
 * memory above the bootstrap region (arch/x86/xen/setup.c).
 */
void xen_setup_memory(void);
/*
 * The kernel address of a page the builder shared with the toolstack in
 * the start-of-day region (start_info, the xenstore and console rings),
 * given its mfn; NULL if no pfn below the bootstrap pagetables has it.
 */
void *xen_bootstrap_page(mfn_t mfn);
void __noreturn xen_shutdown(unsigned int reason);
void xen_early_console_init(void);

#endif
