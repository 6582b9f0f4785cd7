/* SPDX-License-Identifier: MIT */
#ifndef _XEN_CONSOLE_H
#define _XEN_CONSOLE_H

/*
 * The PV console on its ring page (drivers/xen/console.c): printk's
 * console once xen_console_init() has run, and the guest's input.
 */
#include <linux/types.h>
#include <xen/interface/io/console.h>

/* Takes over from the early console; 0 or -errno (the early one stays). */
int xen_console_init(void);
bool xen_console_active(void);

/*
 * Input: up to len bytes typed at the console, sleeping up to timeout_ns
 * for the first.  Returns how many (0: none came).  Input nobody reads is
 * kept, the oldest dropped beyond 1 KiB.
 */
size_t xen_console_read(char *buf, size_t len, u64 timeout_ns);

/*
 * Takes what the backend put in the input ring: the event handler's work,
 * exported for the in-guest test that plays the backend.
 */
void xen_console_receive(void);
struct xencons_interface *xen_console_ring(void);

#endif
