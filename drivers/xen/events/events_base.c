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
 *
 * Several vCPUs: pending and mask bits are shared by all vCPUs, selectors
 * are per vCPU.  When two ports in one word are bound to different vCPUs,
 * an event on one sets that word in one vCPU's selector, and that vCPU's
 * scan would see the other vCPU's pending port in the word too.  Each CPU
 * therefore only takes the ports routed to it (cpu_ports); the hypervisor
 * has set the other vCPU's selector for its own port.  A port's route is
 * the vCPU it was bound to (EVTCHNOP_bind_virq/bind_ipi name it), CPU 0
 * for other ports, which is where the hypervisor notifies them.
 */
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <asm/traps.h>
#include <asm/xen/hypercall.h>
#include <xen/xen.h>
#include <xen/events.h>

#define BITS_PER_LONG 64
#define NR_EVENT_PORTS (sizeof(((struct shared_info *)0)->evtchn_pending) * 8)
#define NR_EVENT_WORDS (NR_EVENT_PORTS / BITS_PER_LONG)

static evtchn_handler_t port_handlers[NR_EVENT_PORTS];
static unsigned long cpu_ports[NR_CPUS][NR_EVENT_WORDS];

/* Makes cpu, and only cpu, take the events of port. */
static void route_to_cpu(evtchn_port_t port, unsigned int cpu)
{
	unsigned long bit = 1UL << (port % BITS_PER_LONG);
	unsigned int word = port / BITS_PER_LONG, c;

	for (c = 0; c < NR_CPUS; c++)
		if (c != cpu)
			__atomic_fetch_and(&cpu_ports[c][word], ~bit,
					   __ATOMIC_SEQ_CST);
	if (cpu < NR_CPUS)
		__atomic_fetch_or(&cpu_ports[cpu][word], bit, __ATOMIC_SEQ_CST);
}

static void bind_evtchn_handler_cpu(evtchn_port_t port, unsigned int cpu,
				    evtchn_handler_t fn)
{
	if (port >= NR_EVENT_PORTS)
		return;
	port_handlers[port] = fn;
	route_to_cpu(port, cpu);
}

void bind_evtchn_handler(evtchn_port_t port, evtchn_handler_t fn)
{
	bind_evtchn_handler_cpu(port, 0, fn);
}

unsigned int evtchn_cpu(evtchn_port_t port)
{
	unsigned long bit = 1UL << (port % BITS_PER_LONG);
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (READ_ONCE(cpu_ports[cpu][port / BITS_PER_LONG]) & bit)
			return cpu;
	return NR_CPUS;
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
static int route_port(evtchn_port_t port, unsigned int cpu,
		      evtchn_handler_t fn)
{
	bind_evtchn_handler_cpu(port, cpu, fn);
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
	return route_port(op.port, cpu, fn);
}

int bind_ipi_to_handler(unsigned int cpu, evtchn_handler_t fn)
{
	struct evtchn_bind_ipi op = { .vcpu = cpu };
	int rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &op);

	if (rc)
		return rc;
	return route_port(op.port, cpu, fn);
}

void unbind_from_handler(evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };

	mask_evtchn(port);
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
	bind_evtchn_handler_cpu(port, NR_CPUS, NULL);
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

static void scan_word(struct shared_info *s, unsigned int cpu,
		      unsigned int word, struct pt_regs *regs)
{
	unsigned long bits;

	while ((bits = READ_ONCE(s->evtchn_pending[word]) &
		       ~READ_ONCE(s->evtchn_mask[word]) &
		       READ_ONCE(cpu_ports[cpu][word]))) {
		unsigned int bit = __builtin_ctzl(bits);

		__atomic_fetch_and(&s->evtchn_pending[word], ~(1UL << bit),
				   __ATOMIC_SEQ_CST);
		handle_port(s, word * BITS_PER_LONG + bit, regs);
	}
}

void xen_evtchn_do_upcall(struct pt_regs *regs)
{
	struct shared_info *s = HYPERVISOR_shared_info;
	struct percpu *pc = this_cpu();
	struct vcpu_info *v = pc->vcpu_info;

	irq_enter();
	pc->upcalls++;
	do {
		unsigned long sel;

		WRITE_ONCE(v->evtchn_upcall_pending, 0);
		sel = __atomic_exchange_n(&v->evtchn_pending_sel, 0,
					  __ATOMIC_SEQ_CST);
		while (sel) {
			unsigned int word = __builtin_ctzl(sel);

			sel &= sel - 1;
			scan_word(s, pc->cpu, word, regs);
		}
	} while (READ_ONCE(v->evtchn_upcall_pending));
	irq_exit();
}
