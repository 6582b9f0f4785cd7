/* SPDX-License-Identifier: MIT */
#ifndef _HV_INCLUDE_HV_H
#define _HV_INCLUDE_HV_H

/*
 * The hypervisor as a library in the process that runs a domain: the
 * process-wide set-up it needs before any domain exists, and the wait a
 * toolstack in the same process makes for a domain's state to change
 * (what VIRQ_DOM_EXC is to a Xen toolstack).  Everything else goes
 * through hv_domctl() (domctl.h) or the control socket (control.h).
 * One domain per process runs guest code (Documentation/hv.rst says why).
 */
#include <stddef.h>
#include <stdint.h>

/*
 * Process-wide set-up: the TSC calibration, the signal handlers the vCPU
 * threads use, the guest window reserved in the address space, and the
 * seccomp filter that turns the guest's syscalls into hypercalls.  0, or
 * -1 with a one-line reason in err.
 */
int hv_init(char *err, size_t errlen);

/*
 * A counter that moves whenever any domain of this process changes state
 * (shuts down, is paused, unpaused, resumed or destroyed).
 * hv_domain_state_wait() sleeps until it differs from *seen and stores
 * the new value there; read it with hv_domain_state_seq() before looking
 * at a domain, so that no change between the look and the wait is lost.
 */
uint64_t hv_domain_state_seq(void);
void hv_domain_state_wait(uint64_t *seen);

#endif
