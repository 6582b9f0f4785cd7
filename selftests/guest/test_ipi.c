// SPDX-License-Identifier: MIT
/*
 * IPIs: an event channel bound to each CPU delivers to that CPU's event
 * handler when any CPU sends on it; smp_call_function_single() runs on the
 * CPU named, smp_call_function() once on every other CPU, on_each_cpu()
 * once everywhere; a call without wait still runs; a CPU other than the
 * boot CPU can call the boot CPU; calling an offline CPU fails.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/preempt.h>
#include <linux/selftest.h>
#include <linux/smp.h>
#include <linux/time.h>
#include <asm/irqflags.h>
#include <xen/events.h>

#define GUARD_NS	(10 * NSEC_PER_SEC)

static int ipi_port[NR_CPUS];
static unsigned int ipi_hits[NR_CPUS], ipi_wrong_cpu, ipi_not_in_irq;
static unsigned int call_hits[NR_CPUS], call_wrong, call_unmasked;

static void ipi_handler(evtchn_port_t port, struct pt_regs *regs)
{
	unsigned int cpu = smp_processor_id();

	if (ipi_port[cpu] != (int)port)
		__atomic_fetch_add(&ipi_wrong_cpu, 1, __ATOMIC_SEQ_CST);
	if (!in_interrupt())
		__atomic_fetch_add(&ipi_not_in_irq, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&ipi_hits[cpu], 1, __ATOMIC_SEQ_CST);
}

static void count_call(void *info)
{
	unsigned int cpu = smp_processor_id();

	if (info && *(unsigned int *)info != cpu)
		__atomic_fetch_add(&call_wrong, 1, __ATOMIC_SEQ_CST);
	if (!irqs_disabled())
		__atomic_fetch_add(&call_unmasked, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&call_hits[cpu], 1, __ATOMIC_SEQ_CST);
}

static void reset_calls(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		call_hits[cpu] = 0;
}

static void test_raw_ipis(void)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		ipi_port[cpu] = bind_ipi_to_handler(cpu, ipi_handler);
		ST_CHECK(ipi_port[cpu] > 0);
		ST_CHECK(evtchn_cpu(ipi_port[cpu]) == cpu);
	}
	for_each_online_cpu(cpu)
		if (ipi_port[cpu] > 0)
			notify_remote_via_evtchn(ipi_port[cpu]);
	for_each_online_cpu(cpu) {
		ST_CHECK(selftest_wait_flag(&ipi_hits[cpu], GUARD_NS));
		ST_CHECK(ipi_hits[cpu] == 1);
	}
	ST_CHECK(ipi_wrong_cpu == 0);
	ST_CHECK(ipi_not_in_irq == 0);
	for_each_online_cpu(cpu)
		if (ipi_port[cpu] > 0)
			unbind_from_handler(ipi_port[cpu]);
}

static void test_calls(void)
{
	unsigned int cpu, me = smp_processor_id(), n = num_online_cpus();
	unsigned int cpus[NR_CPUS], last = 0;

	reset_calls();
	for_each_online_cpu(cpu) {
		cpus[cpu] = cpu;
		ST_CHECK(smp_call_function_single(cpu, count_call, &cpus[cpu],
						  true) == 0);
		ST_CHECK(call_hits[cpu] == 1);
	}

	reset_calls();
	smp_call_function(count_call, NULL, true);
	for_each_online_cpu(cpu)
		ST_CHECK(call_hits[cpu] == (cpu == me ? 0 : 1));

	reset_calls();
	on_each_cpu(count_call, NULL, true);
	for_each_online_cpu(cpu)
		ST_CHECK(call_hits[cpu] == 1);

	/* Without wait: it still happens, on the last CPU. */
	reset_calls();
	for_each_online_cpu(cpu)
		last = cpu;
	ST_CHECK(smp_call_function_single(last, count_call, NULL, false) == 0);
	ST_CHECK(selftest_wait_flag(&call_hits[last], GUARD_NS));

	if (n < NR_CPUS)
		ST_CHECK(smp_call_function_single(NR_CPUS - 1, count_call, NULL,
						  true) == -ENXIO);
	ST_CHECK(call_wrong == 0);
	ST_CHECK(call_unmasked == 0);
}

/* From every CPU, call every CPU: calls cross in both directions at once. */
static int call_everyone(unsigned int cpu, void *arg)
{
	unsigned int target;

	for_each_online_cpu(target)
		ST_CHECK(smp_call_function_single(target, count_call, NULL,
						  true) == 0);
	return 0;
}

static enum selftest_result test_ipi_run(void)
{
	unsigned int cpu, n = num_online_cpus();

	test_raw_ipis();
	test_calls();
	reset_calls();
	ST_CHECK(selftest_on_each_cpu(call_everyone, NULL) == 0);
	for_each_online_cpu(cpu)
		ST_CHECK(call_hits[cpu] == n);
	return selftest_status();
}
DEFINE_SELFTEST(ipi, test_ipi_run);
