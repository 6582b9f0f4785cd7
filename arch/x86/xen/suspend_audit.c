// SPDX-License-Identifier: MIT
/*
 * The suspend audit (CONFIG_XEN_SUSPEND_AUDIT): just before the suspend
 * hypercall, on CPU 0 with every other CPU parked and the suspend record
 * written, check that no machine frame number of ours survives anywhere
 * the toolstack will not translate it.  None of Linux, Mini-OS or NetBSD
 * checks this; a frame number left behind shows up only later, as a
 * mapping of somebody else's page after a restore.
 *
 *   pagetables   every present entry of every address space names one of
 *                our frames (m2p and p2m agree); so shared_info and any
 *                other foreign or Xen frame must be unmapped by now;
 *   variables    every word of the __mfn_var variables (xen/suspend.h)
 *                is not a frame of ours: they are canonicalised or
 *                cleared by now;
 *   start_info   its xenstore and console rings are named by pfn;
 *   CPUs         none is parked inside a pagetable-update section (its
 *                depth, asm/xen/mmu.h), where frame numbers sit in
 *                registers and on the stack;
 *   tasks        none is inside an mfn_hold stretch (linux/freezer.h).
 *
 * The words of the variables are checked by value, which a pfn stored in
 * an mfn variable could fool on a host whose frame numbers overlap ours;
 * that is why only variables declared to hold frames are looked at, and
 * why a build-time check (selftests/host/t_mfn_vars.sh) keeps every mfn_t
 * variable among them.
 */
#include <linux/kernel.h>
#include <linux/freezer.h>
#include <linux/smp.h>
#include <asm/layout.h>
#include <asm/xen/mmu.h>
#include <xen/console.h>
#include <xen/suspend.h>
#include <xen/xen.h>

#define MAX_SAID	8

extern const u64 __start_mfn_vars[], __stop_mfn_vars[];

static unsigned long said;

static void finding(unsigned long *kind)
{
	said++;
	(*kind)++;
}

static void bad_entry(int level, unsigned long va, u64 e)
{
	if (said++ < MAX_SAID)
		printk("suspend audit: L%d entry for %#lx names frame %#lx, not ours\n",
		       level, va, (unsigned long)mfn_x(pte_mfn(e)));
}

static void audit_vars(struct xen_suspend_info *info)
{
	const u64 *w;

	for (w = __start_mfn_vars; w < __stop_mfn_vars; w++) {
		pfn_t pfn = xen_mfn_to_pfn(_mfn(READ_ONCE(*w)));

		if (pfn_eq(pfn, INVALID_PFN))
			continue;
		info->audit_vars++;
		if (said++ < MAX_SAID)
			printk("suspend audit: variable at %p holds frame %#lx (pfn %#lx)\n",
			       w, (unsigned long)*w, (unsigned long)pfn_x(pfn));
	}
}

static void audit_start_info(struct xen_suspend_info *info)
{
	const struct start_info *si = xen_start_info;
	unsigned long cons = (unsigned long)xen_console_ring();

	if (si->store_mfn >= si->nr_pages ||
	    (cons && si->console.domU.mfn !=
		     (cons - KERNEL_VIRT_BASE) >> PAGE_SHIFT)) {
		finding(&info->audit_start_info);
		printk("suspend audit: start_info's rings are not pfns (store %#lx, console %#lx)\n",
		       (unsigned long)si->store_mfn,
		       (unsigned long)si->console.domU.mfn);
	}
}

static void audit_cpus_and_tasks(struct xen_suspend_info *info)
{
	unsigned int cpu, holders = nr_mfn_holders();

	for_each_online_cpu(cpu) {
		unsigned int depth = READ_ONCE(per_cpu(cpu)->mmu_section);

		if (!depth)
			continue;
		finding(&info->audit_cpus);
		printk("suspend audit: CPU %u is parked inside %u pagetable-update section%s\n",
		       cpu, depth, depth == 1 ? "" : "s");
	}
	if (holders) {
		finding(&info->audit_tasks);
		printk("suspend audit: %u task%s parked holding machine frames (mfn_hold)\n",
		       holders, holders == 1 ? "" : "s");
	}
}

unsigned long xen_suspend_audit(struct xen_suspend_info *info)
{
	said = 0;
	info->audit_ptes = info->audit_vars = info->audit_start_info = 0;
	info->audit_cpus = info->audit_tasks = 0;
	audit_cpus_and_tasks(info);
	audit_start_info(info);
	audit_vars(info);
	info->audit_ptes = xen_mmu_audit(bad_entry, &info->audit_entries);
	info->audit_bad = said;
	if (said)
		printk("suspend audit: %lu finding%s (%lu pagetable entries read)\n",
		       said, said == 1 ? "" : "s", info->audit_entries);
	return said;
}
