/* SPDX-License-Identifier: MIT */
/*
 * Xen public ABI: scheduler operations, HYPERVISOR_sched_op(cmd, arg).
 */
#ifndef __XEN_INTERFACE_SCHED_H__
#define __XEN_INTERFACE_SCHED_H__

#include <xen/interface/event_channel.h>

#define SCHEDOP_yield		0	/* arg NULL: give up the CPU for now */
#define SCHEDOP_block		1	/* arg NULL: sleep until an event;
					 * also unmasks events */
#define SCHEDOP_shutdown	2	/* struct sched_shutdown */
#define SCHEDOP_poll		3	/* struct sched_poll */
#define SCHEDOP_remote_shutdown	4	/* struct sched_remote_shutdown */
#define SCHEDOP_shutdown_code	5	/* struct sched_shutdown: record the
					 * reason, do not stop yet */
#define SCHEDOP_watchdog	6	/* struct sched_watchdog */
#define SCHEDOP_pin_override	7	/* struct sched_pin_override */

/* Shutdown reasons, as reported to the toolstack. */
#define SHUTDOWN_poweroff	0	/* exited normally: destroy */
#define SHUTDOWN_reboot		1	/* destroy, then start again */
#define SHUTDOWN_suspend	2	/* save state for a later resume */
#define SHUTDOWN_crash		3	/* the guest crashed */
#define SHUTDOWN_watchdog	4	/* a watchdog expired */
#define SHUTDOWN_soft_reset	5	/* reset in place, keep memory */
#define SHUTDOWN_MAX		5

#ifndef __ASSEMBLY__

/* SCHEDOP_shutdown / SCHEDOP_shutdown_code */
struct sched_shutdown {
	uint32_t reason;		/* SHUTDOWN_* */
};
typedef struct sched_shutdown sched_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_shutdown_t);
XEN_ABI_SIZE(struct sched_shutdown, 4);

/*
 * SCHEDOP_poll: block until one of the listed local ports is pending or
 * the timeout (absolute system time in ns; 0 = none) passes.
 */
struct sched_poll {
	XEN_GUEST_HANDLE(evtchn_port_t) ports;
	uint32_t nr_ports;
	uint64_t timeout;
};
typedef struct sched_poll sched_poll_t;
DEFINE_XEN_GUEST_HANDLE(sched_poll_t);
XEN_ABI_OFFSET(struct sched_poll, nr_ports, 8);
XEN_ABI_OFFSET(struct sched_poll, timeout, 16);
XEN_ABI_SIZE(struct sched_poll, 24);

/* SCHEDOP_remote_shutdown: shut down another domain (privileged). */
struct sched_remote_shutdown {
	domid_t domain_id;
	uint32_t reason;		/* SHUTDOWN_* */
};
typedef struct sched_remote_shutdown sched_remote_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_remote_shutdown_t);
XEN_ABI_OFFSET(struct sched_remote_shutdown, reason, 4);
XEN_ABI_SIZE(struct sched_remote_shutdown, 8);

/*
 * SCHEDOP_watchdog: id 0 creates a watchdog and returns its id (from 1);
 * a non-zero id re-arms that one.  timeout is in seconds; re-arming with
 * timeout 0 destroys the watchdog.  Expiry means SHUTDOWN_watchdog.
 */
struct sched_watchdog {
	uint32_t id;
	uint32_t timeout;
};
typedef struct sched_watchdog sched_watchdog_t;
DEFINE_XEN_GUEST_HANDLE(sched_watchdog_t);
XEN_ABI_SIZE(struct sched_watchdog, 8);

/*
 * SCHEDOP_pin_override: hardware domain only.  Pin the calling vCPU to
 * pcpu for a while; a negative pcpu removes the override.
 */
struct sched_pin_override {
	int32_t pcpu;
};
typedef struct sched_pin_override sched_pin_override_t;
DEFINE_XEN_GUEST_HANDLE(sched_pin_override_t);
XEN_ABI_SIZE(struct sched_pin_override, 4);

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_INTERFACE_SCHED_H__ */
