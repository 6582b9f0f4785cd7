// SPDX-License-Identifier: MIT
/*
 * Memory: the direct map covers every pfn with the p2m's frame, read-only
 * exactly where the page is a table; the page allocator hands out aligned
 * blocks of every order, merges them back so that freeing everything
 * restores its free lists exactly, runs dry cleanly, refuses bad frees
 * without changing anything, and survives every CPU allocating at once;
 * kernel stacks sit above an unmapped guard page.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/selftest.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/layout.h>
#include <asm/traps.h>
#include <asm/xen/mmu.h>
#include <xen/xen.h>

#define PER_CPU_ROUNDS	400

/* Every pfn maps its own frame; a sample of tables is read-only. */
static void direct_map(void)
{
	unsigned long nr = xen_start_info->nr_pages, pfn, wrong = 0;
	pfn_t l4 = xen_kernel_pgd.l4;
	u64 e;

	for (pfn = 0; pfn < nr; pfn++) {
		mfn_t want = pfn_to_mfn(_pfn(pfn));

		/* The one exception: shared_info is mapped over an image page. */
		if (pfn_eq(_pfn(pfn), virt_to_pfn(HYPERVISOR_shared_info)))
			want = maddr_to_mfn(xen_start_info->shared_info);
		e = xen_lookup_pte(&xen_kernel_pgd,
				   (unsigned long)pfn_to_virt(_pfn(pfn)));
		if (!(e & _PAGE_PRESENT) || !mfn_eq(pte_mfn(e), want))
			wrong++;
	}
	if (wrong)
		printk("  %lu of %lu pfns wrong in the direct map\n", wrong, nr);
	ST_CHECK(wrong == 0);
	/* The kernel's L4, and the top pfn: the boot pool's first table. */
	e = xen_lookup_pte(&xen_kernel_pgd, (unsigned long)pfn_to_virt(l4));
	ST_CHECK((e & _PAGE_PRESENT) && !(e & _PAGE_RW));
	e = xen_lookup_pte(&xen_kernel_pgd,
			   (unsigned long)pfn_to_virt(_pfn(nr - 1)));
	ST_CHECK((e & _PAGE_PRESENT) && !(e & _PAGE_RW));
}

static void orders(void)
{
	struct page_alloc_stats before, after;
	unsigned int o;

	page_alloc_get_stats(&before);
	for (o = 0; o <= 8; o++) {
		pfn_t pfn = alloc_pfns(o);
		u64 *p;

		if (!ST_CHECK(!pfn_eq(pfn, INVALID_PFN)))
			continue;
		ST_CHECK(!(pfn_x(pfn) & ((1UL << o) - 1)));
		ST_CHECK(pfn_block_order(pfn) == (int)o);
		p = pfn_to_virt(pfn);
		p[0] = o;
		p[(PAGE_SIZE << o) / 8 - 1] = ~(u64)o;
		ST_CHECK(p[0] == o && p[(PAGE_SIZE << o) / 8 - 1] == ~(u64)o);
		ST_CHECK(free_pfns(pfn, o) == 0);
	}
	ST_CHECK(alloc_pfns(MAX_ORDER + 1).pfn == INVALID_PFN_RAW);
	page_alloc_get_stats(&after);
	ST_CHECK(!memcmp(&before, &after, sizeof(before)));
}

/*
 * Takes every free page, chained through the pages themselves, sees the
 * allocator and kmalloc run dry, then gives all back: the free lists
 * must come back block for block, which only happens if every buddy
 * merged again.
 */
static void exhaust(void)
{
	struct page_alloc_stats before, after;
	unsigned long taken = 0;
	pfn_t head = INVALID_PFN, pfn;

	page_alloc_get_stats(&before);
	for (;;) {
		pfn = alloc_pfns(0);
		if (pfn_eq(pfn, INVALID_PFN))
			break;
		*(pfn_t *)pfn_to_virt(pfn) = head;
		head = pfn;
		taken++;
	}
	ST_CHECK(taken == before.free);
	ST_CHECK(nr_free_pages() == 0);
	ST_CHECK(__get_free_pages(0) == 0);
	ST_CHECK(kmalloc(8192) == NULL);
	while (!pfn_eq(head, INVALID_PFN)) {
		pfn = *(pfn_t *)pfn_to_virt(head);
		ST_CHECK(free_pfns(head, 0) == 0);
		head = pfn;
	}
	page_alloc_get_stats(&after);
	ST_CHECK(!memcmp(&before, &after, sizeof(before)));
}

/* Each bad free is refused, counted, and changes nothing else. */
static void bad_frees(void)
{
	struct page_alloc_stats before, after;
	pfn_t pfn = alloc_pfns(1);

	ST_CHECK(!pfn_eq(pfn, INVALID_PFN));
	page_alloc_get_stats(&before);
	printk("  six refused frees follow, on purpose\n");
	ST_CHECK(free_pfns(pfn, 0) == -EINVAL);		/* wrong order */
	ST_CHECK(free_pfns(pfn_add(pfn, 1), 0) == -EINVAL);	/* inside */
	ST_CHECK(free_pfns(_pfn(0), 0) == -EINVAL);	/* bootstrap */
	ST_CHECK(free_pfns(_pfn(xen_start_info->nr_pages + 5), 0) == -EINVAL);
	ST_CHECK(free_pages((unsigned long)&before, 0) == -EINVAL);
	ST_CHECK(free_pfns(pfn, 1) == 0);
	ST_CHECK(free_pfns(pfn, 1) == -EINVAL);		/* second free */
	page_alloc_get_stats(&after);
	ST_CHECK(after.bad_frees == before.bad_frees + 6);
	ST_CHECK(after.free == before.free + 2);
}

/* Every CPU allocates, fills, checks and frees blocks at once. */
static int churn(unsigned int cpu, void *arg)
{
	pfn_t held[8];
	unsigned int r, i, bad = 0;

	for (r = 0; r < PER_CPU_ROUNDS; r++) {
		for (i = 0; i < ARRAY_SIZE(held); i++) {
			unsigned int o = (r + i + cpu) % 4;

			held[i] = alloc_pfns(o);
			if (!pfn_eq(held[i], INVALID_PFN))
				memset(pfn_to_virt(held[i]), cpu * 16 + i,
				       PAGE_SIZE << o);
		}
		for (i = 0; i < ARRAY_SIZE(held); i++) {
			unsigned int o = (r + i + cpu) % 4;
			const u8 *p = pfn_to_virt(held[i]);

			if (pfn_eq(held[i], INVALID_PFN)) {
				bad++;
				continue;
			}
			if (p[0] != cpu * 16 + i ||
			    p[(PAGE_SIZE << o) - 1] != cpu * 16 + i)
				bad++;
			if (free_pfns(held[i], o))
				bad++;
		}
	}
	ST_CHECK(bad == 0);
	return bad != 0;
}

/* A kthread's stack: vmapped, a guard page just below it. */
static int stack_guard(unsigned int cpu, void *arg)
{
	unsigned long lo = (unsigned long)current->stack;

	ST_CHECK(lo >= VMAP_BASE && lo < VMAP_BASE + VMAP_SIZE);
	ST_CHECK(vmalloc_is_guard(lo - 8));
	ST_CHECK(!vmalloc_is_guard(lo));
	ST_CHECK(xen_lookup_pte(&xen_kernel_pgd, lo - PAGE_SIZE) == 0);
	ST_CHECK(selftest_read_faults(lo - 8));
	return 0;
}

static void stacks(void)
{
	unsigned long free_before = nr_free_pages();
	unsigned int in_use = vmalloc_stacks_in_use();
	void *s = vmalloc_stack();

	ST_CHECK(s != NULL);
	ST_CHECK(vmalloc_stacks_in_use() == in_use + 1);
	memset(s, 0x5a, THREAD_SIZE);
	ST_CHECK(((u8 *)s)[THREAD_SIZE - 1] == 0x5a);
	ST_CHECK(vfree_stack(s) == 0);
	printk("  a refused vfree_stack follows, on purpose\n");
	ST_CHECK(vfree_stack(s) == -EINVAL);
	ST_CHECK(vmalloc_stacks_in_use() == in_use);
	ST_CHECK(selftest_read_faults((unsigned long)s));
	ST_CHECK(nr_free_pages() == free_before);
	ST_CHECK(selftest_on_each_cpu(stack_guard, NULL) == 0);
}

/* Free pages plus kmalloc's slabs: constant unless something leaked. */
static unsigned long free_or_slab(void)
{
	struct kmalloc_stats ks;

	kmalloc_get_stats(&ks);
	return nr_free_pages() + ks.pages;
}

static enum selftest_result test_mm_run(void)
{
	unsigned long before = free_or_slab();

	direct_map();
	orders();
	exhaust();
	bad_frees();
	ST_CHECK(selftest_on_each_cpu(churn, NULL) == 0);
	stacks();
	ST_CHECK(free_or_slab() == before);
	return selftest_status();
}
DEFINE_SELFTEST(mm, test_mm_run);
