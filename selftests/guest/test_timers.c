// SPDX-License-Identifier: MIT
/*
 * Kernel timers on every CPU: a timer fires on the CPU that armed it, in
 * its event handler, not before its expiry; timers fire in expiry order
 * whatever order they were armed in; a deleted timer never fires; a
 * re-armed timer fires once, at its new time.
 */
#include <linux/kernel.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/preempt.h>
#include <linux/selftest.h>
#include <linux/time.h>
#include <linux/timer.h>
#include <asm/irqflags.h>

#define GUARD_NS	(10 * NSEC_PER_SEC)
#define NR_ORDERED	4

struct probe {
	struct timer_list timer;
	struct completion *done;
	unsigned int cpu;		/* where it fired */
	bool in_irq;
	u64 when;			/* when it fired */
	unsigned int fired;
	unsigned int *seq;		/* firing order */
	unsigned int order;
};

static void probe_fired(struct timer_list *t)
{
	struct probe *p = container_of(t, struct probe, timer);

	p->cpu = smp_processor_id();
	p->in_irq = in_interrupt();
	p->when = xen_clocksource_read();
	p->fired++;
	if (p->seq)
		p->order = (*p->seq)++;
	if (p->done)
		complete(p->done);
}

static void probe_init(struct probe *p, struct completion *done,
		       unsigned int *seq)
{
	timer_setup(&p->timer, probe_fired);
	p->done = done;
	p->seq = seq;
	p->fired = 0;
	p->cpu = ~0U;
}

static int timers_on_cpu(unsigned int cpu, void *arg)
{
	static const unsigned int delay_us[NR_ORDERED] = { 3000, 1000, 4000, 2000 };
	struct probe one, ordered[NR_ORDERED], gone, moved;
	struct completion done;
	unsigned int seq = 0, i;
	unsigned long flags;
	u64 expires;

	init_completion(&done);

	/*
	 * One timer: where and when it fires.  Timers fire on this CPU
	 * only, so with events masked none can fire while we arm or look:
	 * however long this vCPU is kept from running, the test holds.
	 */
	probe_init(&one, &done, NULL);
	expires = xen_clocksource_read() + 2 * NSEC_PER_MSEC;
	local_irq_save(flags);
	mod_timer(&one.timer, expires);
	ST_CHECK(timer_pending(&one.timer));
	local_irq_restore(flags);
	ST_CHECK(wait_for_completion_timeout(&done, GUARD_NS));
	ST_CHECK(one.fired == 1);
	ST_CHECK(one.cpu == cpu);
	ST_CHECK(one.in_irq);
	ST_CHECK(one.when >= expires);

	/* Armed out of order, fired in order. */
	local_irq_save(flags);
	expires = xen_clocksource_read();
	for (i = 0; i < NR_ORDERED; i++) {
		probe_init(&ordered[i], &done, &seq);
		mod_timer(&ordered[i].timer,
			  expires + delay_us[i] * NSEC_PER_USEC);
	}
	local_irq_restore(flags);
	for (i = 0; i < NR_ORDERED; i++)
		ST_CHECK(wait_for_completion_timeout(&done, GUARD_NS));
	for (i = 0; i < NR_ORDERED; i++) {
		ST_CHECK(ordered[i].fired == 1);
		ST_CHECK(ordered[i].cpu == cpu);
		ST_CHECK(ordered[i].order == delay_us[i] / 1000 - 1);
	}

	/* Deleted before it is due (events masked meanwhile): never fires. */
	probe_init(&gone, NULL, NULL);
	local_irq_save(flags);
	mod_timer(&gone.timer, xen_clocksource_read() + 2 * NSEC_PER_MSEC);
	ST_CHECK(del_timer(&gone.timer));
	local_irq_restore(flags);
	ST_CHECK(!del_timer(&gone.timer));
	msleep(5);
	ST_CHECK(gone.fired == 0);

	/* Re-armed while pending: fires once, at its new time. */
	probe_init(&moved, &done, NULL);
	local_irq_save(flags);
	mod_timer(&moved.timer, xen_clocksource_read() + GUARD_NS);
	expires = xen_clocksource_read() + 4 * NSEC_PER_MSEC;
	ST_CHECK(mod_timer(&moved.timer, expires));
	local_irq_restore(flags);
	ST_CHECK(wait_for_completion_timeout(&done, GUARD_NS));
	ST_CHECK(moved.when >= expires);
	msleep(2);
	ST_CHECK(moved.fired == 1);
	ST_CHECK(!del_timer(&moved.timer));
	return 0;
}

static enum selftest_result test_timers_run(void)
{
	ST_CHECK(selftest_on_each_cpu(timers_on_cpu, NULL) == 0);
	return selftest_status();
}
DEFINE_SELFTEST(timers, test_timers_run);
