/* SPDX-License-Identifier: MIT */
#ifndef _XEN_EVENTS_H
#define _XEN_EVENTS_H

#include <linux/types.h>
#include <xen/interface/event_channel.h>

struct pt_regs;
typedef void (*evtchn_handler_t)(evtchn_port_t port, struct pt_regs *regs);

/*
 * Route events on a bound port to fn, called with events masked on CPU 0
 * (where the hypervisor notifies ports it was not told otherwise about).
 */
void bind_evtchn_handler(evtchn_port_t port, evtchn_handler_t fn);
/* The CPU that handles port, or NR_CPUS if none does. */
unsigned int evtchn_cpu(evtchn_port_t port);

/*
 * Bind a VIRQ or an IPI on cpu and route it to fn, which runs on cpu;
 * returns the port or -errno.
 */
int bind_virq_to_handler(unsigned int virq, unsigned int cpu,
			 evtchn_handler_t fn);
int bind_ipi_to_handler(unsigned int cpu, evtchn_handler_t fn);
/* Close the port and forget its handler. */
void unbind_from_handler(evtchn_port_t port);

/* Masks every port; before anything is bound. */
void xen_events_init(void);

void notify_remote_via_evtchn(evtchn_port_t port);
void mask_evtchn(evtchn_port_t port);
void unmask_evtchn(evtchn_port_t port);
bool evtchn_is_pending(evtchn_port_t port);

#endif
