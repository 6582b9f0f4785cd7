// SPDX-License-Identifier: MIT
/*
 * p2mswap: a guest that moves its own pages to other machine frames while
 * it runs (XENMEM_exchange), so that a live migration sees p2m entries
 * change under it: the last round must send such a pfn again, on its new
 * frame (Documentation/migration.rst), or the page arrives with a frame
 * the destination never filled.
 *
 * One thread owns P2MSWAP_PAGES pages and, every millisecond, moves one
 * of them.  The move is one pagetable-update section (asm/xen/mmu.h: no
 * suspend finds a CPU inside one, so no machine frame number it holds
 * outlives a migration): copy the page aside, take it out of the direct
 * map (the exchange wants a frame nothing maps), exchange the frame for a
 * fresh one, record the new frame in the p2m, map it again and copy the
 * contents back (a new frame's contents are undefined).  The thread is not
 * freezable, so it moves pages until the suspend parks its CPU: the
 * widest window for a migration's last round to catch a move.  Around
 * every move it checks the page holds the value it wrote last; a page a
 * migration carried wrong (an older value, or another frame's) counts as
 * a mismatch, which fails resume_check.  A refused exchange is counted
 * and printed but is no failure: the page stays where it was, and Xen
 * refuses one while its log-dirty shadows still reference the frame.
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/p2mswap.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/pgtable.h>
#include <asm/xen/mmu.h>
#include <xen/interface/memory.h>
#include <xen/xen.h>

#define P2MSWAP_PAGES	16
#define WORDS		(PAGE_SIZE / sizeof(u64))

static bool wanted;
static pfn_t pfns[P2MSWAP_PAGES];
static u64 vals[P2MSWAP_PAGES];
static u64 *bounce;
static struct p2mswap_stats stats;

static int p2mswap_setup(const char *val)
{
	if (!val) {
		wanted = true;
		return 0;
	}
	return kstrtobool(val, &wanted);
}
__setup("p2mswap", p2mswap_setup);

static void count(u64 *counter, const char *what, unsigned int i, long v)
{
	WRITE_ONCE(*counter, *counter + 1);
	if (stats.mismatches + stats.refused <= 4)
		printk("p2mswap: page %u (pfn %#lx): %s (%ld)\n", i,
		       pfn_x(pfns[i]), what, v);
}

/* Whether page i holds what was written last; counted if not. */
static void check(unsigned int i)
{
	const volatile u64 *p = pfn_to_virt(pfns[i]);

	if (p[0] != vals[i] || p[WORDS - 1] != vals[i])
		count(&stats.mismatches, "holds another value than written last", i,
		      (long)p[0]);
}

/*
 * Moves page i to a fresh machine frame (the guest's own XENMEM_exchange,
 * as Linux's xen_exchange_memory() does for contiguous regions): 0, or
 * -errno with the page where it was.
 */
static int move(unsigned int i)
{
	unsigned long va = (unsigned long)pfn_to_virt(pfns[i]);
	xen_pfn_t in, out = pfn_x(pfns[i]);
	struct xen_memory_exchange x = {
		.in = { .nr_extents = 1, .domid = DOMID_SELF },
		.out = { .nr_extents = 1, .domid = DOMID_SELF },
	};
	mfn_t old;
	int rc;

	mmu_section_begin();
	memcpy(bounce, (void *)va, PAGE_SIZE);
	old = pfn_to_mfn(pfns[i]);
	in = mfn_x(old);
	set_xen_guest_handle(x.in.extent_start, &in);
	set_xen_guest_handle(x.out.extent_start, &out);
	rc = xen_remap_page(va, INVALID_MFN, 0, XEN_FLUSH_ALL);
	if (rc)
		goto out;
	rc = HYPERVISOR_memory_op(XENMEM_exchange, &x);
	if (!rc && x.nr_exchanged != 1)
		rc = -EIO;
	if (rc) {
		/* Nothing was exchanged: the old frame goes back. */
		xen_remap_page(va, old, PAGE_KERNEL, XEN_FLUSH_ALL);
		goto out;
	}
	/* Our p2m is in the bootstrap region, writable: ours to keep right. */
	((unsigned long *)xen_p2m)[pfn_x(pfns[i])] = out;
	rc = xen_remap_page(va, _mfn(out), PAGE_KERNEL, XEN_FLUSH_ALL);
	if (!rc)
		memcpy((void *)va, bounce, PAGE_SIZE);
out:
	mmu_section_end();
	return rc;
}

static int p2mswap_main(void *unused)
{
	unsigned int i = 0;
	int rc;

	while (!kthread_should_stop()) {
		volatile u64 *p = pfn_to_virt(pfns[i]);
		u64 v;

		check(i);
		rc = move(i);
		if (rc) {
			count(&stats.refused, "exchange refused", i, rc);
		} else {
			WRITE_ONCE(stats.moves, stats.moves + 1);
			check(i);
		}
		v = vals[i] * 6364136223846793005ULL + 1442695040888963407ULL;
		p[0] = v;
		p[WORDS - 1] = v;
		vals[i] = v;
		i = (i + 1) % P2MSWAP_PAGES;
		msleep(1);
	}
	return 0;
}

void p2mswap_get_stats(struct p2mswap_stats *st)
{
	st->moves = READ_ONCE(stats.moves);
	st->mismatches = READ_ONCE(stats.mismatches);
	st->refused = READ_ONCE(stats.refused);
}

void p2mswap_boot_start(void)
{
	struct task_struct *t;
	unsigned int i;

	if (!wanted)
		return;
	bounce = kmalloc(PAGE_SIZE);
	if (!bounce)
		goto nomem;
	for (i = 0; i < P2MSWAP_PAGES; i++) {
		pfns[i] = alloc_pfns(0);
		if (pfn_eq(pfns[i], INVALID_PFN))
			goto nomem;
		memset(pfn_to_virt(pfns[i]), 0, PAGE_SIZE);
	}
	t = kthread_run(p2mswap_main, NULL, "p2mswap");
	if (IS_ERR(t)) {
		printk("p2mswap: no thread: %ld\n", PTR_ERR(t));
		wanted = false;
		return;
	}
	printk("p2mswap: moving %u pages to new frames, one a millisecond\n",
	       P2MSWAP_PAGES);
	return;
nomem:
	printk("p2mswap: out of memory\n");
	wanted = false;
}
