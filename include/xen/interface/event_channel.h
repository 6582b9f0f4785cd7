/* SPDX-License-Identifier: MIT */
/*
 * Xen public ABI: event channels, HYPERVISOR_event_channel_op(cmd, arg).
 *
 * An event channel is a port number local to a domain.  It is bound to a
 * source (another domain's port, a virtual IRQ, a physical IRQ or an IPI
 * between the domain's own vCPUs); an event marks it pending in
 * shared_info.evtchn_pending and upcalls the vCPU it is bound to.
 */
#ifndef __XEN_INTERFACE_EVENT_CHANNEL_H__
#define __XEN_INTERFACE_EVENT_CHANNEL_H__

#include <xen/interface/xen.h>

#define EVTCHNOP_bind_interdomain	0
#define EVTCHNOP_bind_virq		1
#define EVTCHNOP_bind_pirq		2
#define EVTCHNOP_close			3
#define EVTCHNOP_send			4
#define EVTCHNOP_status			5
#define EVTCHNOP_alloc_unbound		6
#define EVTCHNOP_bind_ipi		7
#define EVTCHNOP_bind_vcpu		8
#define EVTCHNOP_unmask			9
#define EVTCHNOP_reset			10
#define EVTCHNOP_init_control		11
#define EVTCHNOP_expand_array		12
#define EVTCHNOP_set_priority		13
/*
 * Xen-internal: continuation of a preempted EVTCHNOP_reset.  Not part of
 * the guest interface; a hypervisor must reject it from a guest.
 */
#define EVTCHNOP_reset_cont		14

/* evtchn_status.status */
#define EVTCHNSTAT_closed		0	/* port not in use */
#define EVTCHNSTAT_unbound		1	/* waiting for a remote end */
#define EVTCHNSTAT_interdomain		2	/* connected to a domain */
#define EVTCHNSTAT_pirq			3	/* bound to a physical IRQ */
#define EVTCHNSTAT_virq			4	/* bound to a virtual IRQ */
#define EVTCHNSTAT_ipi			5	/* bound to an IPI */

/* evtchn_bind_pirq.flags: the IRQ may be shared with other domains. */
#define BIND_PIRQ__WILL_SHARE		1

/* FIFO event channels (EVTCHNOP_init_control): priorities and limits. */
#define EVTCHN_FIFO_PRIORITY_MAX	0
#define EVTCHN_FIFO_PRIORITY_DEFAULT	7
#define EVTCHN_FIFO_PRIORITY_MIN	15
#define EVTCHN_FIFO_MAX_QUEUES		(EVTCHN_FIFO_PRIORITY_MIN + 1)
#define EVTCHN_FIFO_LINK_BITS		17
#define EVTCHN_FIFO_NR_CHANNELS		(1 << EVTCHN_FIFO_LINK_BITS)

#ifndef __ASSEMBLY__

typedef uint32_t evtchn_port_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_port_t);

/*
 * EVTCHNOP_alloc_unbound: allocate a port in dom that remote_dom may later
 * bind to.  dom is usually DOMID_SELF.  OUT: port.
 */
struct evtchn_alloc_unbound {
	domid_t dom;
	domid_t remote_dom;
	evtchn_port_t port;
};
typedef struct evtchn_alloc_unbound evtchn_alloc_unbound_t;
XEN_ABI_OFFSET(struct evtchn_alloc_unbound, remote_dom, 2);
XEN_ABI_OFFSET(struct evtchn_alloc_unbound, port, 4);
XEN_ABI_SIZE(struct evtchn_alloc_unbound, 8);

/*
 * EVTCHNOP_bind_interdomain: connect a new local port to remote_port of
 * remote_dom, which must be unbound and allocated for us.  OUT: local_port.
 */
struct evtchn_bind_interdomain {
	domid_t remote_dom;
	evtchn_port_t remote_port;
	evtchn_port_t local_port;
};
typedef struct evtchn_bind_interdomain evtchn_bind_interdomain_t;
XEN_ABI_OFFSET(struct evtchn_bind_interdomain, remote_port, 4);
XEN_ABI_OFFSET(struct evtchn_bind_interdomain, local_port, 8);
XEN_ABI_SIZE(struct evtchn_bind_interdomain, 12);

/* EVTCHNOP_bind_virq: bind VIRQ_* virq on vcpu to a new port.  OUT: port. */
struct evtchn_bind_virq {
	uint32_t virq;
	uint32_t vcpu;
	evtchn_port_t port;
};
typedef struct evtchn_bind_virq evtchn_bind_virq_t;
XEN_ABI_OFFSET(struct evtchn_bind_virq, port, 8);
XEN_ABI_SIZE(struct evtchn_bind_virq, 12);

/* EVTCHNOP_bind_pirq: bind physical IRQ pirq to a new port.  OUT: port. */
struct evtchn_bind_pirq {
	uint32_t pirq;
	uint32_t flags;			/* BIND_PIRQ__* */
	evtchn_port_t port;
};
typedef struct evtchn_bind_pirq evtchn_bind_pirq_t;
XEN_ABI_SIZE(struct evtchn_bind_pirq, 12);

/* EVTCHNOP_bind_ipi: a port that signals vcpu of this domain.  OUT: port. */
struct evtchn_bind_ipi {
	uint32_t vcpu;
	evtchn_port_t port;
};
typedef struct evtchn_bind_ipi evtchn_bind_ipi_t;
XEN_ABI_SIZE(struct evtchn_bind_ipi, 8);

/* EVTCHNOP_close: unbind port; the remote end of a channel goes unbound. */
struct evtchn_close {
	evtchn_port_t port;
};
typedef struct evtchn_close evtchn_close_t;
XEN_ABI_SIZE(struct evtchn_close, 4);

/* EVTCHNOP_send: raise an event at the other end of port. */
struct evtchn_send {
	evtchn_port_t port;
};
typedef struct evtchn_send evtchn_send_t;
XEN_ABI_SIZE(struct evtchn_send, 4);

/* EVTCHNOP_status: describe port of dom.  OUT: status onwards. */
struct evtchn_status {
	domid_t dom;
	evtchn_port_t port;
	uint32_t status;		/* EVTCHNSTAT_* */
	uint32_t vcpu;			/* vCPU the port notifies */
	union {
		struct {
			domid_t dom;
		} unbound;		/* EVTCHNSTAT_unbound */
		struct {
			domid_t dom;
			evtchn_port_t port;
		} interdomain;		/* EVTCHNSTAT_interdomain */
		uint32_t pirq;		/* EVTCHNSTAT_pirq */
		uint32_t virq;		/* EVTCHNSTAT_virq */
	} u;
};
typedef struct evtchn_status evtchn_status_t;
XEN_ABI_OFFSET(struct evtchn_status, port, 4);
XEN_ABI_OFFSET(struct evtchn_status, status, 8);
XEN_ABI_OFFSET(struct evtchn_status, vcpu, 12);
XEN_ABI_OFFSET(struct evtchn_status, u, 16);
XEN_ABI_OFFSET(struct evtchn_status, u.interdomain.port, 20);
XEN_ABI_SIZE(struct evtchn_status, 24);

/* EVTCHNOP_bind_vcpu: deliver port's events to vcpu from now on. */
struct evtchn_bind_vcpu {
	evtchn_port_t port;
	uint32_t vcpu;
};
typedef struct evtchn_bind_vcpu evtchn_bind_vcpu_t;
XEN_ABI_SIZE(struct evtchn_bind_vcpu, 8);

/*
 * EVTCHNOP_unmask: clear port's mask bit and, if it is pending, raise the
 * upcall the guest would otherwise have missed.
 */
struct evtchn_unmask {
	evtchn_port_t port;
};
typedef struct evtchn_unmask evtchn_unmask_t;
XEN_ABI_SIZE(struct evtchn_unmask, 4);

/* EVTCHNOP_reset: close every port of dom (usually DOMID_SELF). */
struct evtchn_reset {
	domid_t dom;
};
typedef struct evtchn_reset evtchn_reset_t;
XEN_ABI_SIZE(struct evtchn_reset, 2);

/*
 * EVTCHNOP_init_control: switch to FIFO event channels by giving vcpu a
 * control block at offset in frame control_gfn.  OUT: link_bits.
 */
struct evtchn_init_control {
	uint64_t control_gfn;
	uint32_t offset;
	uint32_t vcpu;
	uint8_t link_bits;
	uint8_t _pad[7];
};
typedef struct evtchn_init_control evtchn_init_control_t;
XEN_ABI_OFFSET(struct evtchn_init_control, offset, 8);
XEN_ABI_OFFSET(struct evtchn_init_control, link_bits, 16);
XEN_ABI_SIZE(struct evtchn_init_control, 24);

/* EVTCHNOP_expand_array: add one page of FIFO event words. */
struct evtchn_expand_array {
	uint64_t array_gfn;
};
typedef struct evtchn_expand_array evtchn_expand_array_t;
XEN_ABI_SIZE(struct evtchn_expand_array, 8);

/* EVTCHNOP_set_priority: FIFO priority of port (0 is the highest). */
struct evtchn_set_priority {
	evtchn_port_t port;
	uint32_t priority;
};
typedef struct evtchn_set_priority evtchn_set_priority_t;
XEN_ABI_SIZE(struct evtchn_set_priority, 8);

/*
 * The argument of the old __HYPERVISOR_event_channel_op_compat: the
 * command followed by its argument.
 */
struct evtchn_op {
	uint32_t cmd;			/* EVTCHNOP_* */
	union {
		struct evtchn_alloc_unbound alloc_unbound;
		struct evtchn_bind_interdomain bind_interdomain;
		struct evtchn_bind_virq bind_virq;
		struct evtchn_bind_pirq bind_pirq;
		struct evtchn_bind_ipi bind_ipi;
		struct evtchn_close close;
		struct evtchn_send send;
		struct evtchn_status status;
		struct evtchn_bind_vcpu bind_vcpu;
		struct evtchn_unmask unmask;
	} u;
};
typedef struct evtchn_op evtchn_op_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_op_t);
XEN_ABI_OFFSET(struct evtchn_op, u, 4);
XEN_ABI_SIZE(struct evtchn_op, 28);

/* FIFO ABI: one 32-bit word per port, with these flag bits on top. */
typedef uint32_t event_word_t;
#define EVTCHN_FIFO_PENDING		31
#define EVTCHN_FIFO_MASKED		30
#define EVTCHN_FIFO_LINKED		29
#define EVTCHN_FIFO_BUSY		28
#define EVTCHN_FIFO_LINK_MASK		((1 << EVTCHN_FIFO_LINK_BITS) - 1)

/* Per-vCPU FIFO control block: ready bitmap and one head per queue. */
struct evtchn_fifo_control_block {
	uint32_t ready;
	uint32_t _rsvd;
	uint32_t head[EVTCHN_FIFO_MAX_QUEUES];
};
typedef struct evtchn_fifo_control_block evtchn_fifo_control_block_t;
XEN_ABI_SIZE(struct evtchn_fifo_control_block, 72);

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_INTERFACE_EVENT_CHANNEL_H__ */
