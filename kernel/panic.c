// SPDX-License-Identifier: MIT
/*
 * panic: say why, show how we got here by following the frame-pointer
 * chain (the kernel is built with -fno-omit-frame-pointer), and crash the
 * domain so that the toolstack sees SHUTDOWN_crash and applies on_crash.
 */
#include <linux/kernel.h>
#include <asm/layout.h>
#include <xen/xen.h>

extern char _text[], _etext[], _end[];

struct stack_frame {
	struct stack_frame *next;
	unsigned long ret;
};

static bool frame_plausible(const struct stack_frame *f)
{
	unsigned long a = (unsigned long)f;

	return a >= KERNEL_VIRT_BASE && a < (unsigned long)_end &&
	       !(a & 7);
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
	va_list ap;

	printk("Kernel panic - not syncing: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	dump_stack();
	xen_shutdown(SHUTDOWN_crash);
}
