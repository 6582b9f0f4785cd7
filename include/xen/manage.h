/* SPDX-License-Identifier: MIT */
#ifndef _XEN_MANAGE_H
#define _XEN_MANAGE_H

/*
 * The toolstack's control of the guest (drivers/xen/manage.c): the
 * control/shutdown watch and the control/feature-* nodes.
 */
#include <linux/types.h>

/* Advertises what is supported and starts watching control/shutdown. */
int xen_manage_init(void);

/*
 * How many control/shutdown values the watch has looked at (acted on or
 * not): lets a test wait until its own write was seen.
 */
unsigned long xen_manage_requests_seen(void);

#endif
