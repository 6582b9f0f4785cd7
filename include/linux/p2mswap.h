/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_P2MSWAP_H
#define _LINUX_P2MSWAP_H

/*
 * p2mswap (mm/p2mswap.c): a thread that keeps moving its pages to new
 * machine frames with XENMEM_exchange and checks their contents.
 */
#include <linux/types.h>

struct p2mswap_stats {
	u64 moves;		/* pages moved to a new frame */
	u64 mismatches;		/* pages found holding another value */
	u64 refused;		/* exchanges refused: the page stayed */
};

/* Starts it after boot if "p2mswap" is on the command line. */
void p2mswap_boot_start(void);
void p2mswap_get_stats(struct p2mswap_stats *st);

#endif
