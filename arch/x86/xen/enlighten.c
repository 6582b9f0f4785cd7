// SPDX-License-Identifier: MIT
/*
 * Start of day for a 64-bit PV guest: keep start_info, bring up the early
 * console, map shared_info, then hand over to the generic start_kernel().
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/time.h>
#include <linux/string.h>
#include <linux/percpu.h>
#include <asm/layout.h>
#include <asm/pgtable.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/mmu.h>
#include <xen/xen.h>

void start_kernel(void);

struct start_info *xen_start_info;
const unsigned long *xen_p2m;

/*
 * shared_info is a hypervisor page, not one of ours: it is mapped over this
 * page of our image, whose own frame is left unused.  Until the mapping is
 * made, HYPERVISOR_shared_info points here and reads as zeroes (masked,
 * nothing pending), which is what an early fault handler should see.
 */
static char shared_info_page[PAGE_SIZE] __aligned(PAGE_SIZE);
struct shared_info *HYPERVISOR_shared_info = (void *)shared_info_page;

/* Points shared_info_page at start_info's shared_info, on every CPU. */
static long map_shared_info(unsigned long flush)
{
	u64 pte = mfn_pte(maddr_to_mfn(xen_start_info->shared_info),
			  _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED |
			  _PAGE_DIRTY);

	return HYPERCALL(update_va_mapping, shared_info_page, pte,
			 UVMF_INVLPG | flush, 0, 0);
}

void xen_map_shared_info(void)
{
	long rc = map_shared_info(UVMF_LOCAL);

	if (rc)
		panic("cannot map shared_info at %#lx: %ld",
		      (unsigned long)xen_start_info->shared_info, rc);
	/* The clock is readable from here on: printk's zero. */
	xen_clock_mark_boot();
}

int xen_resume_shared_info(void)
{
	return map_shared_info(UVMF_ALL);
}

/*
 * Before a suspend shared_info must not stay mapped: it is Xen's page,
 * not ours, and a restored domain gets another.  Its place goes back to
 * the image page's own frame, filled first (through a kmap) with every
 * event masked and nothing pending, so that nothing could read "events
 * enabled" from it before the real one is mapped again.
 */
int xen_park_shared_info(void)
{
	pfn_t own = _pfn(((unsigned long)shared_info_page - KERNEL_VIRT_BASE) >>
			 PAGE_SHIFT);
	struct shared_info *d;
	unsigned int i;
	int rc;

	mmu_section_begin();
	d = xen_kmap(pfn_to_mfn(own), true);
	if (!d) {
		mmu_section_end();
		return -ENOMEM;
	}
	memset(d, 0, PAGE_SIZE);
	for (i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
		d->vcpu_info[i].evtchn_upcall_mask = 1;
	memset(d->evtchn_mask, 0xff, sizeof(d->evtchn_mask));
	xen_kunmap(d);
	rc = xen_remap_page((unsigned long)shared_info_page, pfn_to_mfn(own),
			    PAGE_KERNEL, XEN_FLUSH_ALL);
	mmu_section_end();
	return rc;
}

/*
 * The start-of-day region maps pfn n at KERNEL_VIRT_BASE + n pages, and the
 * builder puts the pages it shares with the toolstack (start_info, the
 * xenstore and console rings) below the bootstrap pagetables (pt_base), on
 * Xen as on the host hypervisor.  start_info names those pages by mfn, so
 * the p2m is searched for their pfn.
 */
void *xen_bootstrap_page(mfn_t mfn)
{
	unsigned long limit = (xen_start_info->pt_base - KERNEL_VIRT_BASE) >>
			      PAGE_SHIFT;
	unsigned long pfn;

	if (limit > xen_start_info->nr_pages)
		limit = xen_start_info->nr_pages;
	for (pfn = 0; pfn < limit; pfn++)
		if (mfn_eq(pfn_to_mfn(_pfn(pfn)), mfn))
			return (void *)(KERNEL_VIRT_BASE + pfn * PAGE_SIZE);
	return NULL;
}

/* Called from startup_xen with start_info's virtual address. */
void __noreturn xen_start_kernel(struct start_info *si)
{
	/* Before anything: printk, irqflags and 'current' all need it. */
	xen_setup_boot_percpu();
	xen_start_info = si;
	xen_p2m = (const unsigned long *)si->mfn_list;
	xen_early_console_init();
	start_kernel();
	xen_shutdown(SHUTDOWN_poweroff);
}

void __noreturn xen_shutdown(unsigned int reason)
{
	struct sched_shutdown arg = { .reason = reason };

	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_shutdown, &arg);
}
