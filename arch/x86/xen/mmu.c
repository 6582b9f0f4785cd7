// SPDX-License-Identifier: MIT
/*
 * The PV MMU client: building and tearing down mappings, pinning address
 * spaces and switching between them, all by hypercall, since a PV guest's
 * pagetables are read-only to it (Documentation/pv-mmu.rst).
 *
 * Reading a table needs a mapping of it.  Every pfn is in the direct map
 * once arch/x86/xen/setup.c has built it, and a page that is a table is
 * mapped there read-only, which is all a reader needs.  Before that only
 * the bootstrap region is mapped, so a table above it is read through a
 * "kmap" slot, one of a few pages at the end of the bootstrap region whose
 * own mappings we borrow and give back.  Machine frames are turned back
 * into pfns through the read-only m2p, found where XENMEM_machphys_mapping
 * says: Xen puts it in its own upper-half slots, the host hypervisor at
 * the top of its guest window.
 *
 * Several CPUs use the client at once.  Each call batches its updates in
 * its own on-stack array.  Walking needs no lock: a table, once hooked, is
 * never unhooked while its address space lives.  Hooking one is the race:
 * two CPUs finding the same L2 missing would each hook their own and one
 * would lose its mappings, so creation re-reads the entry under pt_lock.
 * Mapping the same page of the same address space from two CPUs at once is
 * the callers' business, as on Xen.
 *
 * A page becomes a table only once no writable mapping of it is left
 * (Xen's rule), so a new table's direct-map entry is made read-only first,
 * and writable again when it is freed.
 *
 * Suspend.  Machine frame numbers change when the domain is restored on
 * other frames, so none is kept anywhere the toolstack does not rewrite:
 * address spaces are named by the pfn of their L4, the kmap slots' own
 * entries are rebuilt from their pfns, and every function here runs as
 * one pagetable-update section (asm/xen/mmu.h), inside which alone frame
 * numbers exist.  The m2p's place is asked again after a resume.
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <asm/layout.h>
#include <asm/traps.h>
#include <asm/xen/mmu.h>
#include <xen/xen.h>

#define PT_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
			 _PAGE_ACCESSED | _PAGE_DIRTY)
#define NR_KMAP		8
#define BATCH		32
/* Xen keeps these L4 slots for itself in every guest's L4. */
#define XEN_FIRST_SLOT	256
#define XEN_LAST_SLOT	271

struct xen_pgd xen_kernel_pgd;

#define MAX_PGDS	8

static bool mmu_ready, direct_map_ready;
static const u64 *m2p;
static unsigned long m2p_max;
static unsigned long region_start, region_end, pt_start, pt_end;
static unsigned long kmap_base;
static u64 kmap_orig_flags[NR_KMAP];	/* a slot's own entry, less its frame */
static bool kmap_busy[NR_KMAP];
static struct xen_pgd *live_pgds[MAX_PGDS];	/* besides the kernel's */
static DEFINE_SPINLOCK(kmap_lock);
static DEFINE_SPINLOCK(pt_lock);

struct mmu_batch {
	struct mmu_update req[BATCH];
	unsigned int n;
};

static unsigned int pt_index(unsigned long va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
}

/* A load from the m2p that may fault (an mfn it does not cover). */
static u64 read_m2p(unsigned long mfn)
{
	u64 v = ~0ULL;

	__asm__ __volatile__("1: movq (%1), %0\n2:\n" _ASM_EXTABLE(1b, 2b)
			     : "+r"(v) : "r"(&m2p[mfn]) : "memory");
	return v;
}

pfn_t xen_mfn_to_pfn(mfn_t mfn)
{
	u64 pfn;

	if (xen_mmu_init() || mfn_x(mfn) > m2p_max)
		return INVALID_PFN;
	pfn = read_m2p(mfn_x(mfn));
	/* Someone else's frame: the m2p says any pfn, our p2m disagrees. */
	if (pfn >= xen_start_info->nr_pages || xen_p2m[pfn] != mfn_x(mfn))
		return INVALID_PFN;
	return _pfn(pfn);
}

unsigned long xen_bootstrap_end_pfn(void)
{
	if (xen_mmu_init())
		return 0;
	return (region_end - region_start) >> PAGE_SHIFT;
}

void xen_direct_map_done(void)
{
	WRITE_ONCE(direct_map_ready, true);
}

/* Whether pfn can be read at pfn_to_virt(pfn) already. */
static bool pfn_mapped(pfn_t pfn)
{
	if (pfn_eq(pfn, INVALID_PFN))
		return false;
	if (READ_ONCE(direct_map_ready))
		return pfn_x(pfn) < xen_start_info->nr_pages;
	return region_start + (pfn_x(pfn) << PAGE_SHIFT) < region_end;
}

/*
 * Kmap slots are per use, not per CPU: the mapping is made with a local
 * invlpg on the CPU that uses it, and the user must not migrate meanwhile.
 */
void *xen_kmap(mfn_t mfn, bool writable)
{
	u64 prot = writable ? PAGE_KERNEL : PAGE_KERNEL_RO;
	unsigned long flags, va;
	unsigned int i;

	if (xen_mmu_init())
		return NULL;
	mmu_section_begin();
	spin_lock_irqsave(&kmap_lock, flags);
	for (i = 0; i < NR_KMAP && kmap_busy[i]; i++)
		;
	if (i < NR_KMAP)
		kmap_busy[i] = true;
	spin_unlock_irqrestore(&kmap_lock, flags);
	if (i == NR_KMAP)
		goto fail;
	va = kmap_base + i * PAGE_SIZE;
	if (!HYPERVISOR_update_va_mapping(va, mfn_pte(mfn, prot),
					  UVMF_INVLPG | UVMF_LOCAL))
		return (void *)va;
	WRITE_ONCE(kmap_busy[i], false);
fail:
	mmu_section_end();
	return NULL;
}

/* The entry a kmap slot had at start of day: its own page of the region. */
static u64 kmap_own_entry(unsigned int i)
{
	pfn_t pfn = _pfn((kmap_base - region_start) / PAGE_SIZE + i);

	return mfn_pte(pfn_to_mfn(pfn), kmap_orig_flags[i]);
}

void xen_kunmap(void *addr)
{
	unsigned long va = (unsigned long)addr & ~(PAGE_SIZE - 1UL);
	unsigned int i = (va - kmap_base) >> PAGE_SHIFT;

	if (va < kmap_base || i >= NR_KMAP || !READ_ONCE(kmap_busy[i]))
		return;
	HYPERVISOR_update_va_mapping(va, kmap_own_entry(i),
				     UVMF_INVLPG | UVMF_LOCAL);
	WRITE_ONCE(kmap_busy[i], false);
	mmu_section_end();
}

/* A table, readable: in the direct map if it is there, else kmapped. */
static const u64 *table_map(mfn_t mfn)
{
	pfn_t pfn = xen_mfn_to_pfn(mfn);

	if (pfn_mapped(pfn))
		return pfn_to_virt(pfn);
	return xen_kmap(mfn, false);
}

/* Only a kmap slot needs giving back; xen_kunmap() ignores the rest. */
static void table_unmap(const u64 *t)
{
	xen_kunmap((void *)t);
}

static u64 read_entry(mfn_t table, unsigned int idx)
{
	const u64 *t = table_map(table);
	u64 e;

	if (!t)
		return 0;
	e = READ_ONCE(t[idx]);
	table_unmap(t);
	return e;
}

/* The start-of-day tables, read in place, before the m2p is known. */
static u64 boot_entry(unsigned long va, int level)
{
	const u64 *t = (const u64 *)pt_start;
	int l;

	for (l = 4; l > level; l--) {
		u64 e = t[pt_index(va, l)];
		mfn_t mfn = pte_mfn(e);
		unsigned long pfn, tva;

		if (!(e & _PAGE_PRESENT))
			return 0;
		/* Start-of-day tables are pfns in the region, 1:1 mapped. */
		for (pfn = (pt_start - region_start) >> PAGE_SHIFT;
		     pfn < (pt_end - region_start) >> PAGE_SHIFT; pfn++)
			if (xen_p2m[pfn] == mfn_x(mfn))
				break;
		tva = region_start + (pfn << PAGE_SHIFT);
		if (tva >= pt_end)
			return 0;
		t = (const u64 *)tva;
	}
	return t[pt_index(va, level)];
}

/* Runs once, on the boot CPU, before any other CPU is up. */
int xen_mmu_init(void)
{
	const struct start_info *si = xen_start_info;
	struct xen_machphys_mapping map;
	unsigned int i;
	int rc;

	if (READ_ONCE(mmu_ready))
		return 0;
	rc = HYPERVISOR_memory_op(XENMEM_machphys_mapping, &map);
	if (rc)
		return rc;
	m2p = (const u64 *)map.v_start;
	m2p_max = min(map.max_mfn, (map.v_end - map.v_start) / 8 - 1);
	region_start = KERNEL_VIRT_BASE;
	pt_start = si->pt_base;
	pt_end = pt_start + si->nr_pt_frames * PAGE_SIZE;
	/* Start of day: tables, a stack page, 512 KiB, up to 4 MiB. */
	region_end = ALIGN(pt_end + PAGE_SIZE + (512UL << 10), 4UL << 20);
	kmap_base = region_end - NR_KMAP * PAGE_SIZE;
	for (i = 0; i < NR_KMAP; i++) {
		u64 e = boot_entry(kmap_base + i * PAGE_SIZE, 1);

		if (!(e & _PAGE_PRESENT))
			return -ENOENT;
		kmap_orig_flags[i] = e & ~PTE_MFN_MASK;
	}
	xen_kernel_pgd.l4 = _pfn((pt_start - region_start) >> PAGE_SHIFT);
	WRITE_ONCE(mmu_ready, true);
	return 0;
}

int xen_mmu_resume(void)
{
	struct xen_machphys_mapping map;
	int rc = HYPERVISOR_memory_op(XENMEM_machphys_mapping, &map);

	if (rc)
		return rc;
	m2p = (const u64 *)map.v_start;
	m2p_max = min(map.max_mfn, (map.v_end - map.v_start) / 8 - 1);
	return 0;
}

mfn_t xen_pgd_l4_mfn(const struct xen_pgd *pgd)
{
	return pfn_to_mfn(pgd->l4);
}

/* ---- the direct map entry of a page ---- */

static int set_direct_prot(pfn_t pfn, u64 prot, unsigned long flush)
{
	int rc;

	if (!pfn_mapped(pfn))
		return 0;
	mmu_section_begin();
	rc = HYPERVISOR_update_va_mapping((unsigned long)pfn_to_virt(pfn),
					  mfn_pte(pfn_to_mfn(pfn), prot),
					  UVMF_INVLPG | flush);
	mmu_section_end();
	return rc;
}

/*
 * Read-only: a local flush is enough, since Xen itself flushes every CPU
 * that may still hold a writable entry before the page can become a table.
 */
int xen_make_page_readonly(pfn_t pfn)
{
	return set_direct_prot(pfn, PAGE_KERNEL_RO, UVMF_LOCAL);
}

/*
 * Writable: every CPU, or one still holding the read-only entry would
 * take a spurious fault when the page, reused, is written there.
 */
int xen_make_page_writable(pfn_t pfn)
{
	return set_direct_prot(pfn, PAGE_KERNEL, UVMF_ALL);
}

/* ---- batches ---- */

/*
 * "mmu_race_delay_us=N": a test knob that spins N us inside every batch,
 * between building it and issuing it, with events enabled - the window in
 * which a CPU parked by IPI (CONFIG_SUSPEND_SAFE_PARKING=n) holds machine
 * frames, made wide on purpose for the caught-race runs.  0 (off) unless
 * given; it changes nothing else.
 */
static unsigned int race_delay_us;

static int race_delay_setup(const char *val)
{
	return val ? kstrtouint_range(val, 0, 100000, &race_delay_us) : -EINVAL;
}
__setup("mmu_race_delay_us", race_delay_setup);

static void race_window(void)
{
	if (unlikely(race_delay_us))
		udelay(race_delay_us);
}

static int flush_batch(struct mmu_batch *b)
{
	unsigned int done = 0, n = b->n;
	int rc;

	if (!n)
		return 0;
	b->n = 0;
	race_window();
	rc = HYPERVISOR_mmu_update(b->req, n, &done, DOMID_SELF);
	if (rc)
		printk("xen mmu: update %u of %u refused: %d\n", done, n, rc);
	return rc;
}

static int queue_update(struct mmu_batch *b, mfn_t table, unsigned int idx,
			u64 val)
{
	if (b->n == BATCH) {
		int rc = flush_batch(b);

		if (rc)
			return rc;
	}
	b->req[b->n].ptr = mfn_to_maddr(table) + idx * sizeof(u64) +
			   MMU_NORMAL_PT_UPDATE;
	b->req[b->n].val = val;
	b->n++;
	return 0;
}

/*
 * A zeroed page fit to become a table: its only mapping, if any, is the
 * direct map's, now read-only.  Zeroed by hand while it is still
 * writable, or by the hypervisor if it is not mapped yet (start of day).
 */
static int new_table(mfn_t *out)
{
	struct mmuext_op op = { .cmd = MMUEXT_CLEAR_PAGE };
	pfn_t pfn = alloc_pfns(0);
	int rc;

	if (pfn_eq(pfn, INVALID_PFN))
		return -ENOMEM;
	*out = pfn_to_mfn(pfn);
	if (pfn_mapped(pfn)) {
		memset(pfn_to_virt(pfn), 0, PAGE_SIZE);
		rc = xen_make_page_readonly(pfn);
	} else {
		op.arg1.mfn = mfn_x(*out);
		rc = HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
	}
	if (rc)
		free_pfns(pfn, 0);
	return rc;
}

/* Gives back a table page nothing references any more. */
static void free_table(mfn_t mfn)
{
	pfn_t pfn = xen_mfn_to_pfn(mfn);

	if (pfn_eq(pfn, INVALID_PFN) || xen_make_page_writable(pfn)) {
		printk("xen mmu: table %#lx still in use, not freed\n",
		       (unsigned long)mfn_x(mfn));
		return;
	}
	free_pfns(pfn, 0);
}

/* Hooks a new table at entry idx of table unless another CPU just did. */
static int hook_table(mfn_t table, unsigned int idx, mfn_t *next)
{
	struct mmu_update req;
	unsigned long flags;
	mfn_t fresh;
	u64 e;
	int rc;

	rc = new_table(&fresh);
	if (rc)
		return rc;
	spin_lock_irqsave(&pt_lock, flags);
	e = read_entry(table, idx);
	if (!(e & _PAGE_PRESENT)) {
		req.ptr = mfn_to_maddr(table) + idx * sizeof(u64) +
			  MMU_NORMAL_PT_UPDATE;
		req.val = mfn_pte(fresh, PT_TABLE);
		rc = HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF);
	}
	spin_unlock_irqrestore(&pt_lock, flags);
	if (rc || (e & _PAGE_PRESENT))
		free_table(fresh);
	*next = (e & _PAGE_PRESENT) ? pte_mfn(e) : fresh;
	return rc;
}

/*
 * The L1 that maps va in pgd.  With create, missing tables are made and
 * hooked on the way down.  -ENOENT when a table is missing and create is
 * false.
 */
static int find_l1(struct xen_pgd *pgd, unsigned long va, bool create,
		   mfn_t *l1)
{
	mfn_t table = xen_pgd_l4_mfn(pgd);
	int level, rc;

	for (level = 4; level > 1; level--) {
		unsigned int idx = pt_index(va, level);
		u64 e = read_entry(table, idx);

		if (e & _PAGE_PRESENT) {
			table = pte_mfn(e);
			continue;
		}
		if (!create)
			return -ENOENT;
		rc = hook_table(table, idx, &table);
		if (rc)
			return rc;
	}
	*l1 = table;
	return 0;
}

int xen_map_pages(struct xen_pgd *pgd, unsigned long va, const mfn_t *mfns,
		  unsigned int n, u64 prot)
{
	struct mmu_batch b;
	unsigned int i = 0;
	int rc = xen_mmu_init();

	mmu_section_begin();
	b.n = 0;
	while (!rc && i < n) {
		mfn_t l1;

		rc = find_l1(pgd, va, true, &l1);
		do {
			if (!rc)
				rc = queue_update(&b, l1, pt_index(va, 1),
						  mfn_pte(mfns[i], prot));
			i++;
			va += PAGE_SIZE;
		} while (!rc && i < n && pt_index(va, 1));
	}
	if (!rc)
		rc = flush_batch(&b);
	mmu_section_end();
	return rc;
}

/* The frames in chunks on the stack: they must not outlive the section. */
int xen_map_pfns(struct xen_pgd *pgd, unsigned long va, const pfn_t *pfns,
		 unsigned int n, u64 prot)
{
	mfn_t mfns[BATCH];
	int rc = 0;

	while (!rc && n) {
		unsigned int k = min(n, (unsigned int)BATCH), i;

		mmu_section_begin();
		for (i = 0; i < k; i++)
			mfns[i] = pfn_to_mfn(pfns[i]);
		rc = xen_map_pages(pgd, va, mfns, k, prot);
		mmu_section_end();
		pfns += k;
		n -= k;
		va += k * PAGE_SIZE;
	}
	return rc;
}

int xen_populate_tables(struct xen_pgd *pgd, unsigned long va,
			unsigned long end)
{
	int rc = xen_mmu_init();
	mfn_t l1;

	for (va &= ~((PAGE_SIZE << 9) - 1); !rc && va < end;
	     va += PAGE_SIZE << 9) {
		mmu_section_begin();
		rc = find_l1(pgd, va, true, &l1);
		mmu_section_end();
	}
	return rc;
}

static void flush_op(struct mmuext_op *op, unsigned int flush)
{
	memset(op, 0, sizeof(*op));
	op->cmd = flush == XEN_FLUSH_ALL ? MMUEXT_TLB_FLUSH_ALL :
					   MMUEXT_TLB_FLUSH_LOCAL;
}

int xen_unmap_pages(struct xen_pgd *pgd, unsigned long va, unsigned int n,
		    unsigned int flush)
{
	struct multicall_entry mc[2];
	struct mmuext_op fl;
	struct mmu_batch b;
	unsigned int done = 0, i;
	int rc = xen_mmu_init();

	mmu_section_begin();
	b.n = 0;
	for (i = 0; !rc && i < n; i++, va += PAGE_SIZE) {
		mfn_t l1;

		if (find_l1(pgd, va, false, &l1))
			continue;
		rc = queue_update(&b, l1, pt_index(va, 1), 0);
	}
	if (rc)
		goto out;
	/* The last batch and the flush in one trap. */
	flush_op(&fl, flush);
	memset(mc, 0, sizeof(mc));
	mc[0].op = __HYPERVISOR_mmu_update;
	mc[0].args[0] = (unsigned long)b.req;
	mc[0].args[1] = b.n;
	mc[0].args[2] = (unsigned long)&done;
	mc[0].args[3] = DOMID_SELF;
	mc[1].op = __HYPERVISOR_mmuext_op;
	mc[1].args[0] = (unsigned long)&fl;
	mc[1].args[1] = 1;
	mc[1].args[3] = DOMID_SELF;
	race_window();
	rc = HYPERVISOR_multicall(mc, 2);
	if (!rc)
		rc = (long)mc[0].result ?: (long)mc[1].result;
out:
	mmu_section_end();
	return rc;
}

int xen_remap_page(unsigned long va, mfn_t mfn, u64 prot, unsigned int flush)
{
	unsigned long f = UVMF_INVLPG |
			  (flush == XEN_FLUSH_ALL ? UVMF_ALL : UVMF_LOCAL);
	int rc;

	mmu_section_begin();
	rc = HYPERVISOR_update_va_mapping(va, mfn_valid_raw(mfn) ?
					  mfn_pte(mfn, prot) : 0, f);
	mmu_section_end();
	return rc;
}

u64 xen_lookup_pte(struct xen_pgd *pgd, unsigned long va)
{
	mfn_t l1;
	u64 e = 0;

	if (xen_mmu_init())
		return 0;
	mmu_section_begin();
	if (!find_l1(pgd, va, false, &l1))
		e = read_entry(l1, pt_index(va, 1));
	mmu_section_end();
	return e;
}

pfn_t xen_lookup_pfn(struct xen_pgd *pgd, unsigned long va)
{
	pfn_t pfn = INVALID_PFN;
	u64 e;

	mmu_section_begin();
	e = xen_lookup_pte(pgd, va);
	if (e & _PAGE_PRESENT)
		pfn = xen_mfn_to_pfn(pte_mfn(e));
	mmu_section_end();
	return pfn;
}

/* ---- address spaces ---- */

static int mmuext1(unsigned int cmd, mfn_t mfn)
{
	struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn_x(mfn) };

	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

int xen_pgd_create(struct xen_pgd *pgd, const struct xen_pgd *from)
{
	const u64 *src;
	u64 *dst;
	unsigned int i;
	int rc;

	mfn_t l4;
	unsigned int slot;

	unsigned long flags;

	rc = xen_mmu_init();
	if (rc)
		return rc;
	spin_lock_irqsave(&pt_lock, flags);
	for (slot = 0; slot < MAX_PGDS && live_pgds[slot]; slot++)
		;
	if (slot < MAX_PGDS)
		live_pgds[slot] = pgd;	/* claimed; audited once pinned */
	spin_unlock_irqrestore(&pt_lock, flags);
	if (slot == MAX_PGDS)
		return -ENOSPC;
	pgd->l4 = INVALID_PFN;
	mmu_section_begin();
	rc = new_table(&l4);
	if (rc) {
		live_pgds[slot] = NULL;
		mmu_section_end();
		return rc;
	}
	src = table_map(xen_pgd_l4_mfn(from));
	dst = xen_kmap(l4, true);
	if (src && dst)
		for (i = 0; i < 512; i++)
			if (i < XEN_FIRST_SLOT || i > XEN_LAST_SLOT)
				dst[i] = src[i];
	if (dst)
		xen_kunmap(dst);
	if (src)
		table_unmap(src);
	rc = src && dst ? mmuext1(MMUEXT_PIN_L4_TABLE, l4) : -ENOMEM;
	if (rc) {
		free_table(l4);
		live_pgds[slot] = NULL;
	} else {
		pgd->l4 = xen_mfn_to_pfn(l4);
	}
	mmu_section_end();
	return rc;
}

/* Frees the tables under entry e of a level-`level` table, then e's own. */
static void free_subtree(u64 e, int level)
{
	mfn_t table = pte_mfn(e);
	unsigned int i;

	if (level > 1)
		for (i = 0; i < 512; i++) {
			u64 sub = read_entry(table, i);

			if (sub & _PAGE_PRESENT)
				free_subtree(sub, level - 1);
		}
	free_table(table);
}

/*
 * After the unpin the hypervisor no longer holds the tables as such, so
 * each one this address space made for itself (a slot the kernel's L4 did
 * not share with it) can be made writable again and freed.
 */
int xen_pgd_destroy(struct xen_pgd *pgd)
{
	unsigned int i;
	mfn_t l4, kl4;
	int rc;

	if (pfn_eq(pgd->l4, INVALID_PFN) || pfn_eq(pgd->l4, xen_kernel_pgd.l4))
		return -EINVAL;
	mmu_section_begin();
	l4 = xen_pgd_l4_mfn(pgd);
	kl4 = xen_pgd_l4_mfn(&xen_kernel_pgd);
	rc = mmuext1(MMUEXT_UNPIN_TABLE, l4);
	if (rc)
		goto out;
	for (i = 0; i < MAX_PGDS; i++)
		if (live_pgds[i] == pgd)
			live_pgds[i] = NULL;
	for (i = 0; i < XEN_FIRST_SLOT; i++) {
		u64 e = read_entry(l4, i);

		if ((e & _PAGE_PRESENT) && e != read_entry(kl4, i))
			free_subtree(e, 3);
	}
	free_table(l4);
	pgd->l4 = INVALID_PFN;
out:
	mmu_section_end();
	return rc;
}

int xen_pgd_switch(const struct xen_pgd *pgd)
{
	int rc;

	mmu_section_begin();
	rc = mmuext1(MMUEXT_NEW_BASEPTR, xen_pgd_l4_mfn(pgd));
	mmu_section_end();
	return rc;
}

/* ---- the suspend audit ---- */

struct audit {
	void (*bad)(int level, unsigned long va, u64 e);
	unsigned long bad_count, entries;
};

/* Is e's frame one of ours, by the m2p and our p2m together? */
static bool own_frame(u64 e)
{
	return !pfn_eq(xen_mfn_to_pfn(pte_mfn(e)), INVALID_PFN);
}

static void audit_table(struct audit *a, mfn_t table, int level,
			unsigned long base)
{
	const u64 *t = table_map(table);
	unsigned int i;

	if (!t) {
		a->bad_count++;
		a->bad(level, base, mfn_pte(table, 0));
		return;
	}
	for (i = 0; i < 512; i++) {
		unsigned long va = base + ((unsigned long)i <<
					   (PAGE_SHIFT + 9 * (level - 1)));
		u64 e = READ_ONCE(t[i]);

		if (level == 4 && i >= XEN_FIRST_SLOT && i <= XEN_LAST_SLOT)
			continue;
		if (!(e & _PAGE_PRESENT))
			continue;
		/* Canonical form: the upper half sign-extends. */
		if (level == 4 && i >= 256)
			va |= 0xffff000000000000UL;
		a->entries++;
		if (!own_frame(e)) {
			a->bad_count++;
			a->bad(level, va, e);
			continue;
		}
		if (level > 1)
			audit_table(a, pte_mfn(e), level - 1, va);
	}
	table_unmap(t);
}

unsigned long xen_mmu_audit(void (*bad)(int level, unsigned long va, u64 e),
			    unsigned long *entries)
{
	struct audit a = { .bad = bad };
	unsigned int i;

	mmu_section_begin();
	audit_table(&a, xen_pgd_l4_mfn(&xen_kernel_pgd), 4, 0);
	for (i = 0; i < MAX_PGDS; i++)
		if (live_pgds[i] && !pfn_eq(live_pgds[i]->l4, INVALID_PFN))
			audit_table(&a, xen_pgd_l4_mfn(live_pgds[i]), 4, 0);
	mmu_section_end();
	if (entries)
		*entries = a.entries;
	return a.bad_count;
}
