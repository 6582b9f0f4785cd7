// SPDX-License-Identifier: MIT
/*
 * Event upcall, 2-level ABI.  The hypervisor sets a port's bit in
 * shared_info->evtchn_pending, the port's word bit in the vCPU's
 * evtchn_pending_sel, and evtchn_upcall_pending, then enters
 * xen_hypervisor_callback with events masked.  We consume the selector
 * with an atomic exchange (the hypervisor may set more bits meanwhile),
 * then each word's pending-and-unmasked bits, clearing each pending bit
 * before calling the port's handler so that a new event is not lost.
 * Ports without a handler are reported once and stay masked.
 */
#include <linux/kernel.h>
#include <asm/traps.h>
#include <asm/xen/hypercall.h>
#include <xen/xen.h>
#include <xen/events.h>

#define BITS_PER_LONG 64
#define NR_EVENT_PORTS (sizeof(((struct shared_info *)0)->evtchn_pending) * 8)

static evtchn_handler_t port_handlers[NR_EVENT_PORTS];

void bind_evtchn_handler(evtchn_port_t port, evtchn_handler_t fn)
{
	if (port < NR_EVENT_PORTS)
		port_handlers[port] = fn;
}

void xen_events_init(void)
{
	evtchn_port_t p;

	for (p = 0; p < NR_EVENT_PORTS; p++)
		mask_evtchn(p);
}

void mask_evtchn(evtchn_port_t port)
{
	__atomic_fetch_or(&HYPERVISOR_shared_info->evtchn_mask[port / BITS_PER_LONG],
			  1UL << (port % BITS_PER_LONG), __ATOMIC_SEQ_CST);
}

/* The hypervisor re-raises the upcall if the port became pending meanwhile. */
void unmask_evtchn(evtchn_port_t port)
{
	struct evtchn_unmask op = { .port = port };

	HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op);
}

bool evtchn_is_pending(evtchn_port_t port)
{
	return READ_ONCE(HYPERVISOR_shared_info->evtchn_pending[port / BITS_PER_LONG]) &
	       (1UL << (port % BITS_PER_LONG));
}

void notify_remote_via_evtchn(evtchn_port_t port)
{
	struct evtchn_send op = { .port = port };

	HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}

/*
 * Every port is masked from boot (xen_events_init), so a new port cannot
 * fire before its handler is in place; an event that arrived meanwhile is
 * delivered by the unmask.
 */
static int route_port(evtchn_port_t port, evtchn_handler_t fn)
{
	bind_evtchn_handler(port, fn);
	unmask_evtchn(port);
	return port;
}

int bind_virq_to_handler(unsigned int virq, unsigned int cpu,
			 evtchn_handler_t fn)
{
	struct evtchn_bind_virq op = { .virq = virq, .vcpu = cpu };
	int rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &op);

	if (rc)
		return rc;
	return route_port(op.port, fn);
}

int bind_ipi_to_handler(unsigned int cpu, evtchn_handler_t fn)
{
	struct evtchn_bind_ipi op = { .vcpu = cpu };
	int rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &op);

	if (rc)
		return rc;
	return route_port(op.port, fn);
}

void unbind_from_handler(evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };

	mask_evtchn(port);
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
	bind_evtchn_handler(port, NULL);
}

static void handle_port(struct shared_info *s, evtchn_port_t port,
			struct pt_regs *regs)
{
	evtchn_handler_t fn = port_handlers[port];

	if (fn) {
		fn(port, regs);
		return;
	}
	__atomic_fetch_or(&s->evtchn_mask[port / BITS_PER_LONG],
			  1UL << (port % BITS_PER_LONG), __ATOMIC_SEQ_CST);
	printk("events: event on unbound port %u, masked\n", port);
}

static void scan_word(struct shared_info *s, unsigned int word,
		      struct pt_regs *regs)
{
	unsigned long bits;

	while ((bits = READ_ONCE(s->evtchn_pending[word]) &
		       ~READ_ONCE(s->evtchn_mask[word]))) {
		unsigned int bit = __builtin_ctzl(bits);

		__atomic_fetch_and(&s->evtchn_pending[word], ~(1UL << bit),
				   __ATOMIC_SEQ_CST);
		handle_port(s, word * BITS_PER_LONG + bit, regs);
	}
}

void xen_evtchn_do_upcall(struct pt_regs *regs)
{
	struct shared_info *s = HYPERVISOR_shared_info;
	struct vcpu_info *v = xen_vcpu_info();

	do {
		unsigned long sel;

		WRITE_ONCE(v->evtchn_upcall_pending, 0);
		sel = __atomic_exchange_n(&v->evtchn_pending_sel, 0,
					  __ATOMIC_SEQ_CST);
		while (sel) {
			unsigned int word = __builtin_ctzl(sel);

			sel &= sel - 1;
			scan_word(s, word, regs);
		}
	} while (READ_ONCE(v->evtchn_upcall_pending));
}
