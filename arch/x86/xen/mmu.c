// SPDX-License-Identifier: MIT
/*
 * The PV MMU client: building and tearing down mappings, pinning address
 * spaces and switching between them, all by hypercall, since a PV guest's
 * pagetables are read-only to it (Documentation/pv-mmu.rst).
 *
 * Reading a table needs a mapping of it.  The start-of-day tables are in
 * the start-of-day region, mapped read-only at their pfn's address; any
 * other table is mapped for the moment through a "kmap" slot, one of a few
 * pages at the end of that region whose own mappings we borrow and give
 * back.  Machine frames are turned back into pfns through the read-only
 * m2p, found where XENMEM_machphys_mapping says: Xen puts it in its own
 * upper-half slots, the host hypervisor at the top of its guest window.
 *
 * Pages for new tables come from a bump allocator over the pfns above the
 * start-of-day region, top of memory first.  It never frees; it is a
 * stand-in until mm/ has a page allocator.  Callers serialize: this is a
 * single-CPU client for now.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <asm/layout.h>
#include <asm/traps.h>
#include <asm/xen/mmu.h>
#include <xen/xen.h>

#define PT_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
			 _PAGE_ACCESSED | _PAGE_DIRTY)
#define NR_KMAP		8
#define BATCH		64
/* Xen keeps these L4 slots for itself in every guest's L4. */
#define XEN_FIRST_SLOT	256
#define XEN_LAST_SLOT	271

struct xen_pgd xen_kernel_pgd;

static bool mmu_ready;
static const u64 *m2p;
static unsigned long m2p_max;
static unsigned long region_start, region_end, pt_start, pt_end;
static unsigned long next_pfn, pfn_floor;
static unsigned long kmap_base;
static u64 kmap_orig[NR_KMAP];
static bool kmap_busy[NR_KMAP];

static struct mmu_update batch[BATCH];
static unsigned int nr_batch;

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

pfn_t xen_alloc_pfn(void)
{
	if (xen_mmu_init() || next_pfn <= pfn_floor)
		return INVALID_PFN;
	return _pfn(--next_pfn);
}

void *xen_kmap(mfn_t mfn, bool writable)
{
	u64 prot = _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_NX |
		   (writable ? _PAGE_RW | _PAGE_DIRTY : 0);
	unsigned int i;

	if (xen_mmu_init())
		return NULL;
	for (i = 0; i < NR_KMAP; i++) {
		unsigned long va = kmap_base + i * PAGE_SIZE;

		if (kmap_busy[i])
			continue;
		if (HYPERVISOR_update_va_mapping(va, mfn_pte(mfn, prot),
						 UVMF_INVLPG | UVMF_LOCAL))
			return NULL;
		kmap_busy[i] = true;
		return (void *)va;
	}
	return NULL;
}

void xen_kunmap(void *addr)
{
	unsigned long va = (unsigned long)addr & ~(PAGE_SIZE - 1UL);
	unsigned int i = (va - kmap_base) >> PAGE_SHIFT;

	if (va < kmap_base || i >= NR_KMAP || !kmap_busy[i])
		return;
	HYPERVISOR_update_va_mapping(va, kmap_orig[i], UVMF_INVLPG | UVMF_LOCAL);
	kmap_busy[i] = false;
}

/* A table, readable: in place if it is a start-of-day one, else kmapped. */
static const u64 *table_map(mfn_t mfn)
{
	pfn_t pfn = xen_mfn_to_pfn(mfn);
	unsigned long va = region_start + (pfn_x(pfn) << PAGE_SHIFT);

	if (!pfn_eq(pfn, INVALID_PFN) && va >= pt_start && va < pt_end)
		return (const u64 *)va;
	return xen_kmap(mfn, false);
}

static void table_unmap(const u64 *t)
{
	xen_kunmap((void *)t);
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

int xen_mmu_init(void)
{
	const struct start_info *si = xen_start_info;
	struct xen_machphys_mapping map;
	unsigned int i;
	int rc;

	if (mmu_ready)
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
	pfn_floor = (region_end - region_start) >> PAGE_SHIFT;
	next_pfn = si->nr_pages;
	kmap_base = region_end - NR_KMAP * PAGE_SIZE;
	for (i = 0; i < NR_KMAP; i++) {
		kmap_orig[i] = boot_entry(kmap_base + i * PAGE_SIZE, 1);
		if (!(kmap_orig[i] & _PAGE_PRESENT))
			return -ENOENT;
	}
	xen_kernel_pgd.l4 = _mfn(xen_p2m[(pt_start - region_start) >> PAGE_SHIFT]);
	mmu_ready = true;
	return 0;
}

/* ---- batches ---- */

static int flush_batch(void)
{
	unsigned int done = 0, n = nr_batch;
	int rc;

	if (!n)
		return 0;
	nr_batch = 0;
	rc = HYPERVISOR_mmu_update(batch, n, &done, DOMID_SELF);
	if (rc)
		printk("xen mmu: update %u of %u refused: %d\n", done, n, rc);
	return rc;
}

static int queue_update(mfn_t table, unsigned int idx, u64 val)
{
	if (nr_batch == BATCH) {
		int rc = flush_batch();

		if (rc)
			return rc;
	}
	batch[nr_batch].ptr = mfn_to_maddr(table) + idx * sizeof(u64) +
			      MMU_NORMAL_PT_UPDATE;
	batch[nr_batch].val = val;
	nr_batch++;
	return 0;
}

/* A zeroed frame for a new table, cleared by the hypervisor. */
static int new_table(mfn_t *out)
{
	struct mmuext_op op = { .cmd = MMUEXT_CLEAR_PAGE };
	pfn_t pfn = xen_alloc_pfn();

	if (pfn_eq(pfn, INVALID_PFN))
		return -ENOMEM;
	*out = pfn_to_mfn(pfn);
	op.arg1.mfn = mfn_x(*out);
	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/*
 * The L1 that maps va in pgd.  With create, missing tables are made and
 * their hooks queued; the caller's updates then follow in the same batch.
 * -ENOENT when a table is missing and create is false.
 */
static int find_l1(struct xen_pgd *pgd, unsigned long va, bool create,
		   mfn_t *l1)
{
	mfn_t table = pgd->l4;
	bool fresh = false;
	int level, rc;

	for (level = 4; level > 1; level--) {
		unsigned int idx = pt_index(va, level);
		u64 e = 0;

		if (!fresh) {
			const u64 *t = table_map(table);

			if (!t)
				return -ENOMEM;
			e = t[idx];
			table_unmap(t);
		}
		if (e & _PAGE_PRESENT) {
			table = pte_mfn(e);
			continue;
		}
		if (!create)
			return -ENOENT;
		rc = new_table(l1);
		if (!rc)
			rc = queue_update(table, idx, mfn_pte(*l1, PT_TABLE));
		if (rc)
			return rc;
		table = *l1;
		fresh = true;
	}
	*l1 = table;
	return 0;
}

int xen_map_pages(struct xen_pgd *pgd, unsigned long va, const mfn_t *mfns,
		  unsigned int n, u64 prot)
{
	unsigned int i = 0;
	int rc = xen_mmu_init();

	while (!rc && i < n) {
		mfn_t l1;

		/* A walk must see the tables as they are: apply what is queued. */
		rc = flush_batch();
		if (!rc)
			rc = find_l1(pgd, va, true, &l1);
		do {
			if (!rc)
				rc = queue_update(l1, pt_index(va, 1),
						  mfn_pte(mfns[i], prot));
			i++;
			va += PAGE_SIZE;
		} while (!rc && i < n && pt_index(va, 1));
	}
	if (!rc)
		rc = flush_batch();
	nr_batch = 0;
	return rc;
}

int xen_unmap_pages(struct xen_pgd *pgd, unsigned long va, unsigned int n)
{
	struct mmuext_op flush = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };
	struct multicall_entry mc[2];
	unsigned int done = 0, i;
	int rc = xen_mmu_init();

	for (i = 0; !rc && i < n; i++, va += PAGE_SIZE) {
		mfn_t l1;

		if (find_l1(pgd, va, false, &l1))
			continue;
		rc = queue_update(l1, pt_index(va, 1), 0);
	}
	if (rc) {
		nr_batch = 0;
		return rc;
	}
	/* The last batch and the flush in one trap. */
	memset(mc, 0, sizeof(mc));
	mc[0].op = __HYPERVISOR_mmu_update;
	mc[0].args[0] = (unsigned long)batch;
	mc[0].args[1] = nr_batch;
	mc[0].args[2] = (unsigned long)&done;
	mc[0].args[3] = DOMID_SELF;
	mc[1].op = __HYPERVISOR_mmuext_op;
	mc[1].args[0] = (unsigned long)&flush;
	mc[1].args[1] = 1;
	mc[1].args[3] = DOMID_SELF;
	rc = HYPERVISOR_multicall(mc, 2);
	nr_batch = 0;
	if (!rc)
		rc = (long)mc[0].result ?: (long)mc[1].result;
	return rc;
}

u64 xen_lookup_pte(struct xen_pgd *pgd, unsigned long va)
{
	const u64 *t;
	mfn_t l1;
	u64 e;

	if (xen_mmu_init() || flush_batch() || find_l1(pgd, va, false, &l1))
		return 0;
	t = table_map(l1);
	if (!t)
		return 0;
	e = t[pt_index(va, 1)];
	table_unmap(t);
	return e;
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

	rc = new_table(&pgd->l4);
	if (rc)
		return rc;
	src = table_map(from->l4);
	dst = xen_kmap(pgd->l4, true);
	if (src && dst)
		for (i = 0; i < 512; i++)
			if (i < XEN_FIRST_SLOT || i > XEN_LAST_SLOT)
				dst[i] = src[i];
	if (dst)
		xen_kunmap(dst);
	if (src)
		table_unmap(src);
	if (!src || !dst)
		return -ENOMEM;
	return mmuext1(MMUEXT_PIN_L4_TABLE, pgd->l4);
}

int xen_pgd_destroy(struct xen_pgd *pgd)
{
	return mmuext1(MMUEXT_UNPIN_TABLE, pgd->l4);
}

int xen_pgd_switch(const struct xen_pgd *pgd)
{
	return mmuext1(MMUEXT_NEW_BASEPTR, pgd->l4);
}
