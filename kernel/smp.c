// SPDX-License-Identifier: MIT
/*
 * Bringing CPUs up, cross-CPU function calls, and stopping CPUs.
 *
 * Cross calls.  Every (sender, target) pair owns one call slot, so a
 * sender never needs memory for a call: it waits until its slot for that
 * target is free (a call without wait may still be in flight), fills it,
 * queues it on the target's call queue and sends the call IPI.  The target
 * runs the queued calls in its event handler and releases each slot with a
 * release store once the function has returned; a waiting sender spins on
 * that with preemption disabled, which is what keeps another task on its
 * CPU from using the same slots meanwhile.  Senders wait with events
 * unmasked, so two CPUs calling each other both still serve their queues.
 *
 * Stopping.  A CPU that must stop (panic) gets the stop IPI, takes itself
 * out of the online mask and parks with VCPUOP_down.  A CPU that does not
 * answer, because it spins with events masked, is taken down from the
 * outside by the hypervisor after a bounded wait.
 */
#include <linux/kernel.h>
#include <linux/completion.h>
#include <linux/errno.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/time.h>
#include <asm/processor.h>

#define CSD_FLAG_LOCK		1
#define CPU_UP_TIMEOUT_NS	(10 * NSEC_PER_SEC)
#define STOP_WAIT_NS		NSEC_PER_SEC
#define STOP_MAX_SPINS		(1U << 20)

struct cpumask __cpu_possible_mask, __cpu_online_mask;

struct call_single_data {
	struct list_head node;
	smp_call_func_t func;
	void *info;
	unsigned int flags;		/* CSD_FLAG_LOCK while in flight */
};

struct call_queue {
	spinlock_t lock;
	struct list_head list;
} __aligned(64);

static struct call_single_data call_slots[NR_CPUS][NR_CPUS]; /* [from][to] */
static struct call_queue call_queues[NR_CPUS];
static DECLARE_COMPLETION(cpu_running);

static void csd_wait(struct call_single_data *csd)
{
	unsigned int spins = 0;

	while (__atomic_load_n(&csd->flags, __ATOMIC_ACQUIRE) & CSD_FLAG_LOCK)
		cpu_relax_yield(&spins);
}

static void check_call_context(bool wait)
{
	if (in_interrupt() || (wait && irqs_disabled()))
		panic("cross-CPU call from %s: it could wait forever",
		      in_interrupt() ? "an event handler" : "masked events");
}

/* Queues fn(info) for cpu in the slot from -> cpu; preemption is off. */
static void queue_call(unsigned int from, unsigned int cpu,
		       smp_call_func_t fn, void *info)
{
	struct call_single_data *csd = &call_slots[from][cpu];
	struct call_queue *q = &call_queues[cpu];
	unsigned long flags;

	csd_wait(csd);
	csd->func = fn;
	csd->info = info;
	WRITE_ONCE(csd->flags, CSD_FLAG_LOCK);
	spin_lock_irqsave(&q->lock, flags);
	list_add_tail(&csd->node, &q->list);
	spin_unlock_irqrestore(&q->lock, flags);
	arch_send_call_function_ipi(cpu);
}

void generic_smp_call_function_interrupt(void)
{
	struct call_queue *q = &call_queues[smp_processor_id()];

	for (;;) {
		struct call_single_data *csd;
		smp_call_func_t fn;
		void *info;

		arch_spin_lock(&q->lock);
		if (list_empty(&q->list)) {
			arch_spin_unlock(&q->lock);
			return;
		}
		csd = list_first_entry(&q->list, struct call_single_data, node);
		list_del_init(&csd->node);
		arch_spin_unlock(&q->lock);
		fn = csd->func;
		info = csd->info;
		fn(info);
		/* The slot is the sender's again from here: do not touch it. */
		__atomic_store_n(&csd->flags, 0, __ATOMIC_RELEASE);
	}
}

int smp_call_function_single(unsigned int cpu, smp_call_func_t fn, void *info,
			     bool wait)
{
	unsigned long flags;
	unsigned int me;

	check_call_context(wait);
	preempt_disable();
	me = smp_processor_id();
	if (cpu == me) {
		local_irq_save(flags);
		fn(info);
		local_irq_restore(flags);
		preempt_enable();
		return 0;
	}
	if (!cpu_online(cpu)) {
		preempt_enable();
		return -ENXIO;
	}
	queue_call(me, cpu, fn, info);
	if (wait)
		csd_wait(&call_slots[me][cpu]);
	preempt_enable();
	return 0;
}

void smp_call_function(smp_call_func_t fn, void *info, bool wait)
{
	unsigned long sent = 0;
	unsigned int me, cpu;

	check_call_context(wait);
	preempt_disable();
	me = smp_processor_id();
	for_each_online_cpu(cpu) {
		if (cpu == me)
			continue;
		queue_call(me, cpu, fn, info);
		sent |= 1UL << cpu;
	}
	if (wait)
		for (cpu = 0; cpu < NR_CPUS; cpu++)
			if (sent & (1UL << cpu))
				csd_wait(&call_slots[me][cpu]);
	preempt_enable();
}

void on_each_cpu(smp_call_func_t fn, void *info, bool wait)
{
	unsigned long flags;

	preempt_disable();
	smp_call_function(fn, info, wait);
	local_irq_save(flags);
	fn(info);
	local_irq_restore(flags);
	preempt_enable();
}

void cpu_mark_online(unsigned int cpu)
{
	cpumask_set_cpu(cpu, cpu_online_mask);
	complete(&cpu_running);
}

void smp_init(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		spin_lock_init(&call_queues[cpu].lock);
		INIT_LIST_HEAD(&call_queues[cpu].list);
	}
	cpumask_set_cpu(0, cpu_possible_mask);
	cpumask_set_cpu(0, cpu_online_mask);
	arch_smp_prepare_cpus();
	for_each_possible_cpu(cpu) {
		int rc;

		if (cpu == 0)
			continue;
		percpu_init(cpu);
		init_idle(cpu);
		reinit_completion(&cpu_running);
		rc = arch_cpu_up(cpu);
		if (rc) {
			pr_err("smp: cannot start CPU %u: %d\n", cpu, rc);
			continue;
		}
		if (!wait_for_completion_timeout(&cpu_running, CPU_UP_TIMEOUT_NS))
			pr_err("smp: CPU %u did not come up\n", cpu);
	}
	printk("smp: %u of %u CPUs online\n", num_online_cpus(),
	       num_possible_cpus());
}

void __noreturn stop_this_cpu(void)
{
	local_irq_disable();
	cpumask_clear_cpu(smp_processor_id(), cpu_online_mask);
	arch_cpu_halt();
}

unsigned int smp_stop_other_cpus(void)
{
	unsigned int me = smp_processor_id(), cpu, n = 0, spins = 0;
	u64 deadline;

	for_each_online_cpu(cpu) {
		if (cpu == me)
			continue;
		arch_send_stop_ipi(cpu);
		n++;
	}
	if (!n)
		return 0;
	deadline = xen_clocksource_read() + STOP_WAIT_NS;
	while (num_online_cpus() > 1 && spins < STOP_MAX_SPINS &&
	       xen_clocksource_read() < deadline)
		cpu_relax_yield(&spins);
	for_each_online_cpu(cpu) {
		if (cpu == me)
			continue;
		arch_cpu_force_stop(cpu);
		cpumask_clear_cpu(cpu, cpu_online_mask);
	}
	return n;
}
