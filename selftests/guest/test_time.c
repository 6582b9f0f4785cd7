// SPDX-License-Identifier: MIT
/*
 * Time: the system clock never goes backwards and advances, the wall clock
 * is plausible, and a one-shot timer fires at or after its deadline while
 * we block.
 */
#include <linux/kernel.h>
#include <linux/selftest.h>
#include <linux/time.h>
#include <asm/xen/hypercall.h>
#include <xen/xen.h>

static volatile unsigned int fired;

static void timer_fired(void)
{
	fired++;
}

/* Blocks until the timer handler ran, or gives up after limit ns. */
static bool wait_for_timer(unsigned int before, u64 limit)
{
	while (fired == before) {
		if (xen_clocksource_read() > limit)
			return false;
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
	}
	return true;
}

static enum selftest_result test_time_run(void)
{
	u64 prev = xen_clocksource_read(), start = prev, when, now, sec;
	unsigned int i, before;
	u32 nsec;
	bool mono = true;

	for (i = 0; i < 200000; i++) {
		now = xen_clocksource_read();
		if (now < prev)
			mono = false;
		prev = now;
	}
	ST_CHECK(mono);
	ST_CHECK(prev > start);

	xen_read_wallclock(&sec, &nsec);
	ST_CHECK(sec > 1600000000ULL);	/* after 2020 */
	ST_CHECK(nsec < NSEC_PER_SEC);

	xen_set_timer_handler(timer_fired);
	before = fired;
	when = xen_clocksource_read() + 5 * NSEC_PER_MSEC;
	ST_CHECK(xen_timer_set_oneshot(when) == 0);
	ST_CHECK(wait_for_timer(before, when + 10 * NSEC_PER_SEC));
	now = xen_clocksource_read();
	ST_CHECK(now >= when);
	ST_CHECK(fired == before + 1);

	/* A deadline already past fires at once. */
	before = fired;
	ST_CHECK(xen_timer_set_oneshot(1) == 0);
	ST_CHECK(wait_for_timer(before, xen_clocksource_read() + 10 * NSEC_PER_SEC));
	xen_set_timer_handler(NULL);
	return selftest_status();
}
DEFINE_SELFTEST(time, test_time_run);
