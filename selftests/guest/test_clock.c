// SPDX-License-Identifier: MIT
/*
 * The clock on every CPU at once: each CPU's readings never go backwards,
 * no CPU reads a time earlier than one another CPU has already read (the
 * readings are published through one shared maximum), and sleeping on
 * any CPU lets at least the time slept pass.
 *
 * And it never leaps: a CPU reads its clock without pause while its own
 * timer fires every TICK_NS, so that the hypervisor rewrites the CPU's
 * time record again and again while the CPU reads it (the host
 * hypervisor writes it from its timer thread, on another host CPU), and
 * no two successive readings are more than LEAP_NS apart.  A read whose
 * TSC was sampled before the record it used was stamped (an rdtsc that
 * the CPU ran ahead of the loads, or one from a CPU whose TSC lags) once
 * made the delta negative, hence about 2^63 ns: the clock then stood at
 * some centuries from now for good (it never goes back), and every delay,
 * timeout and timer of the guest waited for ever (issue 11: a 4-vCPU
 * guest hung in test_suspend's busy loops, silently).  A record stamped
 * in the future must read as its own system time, not as that.
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/selftest.h>
#include <linux/smp.h>
#include <linux/time.h>
#include <linux/timer.h>
#include <asm/irqflags.h>
#include <xen/xen.h>

#define READS	50000
#define TICK_NS	(50 * NSEC_PER_USEC)
#define LEAP_MS	300
#define LEAP_NS	(1000ULL * NSEC_PER_SEC)	/* no host stalls a vCPU this long */

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

struct ticker {
	struct timer_list timer;
	volatile bool stop;
	unsigned int fired;
};

static struct ticker tickers[NR_CPUS];

static void tick(struct timer_list *t)
{
	struct ticker *k = container_of(t, struct ticker, timer);

	k->fired++;
	if (!k->stop)
		mod_timer(t, xen_clocksource_read() + TICK_NS);
}

static int leap_on_cpu(unsigned int cpu, void *arg)
{
	struct ticker *k = &tickers[cpu];
	u64 prev, now, end, worst = 0;
	unsigned long reads = 0;

	k->stop = false;
	k->fired = 0;
	timer_setup(&k->timer, tick);
	prev = xen_clocksource_read();
	end = prev + LEAP_MS * NSEC_PER_MSEC;
	mod_timer(&k->timer, prev + TICK_NS);
	do {
		now = xen_clocksource_read();
		if (now - prev > worst)
			worst = now - prev;
		prev = now;
		reads++;
	} while (now < end && worst <= LEAP_NS);
	k->stop = true;
	del_timer_sync(&k->timer);
	if (!ST_CHECK(worst <= LEAP_NS))
		printk("  CPU %u: the clock leapt by %llu s after %lu reads (timer fired %u times)\n",
		       cpu, worst / NSEC_PER_SEC, reads, k->fired);
	ST_CHECK(k->fired > 0);
	return 0;
}

/* A record stamped after our TSC reading reads as its own system time. */
static void future_record(void)
{
	struct vcpu_time_info rec;
	unsigned long flags;

	local_irq_save(flags);
	rec = xen_vcpu_info()->time;
	local_irq_restore(flags);
	rec.version = 2;
	rec.tsc_timestamp = xen_read_tsc() + (1ULL << 40);
	ST_CHECK(xen_pvclock_read(&rec) == rec.system_time);
	rec.tsc_timestamp = xen_read_tsc() - (1ULL << 20);
	ST_CHECK(xen_pvclock_read(&rec) > rec.system_time);
}

static enum selftest_result test_clock_run(void)
{
	future_record();
	latest = 0;
	ST_CHECK(selftest_on_each_cpu(clock_on_cpu, NULL) == 0);
	ST_CHECK(selftest_on_each_cpu(leap_on_cpu, NULL) == 0);
	return selftest_status();
}
DEFINE_SELFTEST(clock, test_clock_run);
