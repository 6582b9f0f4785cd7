// SPDX-License-Identifier: MIT
/*
 * stop_machine().  The caller sends every other online CPU a function
 * call (an IPI) that parks it: in its event handler, events masked, it
 * counts itself in and spins until released.  Once all are in, the caller
 * masks its own events, runs fn, and releases them.  While fn runs no
 * other code of the domain runs anywhere - which is what suspend needs:
 * the hypervisor may then save every vCPU's registers knowing none of
 * them is in the middle of anything but this spin.
 *
 * The caller waits for the others with its own events enabled: a CPU
 * that is at that moment waiting for the caller to run one of its
 * function calls must still get its answer, or neither would move.  A
 * parked CPU re-reads the state through a plain load each spin, so it
 * keeps working across a save and restore of the domain.  Every spin
 * loop yields the vCPU now and then (cpu_relax_yield()): with more vCPUs
 * than physical CPUs, the CPUs still to arrive need the time.
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
static bool parked[NR_CPUS];
static DEFINE_MUTEX(sm_mutex);

bool cpu_stopped(unsigned int cpu)
{
	return cpu < NR_CPUS && READ_ONCE(parked[cpu]);
}

/*
 * On each other CPU, from its function-call IPI: park until released.  A
 * call that arrives after the caller gave up waiting does nothing.
 */
static void park_cpu(void *unused)
{
	unsigned int cpu = smp_processor_id(), spins = 0;

	if (__atomic_load_n(&sm_state, __ATOMIC_ACQUIRE) != SM_GATHER)
		return;
	WRITE_ONCE(parked[cpu], true);
	__atomic_fetch_add(&sm_in, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&sm_state, __ATOMIC_ACQUIRE) == SM_GATHER)
		cpu_relax_yield(&spins);
	WRITE_ONCE(parked[cpu], false);
	__atomic_fetch_add(&sm_out, 1, __ATOMIC_SEQ_CST);
}

/* Waits (events enabled) until *count reaches n; false on timeout. */
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

static void wait_left(void)
{
	u64 end = xen_clocksource_read() + STOP_TIMEOUT;
	unsigned int spins = 0;

	while (__atomic_load_n(&sm_out, __ATOMIC_ACQUIRE) !=
	       __atomic_load_n(&sm_in, __ATOMIC_ACQUIRE) &&
	       xen_clocksource_read() < end)
		cpu_relax_yield(&spins);
}

int stop_machine(int (*fn)(void *data), void *data)
{
	unsigned int me, cpu, others = 0;
	unsigned long flags;
	int ret = -ETIMEDOUT;

	mutex_lock(&sm_mutex);
	preempt_disable();
	me = smp_processor_id();
	__atomic_store_n(&sm_in, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&sm_out, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&sm_state, SM_GATHER, __ATOMIC_SEQ_CST);
	for_each_online_cpu(cpu) {
		if (cpu == me)
			continue;
		smp_call_function_single(cpu, park_cpu, NULL, false);
		others++;
	}
	if (wait_count(&sm_in, others)) {
		local_irq_save(flags);
		ret = fn(data);
		local_irq_restore(flags);
	} else {
		printk("stop_machine: only %u of %u other CPUs stopped within %llu s\n",
		       __atomic_load_n(&sm_in, __ATOMIC_ACQUIRE), others,
		       STOP_TIMEOUT / NSEC_PER_SEC);
	}
	__atomic_store_n(&sm_state, SM_RELEASE, __ATOMIC_SEQ_CST);
	/* Every CPU that parked has left before the next call may start. */
	wait_left();
	__atomic_store_n(&sm_state, SM_IDLE, __ATOMIC_SEQ_CST);
	preempt_enable();
	mutex_unlock(&sm_mutex);
	return ret;
}
