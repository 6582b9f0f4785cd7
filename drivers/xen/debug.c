// SPDX-License-Identifier: MIT
/*
 * VIRQ_DEBUG: the hypervisor's "tell me how you are" (Xen raises it on
 * every vCPU of every domain with the 'q' debug key, `xl debug-keys q`;
 * the host hypervisor with `tern-xl debug-keys <domain> q`).  Each CPU
 * answers for itself from its event handler, so a CPU that does not
 * answer is itself the finding: its events are masked or it is stuck.
 * Each says where it was interrupted (a System.map address) and its
 * clock beside what its own time record says, so that a clock that ran
 * away (everything waiting on it for ever, nothing printed: issue 11's
 * hang) names itself.  CPU 0 adds the memory and ptstress totals.
 */
#include <linux/kernel.h>
#include <asm/ptrace.h>
#include <linux/mm.h>
#include <linux/ptstress.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/time.h>
#include <linux/vmalloc.h>
#include <xen/events.h>
#include <xen/interface/xen.h>
#include <xen/xen.h>

static void memory_report(void)
{
	struct page_alloc_stats pa;
	struct kmalloc_stats ks;
	struct ptstress_stats st;

	page_alloc_get_stats(&pa);
	kmalloc_get_stats(&ks);
	printk("debug: memory: %lu of %lu pages free, %lu slab pages, %lu objects, %lu large blocks, %u stacks, %u more tasks allowed\n",
	       pa.free, pa.managed, ks.pages, ks.objects, ks.large,
	       vmalloc_stacks_in_use(), nr_free_tasks());
	if (!ptstress_running())
		return;
	ptstress_get_stats(&st, NULL);
	printk("debug: ptstress: %llu rounds, %llu updates, %llu mismatches, %llu errors\n",
	       (unsigned long long)st.rounds, (unsigned long long)st.updates,
	       (unsigned long long)st.mismatches,
	       (unsigned long long)st.errors);
}

static void debug_interrupt(evtchn_port_t port, struct pt_regs *regs)
{
	unsigned int cpu = smp_processor_id();

	u64 own = xen_pvclock_read(&xen_vcpu_info()->time) + xen_clock_offset();

	printk("debug: cpu %u: running %s, %u queued, %lu switches, at %#llx, preempt count there %#x; clock %llu ms, by its record %llu ms\n",
	       cpu, cpu_curr_comm(cpu), nr_queued(cpu),
	       nr_context_switches(cpu), (unsigned long long)regs->rip,
	       preempt_count() - HARDIRQ_OFFSET,
	       (unsigned long long)(xen_clocksource_read() / NSEC_PER_MSEC),
	       (unsigned long long)(own / NSEC_PER_MSEC));
	if (cpu == 0)
		memory_report();
}

/* Binds VIRQ_DEBUG on every online CPU; a failure is reported, not fatal. */
void xen_debug_init(void)
{
	unsigned int cpu;
	int port;

	for_each_online_cpu(cpu) {
		port = bind_virq_to_handler(VIRQ_DEBUG, cpu, debug_interrupt);
		if (port < 0)
			printk("debug: cannot bind VIRQ_DEBUG on CPU %u: %d\n",
			       cpu, port);
	}
}
