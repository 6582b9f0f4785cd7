// SPDX-License-Identifier: MIT
/*
 * Every vCPU the domain has came up (as many as the kernel handles), and
 * each runs code with its own identity: its per-CPU area through GS, its
 * own vcpu_info slot, a task bound to it on its own stack, and the
 * hypervisor agreeing that the vCPU is up.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/selftest.h>
#include <linux/smp.h>
#include <asm/layout.h>
#include <asm/xen/hypercall.h>
#include <xen/xen.h>
#include <xen/interface/vcpu.h>

static unsigned int ran[NR_CPUS];

static int on_cpu(unsigned int cpu, void *arg)
{
	struct task_struct *me = current;
	unsigned long sp = (unsigned long)&me;

	ST_CHECK(smp_processor_id() == cpu);
	ST_CHECK(this_cpu() == per_cpu(cpu));
	ST_CHECK(this_cpu()->self == this_cpu());
	ST_CHECK(me->cpu == cpu);
	ST_CHECK(xen_vcpu_info() == &HYPERVISOR_shared_info->vcpu_info[cpu]);
	ST_CHECK(sp > (unsigned long)me->stack &&
		 sp < (unsigned long)me->stack + THREAD_SIZE);
	ST_CHECK(HYPERVISOR_vcpu_op(VCPUOP_is_up, cpu, NULL) == 1);
	__atomic_fetch_add(&ran[cpu], 1, __ATOMIC_SEQ_CST);
	return 0;
}

static enum selftest_result test_smp_run(void)
{
	unsigned int vcpus = 0, cpu, count = 0;

	while (vcpus < 4096 &&
	       HYPERVISOR_vcpu_op(VCPUOP_is_up, vcpus, NULL) >= 0)
		vcpus++;
	ST_CHECK(vcpus >= 1);
	ST_CHECK(num_possible_cpus() == min(vcpus, (unsigned int)NR_CPUS));
	ST_CHECK(num_online_cpus() == num_possible_cpus());
	printk("smp: %u vCPUs, %u CPUs online\n", vcpus, num_online_cpus());

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		ran[cpu] = 0;
	ST_CHECK(selftest_on_each_cpu(on_cpu, NULL) == 0);
	for_each_online_cpu(cpu) {
		ST_CHECK(ran[cpu] == 1);
		count += ran[cpu];
	}
	ST_CHECK(count == num_online_cpus());
	/* Every online CPU switched tasks at least once to run the test. */
	for_each_online_cpu(cpu)
		ST_CHECK(nr_context_switches(cpu) > 0);
	return selftest_status();
}
DEFINE_SELFTEST(smp, test_smp_run);
