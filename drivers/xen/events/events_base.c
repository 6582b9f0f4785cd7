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
 *
 * Resume.  A restored domain has none of its event channels but the two
 * the toolstack made for it again (xenstore and console, on new ports
 * named in start_info), every port masked and nothing pending.  So every
 * binding is kept in a table of what it is - a VIRQ or an IPI on a CPU,
 * or one of the toolstack's ports - with its handler, and after a restore
 * xen_events_resume() masks every port, forgets the old port numbers and
 * binds each entry again, updating the copy of the port its owner keeps
 * (evtchn_keep_updated()).  A cancelled suspend keeps every channel.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/preempt.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <asm/traps.h>
#include <asm/xen/hypercall.h>
#include <xen/xen.h>
#include <xen/events.h>

#define BITS_PER_LONG 64
#define NR_EVENT_PORTS (sizeof(((struct shared_info *)0)->evtchn_pending) * 8)
#define NR_EVENT_WORDS (NR_EVENT_PORTS / BITS_PER_LONG)

#define MAX_BINDINGS	(64 + 8 * NR_CPUS)

struct binding {
	enum evtchn_kind kind;		/* EVTCHN_NONE: slot free */
	unsigned int virq;
	unsigned int cpu;
	evtchn_handler_t fn;
	evtchn_port_t port;		/* 0 if it could not be bound again */
	evtchn_port_t *ref;		/* the owner's copy of port */
};

static evtchn_handler_t port_handlers[NR_EVENT_PORTS];
static unsigned long cpu_ports[NR_CPUS][NR_EVENT_WORDS];
static struct binding bindings[MAX_BINDINGS];
static DEFINE_SPINLOCK(bindings_lock);

/* Records a new binding; the table is full only if ports leak. */
static void record(enum evtchn_kind kind, unsigned int virq, unsigned int cpu,
		   evtchn_handler_t fn, evtchn_port_t port)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&bindings_lock, flags);
	for (i = 0; i < MAX_BINDINGS && bindings[i].kind != EVTCHN_NONE; i++)
		;
	if (i < MAX_BINDINGS)
		bindings[i] = (struct binding){ kind, virq, cpu, fn, port, NULL };
	spin_unlock_irqrestore(&bindings_lock, flags);
	if (i == MAX_BINDINGS)
		printk("events: binding table full: port %u will not survive a restore\n",
		       port);
}

static struct binding *find_binding(evtchn_port_t port)
{
	unsigned int i;

	for (i = 0; i < MAX_BINDINGS; i++)
		if (bindings[i].kind != EVTCHN_NONE && bindings[i].port == port)
			return &bindings[i];
	return NULL;
}

void evtchn_keep_updated(evtchn_port_t port, evtchn_port_t *ref)
{
	struct binding *b;
	unsigned long flags;

	spin_lock_irqsave(&bindings_lock, flags);
	b = find_binding(port);
	if (b)
		b->ref = ref;
	spin_unlock_irqrestore(&bindings_lock, flags);
}

unsigned int evtchn_bindings(struct evtchn_binding_info *out, unsigned int max)
{
	unsigned long flags;
	unsigned int i, n = 0;

	spin_lock_irqsave(&bindings_lock, flags);
	for (i = 0; i < MAX_BINDINGS; i++) {
		const struct binding *b = &bindings[i];

		if (b->kind == EVTCHN_NONE)
			continue;
		if (n < max)
			out[n] = (struct evtchn_binding_info){ b->kind, b->virq,
							       b->cpu, b->port };
		n++;
	}
	spin_unlock_irqrestore(&bindings_lock, flags);
	return n;
}

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

static evtchn_port_t toolstack_port(enum evtchn_kind kind)
{
	if (kind == EVTCHN_STORE)
		return xen_start_info->store_evtchn;
	return xen_start_info->console.domU.evtchn;
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
	record(EVTCHN_VIRQ, virq, cpu, fn, op.port);
	return route_port(op.port, cpu, fn);
}

int bind_ipi_to_handler(unsigned int cpu, evtchn_handler_t fn)
{
	struct evtchn_bind_ipi op = { .vcpu = cpu };
	int rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &op);

	if (rc)
		return rc;
	record(EVTCHN_IPI, 0, cpu, fn, op.port);
	return route_port(op.port, cpu, fn);
}

int bind_toolstack_evtchn(enum evtchn_kind kind, evtchn_handler_t fn)
{
	evtchn_port_t port = toolstack_port(kind);

	if ((kind != EVTCHN_STORE && kind != EVTCHN_CONSOLE) ||
	    port >= NR_EVENT_PORTS)
		return -EINVAL;
	record(kind, 0, 0, fn, port);
	return route_port(port, 0, fn);
}

void unbind_from_handler(evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };
	struct binding *b;
	unsigned long flags;

	mask_evtchn(port);
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
	bind_evtchn_handler_cpu(port, NR_CPUS, NULL);
	spin_lock_irqsave(&bindings_lock, flags);
	b = find_binding(port);
	if (b)
		b->kind = EVTCHN_NONE;
	spin_unlock_irqrestore(&bindings_lock, flags);
}

/* Binds b again after a restore; its new port, or -errno. */
static int rebind(struct binding *b)
{
	struct evtchn_bind_virq v = { .virq = b->virq, .vcpu = b->cpu };
	struct evtchn_bind_ipi i = { .vcpu = b->cpu };
	int rc;

	switch (b->kind) {
	case EVTCHN_VIRQ:
		rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &v);
		return rc ? rc : (int)v.port;
	case EVTCHN_IPI:
		rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &i);
		return rc ? rc : (int)i.port;
	case EVTCHN_STORE:
	case EVTCHN_CONSOLE:
		return toolstack_port(b->kind);
	default:
		return -EINVAL;
	}
}

static const char *const kind_names[] = {
	[EVTCHN_VIRQ] = "VIRQ", [EVTCHN_IPI] = "IPI",
	[EVTCHN_STORE] = "xenstore", [EVTCHN_CONSOLE] = "console",
};

/*
 * Every other CPU is parked with its events masked, and this one's are
 * masked too, so no handler runs while the tables change.
 */
int xen_events_resume(void)
{
	struct shared_info *s = HYPERVISOR_shared_info;
	unsigned int i, failed = 0;

	/*
	 * Pending bits stay: a restore leaves none, and a port bound again
	 * in place (the in-guest test) keeps its event, which its unmask
	 * delivers.
	 */
	for (i = 0; i < NR_EVENT_WORDS; i++)
		WRITE_ONCE(s->evtchn_mask[i], ~0UL);
	memset(port_handlers, 0, sizeof(port_handlers));
	memset(cpu_ports, 0, sizeof(cpu_ports));
	for (i = 0; i < MAX_BINDINGS; i++) {
		struct binding *b = &bindings[i];
		int port;

		if (b->kind == EVTCHN_NONE)
			continue;
		port = rebind(b);
		if (port <= 0 || port >= (int)NR_EVENT_PORTS) {
			printk("events: cannot bind %s %u of CPU %u again: %d\n",
			       kind_names[b->kind], b->virq, b->cpu, port);
			b->port = 0;
			failed++;
			continue;
		}
		b->port = port;
		if (b->ref)
			WRITE_ONCE(*b->ref, port);
		route_port(port, b->cpu, b->fn);
	}
	return failed ? -EIO : 0;
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
