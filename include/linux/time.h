/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_TIME_H
#define _LINUX_TIME_H

#include <linux/types.h>

#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL

/* Nanoseconds of system time (since the domain started); never decreases. */
u64 xen_clocksource_read(void);
/* Seconds and nanoseconds since the epoch, from shared_info's wall clock. */
void xen_read_wallclock(u64 *sec, u32 *nsec);

/*
 * The one-shot timer of the calling CPU: fire at system time 'when' (ns),
 * calling the handler registered with xen_set_timer_handler on that CPU.
 * Both belong to kernel/timer.c; everything else uses kernel timers.
 */
int xen_timer_set_oneshot(u64 when);
void xen_set_timer_handler(void (*fn)(void));
/* Binds the calling CPU's timer event; the boot CPU's from xen_time_init. */
void xen_setup_cpu_timer(unsigned int cpu);
void xen_time_init(void);

#endif
