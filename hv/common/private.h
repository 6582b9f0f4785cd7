/* SPDX-License-Identifier: MIT */
#ifndef _HV_COMMON_PRIVATE_H
#define _HV_COMMON_PRIVATE_H

/*
 * What the common part keeps to itself: the domctls' lock and the domain
 * table behind them, the life-cycle steps only domctls take, the ports
 * whose other end is the toolstack, and the reports.  hv/testing.c and
 * the hypervisor's own host tests reach in here too.
 */
#include "hv/private.h"

/* Serialises domctls (Xen's domctl_lock); never taken by a vCPU thread. */
extern pthread_mutex_t hv_domctl_lock;

/* A descriptor of our own for one the toolstack hands over, or -errno. */
int hv_dup_fd(int fd);

/*
 * createdomain and destroydomain (under the domctl lock).  destroy
 * returns how many frames the domain's teardown could not free, for the
 * tests' leak checks.
 */
long hv_domain_create(domid_t domid, const struct hv_domctl_createdomain *c);
uint64_t hv_domain_destroy(struct hv_domain *d);
/* The domain of this process with that id, or NULL; under the domctl lock. */
struct hv_domain *hv_domain_find(domid_t domid);
long hv_domain_pause(struct hv_domain *d);
long hv_domain_unpause(struct hv_domain *d);
long hv_domain_resume(struct hv_domain *d);

/* The lowest free port, unbound with the toolstack (dom0) as its remote. */
long hv_evtchn_alloc_unbound_port(struct hv_domain *d);
long hv_evtchn_bind_fd(struct hv_domain *d, uint32_t port, int fd,
		       uint8_t send_byte, uint8_t raise_byte);
/* Before the vCPU threads are joined: no more raises from the fds. */
void hv_evtchn_fds_stop(struct hv_domain *d);
/* Once they are: closes the descriptors. */
void hv_evtchn_fds_free(struct hv_domain *d);

/* The console ring's backend (what xenconsoled is on Xen). */
void hv_console_ring_backend(struct hv_domain *d, uint32_t port,
			     enum hv_evtchn_backend_event ev, void *arg);
void hv_print_hypercall_stats(struct hv_domain *d, FILE *f);
/* The physinfo domctl's answer (common/version.c). */
void hv_physinfo(struct hv_physinfo *p);

#endif
