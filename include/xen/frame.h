/* SPDX-License-Identifier: MIT */
#ifndef _XEN_FRAME_H
#define _XEN_FRAME_H

/*
 * Frame numbers, boxed so that the compiler refuses to mix them.
 *
 * Glossary:
 *   mfn  machine frame number: an index into the host's (or Xen's) real
 *        memory.  Pagetable entries of a PV guest hold mfns.  They change
 *        when a guest is restored or migrated.
 *   pfn  pseudo-physical frame number: the guest's own dense numbering of
 *        its memory, 0..nr_pages-1.  It survives save/restore; the p2m
 *        (pfn -> mfn) and m2p (mfn -> pfn) tables translate.
 *   gfn  guest frame number: what the guest puts in an interface that
 *        names "its" frames.  For a PV guest it is the mfn; we keep it
 *        distinct only where an interface says gfn.
 *
 * A frame number is never a bare integer: use _mfn()/mfn_x() at the edges
 * (hypercall arguments, pagetable entries) and the boxed types everywhere
 * else.  Included by both the kernel and the host hypervisor.
 */

#include <stdint.h>

typedef struct { uint64_t mfn; } mfn_t;
typedef struct { uint64_t pfn; } pfn_t;
typedef struct { uint64_t gfn; } gfn_t;

#define INVALID_MFN_RAW	(~(uint64_t)0)
#define INVALID_PFN_RAW	(~(uint64_t)0)

static inline mfn_t _mfn(uint64_t n) { return (mfn_t){ n }; }
static inline uint64_t mfn_x(mfn_t m) { return m.mfn; }
static inline pfn_t _pfn(uint64_t n) { return (pfn_t){ n }; }
static inline uint64_t pfn_x(pfn_t p) { return p.pfn; }
static inline gfn_t _gfn(uint64_t n) { return (gfn_t){ n }; }
static inline uint64_t gfn_x(gfn_t g) { return g.gfn; }

#define INVALID_MFN	_mfn(INVALID_MFN_RAW)
#define INVALID_PFN	_pfn(INVALID_PFN_RAW)

static inline int mfn_eq(mfn_t a, mfn_t b) { return a.mfn == b.mfn; }
static inline int pfn_eq(pfn_t a, pfn_t b) { return a.pfn == b.pfn; }
static inline int mfn_valid_raw(mfn_t m) { return m.mfn != INVALID_MFN_RAW; }
static inline mfn_t mfn_add(mfn_t m, uint64_t i) { return _mfn(m.mfn + i); }
static inline pfn_t pfn_add(pfn_t p, uint64_t i) { return _pfn(p.pfn + i); }

/* Machine and pseudo-physical addresses of the start of a frame. */
static inline uint64_t mfn_to_maddr(mfn_t m) { return m.mfn << 12; }
static inline uint64_t pfn_to_paddr(pfn_t p) { return p.pfn << 12; }
static inline mfn_t maddr_to_mfn(uint64_t ma) { return _mfn(ma >> 12); }
static inline pfn_t paddr_to_pfn(uint64_t pa) { return _pfn(pa >> 12); }

#endif
