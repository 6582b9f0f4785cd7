// SPDX-License-Identifier: MIT
/*
 * stop_machine() parking CPUs in their function-call IPI handler: the
 * UNSAFE way, built only with CONFIG_SUSPEND_SAFE_PARKING=n, so that the
 * suspend tests can show they catch what it gets wrong.  The handler runs
 * on top of whatever the CPU was doing when the event came, with events
 * masked: if that was a pagetable update (preemption disabled, events
 * enabled: asm/xen/mmu.h), the CPU parks holding machine frame numbers in
 * its registers and on its stack, where no toolstack translates them.
 *
 * The caller must be the CPU that runs fn: it sends the others the IPI,
 * waits (events enabled, so it still serves their calls) until all have
 * parked, masks its own events and runs fn, then releases them; each runs
 * the after step on its way out of the handler.  A parked CPU reads only
 * plain memory.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/stop_machine.h>
#include <linux/time.h>
#include <asm/irqflags.h>
#include <asm/processor.h>

#define STOP_TIMEOUT	(5 * NSEC_PER_SEC)

enum { SM_IDLE, SM_GATHER, SM_RELEASE };

static unsigned int sm_state = SM_IDLE;
static unsigned int sm_in, sm_out;	/* CPUs that parked, that left */
static void (*sm_after)(void *data);
static void *sm_data;
static DEFINE_MUTEX(sm_mutex);

static void park_cpu(void *unused)
{
	unsigned int cpu = smp_processor_id(), spins = 0;

	if (__atomic_load_n(&sm_state, __ATOMIC_ACQUIRE) != SM_GATHER)
		return;
	stop_machine_set_parked(cpu, true);
	__atomic_fetch_add(&sm_in, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&sm_state, __ATOMIC_ACQUIRE) == SM_GATHER)
		cpu_relax_yield(&spins);
	if (sm_after)
		sm_after(sm_data);
	stop_machine_set_parked(cpu, false);
	__atomic_fetch_add(&sm_out, 1, __ATOMIC_SEQ_CST);
}

static bool wait_count(const unsigned int *count, unsigned int n)
{
	u64 end = xen_clocksource_read() + STOP_TIMEOUT;
	unsigned int spins = 0;

	while (__atomic_load_n(count, __ATOMIC_ACQUIRE) != n) {
		if (xen_clocksource_read() > end)
			return false;
		cpu_relax_yield(&spins);
	}
	return true;
}

void stop_machine_init(void)
{
	printk("stop_machine: parking CPUs in their IPI handler (CONFIG_SUSPEND_SAFE_PARKING=n: a test build, unsafe for suspend)\n");
}

int stop_machine_on(unsigned int cpu, int (*fn)(void *data),
		    void (*after)(void *data), void *data)
{
	unsigned int me, c, others = 0;
	unsigned long flags;
	int ret = -ETIMEDOUT;

	mutex_lock(&sm_mutex);
	preempt_disable();
	me = smp_processor_id();
	if (cpu != me) {
		preempt_enable();
		mutex_unlock(&sm_mutex);
		return -EINVAL;
	}
	sm_after = after;
	sm_data = data;
	__atomic_store_n(&sm_in, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&sm_out, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&sm_state, SM_GATHER, __ATOMIC_SEQ_CST);
	for_each_online_cpu(c) {
		if (c == me)
			continue;
		smp_call_function_single(c, park_cpu, NULL, false);
		others++;
	}
	if (wait_count(&sm_in, others)) {
		local_irq_save(flags);
		ret = fn(data);
		__atomic_store_n(&sm_state, SM_RELEASE, __ATOMIC_SEQ_CST);
		if (after)
			after(data);
		local_irq_restore(flags);
	} else {
		printk("stop_machine: only %u of %u other CPUs stopped within %llu s\n",
		       __atomic_load_n(&sm_in, __ATOMIC_ACQUIRE), others,
		       STOP_TIMEOUT / NSEC_PER_SEC);
		sm_after = NULL;
	}
	__atomic_store_n(&sm_state, SM_RELEASE, __ATOMIC_SEQ_CST);
	/* Every CPU that parked has left before the next call may start. */
	wait_count(&sm_out, __atomic_load_n(&sm_in, __ATOMIC_ACQUIRE));
	__atomic_store_n(&sm_state, SM_IDLE, __ATOMIC_SEQ_CST);
	preempt_enable();
	mutex_unlock(&sm_mutex);
	return ret;
}
