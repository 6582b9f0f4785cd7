// SPDX-License-Identifier: MIT
/*
 * Generic start of day, after the Xen-specific entry has set up the boot
 * CPU's per-CPU area, kept start_info and brought up the early console.
 * start_kernel() runs as the init task on CPU 0: once the scheduler is
 * set up it may sleep like any task, while CPU 0's idle task takes the
 * CPU.  When it returns the domain powers off.
 */
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/selftest.h>
#include <linux/bench.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/kthread.h>
#include <linux/dirtier.h>
#include <linux/p2mswap.h>
#include <linux/ptstress.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/stop_machine.h>
#include <linux/timer.h>
#include <asm/irqflags.h>
#include <asm/traps.h>
#include <linux/time.h>
#include <xen/events.h>
#include <xen/p2m.h>
#include <xen/console.h>
#include <xen/debug.h>
#include <xen/manage.h>
#include <xen/xenbus.h>
#include <asm/xen/hypercall.h>
#include <xen/xen.h>
#include <generated/version.h>

static bool keep_running;
static char crash_test[16];

/* "keep_running[=bool]": stay up after boot instead of powering off. */
static int keep_running_setup(const char *val)
{
	if (!val) {
		keep_running = true;
		return 0;
	}
	return kstrtobool(val, &keep_running);
}
__setup("keep_running", keep_running_setup);

/*
 * "crash_test=early|trap|panic|panic_cpu|stack_overflow|xen_m2p": die on
 * purpose, to test crash handling; panic_cpu panics on the last CPU while
 * the others run; stack_overflow runs a kthread off the bottom of its
 * stack into the guard page; xen_m2p reads Xen's m2p where Xen keeps it,
 * as a guest that cached that address and then moved would.
 */
static int crash_test_setup(const char *val)
{
	if (!val || (strcmp(val, "early") && strcmp(val, "trap") &&
		     strcmp(val, "panic") && strcmp(val, "panic_cpu") &&
		     strcmp(val, "stack_overflow") && strcmp(val, "xen_m2p")))
		return -EINVAL;
	strscpy(crash_test, val, sizeof(crash_test));
	return 0;
}
__setup("crash_test", crash_test_setup);

static void print_banner(const struct start_info *si, const char *cmdline)
{
	char magic[sizeof(si->magic) + 1];

	memcpy(magic, si->magic, sizeof(si->magic));
	magic[sizeof(si->magic)] = '\0';
	printk("tern %s (Xen PV x86-64) booting\n", TERN_VERSION);
	printk("start_info: magic %s nr_pages %lu flags %#lx\n", magic,
	       (unsigned long)si->nr_pages, (unsigned long)si->flags);
	printk("start_info: shared_info %#lx store_mfn %#lx store_evtchn %u\n",
	       (unsigned long)si->shared_info, (unsigned long)si->store_mfn,
	       (unsigned int)si->store_evtchn);
	printk("start_info: console_mfn %#lx console_evtchn %u\n",
	       (unsigned long)si->console.domU.mfn,
	       (unsigned int)si->console.domU.evtchn);
	printk("start_info: pt_base %#lx nr_pt_frames %lu mfn_list %#lx\n",
	       (unsigned long)si->pt_base, (unsigned long)si->nr_pt_frames,
	       (unsigned long)si->mfn_list);
	printk("start_info: mod_start %#lx mod_len %lu\n",
	       (unsigned long)si->mod_start, (unsigned long)si->mod_len);
	printk("command line: %s\n", cmdline);
}

/* A write to an address nothing maps: a page fault with no fixup. */
static void crash_by_fault(void)
{
	volatile unsigned long *p = (unsigned long *)0x1000deadb000UL;

	*p = 0x7e57;
}

/* init sleeps for good; the other tasks and CPUs carry on. */
static void __noreturn sleep_forever(void)
{
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		schedule();
	}
}

static void __noreturn idle_forever(void)
{
	printk("tern: boot complete, staying up (keep_running)\n");
	sleep_forever();
}

static int panic_on_cpu(void *unused)
{
	panic("crash_test=panic_cpu on CPU %u", smp_processor_id());
}

/* Panics from a kthread on the last CPU; init keeps running meanwhile. */
static void crash_on_last_cpu(void)
{
	unsigned int cpu, last = 0;
	struct task_struct *t;

	for_each_online_cpu(cpu)
		last = cpu;
	printk("crash_test: panicking on CPU %u\n", last);
	t = kthread_run_on_cpu(panic_on_cpu, NULL, last, "crash_test");
	if (IS_ERR(t))
		panic("crash_test: cannot start a kthread: %ld", PTR_ERR(t));
	sleep_forever();
}

/* 512 bytes of stack per call until the guard page stops it. */
static noinline unsigned int recurse(unsigned int depth)
{
	volatile char frame[512];

	frame[0] = depth;
	if (depth > (1U << 20))		/* 512 MiB of stack: never reached */
		return 0;
	return recurse(depth + 1) + frame[0];
}

static int overflow_stack(void *unused)
{
	printk("crash_test: recursing off the bottom of this stack (%p)\n",
	       current->stack);
	return recurse(0);
}

/* The m2p entry of frame 0 at Xen's fixed address, never asked for. */
static void crash_by_xen_m2p(void)
{
	const volatile unsigned long *m2p =
		(const unsigned long *)MACH2PHYS_VIRT_START;

	printk("crash_test: reading Xen's m2p at %p without asking where it is\n",
	       m2p);
	printk("crash_test: m2p[0] = %#lx\n", m2p[0]);
}

static void crash_by_stack_overflow(void)
{
	struct task_struct *t = kthread_run(overflow_stack, NULL,
					    "crash_test");

	if (IS_ERR(t))
		panic("crash_test: cannot start a kthread: %ld", PTR_ERR(t));
	sleep_forever();
}

void start_kernel(void)
{
	const struct start_info *si = xen_start_info;
	char cmdline[MAX_GUEST_CMDLINE];

	memcpy(cmdline, si->cmd_line, sizeof(cmdline));
	cmdline[sizeof(cmdline) - 1] = '\0';
	print_banner(si, cmdline);
	parse_kernel_cmdline(cmdline);

	if (!strcmp(crash_test, "early")) {
		printk("crash_test: faulting before any trap handler exists\n");
		crash_by_fault();
	}
	trap_init();
	xen_map_shared_info();
	xen_setup_p2m_frame_list();
	xen_setup_memory();
	xen_events_init();
	timers_init();
	sched_init();
	xen_time_init();
	local_irq_enable();
	smp_init();
	stop_machine_init();
	xen_debug_init();
	/* Each says why on the console if it cannot start. */
	xen_console_init();
	if (!xenbus_init())
		xen_manage_init();
	if (!strcmp(crash_test, "trap")) {
		printk("crash_test: faulting with trap handlers in place\n");
		crash_by_fault();
	}
	if (!strcmp(crash_test, "panic"))
		panic("crash_test=panic");
	if (!strcmp(crash_test, "panic_cpu"))
		crash_on_last_cpu();
	if (!strcmp(crash_test, "stack_overflow"))
		crash_by_stack_overflow();
	if (!strcmp(crash_test, "xen_m2p"))
		crash_by_xen_m2p();

	selftests_run();
	benchmarks_run();
	ptstress_boot_start();
	ptchurn_boot_start();
	dirtier_boot_start();
	p2mswap_boot_start();
	if (keep_running)
		idle_forever();
	printk("tern: nothing left to do, powering off\n");
}
