// SPDX-License-Identifier: MIT
/*
 * Per-CPU areas and the GS base that finds them.  The boot CPU loads its
 * base with HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL) before anything
 * else runs; secondary CPUs start with theirs already loaded, from
 * vcpu_guest_context.gs_base_kernel (arch/x86/xen/smp.c).  vcpu_info is
 * the legacy slot in shared_info: that page is mapped over a page of our
 * image at a fixed address, so the pointer stays valid when the mapping
 * is made or remade.
 */
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <asm/xen/hypercall.h>
#include <xen/xen.h>

struct percpu cpu_data[NR_CPUS];

void percpu_init(unsigned int cpu)
{
	struct percpu *p = &cpu_data[cpu];

	BUILD_BUG_ON(NR_CPUS > XEN_LEGACY_MAX_VCPUS);
	p->self = p;
	p->cpu = cpu;
	p->vcpu_info = &HYPERVISOR_shared_info->vcpu_info[cpu];
}

void xen_setup_boot_percpu(void)
{
	percpu_init(0);
	cpu_data[0].curr = &init_task;
	/* Nothing can be reported yet: without GS there is no printk. */
	if (HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL,
					(unsigned long)&cpu_data[0]))
		xen_shutdown(SHUTDOWN_crash);
}
