/* SPDX-License-Identifier: MIT */
#ifndef TERN_HV_CONFIG_H
#define TERN_HV_CONFIG_H

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

enum hv_action {
	HV_ACTION_DESTROY,
	HV_ACTION_RESTART,
	HV_ACTION_PRESERVE,
	HV_ACTION_RENAME_RESTART,
	HV_ACTION_COREDUMP_DESTROY,
	HV_ACTION_COREDUMP_RESTART,
	HV_ACTION_SOFT_RESET,
};

/* Largest accepted config file or text, as xl refuses runaway input too. */
#define HV_CONFIG_MAX_SIZE	(1024 * 1024)

#define HV_CONFIG_MAX_VCPUS	128
#define HV_CONFIG_MAX_MEMORY_MB	(1024UL * 1024)	/* 1 TiB */

struct hv_config {
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
	enum hv_action on_poweroff;	/* default destroy */
	enum hv_action on_reboot;	/* default restart */
	enum hv_action on_crash;	/* default destroy */
	enum hv_action on_watchdog;	/* default destroy */
	char type[8];			/* "type", only "pv" */

	/* Private to config.c: the parts cmdline is derived from. */
	char root[256];
	char extra[1024];
	/* Private: one bit per key set so far, so defaults can follow. */
	unsigned long long given;
	/* The last file read, named in hv_config_validate()'s messages. */
	char source[256];
};

void hv_config_init(struct hv_config *cfg);

/* Parse NUL-terminated text; on error "<source>:<line>: <message>". */
int hv_config_parse(struct hv_config *cfg, const char *text,
		    const char *source, char *err, size_t errlen);

/* The same for text of a given length, which may hold NUL bytes (refused). */
int hv_config_parse_buf(struct hv_config *cfg, const char *text, size_t len,
			const char *source, char *err, size_t errlen);

/* A missing or unreadable file gives "<path>: <strerror>". */
int hv_config_parse_file(struct hv_config *cfg, const char *path,
			 char *err, size_t errlen);

/*
 * One "key=value" override as "xl create" accepts after the config file,
 * e.g. memory=256 or extra="x y" (strings keep their quotes, as in xl).
 */
int hv_config_set(struct hv_config *cfg, const char *assignment,
		  char *err, size_t errlen);

/* Final checks once all sources are read: required keys, consistency. */
int hv_config_validate(struct hv_config *cfg, char *err, size_t errlen);

/* Whether a (supported) key was set by any source so far. */
bool hv_config_given(const struct hv_config *cfg, const char *key);

const char *hv_action_name(enum hv_action a);

#endif
