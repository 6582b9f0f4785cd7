// SPDX-License-Identifier: MIT
/*
 * Kernel stacks with guard pages.  Each stack is THREAD_SIZE of pages from
 * the page allocator mapped a second time in the VMAP area (asm/layout.h),
 * in a slot whose lowest page is left unmapped.  A task that runs off the
 * bottom of its stack then faults at once instead of overwriting whatever
 * lies below; under Xen that fault cannot even be delivered (the bounce
 * frame would go on the same stack) and the domain is crashed, which is
 * still far better than silent corruption.  The scheduler's stack-end
 * magic stays as a second check.
 *
 * Slots are handed out from a bitmap.  Freeing unmaps with a flush on
 * every CPU, since the task may have run anywhere, before the pages go
 * back to the allocator.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <asm/layout.h>
#include <asm/xen/mmu.h>
#include <xen/xen.h>

#define STACK_PAGES	(THREAD_SIZE / PAGE_SIZE)
#define SLOT_SIZE	(THREAD_SIZE + PAGE_SIZE)
#define NR_SLOTS	4096

BUILD_BUG_ON((unsigned long)NR_SLOTS * SLOT_SIZE > VMAP_SIZE);

static unsigned long slot_map[NR_SLOTS / 64];
static unsigned int slots_used;
static DEFINE_SPINLOCK(slot_lock);

static int slot_get(void)
{
	unsigned long flags;
	int slot = -1;
	unsigned int i;

	spin_lock_irqsave(&slot_lock, flags);
	for (i = 0; i < NR_SLOTS; i++) {
		if (!(slot_map[i / 64] & (1UL << (i % 64)))) {
			slot_map[i / 64] |= 1UL << (i % 64);
			slots_used++;
			slot = i;
			break;
		}
	}
	spin_unlock_irqrestore(&slot_lock, flags);
	return slot;
}

static void slot_put(unsigned int slot)
{
	unsigned long flags;

	spin_lock_irqsave(&slot_lock, flags);
	slot_map[slot / 64] &= ~(1UL << (slot % 64));
	slots_used--;
	spin_unlock_irqrestore(&slot_lock, flags);
}

static unsigned long slot_stack(unsigned int slot)
{
	return VMAP_BASE + (unsigned long)slot * SLOT_SIZE + PAGE_SIZE;
}

static void free_stack_pages(const pfn_t *pfns, unsigned int n)
{
	while (n--)
		free_pfns(pfns[n], 0);
}

void *vmalloc_stack(void)
{
	pfn_t pfns[STACK_PAGES];
	int slot = slot_get();
	unsigned int i;

	if (slot < 0)
		return NULL;
	for (i = 0; i < STACK_PAGES; i++) {
		pfns[i] = alloc_pfns(0);
		if (pfn_eq(pfns[i], INVALID_PFN))
			goto fail;
	}
	if (!xen_map_pfns(&xen_kernel_pgd, slot_stack(slot), pfns,
			  STACK_PAGES, PAGE_KERNEL))
		return (void *)slot_stack(slot);
	xen_unmap_pages(&xen_kernel_pgd, slot_stack(slot), STACK_PAGES,
			XEN_FLUSH_ALL);
fail:
	free_stack_pages(pfns, i);
	slot_put(slot);
	return NULL;
}

int vfree_stack(void *stack)
{
	unsigned long va = (unsigned long)stack;
	unsigned long slot = (va - VMAP_BASE) / SLOT_SIZE;
	pfn_t pfns[STACK_PAGES];
	unsigned int i;

	if (va < VMAP_BASE || slot >= NR_SLOTS || va != slot_stack(slot) ||
	    !(READ_ONCE(slot_map[slot / 64]) & (1UL << (slot % 64)))) {
		pr_err("vfree_stack: %p refused: not a stack vmalloc_stack() gave out\n",
		       stack);
		return -EINVAL;
	}
	for (i = 0; i < STACK_PAGES; i++)
		pfns[i] = xen_lookup_pfn(&xen_kernel_pgd, va + i * PAGE_SIZE);
	if (xen_unmap_pages(&xen_kernel_pgd, va, STACK_PAGES, XEN_FLUSH_ALL))
		return -EIO;	/* leaked rather than freed while mapped */
	free_stack_pages(pfns, STACK_PAGES);
	slot_put(slot);
	return 0;
}

unsigned int vmalloc_stacks_in_use(void)
{
	return READ_ONCE(slots_used);
}

bool vmalloc_is_guard(unsigned long va)
{
	return va >= VMAP_BASE && va < VMAP_BASE + NR_SLOTS * SLOT_SIZE &&
	       (va - VMAP_BASE) % SLOT_SIZE < PAGE_SIZE;
}
