/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_PRINTK_H
#define _LINUX_PRINTK_H

#include <linux/types.h>
#include <linux/compiler.h>

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

#define pr_fmt(fmt) fmt
#define pr_info(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk("WARNING: " pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk("ERROR: " pr_fmt(fmt), ##__VA_ARGS__)

/*
 * The console backend printk writes to.  Early boot registers the
 * hypercall console; later drivers (the console ring) register their own.
 * A CON_BOOT console serves only until the first console without the flag
 * registers: both may end up in the same place (on the host hypervisor
 * console_io and the console ring both reach the domain's console), so
 * keeping the boot console would print every line twice.
 */
#define CON_BOOT	0x1

struct console {
	const char *name;
	void (*write)(const char *s, size_t len);
	unsigned int flags;		/* CON_* */
	struct console *next;
};

/*
 * Adds con; a console without CON_BOOT also removes every CON_BOOT one.
 * The switch happens between two lines, so no line is lost or doubled.
 */
void register_console(struct console *con);
/* From panic(), once the other CPUs are stopped: see kernel/printk.c. */
void console_panic(void);

#endif
