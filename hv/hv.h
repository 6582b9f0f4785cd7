/* SPDX-License-Identifier: MIT */
#ifndef _HV_HV_H
#define _HV_HV_H

/*
 * The hypervisor as the toolstack sees it: build a domain from a config,
 * run it, wait for it to end, and learn how it ended.  One domain per
 * process (see Documentation/hv.rst for why).
 */

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <xen/frame.h>
#include "config.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

struct hv_domain;

enum hv_outcome {
	HV_OUT_POWEROFF,
	HV_OUT_REBOOT,
	HV_OUT_SUSPEND,
	HV_OUT_CRASH,
	HV_OUT_WATCHDOG,
	HV_OUT_SOFT_RESET,
	HV_OUT_DESTROYED,
};

/* Diagnostics on stderr: 1 reports the start-of-day layout. */
void hv_set_verbose(int level);

/* Process-wide set-up: signal handlers, seccomp filter, guest window. */
int hv_init(char *err, size_t errlen);

/* Loads the kernel named by cfg and lays out start of day; not yet running. */
struct hv_domain *hv_domain_create(const struct hv_config *cfg,
				   uint16_t domid, int console_fd,
				   char *err, size_t errlen);
/* Also send the guest's console to fd (a log, say). */
void hv_domain_add_console(struct hv_domain *d, int fd);
int hv_domain_start(struct hv_domain *d, char *err, size_t errlen);
/* Blocks until the guest shuts down or is destroyed. */
enum hv_outcome hv_domain_wait(struct hv_domain *d);
/* Asks a running domain to stop now (xl destroy); safe from any thread. */
void hv_domain_destroy(struct hv_domain *d);
void hv_domain_free(struct hv_domain *d);

/*
 * The domain's shared rings, as a toolstack needs them to write the
 * store's nodes and to let a xenstore daemon map the store page
 * (hv/store.c, Documentation/xenstore.rst).  memfd stays the domain's.
 */
struct hv_rings {
	int memfd;			/* machine memory: frame n at n * 4096 */
	mfn_t store_mfn;
	unsigned int store_port;
	mfn_t console_mfn;
	unsigned int console_port;
};
void hv_domain_rings(struct hv_domain *d, struct hv_rings *r);
/*
 * Connects the guest's store port to the toolstack: from now on each
 * EVTCHNOP_send on it calls kick(arg), on the sending vCPU's thread, so
 * kick must not block.  Before this, sends on the port go nowhere.
 */
int hv_domain_store_bind(struct hv_domain *d, void (*kick)(void *arg),
			 void *arg);
/* Raises the guest's store port (the store updated the ring); any thread. */
void hv_domain_store_notify(struct hv_domain *d);

const char *hv_outcome_name(enum hv_outcome o);
void hv_domain_print_stats(struct hv_domain *d, FILE *f);
/*
 * One line per vCPU, for tern-xl vcpu-list: "<id> <state> <cpu> <time_ns>
 * <affinity>", state running, blocked or offline, cpu the host CPU its
 * thread last ran on ("-" when offline), affinity "all", a host CPU list
 * such as "0-3,6", or "-" when it has no thread.  Safe from any thread
 * while d is not being freed.
 */
void hv_domain_print_vcpus(struct hv_domain *d, FILE *f);
/*
 * A debug key, as Xen's console takes them.  Only 'q': raise VIRQ_DEBUG
 * on every vCPU (the guest answers on its console), one line each on f,
 * as Xen's "Notifying guest" lines.  -EINVAL for any other key.
 */
int hv_domain_debug_key(struct hv_domain *d, char key, FILE *f);

#endif
