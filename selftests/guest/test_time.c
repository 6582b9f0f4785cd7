// SPDX-License-Identifier: MIT
/*
 * Time: the system clock never goes backwards and advances, the wall clock
 * is plausible, a kernel timer fires at or after its deadline while we
 * sleep (also one whose deadline has passed already), and msleep() does
 * not return early.  The per-CPU side is in test_clock and test_timers.
 */
#include <linux/kernel.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/selftest.h>
#include <linux/time.h>
#include <linux/timer.h>

#define GUARD_NS	(10 * NSEC_PER_SEC)

struct fired {
	struct timer_list timer;
	struct completion done;
	u64 when;
};

static void timer_fired(struct timer_list *t)
{
	struct fired *f = container_of(t, struct fired, timer);

	f->when = xen_clocksource_read();
	complete(&f->done);
}

static enum selftest_result test_time_run(void)
{
	u64 prev = xen_clocksource_read(), start = prev, when, now, sec;
	struct fired f;
	unsigned int i;
	bool mono = true;
	u32 nsec;

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

	timer_setup(&f.timer, timer_fired);
	init_completion(&f.done);
	when = xen_clocksource_read() + 5 * NSEC_PER_MSEC;
	ST_CHECK(!mod_timer(&f.timer, when));
	ST_CHECK(wait_for_completion_timeout(&f.done, GUARD_NS));
	ST_CHECK(f.when >= when);
	ST_CHECK(!timer_pending(&f.timer));

	/* A deadline already past fires at once. */
	ST_CHECK(!mod_timer(&f.timer, 1));
	ST_CHECK(wait_for_completion_timeout(&f.done, GUARD_NS));

	start = xen_clocksource_read();
	msleep(10);
	ST_CHECK(xen_clocksource_read() - start >= 10 * NSEC_PER_MSEC);
	return selftest_status();
}
DEFINE_SELFTEST(time, test_time_run);
