/* SPDX-License-Identifier: MIT */
#ifndef _TOOLS_LIBS_LIGHT_TL_H
#define _TOOLS_LIBS_LIGHT_TL_H

/*
 * tern's libxl, the part that runs without Xen: a domain's configuration
 * as libxl keeps it (libxl_domain_config: c_info, b_info, the on_*
 * actions), limited to what tern builds, with the checks every value
 * must pass, and its JSON, in libxl's shape, written and read with
 * Debian's libyajl as libxl does.  The JSON is what `tern-xl list -l`
 * prints and what a save file carries.
 *
 * Where the config comes from does not matter here: tools/xl/xl_parse.c
 * fills one from an xl.cfg file (through Debian's libxlutil), a restore
 * fills one from the JSON of a save file.  Both end in
 * tl_domain_config_check(), so a value that a config file may not give
 * cannot come in through JSON either.
 *
 * Contract of the JSON functions (what save and restore rely on):
 *
 *	char *json = tl_domain_config_to_json(&cfg);	(free() it)
 *	tl_domain_config_from_json(&copy, json, err, sizeof(err)) == 0
 *	  and copy equals cfg field by field (tl_domain_config_equal());
 *
 * the text is byte for byte what libxl_domain_config_to_json() writes
 * for the same configuration (the host test t_config_json compares the
 * two), and reading refuses anything tern cannot honour -- another
 * domain type, devices, an action tern does not have, a value out of
 * range -- with one line in err, leaving the config untouched.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_gen.h>

/* libxl_action_on_shutdown, with libxl's numbers and JSON names. */
enum tl_action {
	TL_ACTION_DESTROY = 1,
	TL_ACTION_RESTART = 2,
	TL_ACTION_RESTART_RENAME = 3,
	TL_ACTION_PRESERVE = 4,
	TL_ACTION_COREDUMP_DESTROY = 5,
	TL_ACTION_COREDUMP_RESTART = 6,
	TL_ACTION_SOFT_RESET = 7,
};

#define TL_NAME_MAX		63	/* bytes, without the NUL */
#define TL_PATH_MAX		4095	/* kernel, ramdisk */
#define TL_CMDLINE_MAX		1023	/* start_info's command line */
#define TL_MAX_VCPUS		128
#define TL_MAX_MEMKB		(1024ULL * 1024 * 1024)	/* 1 TiB */
#define TL_UUID_LEN		36	/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" */

struct tl_domain_config {
	/* c_info (type is always "pv") */
	char name[TL_NAME_MAX + 1];
	char uuid[TL_UUID_LEN + 1];	/* empty: none yet */

	/* b_info */
	unsigned int max_vcpus;		/* xl's maxvcpus */
	unsigned int vcpus;		/* avail_vcpus: vCPUs 0..vcpus-1 */
	uint64_t max_memkb;		/* xl's maxmem, in KiB */
	uint64_t target_memkb;		/* xl's memory, in KiB */
	char kernel[TL_PATH_MAX + 1];
	char cmdline[TL_CMDLINE_MAX + 1];	/* empty: none */
	char ramdisk[TL_PATH_MAX + 1];		/* empty: none */

	enum tl_action on_poweroff;
	enum tl_action on_reboot;
	enum tl_action on_watchdog;
	enum tl_action on_crash;
	enum tl_action on_soft_reset;	/* tern has only destroy */
};

/* xl's defaults: 128 MiB, one vCPU, destroy on all but reboot (restart). */
void tl_domain_config_init(struct tl_domain_config *c);

/*
 * Every rule a configuration must obey, in the order a reader meets the
 * keys: 0, or -1 with one line in err naming the field as xl.cfg does
 * (memory, maxvcpus, on_crash...).
 */
int tl_domain_config_check(const struct tl_domain_config *c, char *err,
			   size_t errlen);

/* Field-by-field equality (what a JSON round trip must keep). */
bool tl_domain_config_equal(const struct tl_domain_config *a,
			    const struct tl_domain_config *b);

/*
 * The checks of single values, shared by the xl.cfg reader and the JSON
 * reader: NULL when the value is fine, else why not (a static string,
 * or why[] filled), without the field's name.
 */
const char *tl_check_name(const char *name);
/* Whether a tern action; what xl names that tern refuses gets a reason. */
const char *tl_check_action(enum tl_action a);

/*
 * libxl_action_on_shutdown's JSON names ("restart_rename") and xl.cfg's
 * ("rename-restart"), each way; 0 or -1 for a name that is neither.
 */
const char *tl_action_json_name(enum tl_action a);
const char *tl_action_xl_name(enum tl_action a);
int tl_action_from_json_name(const char *s, enum tl_action *a);
int tl_action_from_xl_name(const char *s, enum tl_action *a);

/* A fresh random (version 4) UUID, as xl gives a domain that has none. */
void tl_uuid_generate(char out[TL_UUID_LEN + 1]);

/*
 * libxl_domain_config_to_json(): the config in libxl's JSON (4-space
 * indent, as yajl beautifies), NUL-terminated, malloc'd; NULL with errno
 * (ENOMEM).  The config is not checked here: write only checked ones.
 */
char *tl_domain_config_to_json(const struct tl_domain_config *c);

/*
 * libxl_domain_config_gen_json(): the same object into a generator of the
 * caller's, inside a larger document (xl list -l puts each in a map with
 * its domid); yajl's status.
 */
yajl_gen_status tl_domain_config_gen_json(yajl_gen g,
					  const struct tl_domain_config *c);

/*
 * libxl_domain_config_from_json(): reads NUL-terminated JSON text into
 * *c, then checks it; 0, or -1 with one line in err and *c unchanged.
 * Keys libxl writes that do not change what tern builds (sched_params,
 * arch_arm, an empty device list...) are read past; any that would are
 * refused by name.
 */
int tl_domain_config_from_json(struct tl_domain_config *c, const char *json,
			       char *err, size_t errlen);

#endif
