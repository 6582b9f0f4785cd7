/* SPDX-License-Identifier: MIT */
#ifndef _XEN_EVENTS_H
#define _XEN_EVENTS_H

#include <xen/interface/event_channel.h>

struct pt_regs;
typedef void (*evtchn_handler_t)(evtchn_port_t port, struct pt_regs *regs);

/* Route events on a bound port to fn, called with events masked. */
void bind_evtchn_handler(evtchn_port_t port, evtchn_handler_t fn);

#endif
