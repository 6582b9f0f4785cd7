/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_DIRTIER_H
#define _LINUX_DIRTIER_H

/*
 * dirty=MIBPS[ dirty_mem=MIB] (mm/dirtier.c): a thread that rewrites its
 * pages at a set rate and checks each still holds what it wrote last.
 */
#include <linux/types.h>

struct dirtier_stats {
	u64 pages_written;
	u64 mismatches;		/* pages found older than last written */
	unsigned int rate_mibps;	/* 0: not running */
};

/* Starts it after boot if "dirty=" is on the command line. */
void dirtier_boot_start(void);
void dirtier_get_stats(struct dirtier_stats *st);

#endif
