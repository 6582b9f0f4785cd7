// SPDX-License-Identifier: MIT
/*
 * The last step of a suspend, on CPU 0 with every other CPU parked in its
 * stopper thread and events masked everywhere (drivers/xen/manage.c got us
 * here; Documentation/suspend.rst tells the whole story).
 *
 * The suspend record.  The toolstack saves our memory and turns every
 * machine frame number it knows of into a pfn: the entries of our
 * pagetables, the frames of the p2m (through the frame list we publish in
 * shared_info), the vCPUs' cr3, and the start_info page, whose frame we
 * pass in rdx.  What it does not know of we must put right ourselves:
 *
 *   - start_info's xenstore and console frames become pfns (Linux's
 *     xen_pre_suspend() does the same); a restore turns them back into
 *     the new frames, a cancelled suspend leaves that to us;
 *   - the p2m frame list is rebuilt, so it is current;
 *   - shared_info, Xen's page and not ours, is unmapped: its place points
 *     back at the image page's own frame, a dummy with every event
 *     masked, so nothing can read its vcpu_info as "events enabled";
 *   - with CONFIG_XEN_SUSPEND_AUDIT, the audit checks that no frame
 *     number of ours survives anywhere else (suspend_audit.c); if it
 *     finds one we do not suspend at all: the image would be corrupt.
 *
 * SCHEDOP_shutdown(SHUTDOWN_suspend) then returns 1 if the suspend was
 * cancelled or a checkpoint taken (same domain, same frames): undo the
 * record and go on; or 0 in a new domain on new frames, where Xen gave us
 * a new shared_info, no event channels but the toolstack's two (on new
 * ports, in start_info), no timers, and a clock that may be far from the
 * one we left.  Then, in this order: shared_info, the m2p's place, time
 * (an offset keeps it monotonic), every event channel from the binding
 * table, the p2m frame list (the restore cleared it), the other vCPUs.
 * The after step then re-arms each CPU's one-shot timer on that CPU.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/time.h>
#include <asm/layout.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/mmu.h>
#include <linux/timer.h>
#include <xen/events.h>
#include <xen/p2m.h>
#include <xen/suspend.h>
#include <xen/xen.h>

/*
 * "suspend_verbose": the suspend side's times printed just before the
 * hypercall too (a domain that is saved and destroyed never prints them
 * after it); costs a console line inside the suspend.
 */
static bool verbose;

static int verbose_setup(const char *val)
{
	if (!val) {
		verbose = true;
		return 0;
	}
	return kstrtobool(val, &verbose);
}
__setup("suspend_verbose", verbose_setup);

static unsigned long long us(const struct xen_suspend_info *info,
			     unsigned int a, unsigned int b)
{
	return info->stamp[a] && info->stamp[b] > info->stamp[a] ?
	       (info->stamp[b] - info->stamp[a]) / NSEC_PER_USEC : 0;
}

/* SCHEDOP_shutdown(suspend), start_info's frame in rdx (Xen's rule). */
static int hypervisor_suspend(mfn_t start_info)
{
	struct sched_shutdown r = { .reason = SHUTDOWN_suspend };

	return HYPERCALL(sched_op, SCHEDOP_shutdown, &r, mfn_x(start_info),
			 0, 0);
}

static pfn_t virt_pfn(const void *va)
{
	return _pfn(((unsigned long)va - KERNEL_VIRT_BASE) >> PAGE_SHIFT);
}

/* start_info's frames of the rings become pfns, or back (to_pfn false). */
static void canonicalise_start_info(bool to_pfn)
{
	struct start_info *si = xen_start_info;

	if (to_pfn) {
		si->store_mfn = pfn_x(xen_mfn_to_pfn(_mfn(si->store_mfn)));
		si->console.domU.mfn =
			pfn_x(xen_mfn_to_pfn(_mfn(si->console.domU.mfn)));
	} else {
		si->store_mfn = mfn_x(pfn_to_mfn(_pfn(si->store_mfn)));
		si->console.domU.mfn =
			mfn_x(pfn_to_mfn(_pfn(si->console.domU.mfn)));
	}
}

/* The record: 0, or -errno with everything as it was. */
static int pre_suspend(struct xen_suspend_info *info)
{
	int rc;

	xen_setup_p2m_frame_list();
	canonicalise_start_info(true);
	rc = xen_park_shared_info();
	if (rc) {
		canonicalise_start_info(false);
		return rc;
	}
	return 0;
}

/* Back in the domain: 0 new frames, 1 same ones; says what failed. */
static void post_suspend(struct xen_suspend_info *info, bool new_domain)
{
	int rc;

	if (new_domain && xen_mmu_resume())
		printk("suspend: the m2p could not be found again\n");
	rc = xen_resume_shared_info();
	if (rc)
		panic("suspend: cannot map shared_info at %#lx: %d",
		      (unsigned long)xen_start_info->shared_info, rc);
	/* The clock first: everything after it reads the time. */
	xen_time_resume();
	info->stamp[RES_TIME] = xen_clocksource_read();
	/* Stamps never go back: the clock is monotonic, a TSC reading less so. */
	info->stamp[RES_RETURNED] = clamp(xen_tsc_to_clock(info->tsc_returned),
					  info->stamp[SUS_HYPERCALL],
					  info->stamp[RES_TIME]);
	if (!new_domain)
		canonicalise_start_info(false);
	else if (xen_events_resume())
		printk("suspend: not every event channel is back\n");
	xen_setup_p2m_frame_list();
	info->stamp[RES_EVENTS] = xen_clocksource_read();
	if (new_domain)
		xen_smp_resume();
}

int xen_suspend(void *data)
{
	struct xen_suspend_info *info = data;
	struct vcpu_time_info rec;
	mfn_t si_mfn;
	int rc;

	info->stamp[SUS_PARKED] = xen_clocksource_read();
	/* The clock's record, for stamps while shared_info is away. */
	rec = xen_vcpu_info()->time;
	info->error = pre_suspend(info);
	if (info->error)
		return info->error;
	if (IS_ENABLED(CONFIG_XEN_SUSPEND_AUDIT) && xen_suspend_audit(info)) {
		printk("suspend audit: failed, not suspending: the image would not be restorable\n");
		info->error = -EIO;
		post_suspend(info, false);
		return info->error;
	}
	/* From here until the hypercall: no clock (no shared_info), no printk. */
	info->stamp[SUS_AUDITED] = max(xen_tsc_to_clock_rec(&rec, xen_read_tsc()),
				       info->stamp[SUS_PARKED]);
	if (verbose)
		printk("suspend: about to suspend: acked %llu us, frozen %llu us, xenbus %llu us, parked %llu us, record %llu us after the request\n",
		       us(info, SUS_REQUEST, SUS_ACKED),
		       us(info, SUS_REQUEST, SUS_FROZEN),
		       us(info, SUS_REQUEST, SUS_XENBUS),
		       us(info, SUS_REQUEST, SUS_PARKED),
		       us(info, SUS_REQUEST, SUS_AUDITED));
	mmu_section_begin();
	si_mfn = pfn_to_mfn(virt_pfn(xen_start_info));
	info->stamp[SUS_HYPERCALL] = max(xen_tsc_to_clock_rec(&rec, xen_read_tsc()),
					 info->stamp[SUS_AUDITED]);
	/* A dry run (tests, benchmarks) goes on as a cancelled suspend would. */
	rc = info->dry_run ? 1 : hypervisor_suspend(si_mfn);
	info->tsc_returned = xen_read_tsc();
	mmu_section_end();
	info->result = rc;
	if (rc < 0) {
		printk("suspend: the hypervisor refused: %d\n", rc);
		info->error = rc;
	}
	post_suspend(info, rc == 0);
	return 0;
}

void xen_suspend_after(void *data)
{
	timers_resume_this_cpu();
}
