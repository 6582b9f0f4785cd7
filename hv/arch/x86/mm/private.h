/* SPDX-License-Identifier: MIT */
#ifndef _HV_ARCH_X86_MM_PRIVATE_H
#define _HV_ARCH_X86_MM_PRIVATE_H

/*
 * Internals of the PV MMU: page types and reference counts (mm_types.c),
 * the pagetable hypercalls (mm.c, multicall.c), the shadow (shadow.c) and
 * the audit (audit.c).  Documentation/pv-mmu.rst tells the whole story;
 * what follows are the facts those files share.
 *
 * Everything here runs under d->mmu_lock, a recursive mutex: hypercalls
 * take it for their whole duration, shadow fills and hypervisor writes to
 * guest memory for the time of one page.
 */

#include "hv/private.h"

/* Pagetable entry bits, in their places in the 64-bit entry. */
#define PTE_P		0x001UL
#define PTE_RW		0x002UL
#define PTE_US		0x004UL
#define PTE_PWT		0x008UL
#define PTE_PCD		0x010UL
#define PTE_A		0x020UL
#define PTE_D		0x040UL
#define PTE_PSE		0x080UL		/* PAT in an L1 entry */
#define PTE_G		0x100UL
#define PTE_AVAIL	0xe00UL
#define PTE_AVAIL_HIGH	(0x7ffUL << 52)
#define PTE_NX		(1UL << 63)
#define PTE_ADDR	0x000ffffffffff000UL
/* Xen marks kernel-only L1 entries of a 64-bit guest with this soft bit. */
#define PTE_GUEST_KERNEL (1UL << 52)

/*
 * What an unprivileged PV guest may set, as Xen's disallow masks: no cache
 * attributes (PWT, PCD, PAT) at any level, no superpages (PSE) above L1,
 * Global only in L1 entries.  Everything else must be zero.
 */
#define PTE_BASE_OK	(PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D | PTE_AVAIL | \
			 PTE_AVAIL_HIGH | PTE_NX)
#define PTE_L1_OK	(PTE_BASE_OK | PTE_G)
#define PTE_UPPER_OK	PTE_BASE_OK

/*
 * Bits that may change without revalidating the entry (Xen's fast path).
 * With linear pagetables allowed, RW is not among them at any level: a
 * read-only linear entry turned writable must be validated again (XSA-182).
 */
#define PTE_FASTPATH	(PTE_NX | PTE_AVAIL_HIGH | PTE_AVAIL | PTE_G | PTE_D | \
			 PTE_A | PTE_US)

/* An L1 entry with every address bit set: Xen's "invalid mfn" marker. */
#define PTE_MFN_ALL_ONES	(PTE_ADDR >> HV_PAGE_SHIFT)

static inline mfn_t pte_mfn(uint64_t e)
{
	return maddr_to_mfn(e & PTE_ADDR);
}

/* Bytes of address space one entry of a table at this level covers. */
static inline uint64_t level_span(unsigned int level)
{
	return 1UL << (HV_PAGE_SHIFT + 9 * (level - 1));
}

static inline bool is_pt_type(unsigned int type)
{
	return type >= HV_PGT_L1 && type <= HV_PGT_L4;
}

/*
 * L4 slots a guest may not write (hypervisor slots): Xen's own, 256..271,
 * refused as Xen refuses them, and hv's read-only m2p slot.  Validation
 * ignores them and leaves them empty.
 */
#define HV_XEN_FIRST_SLOT	256
#define HV_XEN_LAST_SLOT	271
#define HV_M2P_SLOT		127

static inline bool is_guest_l4_slot(unsigned int slot)
{
	return slot != HV_M2P_SLOT &&
	       (slot < HV_XEN_FIRST_SLOT || slot > HV_XEN_LAST_SLOT);
}

/* Xen's access_ok() for a 64-bit PV guest: lower half, or above Xen. */
static inline bool hv_addr_ok(uint64_t va)
{
	return va < (1UL << 47) || va >= HYPERVISOR_VIRT_END;
}

/* The frame-table entry of an mfn the domain owns (and has not freed), or NULL. */
static inline struct hv_frame *owned_frame(struct hv_domain *d, mfn_t mfn)
{
	struct hv_frame *f = hv_frame(d->m, mfn);

	return f && f->owner == d->domid && f->count ? f : NULL;
}

static inline uint64_t *table_ptr(struct hv_domain *d, mfn_t mfn)
{
	return hv_mfn_ptr(d->m, mfn);
}

static inline uint64_t read_pte(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void write_pte(uint64_t *p, uint64_t e)
{
	__atomic_store_n(p, e, __ATOMIC_RELEASE);
}

/* ---- statistics: one row per kind of operation, one column per result ---- */

enum hv_mmu_op {
	HV_OP_PT_UPDATE,	/* mmu_update NORMAL/PRESERVE_AD/NO_TRANSLATE */
	HV_OP_MACHPHYS,		/* mmu_update MACHPHYS_UPDATE */
	HV_OP_PLAIN_WRITE,	/* mmu_update aimed at a non-pagetable page */
	HV_OP_UVM,		/* update_va_mapping */
	HV_OP_PIN,
	HV_OP_UNPIN,
	HV_OP_BASEPTR,		/* NEW_BASEPTR, NEW_USER_BASEPTR */
	HV_OP_FLUSH,		/* TLB flushes and invlpg of any scope */
	HV_OP_MMUEXT_OTHER,
	HV_OP_MULTICALL,
	HV_OP_MEMORY_OP,
	HV_OP_PTWR,		/* a guest write to an L1, emulated (ptwr.c) */
	HV_OP_NR,
};

enum hv_mmu_res {
	HV_RES_OK,
	HV_RES_EINVAL,
	HV_RES_EBUSY,
	HV_RES_EPERM,
	HV_RES_EFAULT,
	HV_RES_ESRCH,
	HV_RES_ENOSYS,
	HV_RES_OTHER,
	HV_RES_NR,
};

struct hv_mmu_stats {
	uint64_t ops[HV_OP_NR][HV_RES_NR];
	uint64_t validated[5];		/* tables validated, per level */
	uint64_t devalidated[5];
	uint64_t sh_fills, sh_m2p_fills, sh_guest_faults, sh_limit;
	uint64_t sh_inval_pages, sh_inval_ranges, sh_flushes, sh_retries;
	uint64_t audits, audit_failures;
	uint64_t p2m_list_checked;	/* entries read via the published frame list */
};

/*
 * Per-domain MMU state that the frame table does not hold.  sh_link has
 * one word per machine frame: which part of the guest window the shadow
 * reached through that frame when used as a pagetable (see shadow.c).
 */
struct hv_mmu {
	bool audit;			/* audit after every MMU hypercall */
	bool audit_abort;		/* abort() on failure (fuzzing) */
	/*
	 * Check the m2p against the published p2m.  Only a guest that keeps
	 * its p2m in step with its m2p updates can pass; a fuzzer that sends
	 * arbitrary m2p values turns this off and checks what it can.
	 */
	bool audit_p2m;

	mfn_t sh_cr3;			/* the address space the shadow shows */
	uint64_t sh_gen;		/* bumped whenever mappings are dropped */
	bool sh_mapped;			/* anything mapped since the last flush */
	uint64_t *sh_link;
	uint32_t *sh_dirty;		/* frames with a non-zero sh_link */
	uint64_t nr_sh_dirty, sh_dirty_cap;
	bool sh_warned;			/* said once: vCPUs on different L4s */

	/* Scratch for the audit, one slot per machine frame. */
	uint32_t *au_count, *au_type;
	int32_t *au_lin_entries, *au_lin_uses;

	struct hv_mmu_stats st;
};

/* mm_types.c: references, types, validation, entry updates. */
bool hv_get_page(struct hv_domain *d, mfn_t mfn);
void hv_put_page(struct hv_domain *d, mfn_t mfn);
int hv_get_page_type(struct hv_domain *d, mfn_t mfn, unsigned int type);
void hv_put_page_type(struct hv_domain *d, mfn_t mfn);
int hv_get_page_and_type(struct hv_domain *d, mfn_t mfn, unsigned int type);
void hv_put_page_and_type(struct hv_domain *d, mfn_t mfn);
int hv_mod_entry(struct hv_domain *d, mfn_t table, unsigned int idx,
		 uint64_t val, bool preserve_ad);
int hv_pin(struct hv_domain *d, mfn_t mfn, unsigned int level);
int hv_unpin(struct hv_domain *d, mfn_t mfn);
int hv_set_baseptr(struct hv_vcpu *v, mfn_t mfn, bool user);

/* mm.c */
void hv_mmu_count(struct hv_domain *d, enum hv_mmu_op op, long rc);
void hv_mmu_after_hypercall(struct hv_vcpu *v, ucontext_t *uc,
			    const char *what);

/* shadow.c */
void hv_shadow_flush(struct hv_domain *d);
void hv_shadow_invlpg(struct hv_domain *d, uint64_t va);
void hv_shadow_entry_changed(struct hv_domain *d, mfn_t table,
			     unsigned int idx);
/* One page of the memfd at va with these rights, nothing else (mmap). */
int hv_shadow_map(struct hv_domain *d, uint64_t va, mfn_t mfn, bool write,
		  bool exec);
/* [va, va + len) back to the reserved PROT_NONE, nothing else. */
void hv_shadow_unmap_raw(uint64_t va, uint64_t len);

/* ---- log-dirty (logdirty.c, logdirty_uffd.c, logdirty_ro.c) ---- */

/*
 * shadow_rmap.c: what the shadow maps where while log-dirty is on.  An
 * entry is the frame's machine address with these flags in its low bits.
 */
#define HV_RMAP_PRESENT	0x1U
#define HV_RMAP_W	0x2U	/* the host mapping is writable now */
#define HV_RMAP_X	0x4U	/* the host mapping is executable */
#define HV_RMAP_PLAIN	0x8U	/* writable, untracked: its pfn is dirty */

struct rmap_node;
struct hv_rmap {
	struct rmap_node *root;
	uint64_t nr_present;
};

static inline mfn_t hv_rmap_mfn(uint64_t e)
{
	return maddr_to_mfn(e & ~(HV_PAGE_SIZE - 1));
}

uint64_t hv_rmap_get(struct hv_rmap *r, uint64_t va);
int hv_rmap_set(struct hv_rmap *r, uint64_t va, mfn_t mfn, unsigned int flags);
void hv_rmap_set_flags(struct hv_rmap *r, uint64_t va, unsigned int set,
		       unsigned int clear);
void hv_rmap_clear(struct hv_rmap *r, uint64_t va, uint64_t len);
/* fn on each entry of the range, in address order, until it returns true. */
void hv_rmap_for_each(struct hv_rmap *r, uint64_t va, uint64_t len,
		      bool (*fn)(void *arg, uint64_t va, uint64_t e), void *arg);
/* Whether an entry of the range has every flag of flags. */
bool hv_rmap_any(struct hv_rmap *r, uint64_t va, uint64_t len,
		 unsigned int flags);
void hv_rmap_free(struct hv_rmap *r);

/*
 * A way of learning which pages the guest writes through the shadow.
 * Each runs under d->mmu_lock; logdirty.c's file-top tells the rules.
 */
struct hv_logdirty_ops {
	const char *name;		/* as tern-xl info prints it */
	/* Whether this host can use it; why not into why. */
	bool (*usable)(char *why, size_t len);
	int (*enable)(struct hv_domain *d);
	void (*disable)(struct hv_domain *d);
	/*
	 * A shadow fill: show mfn at va, at most with the guest's rights
	 * (guest_w, exec), for a fault that was a write or fetch or
	 * neither.  0 once the access can be retried, or -errno.
	 */
	int (*map)(struct hv_domain *d, uint64_t va, mfn_t mfn, bool guest_w,
		   bool exec, bool write, bool fetch);
	/* [va, va + len) is about to be dropped: keep what it knows. */
	void (*before_unmap)(struct hv_domain *d, uint64_t va, uint64_t len);
	/*
	 * Guest writes since the last clean into the bitmap; clean: and
	 * write tracking re-armed, atomically with respect to guest writes.
	 * Returns how many first writes it found, or -errno.
	 */
	long (*collect)(struct hv_domain *d, bool clean);
};

extern const struct hv_logdirty_ops hv_logdirty_uffd_ops;
extern const struct hv_logdirty_ops hv_logdirty_ro_ops;

/* Untracked writable pages the shadow may have at once (VMA budget). */
#define HV_LOGDIRTY_MAX_WRITABLE	4096

struct page_region;

struct hv_logdirty {
	const struct hv_logdirty_ops *ops;
	uint64_t *bitmap;		/* bit n: pfn n dirty; atomic words */
	uint64_t nr_words;
	uint64_t faults;		/* first writes found since CLEAN; atomic */
	struct hv_rmap rmap;

	/* uffd: the userfaultfd and /proc/self/pagemap, a scan buffer */
	int uffd, pagemap;
	struct page_region *vec;
	size_t vec_len;

	/*
	 * Pages mapped writable without tracking since the last CLEAN, which
	 * takes them back (may repeat, may be stale): ro's writable pages,
	 * uffd's plain mappings of pages dirty already.
	 */
	uint64_t *writable;
	size_t nr_writable, writable_cap;

	/* since ENABLE, for tern-xl stats */
	uint64_t rounds, fills, harvests, harvested, scans, scan_ns;
	uint64_t reprotected, budget_flushes, untracked;
};

/* Whether log-dirty is on; under d->mmu_lock it cannot change. */
static inline bool hv_logdirty_active(const struct hv_domain *d)
{
	return __atomic_load_n(&d->logdirty_on, __ATOMIC_ACQUIRE);
}

/* The fill and drop hooks of the shadow, and the bitmap's bits. */
int hv_logdirty_shadow_map(struct hv_domain *d, uint64_t va, mfn_t mfn,
			   bool guest_w, bool exec, bool write, bool fetch);
void hv_logdirty_before_unmap(struct hv_domain *d, uint64_t va, uint64_t len);
bool hv_logdirty_test(struct hv_domain *d, mfn_t mfn);
/* A guest write found through the shadow at va: its frame is dirty. */
void hv_logdirty_found(struct hv_domain *d, uint64_t va);
/* va goes on the round's list of untracked writable pages; -ENOMEM if full. */
int hv_logdirty_note_writable(struct hv_logdirty *ld, uint64_t va);
/* The list sorted, repeats and pages no longer mapped so (flag) gone. */
void hv_logdirty_sort_writable(struct hv_logdirty *ld, unsigned int flag);
/* For the audit: log-dirty's record against one host mapping. */
uint64_t hv_logdirty_rmap_entry(struct hv_domain *d, uint64_t va);

#endif
