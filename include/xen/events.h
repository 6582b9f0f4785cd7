/* SPDX-License-Identifier: MIT */
#ifndef _XEN_EVENTS_H
#define _XEN_EVENTS_H

#include <linux/types.h>
#include <xen/interface/event_channel.h>

struct pt_regs;
typedef void (*evtchn_handler_t)(evtchn_port_t port, struct pt_regs *regs);

/* What a port is bound to: kept for binding it again after a restore. */
enum evtchn_kind {
	EVTCHN_NONE,
	EVTCHN_VIRQ,		/* a VIRQ of one CPU */
	EVTCHN_IPI,		/* an IPI port of one CPU */
	EVTCHN_STORE,		/* start_info's xenstore port */
	EVTCHN_CONSOLE,		/* start_info's console port */
};

/*
 * Routes start_info's xenstore or console port to fn, called with events
 * masked on CPU 0 (where the hypervisor notifies them), and unmasks it;
 * returns the port or -errno.
 */
int bind_toolstack_evtchn(enum evtchn_kind kind, evtchn_handler_t fn);
/*
 * *ref is the owner's copy of a bound port: rewritten whenever the port
 * is bound again after a restore.
 */
void evtchn_keep_updated(evtchn_port_t port, evtchn_port_t *ref);
/*
 * After a restore (shared_info remapped, other CPUs parked, events
 * masked): masks every port and binds every recorded binding again.
 * 0, or -EIO if one could not be bound (said on the console).
 */
int xen_events_resume(void);

/* A snapshot of the binding table, for tests. */
struct evtchn_binding_info {
	enum evtchn_kind kind;
	unsigned int virq, cpu;
	evtchn_port_t port;
};
/* Copies up to max bindings into out; returns how many there are. */
unsigned int evtchn_bindings(struct evtchn_binding_info *out, unsigned int max);
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
