/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

/*
 * Pages of pseudo-physical memory.  Every pfn the domain owns is mapped
 * in the direct map at KERNEL_VIRT_BASE + pfn * PAGE_SIZE (asm/layout.h),
 * so a page's kernel address and its pfn convert by arithmetic.  The page
 * allocator (mm/page_alloc.c) hands out blocks of 2^order pages; it never
 * sleeps, so it may be called with events masked or a spinlock held.
 */
#include <linux/types.h>
#include <asm/layout.h>
#include <xen/frame.h>

#define MAX_ORDER	10	/* the largest block: 2^10 pages, 4 MiB */

static inline void *pfn_to_virt(pfn_t pfn)
{
	return (void *)(KERNEL_VIRT_BASE + (pfn_x(pfn) << PAGE_SHIFT));
}

static inline pfn_t virt_to_pfn(const void *va)
{
	return _pfn(((unsigned long)va - KERNEL_VIRT_BASE) >> PAGE_SHIFT);
}

/* Is va in the direct map (not a stack or other vmapped address)? */
static inline bool virt_in_direct_map(const void *va)
{
	unsigned long a = (unsigned long)va;

	return a >= KERNEL_VIRT_BASE && a < KERNEL_VIRT_BASE + DIRECT_MAP_SIZE;
}

/*
 * 2^order contiguous pfns, aligned to their size; INVALID_PFN when no
 * block that large is free.  Before page_alloc_init() only order 0 works,
 * from the boot pool (see page_alloc_boot_pool()).
 */
pfn_t alloc_pfns(unsigned int order);
/*
 * Gives back a block from alloc_pfns().  A pfn that is not the start of
 * an allocated block of exactly that order is refused with a message and
 * nothing changes; returns 0 or -EINVAL.
 */
int free_pfns(pfn_t pfn, unsigned int order);

/* The same, by kernel address; 0 / NULL on failure. */
unsigned long __get_free_pages(unsigned int order);
unsigned long get_zeroed_page(void);
int free_pages(unsigned long addr, unsigned int order);
#define __get_free_page()	__get_free_pages(0)
#define free_page(addr)		free_pages((addr), 0)

/* The order of the allocated block starting at pfn, or -EINVAL. */
int pfn_block_order(pfn_t pfn);

/*
 * Start of day.  Until the direct map exists, page-table pages come one at
 * a time from the top of [lo, hi) (page_alloc_boot_pool); page_alloc_init()
 * then hands every pfn of [lo, hi) that the pool did not use to the buddy
 * lists, after taking its own bookkeeping from the bottom of the range.
 */
void page_alloc_boot_pool(pfn_t lo, pfn_t hi);
/* The lowest pfn the boot pool has handed out (hi if none). */
pfn_t page_alloc_boot_low(void);
void page_alloc_init(void);

struct page_alloc_stats {
	unsigned long managed;		/* pfns the buddy lists cover */
	unsigned long free;		/* of them, free now */
	unsigned long free_blocks[MAX_ORDER + 1];
	unsigned long bad_frees;	/* refused free_pfns() calls */
};
void page_alloc_get_stats(struct page_alloc_stats *st);
unsigned long nr_free_pages(void);

#endif
