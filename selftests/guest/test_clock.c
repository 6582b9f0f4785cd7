// SPDX-License-Identifier: MIT
/*
 * The clock on every CPU at once: each CPU's readings never go backwards,
 * no CPU reads a time earlier than one another CPU has already read (the
 * readings are published through one shared maximum), and sleeping on
 * any CPU lets at least the time slept pass.
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/selftest.h>
#include <linux/time.h>

#define READS	50000

static u64 latest;		/* the largest reading any CPU published */

static int clock_on_cpu(unsigned int cpu, void *arg)
{
	u64 prev = 0, now, seen, start;
	unsigned int i, back = 0, behind = 0;

	for (i = 0; i < READS; i++) {
		seen = __atomic_load_n(&latest, __ATOMIC_ACQUIRE);
		now = xen_clocksource_read();
		if (now < prev)
			back++;
		if (now < seen)
			behind++;
		while (seen < now &&
		       !__atomic_compare_exchange_n(&latest, &seen, now, false,
						    __ATOMIC_RELEASE,
						    __ATOMIC_ACQUIRE))
			;
		prev = now;
	}
	ST_CHECK(back == 0);
	ST_CHECK(behind == 0);

	start = xen_clocksource_read();
	msleep(10);
	ST_CHECK(xen_clocksource_read() - start >= 10 * NSEC_PER_MSEC);
	return 0;
}

static enum selftest_result test_clock_run(void)
{
	latest = 0;
	ST_CHECK(selftest_on_each_cpu(clock_on_cpu, NULL) == 0);
	return selftest_status();
}
DEFINE_SELFTEST(clock, test_clock_run);
