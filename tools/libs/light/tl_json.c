// SPDX-License-Identifier: MIT
/*
 * A domain's configuration as JSON in libxl's shape (libxl_domain_config's
 * generated *_gen_json and *_parse_json): written with yajl's generator
 * configured as libxl configures it (beautified, yajl's default 4-space
 * indent), read with yajl's tree parser.
 *
 * The shape, for what tern has:
 *
 *	{ "c_info": { "type": "pv", "name": ..., "uuid": ... },
 *	  "b_info": { "max_vcpus": n, "avail_vcpus": [ 0, 1, ... ],
 *		      "max_memkb": kb, "target_memkb": kb,
 *		      "sched_params": { }, "kernel": ..., "cmdline": ...,
 *		      "ramdisk": ..., "type.pv": { },
 *		      "arch_arm": { }, "arch_x86": { } },
 *	  "on_poweroff": ..., "on_reboot": ..., "on_watchdog": ...,
 *	  "on_crash": ..., "on_soft_reset": ... }
 *
 * libxl leaves out what is at its default: an unset string, and an
 * action that is "destroy"; so do we, in libxl's order, so the text is
 * the same byte for byte.  The bitmap avail_vcpus is the list of the bits
 * set.
 *
 * Reading is strict where libxl is lenient: libxl's parser looks up the
 * keys it knows and ignores the rest, but a key tern does not know asks
 * for something tern would not do, so it is refused by name.  The empty
 * objects libxl always writes are read past; a device list must be empty.
 * The keys xl on Xen adds to every save file (run_hotplug_scripts,
 * video_memkb 0, sched_params' scheduler with the default weight and no
 * cap, claim_mode, msr_relaxed off, on_soft_reset) are read and checked,
 * so that a file saved on Xen restores here; their values that would ask
 * for something tern does not do are refused.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "private.h"

/* ---- writing ---- */

static void gen_str(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static void gen_key_str(yajl_gen g, const char *key, const char *val)
{
	gen_str(g, key);
	gen_str(g, val);
}

static void gen_key_int(yajl_gen g, const char *key, long long val)
{
	gen_str(g, key);
	yajl_gen_integer(g, val);
}

static void gen_empty_map(yajl_gen g, const char *key)
{
	gen_str(g, key);
	yajl_gen_map_open(g);
	yajl_gen_map_close(g);
}

static void gen_action(yajl_gen g, const char *key, enum tl_action a)
{
	if (a != TL_ACTION_DESTROY)
		gen_key_str(g, key, tl_action_json_name(a));
}

static void gen_c_info(yajl_gen g, const struct tl_domain_config *c)
{
	gen_str(g, "c_info");
	yajl_gen_map_open(g);
	gen_key_str(g, "type", "pv");
	gen_key_str(g, "name", c->name);
	if (c->uuid[0])
		gen_key_str(g, "uuid", c->uuid);
	yajl_gen_map_close(g);
}

static void gen_b_info(yajl_gen g, const struct tl_domain_config *c)
{
	unsigned int i;

	gen_str(g, "b_info");
	yajl_gen_map_open(g);
	gen_key_int(g, "max_vcpus", c->max_vcpus);
	gen_str(g, "avail_vcpus");
	yajl_gen_array_open(g);
	for (i = 0; i < c->vcpus; i++)
		yajl_gen_integer(g, i);
	yajl_gen_array_close(g);
	gen_key_int(g, "max_memkb", c->max_memkb);
	gen_key_int(g, "target_memkb", c->target_memkb);
	gen_empty_map(g, "sched_params");
	gen_key_str(g, "kernel", c->kernel);
	if (c->cmdline[0])
		gen_key_str(g, "cmdline", c->cmdline);
	if (c->ramdisk[0])
		gen_key_str(g, "ramdisk", c->ramdisk);
	gen_empty_map(g, "type.pv");
	gen_empty_map(g, "arch_arm");
	gen_empty_map(g, "arch_x86");
	yajl_gen_map_close(g);
}

yajl_gen_status tl_domain_config_gen_json(yajl_gen g,
					  const struct tl_domain_config *c)
{
	yajl_gen_map_open(g);
	gen_c_info(g, c);
	gen_b_info(g, c);
	gen_action(g, "on_poweroff", c->on_poweroff);
	gen_action(g, "on_reboot", c->on_reboot);
	gen_action(g, "on_watchdog", c->on_watchdog);
	gen_action(g, "on_crash", c->on_crash);
	gen_action(g, "on_soft_reset", c->on_soft_reset);
	/* yajl keeps refusing after its first error: the last status tells. */
	return yajl_gen_map_close(g);
}

char *tl_domain_config_to_json(const struct tl_domain_config *c)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	const unsigned char *buf;
	char *out = NULL;
	size_t len;

	if (!g) {
		errno = ENOMEM;
		return NULL;
	}
	yajl_gen_config(g, yajl_gen_beautify, 1);
	if (tl_domain_config_gen_json(g, c) == yajl_gen_status_ok &&
	    yajl_gen_get_buf(g, &buf, &len) == yajl_gen_status_ok)
		out = strndup((const char *)buf, len);
	else
		errno = EINVAL;
	yajl_gen_free(g);
	return out;
}

/* ---- reading ---- */

#define ERR(...) (snprintf(r->err, r->errlen, __VA_ARGS__), -1)

struct reader {
	struct tl_domain_config *c;
	char *err;
	size_t errlen;
	bool have_avail, have_max_vcpus, have_max_memkb, have_target_memkb;
};

typedef int (*member_fn)(struct reader *r, const char *path, yajl_val v);

/* One key of an object: its name and what reads its value. */
struct member {
	const char *key;
	member_fn read;
};

static int read_object(struct reader *r, const char *path, yajl_val obj,
		       const struct member *members, size_t n);

static int get_string(struct reader *r, const char *path, yajl_val v,
		      char *dst, size_t size)
{
	const char *s = YAJL_GET_STRING(v);

	if (!s)
		return ERR("%s must be a string", path);
	if (strlen(s) >= size)
		return ERR("%s is too long (at most %zu bytes)", path, size - 1);
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

static int get_uint(struct reader *r, const char *path, yajl_val v,
		    uint64_t max, uint64_t *out)
{
	long long n;

	if (!YAJL_IS_INTEGER(v))
		return ERR("%s must be an integer", path);
	n = YAJL_GET_INTEGER(v);
	if (n < 0 || (uint64_t)n > max)
		return ERR("%s must be between 0 and %" PRIu64 ", not %lld",
			   path, max, n);
	*out = n;
	return 0;
}

static int read_empty_object(struct reader *r, const char *path, yajl_val v)
{
	if (!YAJL_IS_OBJECT(v))
		return ERR("%s must be an object", path);
	return read_object(r, path, v, NULL, 0);
}

/* c_info */

static int read_type(struct reader *r, const char *path, yajl_val v)
{
	const char *s = YAJL_GET_STRING(v);

	if (!s)
		return ERR("%s must be a string", path);
	if (strcmp(s, "pv"))
		return ERR("%s \"%.20s\" is not supported by tern (only \"pv\")",
			   path, s);
	return 0;
}

static int read_name(struct reader *r, const char *path, yajl_val v)
{
	return get_string(r, path, v, r->c->name, sizeof(r->c->name));
}

static bool uuid_ok(const char *s)
{
	unsigned int i;

	if (strlen(s) != TL_UUID_LEN)
		return false;
	for (i = 0; i < TL_UUID_LEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	}
	return true;
}

static int read_uuid(struct reader *r, const char *path, yajl_val v)
{
	if (get_string(r, path, v, r->c->uuid, sizeof(r->c->uuid)))
		return -1;
	if (!uuid_ok(r->c->uuid))
		return ERR("%s is not a UUID", path);
	return 0;
}

/* libxl's defbool: "True", "False" or "<default>". */
static int get_defbool(struct reader *r, const char *path, yajl_val v,
		       int *out)
{
	const char *s = YAJL_GET_STRING(v);

	if (s && !strcmp(s, "True"))
		*out = 1;
	else if (s && !strcmp(s, "False"))
		*out = 0;
	else if (s && !strcmp(s, "<default>"))
		*out = -1;
	else
		return ERR("%s must be \"True\", \"False\" or \"<default>\"",
			   path);
	return 0;
}

/*
 * Keys xl writes into every save file on Xen, which ask nothing of a
 * domain without devices or neighbours: read, checked, and not kept
 * (Documentation/two-hypervisors.rst).  Values that would ask for
 * something tern does not do are refused by name.
 */
static int read_any_defbool(struct reader *r, const char *path, yajl_val v)
{
	int b;

	return get_defbool(r, path, v, &b);
}

static const struct member c_info_members[] = {
	{ "type", read_type },
	{ "name", read_name },
	{ "uuid", read_uuid },
	/* Hotplug scripts set up devices; tern has none. */
	{ "run_hotplug_scripts", read_any_defbool },
};

/* b_info */

static int read_max_vcpus(struct reader *r, const char *path, yajl_val v)
{
	uint64_t n;

	if (get_uint(r, path, v, TL_MAX_VCPUS, &n))
		return -1;
	r->c->max_vcpus = n;
	r->have_max_vcpus = true;
	return 0;
}

/* tern starts vCPUs 0..n-1: the bitmap must be exactly those. */
static int read_avail_vcpus(struct reader *r, const char *path, yajl_val v)
{
	uint8_t seen[TL_MAX_VCPUS] = { 0 };
	size_t i, n;
	uint64_t bit;

	if (!YAJL_IS_ARRAY(v))
		return ERR("%s must be a list of vCPU numbers", path);
	n = v->u.array.len;
	if (!n || n > TL_MAX_VCPUS)
		return ERR("%s must list 1 to %u vCPUs, not %zu", path,
			   TL_MAX_VCPUS, n);
	for (i = 0; i < n; i++) {
		if (get_uint(r, path, v->u.array.values[i], TL_MAX_VCPUS - 1,
			     &bit))
			return -1;
		seen[bit] = 1;
	}
	for (i = 0; i < n; i++)
		if (!seen[i])
			return ERR("%s must be vCPUs 0 to %zu: tern starts the first ones",
				   path, n - 1);
	r->c->vcpus = n;
	r->have_avail = true;
	return 0;
}

static int read_max_memkb(struct reader *r, const char *path, yajl_val v)
{
	r->have_max_memkb = true;
	return get_uint(r, path, v, TL_MAX_MEMKB, &r->c->max_memkb);
}

static int read_target_memkb(struct reader *r, const char *path, yajl_val v)
{
	r->have_target_memkb = true;
	return get_uint(r, path, v, TL_MAX_MEMKB, &r->c->target_memkb);
}

static int read_kernel(struct reader *r, const char *path, yajl_val v)
{
	return get_string(r, path, v, r->c->kernel, sizeof(r->c->kernel));
}

static int read_cmdline(struct reader *r, const char *path, yajl_val v)
{
	return get_string(r, path, v, r->c->cmdline, sizeof(r->c->cmdline));
}

static int read_ramdisk(struct reader *r, const char *path, yajl_val v)
{
	return get_string(r, path, v, r->c->ramdisk, sizeof(r->c->ramdisk));
}

/* A PV domain has no emulated graphics: libxl writes 0 for one. */
static int read_video_memkb(struct reader *r, const char *path, yajl_val v)
{
	uint64_t kb;

	if (get_uint(r, path, v, TL_MAX_MEMKB, &kb))
		return -1;
	if (kb)
		return ERR("%s = %lu: video memory is not supported by tern (a PV domain has none)",
			   path, (unsigned long)kb);
	return 0;
}

/* Xen's scheduler names, as libxl_scheduler's JSON spells them. */
static int read_sched(struct reader *r, const char *path, yajl_val v)
{
	static const char *const names[] = {
		"unknown", "sedf", "credit", "credit2", "arinc653", "rtds",
		"null",
	};
	const char *s = YAJL_GET_STRING(v);
	size_t i;

	if (!s)
		return ERR("%s must be a string", path);
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i]))
			return 0;
	return ERR("%s \"%.20s\" is not one of Xen's schedulers", path, s);
}

/*
 * A weight is relative to the other domains on the same CPUs: on hv a
 * domain is a process of its own, so only the default (256, "no
 * preference") means what it says.
 */
static int read_weight(struct reader *r, const char *path, yajl_val v)
{
	uint64_t w;

	if (get_uint(r, path, v, 65535, &w))
		return -1;
	if (w != 256)
		return ERR("%s = %lu is not supported by tern (only the default, 256)",
			   path, (unsigned long)w);
	return 0;
}

static int read_cap(struct reader *r, const char *path, yajl_val v)
{
	uint64_t cap;

	if (get_uint(r, path, v, 65535, &cap))
		return -1;
	if (cap)
		return ERR("%s = %lu: a CPU cap is not supported by tern (only 0, none)",
			   path, (unsigned long)cap);
	return 0;
}

static const struct member sched_members[] = {
	{ "sched", read_sched },
	{ "weight", read_weight },
	{ "cap", read_cap },
};

static int read_sched_params(struct reader *r, const char *path, yajl_val v)
{
	if (!YAJL_IS_OBJECT(v))
		return ERR("%s must be an object", path);
	return read_object(r, path, v, sched_members, ARRAY_SIZE(sched_members));
}

/* hv gives a domain all its memory when it is created: a claim is moot. */
static int read_claim_mode(struct reader *r, const char *path, yajl_val v)
{
	return read_any_defbool(r, path, v);
}

/* Relaxed MSRs read unknown MSRs as 0; hv faults them, as Xen's default. */
static int read_msr_relaxed(struct reader *r, const char *path, yajl_val v)
{
	int b;

	if (get_defbool(r, path, v, &b))
		return -1;
	if (b == 1)
		return ERR("%s = \"True\" is not supported by tern (an unknown MSR faults)",
			   path);
	return 0;
}

static const struct member arch_x86_members[] = {
	{ "msr_relaxed", read_msr_relaxed },
};

static int read_arch_x86(struct reader *r, const char *path, yajl_val v)
{
	if (!YAJL_IS_OBJECT(v))
		return ERR("%s must be an object", path);
	return read_object(r, path, v, arch_x86_members,
			   ARRAY_SIZE(arch_x86_members));
}

static int refuse_other_type(struct reader *r, const char *path, yajl_val v)
{
	return ERR("%s: only PV domains are supported by tern", path);
}

static const struct member b_info_members[] = {
	{ "max_vcpus", read_max_vcpus },
	{ "avail_vcpus", read_avail_vcpus },
	{ "max_memkb", read_max_memkb },
	{ "target_memkb", read_target_memkb },
	{ "video_memkb", read_video_memkb },
	{ "sched_params", read_sched_params },
	{ "claim_mode", read_claim_mode },
	{ "kernel", read_kernel },
	{ "cmdline", read_cmdline },
	{ "ramdisk", read_ramdisk },
	{ "type.pv", read_empty_object },
	{ "type.hvm", refuse_other_type },
	{ "type.pvh", refuse_other_type },
	{ "arch_arm", read_empty_object },
	{ "arch_x86", read_arch_x86 },
};

/* the domain config */

static int read_c_info(struct reader *r, const char *path, yajl_val v)
{
	if (!YAJL_IS_OBJECT(v))
		return ERR("%s must be an object", path);
	return read_object(r, path, v, c_info_members,
			   ARRAY_SIZE(c_info_members));
}

static int read_b_info(struct reader *r, const char *path, yajl_val v)
{
	if (!YAJL_IS_OBJECT(v))
		return ERR("%s must be an object", path);
	return read_object(r, path, v, b_info_members,
			   ARRAY_SIZE(b_info_members));
}

static int read_action(struct reader *r, const char *path, yajl_val v,
		       enum tl_action *a)
{
	const char *s = YAJL_GET_STRING(v);

	if (!s || tl_action_from_json_name(s, a))
		return ERR("%s must be one of libxl's actions (destroy, restart, restart_rename, preserve, coredump_destroy, coredump_restart, soft_reset)",
			   path);
	return 0;
}

static int read_on_poweroff(struct reader *r, const char *path, yajl_val v)
{
	return read_action(r, path, v, &r->c->on_poweroff);
}

static int read_on_reboot(struct reader *r, const char *path, yajl_val v)
{
	return read_action(r, path, v, &r->c->on_reboot);
}

static int read_on_watchdog(struct reader *r, const char *path, yajl_val v)
{
	return read_action(r, path, v, &r->c->on_watchdog);
}

static int read_on_crash(struct reader *r, const char *path, yajl_val v)
{
	return read_action(r, path, v, &r->c->on_crash);
}

static int read_on_soft_reset(struct reader *r, const char *path, yajl_val v)
{
	return read_action(r, path, v, &r->c->on_soft_reset);
}

/* libxl's device lists: tern has no devices, so each must be empty. */
static int read_devices(struct reader *r, const char *path, yajl_val v)
{
	if (!YAJL_IS_ARRAY(v))
		return ERR("%s must be a list", path);
	if (v->u.array.len)
		return ERR("%s: devices are not supported by tern", path);
	return 0;
}

static const struct member config_members[] = {
	{ "c_info", read_c_info },
	{ "b_info", read_b_info },
	{ "disks", read_devices },
	{ "nics", read_devices },
	{ "pcidevs", read_devices },
	{ "rdms", read_devices },
	{ "dtdevs", read_devices },
	{ "vfbs", read_devices },
	{ "vkbs", read_devices },
	{ "vtpms", read_devices },
	{ "p9s", read_devices },
	{ "pvcallsifs", read_devices },
	{ "vdispls", read_devices },
	{ "vsnds", read_devices },
	{ "channels", read_devices },
	{ "usbctrls", read_devices },
	{ "usbdevs", read_devices },
	{ "on_poweroff", read_on_poweroff },
	{ "on_reboot", read_on_reboot },
	{ "on_watchdog", read_on_watchdog },
	{ "on_crash", read_on_crash },
	{ "on_soft_reset", read_on_soft_reset },
};

/*
 * Reads every key of obj through its member; a key given twice or not
 * listed is refused.  path names obj in messages ("" at the top).
 */
static int read_object(struct reader *r, const char *path, yajl_val obj,
		       const struct member *members, size_t n)
{
	size_t i, j, k;

	for (i = 0; i < obj->u.object.len; i++) {
		const char *key = obj->u.object.keys[i];
		char sub[128];

		snprintf(sub, sizeof(sub), "%s%s%.60s", path, *path ? "." : "",
			 key);
		for (k = 0; k < i; k++)
			if (!strcmp(obj->u.object.keys[k], key))
				return ERR("%s is given twice", sub);
		for (j = 0; j < n; j++)
			if (!strcmp(members[j].key, key))
				break;
		if (j == n)
			return ERR("%s is not supported by tern", sub);
		if (members[j].read(r, sub, obj->u.object.values[i]))
			return -1;
	}
	return 0;
}

/* Keys libxl leaves out take libxl's defaults, as its setdefault does. */
static int complete(struct reader *r, yajl_val top)
{
	struct tl_domain_config *c = r->c;

	if (!YAJL_IS_OBJECT(yajl_tree_get(top, (const char *[]){ "c_info", NULL },
					  yajl_t_object)) ||
	    !YAJL_IS_OBJECT(yajl_tree_get(top, (const char *[]){ "b_info", NULL },
					  yajl_t_object)))
		return ERR("not a domain configuration: c_info and b_info are required");
	if (!yajl_tree_get(top, (const char *[]){ "c_info", "type", NULL },
			   yajl_t_string))
		return ERR("c_info.type is required (\"pv\")");
	if (!r->have_max_memkb && !r->have_target_memkb)
		return ERR("b_info.max_memkb or b_info.target_memkb is required");
	if (!r->have_max_memkb)
		c->max_memkb = c->target_memkb;
	if (!r->have_target_memkb)
		c->target_memkb = c->max_memkb;
	if (!r->have_max_vcpus && !r->have_avail)
		return ERR("b_info.max_vcpus or b_info.avail_vcpus is required");
	if (!r->have_max_vcpus)
		c->max_vcpus = c->vcpus;
	if (!r->have_avail)
		c->vcpus = c->max_vcpus;
	return 0;
}

int tl_domain_config_from_json(struct tl_domain_config *c, const char *json,
			       char *err, size_t errlen)
{
	struct tl_domain_config *work = malloc(sizeof(*work));
	struct reader r = { work, err, errlen };
	char why[256] = "";
	yajl_val top;
	int rc = -1;

	if (!work) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/*
	 * A key libxl leaves out has libxl's default, not xl's: an action
	 * left out is destroy, on_reboot included.
	 */
	tl_domain_config_init(work);
	work->on_reboot = TL_ACTION_DESTROY;
	top = yajl_tree_parse(json, why, sizeof(why));
	if (!top) {
		why[strcspn(why, "\n")] = '\0';
		snprintf(err, errlen, "not JSON: %s", why[0] ? why : "parse error");
		goto out;
	}
	if (!YAJL_IS_OBJECT(top)) {
		snprintf(err, errlen, "not a domain configuration: not a JSON object");
		goto out;
	}
	if (read_object(&r, "", top, config_members,
			ARRAY_SIZE(config_members)) ||
	    complete(&r, top) || tl_domain_config_check(work, err, errlen))
		goto out;
	*c = *work;
	rc = 0;
out:
	yajl_tree_free(top);
	free(work);
	return rc;
}
