/* SPDX-License-Identifier: MIT */
#ifndef _XEN_DEBUG_H
#define _XEN_DEBUG_H

/*
 * VIRQ_DEBUG (drivers/xen/debug.c): each CPU prints its state when the
 * hypervisor asks (Xen's 'q' debug key, `tern-xl debug-keys <dom> q`).
 */
void xen_debug_init(void);

#endif
