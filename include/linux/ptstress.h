/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_PTSTRESS_H
#define _LINUX_PTSTRESS_H

/*
 * ptstress (mm/ptstress.c): a workload that keeps the PV MMU busy on every
 * CPU and checks itself.  One kthread per online CPU owns some pages and
 * a private window of kernel address space; round after round it maps its
 * pages there, checks and rewrites them, moves every mapping to another
 * address, checks them again there and through the direct map, and
 * unmaps them.  Any page whose contents differ from the checksum kept for
 * it is reported.  It is the load under which suspend and migration are
 * proven.
 */
#include <linux/types.h>

struct ptstress_stats {
	u64 rounds;		/* full map-write-remap-unmap rounds */
	u64 updates;		/* pagetable entries written */
	u64 pages_checked;	/* page checksums compared */
	u64 mismatches;		/* of them, wrong */
	u64 errors;		/* hypercalls refused */
};

/*
 * Starts a worker on every online CPU with pages_per_cpu pages each
 * (1..PTSTRESS_MAX_PAGES).  -EBUSY if already running, -ENOMEM if the
 * pages or threads cannot be had (nothing is left running then).
 */
int ptstress_start(unsigned int pages_per_cpu);
/* Stops every worker, unmaps and frees everything; returns its totals. */
void ptstress_stop(struct ptstress_stats *total);
bool ptstress_running(void);
/*
 * For tests of the checker itself: at the start of its next round every
 * worker flips a byte of one of its pages through the direct map without
 * updating the checksum, so that round must report one mismatch.  Returns
 * how many workers were told.
 */
int ptstress_inject_corruption(void);
/*
 * Totals so far, and per CPU if cpu_stats has room for NR_CPUS.  Never
 * sleeps: event handlers may call it.
 */
void ptstress_get_stats(struct ptstress_stats *total,
			struct ptstress_stats *cpu_stats);

/*
 * With "ptstress[=pages]" on the command line, starts the workload once
 * the self tests and benchmarks are done and leaves it running (with
 * keep_running, for good), printing its totals every 10 seconds.
 */
void ptstress_boot_start(void);

/*
 * ptchurn (mm/ptstress_churn.c): a thread per CPU that is not freezable
 * and maps, fills, unmaps and checks one page over and over, by pfn, each
 * step one pagetable-update section.  Started at boot with "ptchurn" on
 * the command line (ptchurn_boot_start()); runs for good.  Its counters
 * are in ptstress_stats' terms.
 */
int ptchurn_start(void);
void ptchurn_get_stats(struct ptstress_stats *total);
void ptchurn_boot_start(void);

#define PTSTRESS_MAX_PAGES	256
#define PTSTRESS_DEFAULT_PAGES	64

#endif
