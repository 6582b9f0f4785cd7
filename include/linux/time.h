/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_TIME_H
#define _LINUX_TIME_H

#include <linux/types.h>

#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL

/*
 * Nanoseconds of the hypervisor's system time (on Xen since Xen booted, on
 * the host hypervisor since the domain started); never decreases.  Timers
 * and timeouts use it.
 */
u64 xen_clocksource_read(void);
/*
 * Nanoseconds since this kernel could first read the clock (right after
 * shared_info is mapped; 0 before): what printk stamps lines with, the
 * same on both hypervisors.
 */
u64 local_clock(void);
/* Takes the current system time as local_clock()'s zero. */
void xen_clock_mark_boot(void);
/* Seconds and nanoseconds since the epoch, from shared_info's wall clock. */
void xen_read_wallclock(u64 *sec, u32 *nsec);

/*
 * The one-shot timer of the calling CPU: fire at system time 'when' (ns),
 * calling the handler registered with xen_set_timer_handler on that CPU.
 * Both belong to kernel/timer.c; everything else uses kernel timers.
 */
int xen_timer_set_oneshot(u64 when);
void xen_set_timer_handler(void (*fn)(void));
/* A guest clock time as the hypervisor's system time (for its deadlines). */
u64 xen_clock_to_system(u64 t);
/* How far the guest clock is ahead of the hypervisor's system time. */
u64 xen_clock_offset(void);
/* The guest clock at a TSC reading of this CPU, by its current record. */
u64 xen_tsc_to_clock(u64 tsc);
/* ... by a copy of a record, taken while shared_info was mapped. */
struct vcpu_time_info;
u64 xen_tsc_to_clock_rec(const struct vcpu_time_info *t, u64 tsc);
/* The TSC of this CPU, sampled after every earlier load completed. */
u64 xen_read_tsc(void);
/* System time (no offset) by a record, as the clock reads it. */
u64 xen_pvclock_read(const struct vcpu_time_info *t);
/*
 * After a restore (shared_info mapped again, other CPUs parked): raises
 * the offset so that the clock does not go back, and stops the periodic
 * timer Xen gives every vCPU again.
 */
void xen_time_resume(void);

/* Binds the calling CPU's timer event; the boot CPU's from xen_time_init. */
void xen_setup_cpu_timer(unsigned int cpu);
void xen_time_init(void);

#endif
