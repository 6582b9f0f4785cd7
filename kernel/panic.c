// SPDX-License-Identifier: MIT
/*
 * panic: stop the other CPUs, say why, show how we got here by following
 * the frame-pointer chain (the kernel is built with
 * -fno-omit-frame-pointer), and crash the domain so that the toolstack
 * sees SHUTDOWN_crash and applies on_crash.
 *
 * Only the first CPU to panic reports; a CPU that panics while another
 * does just stops, and a panic inside the panic path crashes at once.
 * The other CPUs are stopped before anything is printed, so the report
 * comes out in one piece.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <asm/irqflags.h>
#include <asm/layout.h>
#include <xen/xen.h>

extern char _text[], _etext[], _end[];

struct stack_frame {
	struct stack_frame *next;
	unsigned long ret;
};

static int panic_cpu = -1;

/* On the current task's stack (vmapped, or in the image for idle/init). */
static bool frame_plausible(const struct stack_frame *f)
{
	unsigned long a = (unsigned long)f;
	unsigned long lo = (unsigned long)current->stack;

	if (a & 7)
		return false;
	if (a >= lo && a + sizeof(*f) <= lo + THREAD_SIZE)
		return true;
	return a >= KERNEL_VIRT_BASE && a < (unsigned long)_end;
}

void dump_stack(void)
{
	struct stack_frame *f = __builtin_frame_address(0);
	int depth = 0;

	printk("Call trace:\n");
	while (frame_plausible(f) && depth++ < 32) {
		if (f->ret < (unsigned long)_text || f->ret >= (unsigned long)_etext)
			break;
		printk("  [<%016lx>]\n", f->ret);
		f = f->next;
	}
}

void panic(const char *fmt, ...)
{
	int me, first = -1;
	unsigned int stopped;
	va_list ap;

	local_irq_disable();
	me = smp_processor_id();
	if (!__atomic_compare_exchange_n(&panic_cpu, &first, me, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		if (first != me)
			stop_this_cpu();
		xen_shutdown(SHUTDOWN_crash);
	}
	stopped = smp_stop_other_cpus();
	console_panic();

	printk("Kernel panic - not syncing: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	printk("CPU %d, task %s\n", me, current ? current->comm : "(none)");
	if (stopped)
		printk("panic: stopped %u other CPU%s\n", stopped,
		       stopped == 1 ? "" : "s");
	dump_stack();
	xen_shutdown(SHUTDOWN_crash);
}
