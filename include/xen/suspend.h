/* SPDX-License-Identifier: MIT */
#ifndef _XEN_SUSPEND_H
#define _XEN_SUSPEND_H

/*
 * Suspend and resume (Documentation/suspend.rst).  drivers/xen/manage.c
 * runs the whole path when the toolstack writes "suspend" to
 * control/shutdown; arch/x86/xen/suspend.c is its last step, on CPU 0
 * with every other CPU parked: the suspend record, the hypercall, and
 * putting things back when it returns.
 */
#include <linux/types.h>

/* Where the time of a suspend goes, each a guest clock reading. */
enum suspend_stamp {
	SUS_REQUEST,		/* control/shutdown seen to say "suspend" */
	SUS_ACKED,		/* ... and cleared, in a committed transaction */
	SUS_FROZEN,		/* every freezable task parked */
	SUS_XENBUS,		/* no xenstore request in flight */
	SUS_PARKED,		/* every other CPU parked, fn runs on CPU 0 */
	SUS_AUDITED,		/* the suspend record written and checked */
	SUS_HYPERCALL,		/* SCHEDOP_shutdown(suspend) issued */
	RES_RETURNED,		/* it returned (the resume side's zero) */
	RES_TIME,		/* the clock is monotonic again */
	RES_EVENTS,		/* shared_info, every event channel back */
	RES_CPUS,		/* every CPU up and its timer armed */
	RES_XENBUS,		/* the store reconnected, watches sent again */
	RES_THAWED,		/* every task running again */
	NR_SUSPEND_STAMPS
};

struct xen_suspend_info {
	bool dry_run;		/* everything but the hypercall (as if cancelled) */
	u64 freeze_ns;		/* how long tasks may take to freeze; 0: 20 s */
	int result;		/* the hypercall's: 0 new domain, 1 cancelled */
	int error;		/* a step before the hypercall failed: -errno */
	u64 stamp[NR_SUSPEND_STAMPS];
	u64 tsc_returned;	/* rdtsc right after the hypercall */
	unsigned long audit_entries;	/* pagetable entries the audit read */
	unsigned long audit_bad;	/* findings, of which: */
	unsigned long audit_ptes;	/* entries naming a frame not ours */
	unsigned long audit_vars;	/* __mfn_var words holding one of ours */
	unsigned long audit_start_info;	/* start_info rings not as pfns */
	unsigned long audit_cpus;	/* CPUs inside a pagetable-update section */
	unsigned long audit_tasks;	/* tasks inside an mfn_hold stretch */
};

/*
 * stop_machine()'s function on CPU 0: writes the suspend record, suspends,
 * and on return puts the domain together again (shared_info, time, event
 * channels, the p2m frame list, the other vCPUs).  Sets info->result, or
 * info->error if it did not suspend (the record is undone then).
 */
int xen_suspend(void *info);
/* stop_machine()'s after step on every CPU: its own timer again. */
void xen_suspend_after(void *info);
/*
 * In a new domain, on CPU 0, the others parked: checks that every other
 * online vCPU was restored (it goes on in its stopper) and brings back
 * any the toolstack did not restore; how many it could not.
 */
unsigned int xen_smp_resume(void);

/*
 * The suspend audit (CONFIG_XEN_SUSPEND_AUDIT, arch/x86/xen/suspend_audit.c):
 * 0 when no machine frame number survives where the toolstack will not
 * translate it, else how many findings (each said on the console).
 */
unsigned long xen_suspend_audit(struct xen_suspend_info *info);

/*
 * Kernel variables that may hold machine frame numbers are declared with
 * __mfn_var: the audit checks at suspend that each holds none of ours
 * (a build-time check makes sure no mfn_t variable lives elsewhere).
 * Those the toolstack reads as they are (the p2m frame list) are
 * __mfn_published instead.  Both are zero-initialised (.bss).
 */
#define __mfn_var	__attribute__((__section__(".bss..mfn")))
#define __mfn_published	__attribute__((__section__(".bss..mfn_published")))

/*
 * do_suspend() in drivers/xen/manage.c, for tests: runs the whole suspend
 * as a control/shutdown "suspend" would, minus the request and its
 * acknowledgement.  0 after a resume; -EBUSY if a task did not freeze in
 * time, or xenstore did not quiesce; other -errno if a step failed; the
 * domain runs on in each case.
 */
int xen_do_suspend(struct xen_suspend_info *info);

/*
 * With "resume_check" on the command line, checks the guest after a
 * resume in a thread of its own and prints one result line
 * (drivers/xen/resume_check.c); nothing otherwise.
 */
void xen_resume_check(const struct xen_suspend_info *info);

#endif
