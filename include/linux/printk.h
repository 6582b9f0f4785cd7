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
 */
struct console {
	const char *name;
	void (*write)(const char *s, size_t len);
	struct console *next;
};

void register_console(struct console *con);
/* From panic(), once the other CPUs are stopped: see kernel/printk.c. */
void console_panic(void);

#endif
