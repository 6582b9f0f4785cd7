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
