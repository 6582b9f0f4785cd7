// SPDX-License-Identifier: MIT
/*
 * The page allocator: a buddy allocator over the domain's pseudo-physical
 * frames.  Blocks are 2^order pfns aligned to their size; a free block's
 * first page holds its free-list links (through the direct map), so the
 * only other bookkeeping is one byte per pfn, saying whether the pfn heads
 * a free block, heads an allocated one, sits inside a block, or is not ours
 * to hand out.  That byte is what lets free_pfns() refuse a pointer it did
 * not give out, or a second free, without touching anything.
 *
 * Start of day is a chicken-and-egg: the direct map needs page-table pages
 * before any of the memory above the bootstrap region is mapped, and the
 * allocator needs its bookkeeping mapped.  So the architecture names a
 * range and first takes single pages from its top (the boot pool, which
 * are never mapped before they become tables); once the range is mapped it
 * calls page_alloc_init(), which puts the bookkeeping at the bottom of the
 * range and frees the rest of it, except what the pool handed out.
 *
 * One spinlock, taken with events masked: allocation is rare next to the
 * page-table updates it feeds, and short.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#define PFN_RESERVED	0xff	/* not ours to hand out */
#define PFN_INSIDE	0x00	/* inside a block, not its head */
#define PFN_FREE	0x80	/* | order: heads a free block */
#define PFN_ALLOCATED	0x40	/* | order: heads an allocated block */
#define PFN_ORDER_MASK	0x1f

static DEFINE_SPINLOCK(zone_lock);
static struct list_head free_area[MAX_ORDER + 1];
static unsigned long nr_free[MAX_ORDER + 1];
static u8 *pfn_state;
static unsigned long zone_lo, zone_hi;	/* the pfns pfn_state covers */
static unsigned long managed, bad_frees;
static bool ready;

/* The boot pool: [pool_lo, pool_hi), handed out from the top down. */
static unsigned long pool_lo, pool_hi, pool_next;

void page_alloc_boot_pool(pfn_t lo, pfn_t hi)
{
	pool_lo = pfn_x(lo);
	pool_hi = pool_next = pfn_x(hi);
}

pfn_t page_alloc_boot_low(void)
{
	return _pfn(pool_next);
}

static pfn_t boot_pool_alloc(unsigned int order)
{
	if (order || pool_next <= pool_lo)
		return INVALID_PFN;
	return _pfn(--pool_next);
}

static struct list_head *block_links(unsigned long pfn)
{
	return pfn_to_virt(_pfn(pfn));
}

static u8 *state_of(unsigned long pfn)
{
	return &pfn_state[pfn - zone_lo];
}

static bool in_zone(unsigned long pfn)
{
	return pfn >= zone_lo && pfn < zone_hi;
}

static void add_free(unsigned long pfn, unsigned int order)
{
	*state_of(pfn) = PFN_FREE | order;
	list_add(block_links(pfn), &free_area[order]);
	nr_free[order]++;
}

static void remove_free(unsigned long pfn, unsigned int order)
{
	list_del_init(block_links(pfn));
	*state_of(pfn) = PFN_INSIDE;
	nr_free[order]--;
}

/* Puts a block on the lists, merged with its buddy as far as it goes. */
static void free_block(unsigned long pfn, unsigned int order)
{
	while (order < MAX_ORDER) {
		unsigned long buddy = pfn ^ (1UL << order);

		if (!in_zone(buddy) || *state_of(buddy) != (PFN_FREE | order))
			break;
		remove_free(buddy, order);
		*state_of(pfn) = PFN_INSIDE;
		pfn = min(pfn, buddy);
		order++;
	}
	add_free(pfn, order);
}

static pfn_t buddy_alloc(unsigned int order)
{
	unsigned int o = order;
	unsigned long pfn;

	while (o <= MAX_ORDER && list_empty(&free_area[o]))
		o++;
	if (o > MAX_ORDER)
		return INVALID_PFN;
	pfn = pfn_x(virt_to_pfn(free_area[o].next));
	remove_free(pfn, o);
	/* Split: the upper halves go back, the lowest part is ours. */
	while (o > order) {
		o--;
		add_free(pfn + (1UL << o), o);
	}
	*state_of(pfn) = PFN_ALLOCATED | order;
	return _pfn(pfn);
}

pfn_t alloc_pfns(unsigned int order)
{
	unsigned long flags;
	pfn_t pfn;

	if (order > MAX_ORDER)
		return INVALID_PFN;
	spin_lock_irqsave(&zone_lock, flags);
	pfn = ready ? buddy_alloc(order) : boot_pool_alloc(order);
	spin_unlock_irqrestore(&zone_lock, flags);
	return pfn;
}

static int check_block(unsigned long pfn, unsigned int order)
{
	if (!ready || !in_zone(pfn) || order > MAX_ORDER)
		return -EINVAL;
	if (*state_of(pfn) != (PFN_ALLOCATED | order))
		return -EINVAL;
	return 0;
}

int free_pfns(pfn_t pfn, unsigned int order)
{
	unsigned long flags;
	int rc;

	spin_lock_irqsave(&zone_lock, flags);
	rc = check_block(pfn_x(pfn), order);
	if (rc)
		bad_frees++;
	else
		free_block(pfn_x(pfn), order);
	spin_unlock_irqrestore(&zone_lock, flags);
	if (rc)
		pr_err("page_alloc: free of pfn %#lx order %u refused: not an allocated block of that order\n",
		       (unsigned long)pfn_x(pfn), order);
	return rc;
}

int pfn_block_order(pfn_t pfn)
{
	unsigned long flags;
	int order = -EINVAL;
	u8 s;

	spin_lock_irqsave(&zone_lock, flags);
	if (ready && in_zone(pfn_x(pfn))) {
		s = *state_of(pfn_x(pfn));
		if ((s & ~PFN_ORDER_MASK) == PFN_ALLOCATED)
			order = s & PFN_ORDER_MASK;
	}
	spin_unlock_irqrestore(&zone_lock, flags);
	return order;
}

unsigned long __get_free_pages(unsigned int order)
{
	pfn_t pfn = alloc_pfns(order);

	if (pfn_eq(pfn, INVALID_PFN))
		return 0;
	return (unsigned long)pfn_to_virt(pfn);
}

unsigned long get_zeroed_page(void)
{
	unsigned long va = __get_free_pages(0);

	if (va)
		memset((void *)va, 0, PAGE_SIZE);
	return va;
}

int free_pages(unsigned long addr, unsigned int order)
{
	unsigned long flags;

	if (virt_in_direct_map((void *)addr) && !(addr & (PAGE_SIZE - 1)))
		return free_pfns(virt_to_pfn((void *)addr), order);
	spin_lock_irqsave(&zone_lock, flags);
	bad_frees++;
	spin_unlock_irqrestore(&zone_lock, flags);
	pr_err("page_alloc: free of %#lx refused: not the address of a page in the direct map\n",
	       addr);
	return -EINVAL;
}

/* Frees [lo, hi) as the largest aligned blocks that fit. */
static void free_range(unsigned long lo, unsigned long hi)
{
	while (lo < hi) {
		unsigned int order = MAX_ORDER;

		while (order && ((lo & ((1UL << order) - 1)) ||
				 lo + (1UL << order) > hi))
			order--;
		free_block(lo, order);
		managed += 1UL << order;
		lo += 1UL << order;
	}
}

void page_alloc_init(void)
{
	unsigned long meta, i, flags;

	for (i = 0; i <= MAX_ORDER; i++)
		INIT_LIST_HEAD(&free_area[i]);
	zone_lo = pool_lo;
	zone_hi = pool_hi;
	meta = DIV_ROUND_UP(zone_hi - zone_lo, PAGE_SIZE);
	if (zone_lo + meta >= pool_next)
		panic("page_alloc: no room for the bookkeeping of pfns %#lx-%#lx",
		      zone_lo, zone_hi);
	pfn_state = pfn_to_virt(_pfn(zone_lo));
	memset(pfn_state, PFN_RESERVED, zone_hi - zone_lo);
	spin_lock_irqsave(&zone_lock, flags);
	ready = true;
	free_range(zone_lo + meta, pool_next);
	spin_unlock_irqrestore(&zone_lock, flags);
	printk("page_alloc: %lu pages (%lu MiB) free, pfns %#lx-%#lx; %lu for bookkeeping, %lu page tables\n",
	       managed, managed >> (20 - PAGE_SHIFT), zone_lo + meta, pool_next,
	       meta, pool_hi - pool_next);
}

void page_alloc_get_stats(struct page_alloc_stats *st)
{
	unsigned long flags;
	unsigned int o;

	memset(st, 0, sizeof(*st));
	spin_lock_irqsave(&zone_lock, flags);
	st->managed = managed;
	st->bad_frees = bad_frees;
	for (o = 0; o <= MAX_ORDER; o++) {
		st->free_blocks[o] = nr_free[o];
		st->free += nr_free[o] << o;
	}
	spin_unlock_irqrestore(&zone_lock, flags);
}

unsigned long nr_free_pages(void)
{
	struct page_alloc_stats st;

	page_alloc_get_stats(&st);
	return st.free;
}
