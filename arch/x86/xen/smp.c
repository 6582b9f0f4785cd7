// SPDX-License-Identifier: MIT
/*
 * SMP for a PV guest: finding the vCPUs, starting them, and IPIs.
 *
 * How many vCPUs.  start_info does not say.  We ask VCPUOP_is_up about
 * vCPU 0, 1, 2, ...: the hypervisor answers 0 or 1 for every vCPU the
 * domain has and -ENOENT past the last one, on Xen and on tern's
 * hypervisor alike, and without xenstore, which is not up this early.
 * Every vCPU that exists is brought up (up to NR_CPUS); honouring
 * xenstore's cpu/N/availability for maxvcpus > vcpus is for later.
 *
 * Starting one.  VCPUOP_initialise loads a complete register state into
 * the new vCPU, which VCPUOP_up then starts: it begins at
 * xen_secondary_startup (head_64.S) on its idle task's stack, with its CPU
 * number in rdi, its GS base at its per-CPU area, our trap table and
 * event callbacks, the pagetables we run on, and events masked.  It binds
 * its own timer VIRQ and IPI ports, says it is online and becomes its
 * idle loop.  One context structure serves every bring-up, as CPUs are
 * started one at a time.
 *
 * IPIs.  Each CPU has one event channel per IPI kind, bound to it
 * (EVTCHNOP_bind_ipi); sending an IPI is EVTCHNOP_send on the target's
 * port, and the handler runs on the target in its event upcall.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <asm/irqflags.h>
#include <asm/layout.h>
#include <asm/traps.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/mmu.h>
#include <xen/events.h>
#include <xen/xen.h>
#include <linux/time.h>
#include <xen/interface/vcpu.h>
#include <xen/suspend.h>

/* Counting stops here even if the hypervisor says there are more. */
#define XEN_VCPU_PROBE_LIMIT	4096

enum xen_ipi_vector {
	XEN_RESCHEDULE_VECTOR,
	XEN_CALL_FUNCTION_VECTOR,
	XEN_STOP_VECTOR,
	XEN_NR_IPIS,
};

extern char xen_secondary_startup[];
extern char xen_hypervisor_callback[], xen_failsafe_callback[];

static evtchn_port_t ipi_ports[NR_CPUS][XEN_NR_IPIS];
static struct vcpu_guest_context bringup_ctxt;

static void xen_reschedule_interrupt(evtchn_port_t port, struct pt_regs *regs)
{
	scheduler_ipi();
}

static void xen_call_function_interrupt(evtchn_port_t port,
					struct pt_regs *regs)
{
	generic_smp_call_function_interrupt();
}

static void xen_stop_interrupt(evtchn_port_t port, struct pt_regs *regs)
{
	stop_this_cpu();
}

static const evtchn_handler_t ipi_handlers[XEN_NR_IPIS] = {
	[XEN_RESCHEDULE_VECTOR] = xen_reschedule_interrupt,
	[XEN_CALL_FUNCTION_VECTOR] = xen_call_function_interrupt,
	[XEN_STOP_VECTOR] = xen_stop_interrupt,
};

/* Binds cpu's IPI ports, delivered to cpu. */
static int xen_smp_intr_init(unsigned int cpu)
{
	unsigned int v;

	for (v = 0; v < XEN_NR_IPIS; v++) {
		int port = bind_ipi_to_handler(cpu, ipi_handlers[v]);

		if (port < 0)
			return port;
		ipi_ports[cpu][v] = port;
		evtchn_keep_updated(port, &ipi_ports[cpu][v]);
	}
	return 0;
}

static void xen_send_ipi(unsigned int cpu, enum xen_ipi_vector v)
{
	evtchn_port_t port = READ_ONCE(ipi_ports[cpu][v]);

	if (port)
		notify_remote_via_evtchn(port);
}

void arch_send_call_function_ipi(unsigned int cpu)
{
	xen_send_ipi(cpu, XEN_CALL_FUNCTION_VECTOR);
}

void arch_send_reschedule_ipi(unsigned int cpu)
{
	xen_send_ipi(cpu, XEN_RESCHEDULE_VECTOR);
}

void arch_send_stop_ipi(unsigned int cpu)
{
	xen_send_ipi(cpu, XEN_STOP_VECTOR);
}

void arch_cpu_force_stop(unsigned int cpu)
{
	HYPERVISOR_vcpu_op(VCPUOP_down, cpu, NULL);
}

void __noreturn arch_cpu_halt(void)
{
	for (;;)
		HYPERVISOR_vcpu_op(VCPUOP_down, smp_processor_id(), NULL);
}

void arch_smp_prepare_cpus(void)
{
	unsigned int n = 0, cpu;
	int rc;

	while (n < XEN_VCPU_PROBE_LIMIT &&
	       HYPERVISOR_vcpu_op(VCPUOP_is_up, n, NULL) >= 0)
		n++;
	for (cpu = 0; cpu < n && cpu < NR_CPUS; cpu++)
		cpumask_set_cpu(cpu, cpu_possible_mask);
	if (n > NR_CPUS)
		printk("smp: the domain has %u vCPUs; this kernel uses %u (CONFIG_NR_CPUS)\n",
		       n, NR_CPUS);
	else
		printk("smp: the domain has %u vCPU%s\n", n, n == 1 ? "" : "s");
	rc = xen_smp_intr_init(0);
	if (rc)
		panic("cannot bind the IPIs of CPU 0: %d", rc);
}

/*
 * The pagetables a new vCPU starts on: the kernel's, whose L4 is still
 * the bootstrap one (the direct map extends those tables, it never
 * replaces them).
 */
static u64 xen_kernel_cr3(void)
{
	return xen_pfn_to_cr3(mfn_x(xen_pgd_l4_mfn(&xen_kernel_pgd)));
}

/*
 * VCPUOP_initialise for cpu: kernel mode at rip with rsp as both stack
 * and kernel stack and arg in rdi, events masked (the code at rip unmasks
 * them once it has a stack it knows of), the kernel's pagetables, our
 * traps and callbacks, its per-CPU area in the kernel GS base.
 */
static int xen_vcpu_initialise(unsigned int cpu, unsigned long rip,
			       unsigned long rsp, unsigned long arg)
{
	struct vcpu_guest_context *c = &bringup_ctxt;
	int rc;

	memset(c, 0, sizeof(*c));
	c->flags = VGCF_in_kernel;
	c->user_regs.rip = rip;
	c->user_regs.rsp = rsp;
	c->user_regs.rdi = arg;
	c->user_regs.rflags = X86_EFLAGS_IF | 0x2;
	c->user_regs.cs = FLAT_KERNEL_CS;
	c->user_regs.ss = FLAT_KERNEL_SS;
	xen_copy_trap_info(c->trap_ctxt);
	c->kernel_ss = FLAT_KERNEL_SS;
	c->kernel_sp = rsp;
	c->event_callback_eip = (unsigned long)xen_hypervisor_callback;
	c->failsafe_callback_eip = (unsigned long)xen_failsafe_callback;
	c->gs_base_kernel = (unsigned long)per_cpu(cpu);

	WRITE_ONCE(per_cpu(cpu)->vcpu_info->evtchn_upcall_mask, 1);
	/* cr3 is a machine frame: only inside a section, and not kept. */
	mmu_section_begin();
	c->ctrlreg[3] = xen_kernel_cr3();
	rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, cpu, c);
	memset(c, 0, sizeof(*c));
	mmu_section_end();
	return rc;
}

int arch_cpu_up(unsigned int cpu)
{
	struct task_struct *idle = per_cpu(cpu)->curr;
	unsigned long stack_top = (unsigned long)idle->stack + THREAD_SIZE;
	int rc;

	rc = xen_vcpu_initialise(cpu, (unsigned long)xen_secondary_startup,
				 stack_top, cpu);
	if (rc)
		return rc;
	return HYPERVISOR_vcpu_op(VCPUOP_up, cpu, NULL);
}

/* C entry of a secondary CPU, on its idle stack, events masked. */
void __noreturn xen_cpu_bringup(unsigned int cpu)
{
	int rc;

	if (smp_processor_id() != cpu)
		panic("vCPU %u started with the per-CPU area of CPU %u", cpu,
		      smp_processor_id());
	xen_setup_cpu_timer(cpu);
	rc = xen_smp_intr_init(cpu);
	if (rc)
		panic("cannot bind the IPIs of CPU %u: %d", cpu, rc);
	cpu_mark_online(cpu);
	local_irq_enable();
	cpu_startup_entry();
}

/* struct park_ctx: what xen_park_save() keeps (arch/x86/kernel/park.S). */
struct park_ctx {
	unsigned long rbx, rbp, r12, r13, r14, r15, rsp, rip;
};

static struct park_ctx park_ctx[NR_CPUS];

long xen_park_save(struct park_ctx *c) __attribute__((returns_twice));
extern char xen_park_resume[];

bool arch_park_checkpoint(unsigned int cpu)
{
	return xen_park_save(&park_ctx[cpu]) != 0;
}

/*
 * A vCPU the toolstack did not restore: started anew at its stopper's
 * park checkpoint, with events masked (the stopper unmasks them when it
 * leaves), the kernel's pagetables, our traps and callbacks, its per-CPU
 * area; its periodic timer stopped before it runs.
 */
static int restart_parked(unsigned int cpu)
{
	int rc;

	if (!park_ctx[cpu].rip)
		return -ENOENT;
	rc = xen_vcpu_initialise(cpu, (unsigned long)xen_park_resume,
				 park_ctx[cpu].rsp,
				 (unsigned long)&park_ctx[cpu]);
	if (!rc)
		rc = HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, cpu, NULL);
	if (!rc)
		rc = HYPERVISOR_vcpu_op(VCPUOP_up, cpu, NULL);
	return rc;
}

unsigned int xen_smp_resume(void)
{
	unsigned int cpu, lost = 0;
	int rc;

	for_each_online_cpu(cpu) {
		if (cpu == smp_processor_id() ||
		    HYPERVISOR_vcpu_op(VCPUOP_is_up, cpu, NULL) > 0)
			continue;
		rc = restart_parked(cpu);
		printk("suspend: vCPU %u was not restored: %s (%d)\n", cpu,
		       rc ? "cannot start it again" : "started again where it parked",
		       rc);
		if (rc)
			lost++;
	}
	return lost;
}
