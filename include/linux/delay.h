/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_DELAY_H
#define _LINUX_DELAY_H

/*
 * msleep() sleeps (the CPU runs other tasks); ndelay/udelay/mdelay spin,
 * for code that must not sleep or that wants to keep its CPU busy.
 */
#include <linux/types.h>
#include <linux/time.h>
#include <asm/processor.h>

void msleep(unsigned int ms);

static inline void ndelay(u64 ns)
{
	u64 end = xen_clocksource_read() + ns;

	while (xen_clocksource_read() < end)
		cpu_relax();
}

#define udelay(us)	ndelay((u64)(us) * NSEC_PER_USEC)
#define mdelay(ms)	ndelay((u64)(ms) * NSEC_PER_MSEC)

#endif
