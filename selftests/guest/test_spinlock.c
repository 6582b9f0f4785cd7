// SPDX-License-Identifier: MIT
/*
 * Spinlocks: threads on every CPU incrementing one counter under a lock
 * lose no increment; the lock word names its holder; trylock fails on a
 * held lock; spin_lock_irqsave() holds events back until the unlock, so
 * an event handler taking the same lock cannot deadlock against us.
 */
#include <linux/kernel.h>
#include <linux/selftest.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <asm/irqflags.h>
#include <xen/events.h>

#define INCREMENTS	20000

static DEFINE_SPINLOCK(counter_lock);
static unsigned long counter;
static unsigned int handler_ran, handler_saw_unlocked;

static int hammer(unsigned int cpu, void *arg)
{
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < INCREMENTS; i++) {
		if (i & 1) {
			spin_lock(&counter_lock);
			counter++;
			spin_unlock(&counter_lock);
		} else {
			spin_lock_irqsave(&counter_lock, flags);
			counter++;
			spin_unlock_irqrestore(&counter_lock, flags);
		}
	}
	return 0;
}

static void lock_from_handler(evtchn_port_t port, struct pt_regs *regs)
{
	if (!spin_is_locked(&counter_lock))
		handler_saw_unlocked++;
	spin_lock(&counter_lock);
	handler_ran++;
	spin_unlock(&counter_lock);
}

static enum selftest_result test_spinlock_run(void)
{
	unsigned long flags;
	int port;

	counter = 0;
	ST_CHECK(selftest_on_each_cpu(hammer, NULL) == 0);
	ST_CHECK(counter == (unsigned long)INCREMENTS * num_online_cpus());

	spin_lock(&counter_lock);
	ST_CHECK(READ_ONCE(counter_lock.owner) == smp_processor_id() + 1);
	ST_CHECK(preempt_count() == 1);
	ST_CHECK(!spin_trylock(&counter_lock));
	spin_unlock(&counter_lock);
	ST_CHECK(preempt_count() == 0);
	ST_CHECK(spin_trylock(&counter_lock));
	spin_unlock(&counter_lock);

	port = bind_ipi_to_handler(smp_processor_id(), lock_from_handler);
	if (!ST_CHECK(port > 0))
		return SELFTEST_ERROR;
	spin_lock_irqsave(&counter_lock, flags);
	notify_remote_via_evtchn(port);
	ST_CHECK(handler_ran == 0);
	spin_unlock_irqrestore(&counter_lock, flags);
	ST_CHECK(handler_ran == 1);
	ST_CHECK(handler_saw_unlocked == 1);
	unbind_from_handler(port);
	return selftest_status();
}
DEFINE_SELFTEST(spinlock, test_spinlock_run);
