// SPDX-License-Identifier: MIT
/*
 * The two halves of quiescing a domain for suspend.  The freezer parks
 * every freezable kthread at a point of its choosing: with ptstress on
 * every CPU, freezing parks each worker and its counters stand still
 * until the thaw, after which it goes on with no checksum error; a
 * freezable thread that never reaches a freeze point makes the freeze
 * fail in time and leaves nothing frozen.  stop_machine() then runs a
 * function on one CPU while every other CPU is parked with events masked:
 * the others are seen parked, their upcall counts stand still, the
 * function's value comes back, and it works from any CPU.
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/freezer.h>
#include <linux/kthread.h>
#include <linux/ptstress.h>
#include <linux/sched.h>
#include <linux/selftest.h>
#include <linux/smp.h>
#include <linux/stop_machine.h>
#include <linux/time.h>
#include <asm/irqflags.h>

#define MS	NSEC_PER_MSEC
#define BOUND	(10000 * MS)	/* for what only a stalled host delays */

/* Waits until n freezable kthreads exist (they register when they start). */
static bool wait_freezable(unsigned int n)
{
	u64 t0 = xen_clocksource_read();

	while (nr_freezable() != n && xen_clocksource_read() - t0 < BOUND)
		msleep(1);
	return nr_freezable() == n;
}

struct stop_check {
	unsigned int cpu;		/* where fn ran */
	bool masked;			/* with events masked */
	bool others_parked;		/* every other online CPU parked */
	bool others_quiet;		/* their upcall counts did not move */
};

static int check_stopped(void *data)
{
	struct stop_check *c = data;
	unsigned long before[NR_CPUS];
	unsigned int cpu, me = smp_processor_id();
	u64 t0;

	c->cpu = me;
	c->masked = irqs_disabled();
	c->others_parked = true;
	for_each_online_cpu(cpu) {
		before[cpu] = READ_ONCE(per_cpu(cpu)->upcalls);
		if (cpu != me && !cpu_stopped(cpu))
			c->others_parked = false;
	}
	/* 5 ms: long enough for timer ticks, had anyone been running. */
	t0 = xen_clocksource_read();
	while (xen_clocksource_read() - t0 < 5 * MS)
		cpu_relax();
	c->others_quiet = true;
	for_each_online_cpu(cpu)
		if (cpu != me && READ_ONCE(per_cpu(cpu)->upcalls) != before[cpu])
			c->others_quiet = false;
	return 42;
}

static void stop_from_here(void)
{
	struct stop_check c = { 0 };

	ST_CHECK(stop_machine(check_stopped, &c) == 42);
	ST_CHECK(c.cpu == smp_processor_id());
	ST_CHECK(c.masked);
	ST_CHECK(c.others_parked);
	ST_CHECK(c.others_quiet);
}

static int stop_on_cpu(unsigned int cpu, void *arg)
{
	/* One CPU at a time: the others take part as the parked ones. */
	if (cpu == num_online_cpus() - 1)
		stop_from_here();
	return 0;
}

/* Frozen ptstress: nothing moves until the thaw; then clean. */
static void freeze_ptstress(void)
{
	struct ptstress_stats a, b, end;
	unsigned int n = num_online_cpus();
	u64 t0;

	if (!ST_CHECK(ptstress_start(16) == 0))
		return;
	ST_CHECK(wait_freezable(n));
	ST_CHECK(freeze_kthreads(BOUND) == 0);
	ST_CHECK(freezing() && nr_frozen() == n);
	ptstress_get_stats(&a, NULL);
	stop_from_here();
	msleep(20);
	ptstress_get_stats(&b, NULL);
	ST_CHECK(a.updates == b.updates && a.rounds == b.rounds);
	thaw_kthreads();
	ST_CHECK(!freezing());
	/* Every worker wakes and works again (however slowly the host lets it). */
	t0 = xen_clocksource_read();
	do {
		msleep(1);
		ptstress_get_stats(&b, NULL);
	} while ((nr_frozen() || b.rounds <= a.rounds) &&
		 xen_clocksource_read() - t0 < BOUND);
	ST_CHECK(nr_frozen() == 0);
	ST_CHECK(b.rounds > a.rounds);
	ptstress_stop(&end);
	ST_CHECK(end.mismatches == 0 && end.errors == 0);
	ST_CHECK(nr_freezable() == 0);
}

static int never_freezes(void *unused)
{
	set_freezable();
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

/* A straggler fails the freeze in time and nothing stays frozen. */
static void straggler(void)
{
	struct task_struct *t = kthread_run(never_freezes, NULL, "no-freeze");
	u64 t0;
	int rc;

	if (!ST_CHECK(!IS_ERR(t)))
		return;
	ST_CHECK(wait_freezable(1));
	printk("  a freeze that fails follows, on purpose\n");
	t0 = xen_clocksource_read();
	rc = freeze_kthreads(50 * MS);
	ST_CHECK(rc == -EBUSY);
	ST_CHECK(xen_clocksource_read() - t0 >= 50 * MS);
	ST_CHECK(!freezing() && nr_frozen() == 0);
	ST_CHECK(kthread_stop(t) == 0);
	ST_CHECK(nr_freezable() == 0);
	/* And the freezer is free again. */
	ST_CHECK(freeze_kthreads(50 * MS) == 0);
	thaw_kthreads();
}

static enum selftest_result test_freezer_run(void)
{
	stop_from_here();
	ST_CHECK(selftest_on_each_cpu(stop_on_cpu, NULL) == 0);
	freeze_ptstress();
	straggler();
	return selftest_status();
}
DEFINE_SELFTEST(freezer, test_freezer_run);
