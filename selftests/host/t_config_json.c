// SPDX-License-Identifier: MIT
/*
 * A domain's configuration as JSON (tools/libs/light/tl_json.c), the text
 * `tern-xl list -l` prints and a save file carries:
 *
 * - libxl's shape, byte for byte: for every configuration of a table,
 *   Debian's libxl (libxl_domain_config_to_json) given the same values
 *   writes the same text as tl_domain_config_to_json;
 * - a round trip keeps every field, from our text and from libxl's;
 * - every refusal (not JSON, another domain type, devices, an unknown
 *   key, a value out of range, an action tern lacks...) is one line
 *   naming the key, and leaves the config as it was; so is every proper
 *   prefix of a valid text;
 * - the configuration xl on Xen writes into a save file is read as the
 *   domain it names, and written back with what Xen needs of it.
 *
 * libxl's writer is given no libxl_ctx: it touches the context only to
 * log a failure, and libxl_ctx_alloc() would need a running Xen.  Its
 * bitmap is filled by hand for the same reason (libxl_bitmap_alloc
 * allocates through the context).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>
#include <libxl_utils.h>

#include "hosttest.h"
#include "tools/libs/light/tl.h"

static char err[512];

/* The same configuration, filled into libxl's own structure. */
static char *libxl_json(const struct tl_domain_config *c)
{
	static const libxl_action_on_shutdown act[] = {
		[TL_ACTION_DESTROY] = LIBXL_ACTION_ON_SHUTDOWN_DESTROY,
		[TL_ACTION_RESTART] = LIBXL_ACTION_ON_SHUTDOWN_RESTART,
		[TL_ACTION_RESTART_RENAME] = LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME,
		[TL_ACTION_PRESERVE] = LIBXL_ACTION_ON_SHUTDOWN_PRESERVE,
		[TL_ACTION_COREDUMP_DESTROY] = LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY,
		[TL_ACTION_COREDUMP_RESTART] = LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART,
		[TL_ACTION_SOFT_RESET] = LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET,
	};
	libxl_domain_config d;
	unsigned int i;
	char *json;

	libxl_domain_config_init(&d);
	d.c_info.type = LIBXL_DOMAIN_TYPE_PV;
	d.c_info.name = strdup(c->name);
	if (c->uuid[0])
		libxl_uuid_from_string(&d.c_info.uuid, c->uuid);
	libxl_domain_build_info_init_type(&d.b_info, LIBXL_DOMAIN_TYPE_PV);
	d.b_info.max_vcpus = c->max_vcpus;
	d.b_info.avail_vcpus.size = (c->max_vcpus + 7) / 8;
	d.b_info.avail_vcpus.map = calloc(1, d.b_info.avail_vcpus.size);
	for (i = 0; i < c->vcpus; i++)
		d.b_info.avail_vcpus.map[i / 8] |= 1 << (i % 8);
	d.b_info.max_memkb = c->max_memkb;
	d.b_info.target_memkb = c->target_memkb;
	d.b_info.kernel = strdup(c->kernel);
	d.b_info.cmdline = c->cmdline[0] ? strdup(c->cmdline) : NULL;
	d.b_info.ramdisk = c->ramdisk[0] ? strdup(c->ramdisk) : NULL;
	d.on_poweroff = act[c->on_poweroff];
	d.on_reboot = act[c->on_reboot];
	d.on_watchdog = act[c->on_watchdog];
	d.on_crash = act[c->on_crash];
	d.on_soft_reset = act[c->on_soft_reset];
	json = libxl_domain_config_to_json(NULL, &d);
	libxl_domain_config_dispose(&d);
	return json;
}

static void base(struct tl_domain_config *c)
{
	tl_domain_config_init(c);
	snprintf(c->name, sizeof(c->name), "tern-demo");
	snprintf(c->kernel, sizeof(c->kernel), "tern");
}

/* Each row changes the base configuration one way. */
struct shape_case {
	const char *what;
	void (*edit)(struct tl_domain_config *c);
};

static void e_defaults(struct tl_domain_config *c)
{
}

static void e_uuid(struct tl_domain_config *c)
{
	snprintf(c->uuid, sizeof(c->uuid), "0d9e6f0a-4b3c-4d2e-8f1a-2b3c4d5e6f70");
}

static void e_full(struct tl_domain_config *c)
{
	e_uuid(c);
	c->max_vcpus = 8;
	c->vcpus = 3;
	c->max_memkb = 512 * 1024;
	c->target_memkb = 256 * 1024;
	snprintf(c->cmdline, sizeof(c->cmdline), "selftests=all ptstress");
	snprintf(c->ramdisk, sizeof(c->ramdisk), "/boot/initrd.img");
	c->on_poweroff = TL_ACTION_PRESERVE;
	c->on_reboot = TL_ACTION_RESTART_RENAME;
	c->on_watchdog = TL_ACTION_RESTART;
	c->on_crash = TL_ACTION_PRESERVE;
}

static void e_escapes(struct tl_domain_config *c)
{
	snprintf(c->cmdline, sizeof(c->cmdline), "a \"q\" \\ \t\n\x01 \xc3\xa9 /");
	snprintf(c->kernel, sizeof(c->kernel), "/path with spaces/tern");
}

static void e_all_destroy(struct tl_domain_config *c)
{
	c->on_reboot = TL_ACTION_DESTROY;
}

static void e_many_vcpus(struct tl_domain_config *c)
{
	c->max_vcpus = TL_MAX_VCPUS;
	c->vcpus = TL_MAX_VCPUS;
	c->max_memkb = c->target_memkb = TL_MAX_MEMKB;
}

static void e_pages(struct tl_domain_config *c)
{
	c->target_memkb = 5 * 1024 + 4;
	c->max_memkb = 6 * 1024 + 8;
	c->vcpus = 1;
	c->max_vcpus = 2;
}

static const struct shape_case shapes[] = {
	{ "defaults", e_defaults },
	{ "a uuid", e_uuid },
	{ "every field", e_full },
	{ "escapes and UTF-8", e_escapes },
	{ "every action destroy", e_all_destroy },
	{ "128 vCPUs, 1 TiB", e_many_vcpus },
	{ "memory in pages, not MiB", e_pages },
};

static void test_shapes(void)
{
	struct tl_domain_config c, back, fromlibxl;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(shapes); i++) {
		char *ours, *theirs;
		int rc1, rc2;

		base(&c);
		shapes[i].edit(&c);
		T_CHECK(!tl_domain_config_check(&c, err, sizeof(err)),
			"%s: the config is valid: %s", shapes[i].what, err);
		ours = tl_domain_config_to_json(&c);
		theirs = libxl_json(&c);
		T_CHECK(ours && theirs && !strcmp(ours, theirs),
			"%s: libxl_domain_config_to_json writes the same text",
			shapes[i].what);
		if (ours && theirs && strcmp(ours, theirs))
			printf("# ours:\n%s\n# libxl's:\n%s\n", ours, theirs);
		memset(&back, 0x55, sizeof(back));
		memset(&fromlibxl, 0x55, sizeof(fromlibxl));
		rc1 = ours ? tl_domain_config_from_json(&back, ours, err,
							sizeof(err)) : -1;
		T_CHECK(!rc1 && tl_domain_config_equal(&c, &back),
			"%s: our text reads back field for field%s%s",
			shapes[i].what, rc1 ? ": " : "", rc1 ? err : "");
		rc2 = theirs ? tl_domain_config_from_json(&fromlibxl, theirs,
							  err, sizeof(err)) : -1;
		T_CHECK(!rc2 && tl_domain_config_equal(&c, &fromlibxl),
			"%s: libxl's text reads back field for field",
			shapes[i].what);
		free(ours);
		free(theirs);
	}
}

/* Valid text with one piece replaced: "%s" is where the change goes. */
struct bad_case {
	const char *what;
	const char *json;
	const char *want;
};

#define C_INFO	"\"c_info\": { \"type\": \"pv\", \"name\": \"n\" }"
#define B_INFO	"\"b_info\": { \"max_vcpus\": 2, \"avail_vcpus\": [ 0 ], \"max_memkb\": 65536, \"target_memkb\": 65536, \"kernel\": \"tern\" }"

static const struct bad_case bad[] = {
	{ "not JSON", "{ \"c_info\": ", "not JSON: " },
	{ "empty text", "", "not JSON" },
	{ "an array", "[ 1 ]", "not a JSON object" },
	{ "no c_info", "{ " B_INFO " }", "c_info and b_info are required" },
	{ "no b_info", "{ " C_INFO " }", "c_info and b_info are required" },
	{ "c_info not an object", "{ \"c_info\": 5, " B_INFO " }",
	  "c_info must be an object" },
	{ "no type", "{ \"c_info\": { \"name\": \"n\" }, " B_INFO " }",
	  "c_info.type is required" },
	{ "hvm", "{ \"c_info\": { \"type\": \"hvm\", \"name\": \"n\" }, " B_INFO " }",
	  "c_info.type \"hvm\" is not supported by tern (only \"pv\")" },
	{ "type.hvm", "{ " C_INFO ", \"b_info\": { \"max_memkb\": 65536, \"max_vcpus\": 1, \"kernel\": \"k\", \"type.hvm\": { } } }",
	  "b_info.type.hvm: only PV domains are supported by tern" },
	{ "unknown top-level key", "{ " C_INFO ", " B_INFO ", \"colour\": 1 }",
	  "colour is not supported by tern" },
	{ "unknown b_info key", "{ " C_INFO ", \"b_info\": { \"max_memkb\": 65536, \"max_vcpus\": 1, \"kernel\": \"k\", \"bootloader\": \"pygrub\" } }",
	  "b_info.bootloader is not supported by tern" },
	{ "sched_params weight", "{ " C_INFO ", \"b_info\": { \"max_memkb\": 65536, \"max_vcpus\": 1, \"kernel\": \"k\", \"sched_params\": { \"weight\": 512 } } }",
	  "b_info.sched_params.weight = 512 is not supported by tern (only the default, 256)" },
	{ "sched_params cap", "{ " C_INFO ", \"b_info\": { \"max_memkb\": 65536, \"max_vcpus\": 1, \"kernel\": \"k\", \"sched_params\": { \"sched\": \"credit\", \"cap\": 50 } } }",
	  "b_info.sched_params.cap = 50: a CPU cap is not supported by tern" },
	{ "sched_params slice", "{ " C_INFO ", \"b_info\": { \"max_memkb\": 65536, \"max_vcpus\": 1, \"kernel\": \"k\", \"sched_params\": { \"slice\": 5 } } }",
	  "b_info.sched_params.slice is not supported by tern" },
	{ "unknown scheduler", "{ " C_INFO ", \"b_info\": { \"max_memkb\": 65536, \"max_vcpus\": 1, \"kernel\": \"k\", \"sched_params\": { \"sched\": \"fifo\" } } }",
	  "b_info.sched_params.sched \"fifo\" is not one of Xen's schedulers" },
	{ "video memory", "{ " C_INFO ", \"b_info\": { \"max_memkb\": 65536, \"max_vcpus\": 1, \"kernel\": \"k\", \"video_memkb\": 8192 } }",
	  "b_info.video_memkb = 8192: video memory is not supported by tern" },
	{ "relaxed MSRs", "{ " C_INFO ", \"b_info\": { \"max_memkb\": 65536, \"max_vcpus\": 1, \"kernel\": \"k\", \"arch_x86\": { \"msr_relaxed\": \"True\" } } }",
	  "b_info.arch_x86.msr_relaxed = \"True\" is not supported by tern" },
	{ "hotplug not a defbool", "{ \"c_info\": { \"type\": \"pv\", \"name\": \"n\", \"run_hotplug_scripts\": 1 }, " B_INFO " }",
	  "c_info.run_hotplug_scripts must be \"True\", \"False\" or \"<default>\"" },
	{ "a disk", "{ " C_INFO ", " B_INFO ", \"disks\": [ { \"vdev\": \"xvda\" } ] }",
	  "disks: devices are not supported by tern" },
	{ "nics not a list", "{ " C_INFO ", " B_INFO ", \"nics\": { } }",
	  "nics must be a list" },
	{ "key twice", "{ " C_INFO ", " B_INFO ", \"on_crash\": \"preserve\", \"on_crash\": \"restart\" }",
	  "on_crash is given twice" },
	{ "name not a string", "{ \"c_info\": { \"type\": \"pv\", \"name\": 5 }, " B_INFO " }",
	  "c_info.name must be a string" },
	{ "name a number", "{ \"c_info\": { \"type\": \"pv\", \"name\": \"12\" }, " B_INFO " }",
	  "'name' must not be a number" },
	{ "no name", "{ \"c_info\": { \"type\": \"pv\" }, " B_INFO " }",
	  "missing required key 'name'" },
	{ "bad uuid", "{ \"c_info\": { \"type\": \"pv\", \"name\": \"n\", \"uuid\": \"xyz\" }, " B_INFO " }",
	  "c_info.uuid is not a UUID" },
	{ "no memory", "{ " C_INFO ", \"b_info\": { \"max_vcpus\": 1, \"kernel\": \"k\" } }",
	  "b_info.max_memkb or b_info.target_memkb is required" },
	{ "no vcpus", "{ " C_INFO ", \"b_info\": { \"max_memkb\": 65536, \"kernel\": \"k\" } }",
	  "b_info.max_vcpus or b_info.avail_vcpus is required" },
	{ "negative memory", "{ " C_INFO ", \"b_info\": { \"max_memkb\": -4, \"max_vcpus\": 1, \"kernel\": \"k\" } }",
	  "b_info.max_memkb must be between 0 and" },
	{ "memory a string", "{ " C_INFO ", \"b_info\": { \"max_memkb\": \"64\", \"max_vcpus\": 1, \"kernel\": \"k\" } }",
	  "b_info.max_memkb must be an integer" },
	{ "memory a float", "{ " C_INFO ", \"b_info\": { \"max_memkb\": 1.5, \"max_vcpus\": 1, \"kernel\": \"k\" } }",
	  "b_info.max_memkb must be an integer" },
	{ "memory not whole pages", "{ " C_INFO ", \"b_info\": { \"max_memkb\": 65537, \"max_vcpus\": 1, \"kernel\": \"k\" } }",
	  "'memory' must be between 1 and 1048576 MiB in whole pages, not 65537 KiB" },
	{ "memory below 1 MiB", "{ " C_INFO ", \"b_info\": { \"max_memkb\": 512, \"max_vcpus\": 1, \"kernel\": \"k\" } }",
	  "'memory' must be between 1 and 1048576 MiB" },
	{ "maxmem below memory", "{ " C_INFO ", \"b_info\": { \"max_memkb\": 32768, \"target_memkb\": 65536, \"max_vcpus\": 1, \"kernel\": \"k\" } }",
	  "'maxmem' (32) is less than 'memory' (64)" },
	{ "too many vcpus", "{ " C_INFO ", \"b_info\": { \"max_memkb\": 65536, \"max_vcpus\": 129, \"kernel\": \"k\" } }",
	  "b_info.max_vcpus must be between 0 and 128, not 129" },
	{ "avail above max", "{ " C_INFO ", \"b_info\": { \"max_memkb\": 65536, \"max_vcpus\": 1, \"avail_vcpus\": [ 0, 1 ], \"kernel\": \"k\" } }",
	  "'maxvcpus' (1) is less than 'vcpus' (2)" },
	{ "avail with a gap", "{ " C_INFO ", \"b_info\": { \"max_memkb\": 65536, \"max_vcpus\": 4, \"avail_vcpus\": [ 0, 2 ], \"kernel\": \"k\" } }",
	  "b_info.avail_vcpus must be vCPUs 0 to 1" },
	{ "avail empty", "{ " C_INFO ", \"b_info\": { \"max_memkb\": 65536, \"max_vcpus\": 4, \"avail_vcpus\": [ ], \"kernel\": \"k\" } }",
	  "b_info.avail_vcpus must list 1 to 128 vCPUs, not 0" },
	{ "no kernel", "{ " C_INFO ", \"b_info\": { \"max_memkb\": 65536, \"max_vcpus\": 1 } }",
	  "missing required key 'kernel'" },
	{ "unknown action", "{ " C_INFO ", " B_INFO ", \"on_reboot\": \"explode\" }",
	  "on_reboot must be one of libxl's actions" },
	{ "xl's spelling of an action", "{ " C_INFO ", " B_INFO ", \"on_reboot\": \"rename-restart\" }",
	  "on_reboot must be one of libxl's actions" },
	{ "coredump", "{ " C_INFO ", " B_INFO ", \"on_crash\": \"coredump_destroy\" }",
	  "'on_crash' = \"coredump-destroy\" is not supported by tern" },
	{ "soft reset on crash", "{ " C_INFO ", " B_INFO ", \"on_crash\": \"soft_reset\" }",
	  "'on_crash' = \"soft-reset\" is not supported by tern" },
	{ "restart on soft reset", "{ " C_INFO ", " B_INFO ", \"on_soft_reset\": \"restart\" }",
	  "'on_soft_reset' = \"restart\" is not supported by tern" },
};

static bool one_line(const char *s)
{
	return s[0] && !strchr(s, '\n');
}

static void test_refusals(void)
{
	struct tl_domain_config c, before;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int rc;

		base(&c);
		e_full(&c);
		before = c;
		err[0] = '\0';
		rc = tl_domain_config_from_json(&c, bad[i].json, err, sizeof(err));
		T_CHECK(rc == -1 && strstr(err, bad[i].want) && one_line(err) &&
			!memcmp(&c, &before, sizeof(c)),
			"refused, config unchanged: %s: \"%s\"", bad[i].what, err);
	}
	/* The accepted neighbours of some refusals. */
	base(&c);
	err[0] = '\0';
	T_CHECK(!tl_domain_config_from_json(&c, "{ " C_INFO ", " B_INFO ", \"disks\": [ ], \"nics\": [ ] }",
					    err, sizeof(err)) &&
		c.max_vcpus == 2 && c.vcpus == 1 && c.target_memkb == 65536,
		"empty device lists are accepted%s", err);
	err[0] = '\0';
	T_CHECK(!tl_domain_config_from_json(&c, "{ " C_INFO ", \"b_info\": { \"target_memkb\": 8192, \"avail_vcpus\": [ 1, 0 ], \"kernel\": \"k\" } }",
					    err, sizeof(err)) &&
		c.max_memkb == 8192 && c.max_vcpus == 2 && c.vcpus == 2 &&
		c.on_reboot == TL_ACTION_DESTROY,
		"missing keys take libxl's defaults (max = target, max_vcpus = avail, destroy)%s",
		err);
}

/* Every proper prefix of a valid text is refused and changes nothing. */
/* A string JSON cannot carry is refused before it could be written. */
static void test_utf8(void)
{
	static const char *const bad_text[] = {
		"\xff", "a\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"\xe2\x82",
	};
	static const char *const good_text[] = {
		"\xc3\xa9t\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x90\xa6", "\x7f",
	};
	struct tl_domain_config c;
	unsigned int i, refused = 0, kept = 0;

	for (i = 0; i < ARRAY_SIZE(bad_text); i++) {
		base(&c);
		snprintf(c.cmdline, sizeof(c.cmdline), "%s", bad_text[i]);
		refused += tl_domain_config_check(&c, err, sizeof(err)) == -1 &&
			   strstr(err, "'cmdline' is not UTF-8 text");
	}
	for (i = 0; i < ARRAY_SIZE(good_text); i++) {
		struct tl_domain_config back;
		char *json;

		base(&c);
		snprintf(c.cmdline, sizeof(c.cmdline), "%s", good_text[i]);
		json = tl_domain_config_to_json(&c);
		kept += !tl_domain_config_check(&c, err, sizeof(err)) && json &&
			!tl_domain_config_from_json(&back, json, err, sizeof(err)) &&
			tl_domain_config_equal(&c, &back);
		free(json);
	}
	T_CHECK(refused == ARRAY_SIZE(bad_text),
		"%u of %zu malformed UTF-8 command lines refused", refused,
		ARRAY_SIZE(bad_text));
	T_CHECK(kept == ARRAY_SIZE(good_text),
		"%u of %zu UTF-8 command lines go through JSON and back", kept,
		ARRAY_SIZE(good_text));
}

static void test_prefixes(void)
{
	struct tl_domain_config c, before, out;
	char *json, *cut;
	size_t len, n, bad_prefixes = 0;

	base(&c);
	e_full(&c);
	json = tl_domain_config_to_json(&c);
	len = json ? strlen(json) : 0;
	cut = malloc(len + 1);
	base(&out);
	before = out;
	for (n = 0; json && cut && n < len; n++) {
		memcpy(cut, json, n);
		cut[n] = '\0';
		/* Only trailing blanks may be cut from a complete text. */
		if (strspn(json + n, " \n") == len - n)
			break;
		if (tl_domain_config_from_json(&out, cut, err, sizeof(err)) != -1 ||
		    !one_line(err) || memcmp(&out, &before, sizeof(out)))
			bad_prefixes++;
	}
	T_CHECK(json && cut && n > 100 && !bad_prefixes,
		"%zu proper prefixes of a %zu-byte text: each refused in one line, nothing changed",
		n, len);
	free(cut);
	free(json);
}

/*
 * The configuration xl save wrote on Xen 4.17 for the rig's tern guest,
 * byte for byte (Debian's xl; every Xen file carries these keys): read as
 * the domain it describes, and written back in libxl's shape with what
 * tern keeps of it, so the guest goes back to Xen with it
 * (Documentation/two-hypervisors.rst).
 */
static const char xen_config[] =
	"{\n"
	"    \"c_info\": {\n"
	"        \"type\": \"pv\",\n"
	"        \"name\": \"tern-sr\",\n"
	"        \"uuid\": \"8f6285fc-f1bf-11f1-a0a3-cbc9e7fa4f9f\",\n"
	"        \"run_hotplug_scripts\": \"True\"\n"
	"    },\n"
	"    \"b_info\": {\n"
	"        \"max_vcpus\": 2,\n"
	"        \"avail_vcpus\": [\n"
	"            0,\n"
	"            1\n"
	"        ],\n"
	"        \"max_memkb\": 131072,\n"
	"        \"target_memkb\": 131072,\n"
	"        \"video_memkb\": 0,\n"
	"        \"sched_params\": {\n"
	"            \"sched\": \"credit2\",\n"
	"            \"weight\": 256,\n"
	"            \"cap\": 0\n"
	"        },\n"
	"        \"claim_mode\": \"True\",\n"
	"        \"kernel\": \"/boot/guests/tern/kernel\",\n"
	"        \"cmdline\": \"ptstress=16 ptchurn keep_running resume_check\",\n"
	"        \"type.pv\": {\n"
	"\n"
	"        },\n"
	"        \"arch_arm\": {\n"
	"\n"
	"        },\n"
	"        \"arch_x86\": {\n"
	"            \"msr_relaxed\": \"False\"\n"
	"        }\n"
	"    },\n"
	"    \"on_crash\": \"preserve\",\n"
	"    \"on_soft_reset\": \"soft_reset\"\n"
	"}\n";

static void test_xen_file_config(void)
{
	struct tl_domain_config c, back;
	char *ours, *theirs;

	err[0] = '\0';
	T_CHECK(!tl_domain_config_from_json(&c, xen_config, err, sizeof(err)),
		"the configuration xl save wrote on Xen is read%s%s",
		err[0] ? ": " : "", err);
	T_CHECK(!strcmp(c.name, "tern-sr") &&
		!strcmp(c.uuid, "8f6285fc-f1bf-11f1-a0a3-cbc9e7fa4f9f") &&
		c.max_vcpus == 2 && c.vcpus == 2 && c.max_memkb == 131072 &&
		c.target_memkb == 131072 &&
		!strcmp(c.kernel, "/boot/guests/tern/kernel") &&
		!strcmp(c.cmdline, "ptstress=16 ptchurn keep_running resume_check") &&
		c.on_poweroff == TL_ACTION_DESTROY &&
		c.on_reboot == TL_ACTION_DESTROY &&
		c.on_crash == TL_ACTION_PRESERVE &&
		c.on_soft_reset == TL_ACTION_SOFT_RESET,
		"it is the domain Xen ran: name, uuid, 2 vCPUs, 128 MiB, kernel, command line, on_crash preserve, on_soft_reset soft_reset");
	ours = tl_domain_config_to_json(&c);
	theirs = libxl_json(&c);
	T_CHECK(ours && theirs && !strcmp(ours, theirs),
		"written back as libxl writes the same domain (on_soft_reset kept for Xen)");
	T_CHECK(ours && strstr(ours, "\"on_soft_reset\": \"soft_reset\"") &&
		!tl_domain_config_from_json(&back, ours, err, sizeof(err)) &&
		tl_domain_config_equal(&c, &back),
		"and read again unchanged");
	free(ours);
	free(theirs);
}

int main(void)
{
	test_shapes();
	test_refusals();
	test_xen_file_config();
	test_utf8();
	test_prefixes();
	T_DONE();
}
