/* SPDX-License-Identifier: MIT */
/*
 * Xen public ABI, toolstack side: the numbers of the domain control
 * operations (XEN_DOMCTL_*) and the values they carry that a toolstack
 * must read the same way on Xen and on tern's hypervisor: the domain
 * state flags of getdomaininfo, the frame types of getpageframeinfo3 and
 * the log-dirty verbs of shadow_op.  Only the numbers are here; the
 * request layouts of tern's own domctl interface are in
 * hv/include/hv/domctl.h.  Never used by the guest kernel.
 */
#ifndef __XEN_INTERFACE_DOMCTL_H__
#define __XEN_INTERFACE_DOMCTL_H__

/* Operation numbers, as in Xen's public/domctl.h. */
#define XEN_DOMCTL_createdomain		1
#define XEN_DOMCTL_destroydomain	2
#define XEN_DOMCTL_pausedomain		3
#define XEN_DOMCTL_unpausedomain	4
#define XEN_DOMCTL_getdomaininfo	5
#define XEN_DOMCTL_getmemlist		6
#define XEN_DOMCTL_shadow_op		10
#define XEN_DOMCTL_max_mem		11
#define XEN_DOMCTL_setvcpucontext	12
#define XEN_DOMCTL_getvcpucontext	13
#define XEN_DOMCTL_getvcpuinfo		14
#define XEN_DOMCTL_max_vcpus		15
#define XEN_DOMCTL_hypercall_init	22
#define XEN_DOMCTL_getvcpuaffinity	25
#define XEN_DOMCTL_resumedomain		27
#define XEN_DOMCTL_gettscinfo		59
#define XEN_DOMCTL_settscinfo		60
#define XEN_DOMCTL_getpageframeinfo3	61

/*
 * getdomaininfo flags.  Bits 0-7 are states; the shutdown reason
 * (SHUTDOWN_*) sits in bits 16-23 while XEN_DOMINF_shutdown is set.
 */
#define XEN_DOMINF_dying		(1U << 0)	/* being destroyed */
#define XEN_DOMINF_hvm_guest		(1U << 1)
#define XEN_DOMINF_shutdown		(1U << 2)	/* the guest shut down */
#define XEN_DOMINF_paused		(1U << 3)	/* paused by the toolstack */
#define XEN_DOMINF_blocked		(1U << 4)	/* every vCPU blocked */
#define XEN_DOMINF_running		(1U << 5)	/* a vCPU is running */
#define XEN_DOMINF_debugged		(1U << 6)
#define XEN_DOMINF_shutdownmask		255
#define XEN_DOMINF_shutdownshift	16

/*
 * getpageframeinfo3: each frame's type in bits 28-31 of its 64-bit slot.
 * A pagetable's level, the pinned bit with it, or one of the special
 * answers for a frame that is not there (XTAB) or cannot be read.
 */
#define XEN_DOMCTL_PFINFO_LTAB_SHIFT	28
#define XEN_DOMCTL_PFINFO_NOTAB		(0x0U << 28)	/* not a pagetable */
#define XEN_DOMCTL_PFINFO_L1TAB		(0x1U << 28)
#define XEN_DOMCTL_PFINFO_L2TAB		(0x2U << 28)
#define XEN_DOMCTL_PFINFO_L3TAB		(0x3U << 28)
#define XEN_DOMCTL_PFINFO_L4TAB		(0x4U << 28)
#define XEN_DOMCTL_PFINFO_LTABTYPE_MASK	(0x7U << 28)
#define XEN_DOMCTL_PFINFO_LPINTAB	(0x1U << 31)	/* pinned */
#define XEN_DOMCTL_PFINFO_XTAB		(0xfU << 28)	/* no such frame */
#define XEN_DOMCTL_PFINFO_XALLOC	(0xeU << 28)	/* allocate only */
#define XEN_DOMCTL_PFINFO_BROKEN	(0xdU << 28)	/* broken frame */
#define XEN_DOMCTL_PFINFO_LTAB_MASK	(0xfU << 28)

/*
 * shadow_op verbs: log-dirty, the tracking behind live migration.
 * ENABLE_LOGDIRTY starts it, OFF stops it, PEEK copies the dirty bitmap
 * and CLEAN copies and clears it; each reports how many pages were found
 * dirty and how many faults the tracking took.
 */
#define XEN_DOMCTL_SHADOW_OP_OFF		0
#define XEN_DOMCTL_SHADOW_OP_ENABLE_TEST	1
#define XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY	2
#define XEN_DOMCTL_SHADOW_OP_ENABLE_TRANSLATE	3
#define XEN_DOMCTL_SHADOW_OP_CLEAN		11
#define XEN_DOMCTL_SHADOW_OP_PEEK		12
#define XEN_DOMCTL_SHADOW_OP_GET_ALLOCATION	30
#define XEN_DOMCTL_SHADOW_OP_SET_ALLOCATION	31
#define XEN_DOMCTL_SHADOW_OP_ENABLE		32
#define XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY	(1 << 2)
/* PEEK/CLEAN mode: the last round; pages the hypervisor writes count too. */
#define XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL	(1 << 0)

#endif /* __XEN_INTERFACE_DOMCTL_H__ */
