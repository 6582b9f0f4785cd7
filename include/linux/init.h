/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H

#include <linux/compiler.h>

/*
 * Kernel command line options.  __setup("name", fn) registers fn for
 * "name" or "name=value"; fn gets the value (NULL when there is none) and
 * returns 0, or a negative errno to have the option reported as invalid.
 */
struct kernel_param {
	const char *name;
	int (*setup)(const char *val);
};

#define __setup(_name, _fn)						\
	static const struct kernel_param __setup_##_fn			\
	__used __section(".init.setup") __aligned(8) = {		\
		.name = _name,						\
		.setup = _fn,						\
	}

void parse_kernel_cmdline(const char *cmdline);
extern char boot_command_line[];

#endif
