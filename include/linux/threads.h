/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_THREADS_H
#define _LINUX_THREADS_H

/*
 * The most CPUs this kernel handles.  A domain with more vCPUs runs on the
 * first NR_CPUS of them.  vcpu_info lives in the shared-info page, which has
 * 32 slots, hence Kconfig's upper bound.
 */
#define NR_CPUS CONFIG_NR_CPUS

#endif
