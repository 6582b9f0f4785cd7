/* SPDX-License-Identifier: MIT */
#ifndef TERN_XLU_CFG_H
#define TERN_XLU_CFG_H

/*
 * Domain configuration files in the syntax of xl.cfg(5), read the way
 * "xl create" reads them:
 *
 *	# comment
 *	name = "guest"; memory = 0x100
 *	extra = 'console=hvc0 \'quoted\''
 *	disk = [ ]			# lists may span lines, trailing comma ok
 *
 * Values are strings ("..." or '...', escapes \\ \" \' \n \t \r),
 * non-negative integers (decimal or 0x hex; a quoted integer is accepted
 * for integer keys, as xl does) or lists of those.  A key given twice takes
 * its last value.  Every failing call leaves the config unchanged and writes
 * exactly one line, without a newline, into err.
 */
#include <stdbool.h>
#include <stddef.h>

enum xlu_action {
	XLU_ACTION_DESTROY,
	XLU_ACTION_RESTART,
	XLU_ACTION_PRESERVE,
	XLU_ACTION_RENAME_RESTART,
	XLU_ACTION_COREDUMP_DESTROY,
	XLU_ACTION_COREDUMP_RESTART,
	XLU_ACTION_SOFT_RESET,
};

/* Largest accepted config file or text, as xl refuses runaway input too. */
#define XLU_CONFIG_MAX_SIZE	(1024 * 1024)

#define XLU_CONFIG_MAX_VCPUS	128
#define XLU_CONFIG_MAX_MEMORY_MB	(1024UL * 1024)	/* 1 TiB */

struct xlu_config {
	char name[64];		/* "name", required */
	char kernel[4096];	/* "kernel", required */
	char ramdisk[4096];	/* "ramdisk", empty if unset */
	/*
	 * The guest's command line: "cmdline" if given, otherwise built from
	 * "root" and "extra" as xl does ("root=<root> <extra>").
	 */
	char cmdline[1024];
	unsigned long memory_mb;	/* "memory", default 128 */
	unsigned long maxmem_mb;	/* "maxmem", default = memory */
	unsigned int vcpus;		/* "vcpus", default 1 */
	unsigned int maxvcpus;		/* "maxvcpus", default = vcpus */
	enum xlu_action on_poweroff;	/* default destroy */
	enum xlu_action on_reboot;	/* default restart */
	enum xlu_action on_crash;	/* default destroy */
	enum xlu_action on_watchdog;	/* default destroy */
	char type[8];			/* "type", only "pv" */

	/* Private to config.c: the parts cmdline is derived from. */
	char root[256];
	char extra[1024];
	/* Private: one bit per key set so far, so defaults can follow. */
	unsigned long long given;
	/* The last file read, named in xlu_config_validate()'s messages. */
	char source[256];
};

void xlu_config_init(struct xlu_config *cfg);

/* Parse NUL-terminated text; on error "<source>:<line>: <message>". */
int xlu_config_parse(struct xlu_config *cfg, const char *text,
		    const char *source, char *err, size_t errlen);

/* The same for text of a given length, which may hold NUL bytes (refused). */
int xlu_config_parse_buf(struct xlu_config *cfg, const char *text, size_t len,
			const char *source, char *err, size_t errlen);

/* A missing or unreadable file gives "<path>: <strerror>". */
int xlu_config_parse_file(struct xlu_config *cfg, const char *path,
			 char *err, size_t errlen);

/*
 * One "key=value" override as "xl create" accepts after the config file,
 * e.g. memory=256 or extra="x y" (strings keep their quotes, as in xl).
 */
int xlu_config_set(struct xlu_config *cfg, const char *assignment,
		  char *err, size_t errlen);

/* Final checks once all sources are read: required keys, consistency. */
int xlu_config_validate(struct xlu_config *cfg, char *err, size_t errlen);

/* Whether a (supported) key was set by any source so far. */
bool xlu_config_given(const struct xlu_config *cfg, const char *key);

const char *xlu_action_name(enum xlu_action a);

#endif
