// SPDX-License-Identifier: MIT
/*
 * A domain's configuration (tl.h): xl's defaults, the rules every value
 * obeys, and the two spellings of the shutdown actions.  The rules live
 * here, not in a reader, so an xl.cfg file and a save file's JSON are
 * held to the same ones.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "private.h"

void tl_domain_config_init(struct tl_domain_config *c)
{
	memset(c, 0, sizeof(*c));
	c->max_vcpus = 1;
	c->vcpus = 1;
	c->max_memkb = 128 * 1024;
	c->target_memkb = 128 * 1024;
	c->on_poweroff = TL_ACTION_DESTROY;
	c->on_reboot = TL_ACTION_RESTART;
	c->on_watchdog = TL_ACTION_DESTROY;
	c->on_crash = TL_ACTION_DESTROY;
	c->on_soft_reset = TL_ACTION_DESTROY;
}

/*
 * tern-xl takes a domain by name or by id, and names end up in file
 * names, so an all-digit name or one with '/' or blanks would be
 * ambiguous.
 */
const char *tl_check_name(const char *name)
{
	bool digits = true;
	const char *p;

	if (!name[0])
		return "must not be empty";
	if (strlen(name) > TL_NAME_MAX)
		return "is too long (at most 63 characters)";
	for (p = name; *p; p++) {
		unsigned char ch = *p;

		if (ch <= ' ' || ch >= 0x7f || ch == '/')
			return "may not contain '/', blanks or non-ASCII bytes";
		digits &= ch >= '0' && ch <= '9';
	}
	if (digits)
		return "must not be a number (it would read as a domain id)";
	return NULL;
}

static const struct {
	const char *json;	/* libxl's enum name */
	const char *xl;		/* xl.cfg's */
} actions[] = {
	[TL_ACTION_DESTROY] = { "destroy", "destroy" },
	[TL_ACTION_RESTART] = { "restart", "restart" },
	[TL_ACTION_RESTART_RENAME] = { "restart_rename", "rename-restart" },
	[TL_ACTION_PRESERVE] = { "preserve", "preserve" },
	[TL_ACTION_COREDUMP_DESTROY] = { "coredump_destroy", "coredump-destroy" },
	[TL_ACTION_COREDUMP_RESTART] = { "coredump_restart", "coredump-restart" },
	[TL_ACTION_SOFT_RESET] = { "soft_reset", "soft-reset" },
};

#define NR_ACTIONS	ARRAY_SIZE(actions)

static bool action_known(enum tl_action a)
{
	return a >= TL_ACTION_DESTROY && (unsigned int)a < NR_ACTIONS;
}

const char *tl_action_json_name(enum tl_action a)
{
	return action_known(a) ? actions[a].json : "invalid";
}

const char *tl_action_xl_name(enum tl_action a)
{
	return action_known(a) ? actions[a].xl : "invalid";
}

/* The action one of the two spellings names: 0, or -1 for none. */
static int action_named(const char *s, bool xl, enum tl_action *a)
{
	unsigned int i;

	for (i = TL_ACTION_DESTROY; i < NR_ACTIONS; i++)
		if (!strcmp(s, xl ? actions[i].xl : actions[i].json)) {
			*a = i;
			return 0;
		}
	return -1;
}

int tl_action_from_json_name(const char *s, enum tl_action *a)
{
	return action_named(s, false, a);
}

int tl_action_from_xl_name(const char *s, enum tl_action *a)
{
	return action_named(s, true, a);
}

/* xl has them; tern writes no core and has no soft reset. */
const char *tl_check_action(enum tl_action a)
{
	switch (a) {
	case TL_ACTION_DESTROY:
	case TL_ACTION_RESTART:
	case TL_ACTION_RESTART_RENAME:
	case TL_ACTION_PRESERVE:
		return NULL;
	case TL_ACTION_COREDUMP_DESTROY:
	case TL_ACTION_COREDUMP_RESTART:
	case TL_ACTION_SOFT_RESET:
		return "is not supported by tern";
	}
	return "is not an action";
}

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), -1)

/* Memory as a message shows it: MiB when whole, else KiB. */
static void show_kb(char *buf, size_t len, uint64_t kb)
{
	if (kb % 1024)
		snprintf(buf, len, "%" PRIu64 " KiB", kb);
	else
		snprintf(buf, len, "%" PRIu64, kb / 1024);
}

/*
 * Whether s is well-formed UTF-8 (no overlong forms, no surrogates,
 * nothing above U+10FFFF).  JSON carries only text: yajl refuses other
 * bytes when it reads, so a string that is not UTF-8 could be written to
 * a save file but never read back.
 */
static bool utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned int cp, n, i;

		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0) {
			n = 1;
			cp = *p & 0x1f;
		} else if ((*p & 0xf0) == 0xe0) {
			n = 2;
			cp = *p & 0x0f;
		} else if ((*p & 0xf8) == 0xf0) {
			n = 3;
			cp = *p & 0x07;
		} else {
			return false;
		}
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		p += n + 1;
	}
	return true;
}

static int check_action(const char *key, enum tl_action a, char *err,
			size_t errlen)
{
	const char *why = tl_check_action(a);

	if (why)
		return ERR("'%s' = \"%s\" %s", key, tl_action_xl_name(a), why);
	return 0;
}

int tl_domain_config_check(const struct tl_domain_config *c, char *err,
			   size_t errlen)
{
	char a[32], b[32];
	const char *why;

	if (!memchr(c->name, 0, sizeof(c->name)) ||
	    !memchr(c->kernel, 0, sizeof(c->kernel)) ||
	    !memchr(c->cmdline, 0, sizeof(c->cmdline)) ||
	    !memchr(c->ramdisk, 0, sizeof(c->ramdisk)) ||
	    !memchr(c->uuid, 0, sizeof(c->uuid)))
		return ERR("a string of the configuration is not terminated");
	if (!c->name[0])
		return ERR("missing required key 'name'");
	why = tl_check_name(c->name);
	if (why)
		return ERR("'name' %s", why);
	if (!c->kernel[0])
		return ERR("missing required key 'kernel'");
	if (!utf8_ok(c->kernel) || !utf8_ok(c->cmdline) ||
	    !utf8_ok(c->ramdisk))
		return ERR("'%s' is not UTF-8 text, which the configuration's JSON must be",
			   !utf8_ok(c->kernel) ? "kernel" :
			   !utf8_ok(c->cmdline) ? "cmdline" : "ramdisk");
	if (c->target_memkb < 1024 || c->target_memkb > TL_MAX_MEMKB ||
	    c->target_memkb % 4) {
		show_kb(a, sizeof(a), c->target_memkb);
		return ERR("'memory' must be between 1 and %llu MiB in whole pages, not %s",
			   TL_MAX_MEMKB / 1024, a);
	}
	if (c->max_memkb < c->target_memkb) {
		show_kb(a, sizeof(a), c->max_memkb);
		show_kb(b, sizeof(b), c->target_memkb);
		return ERR("'maxmem' (%s) is less than 'memory' (%s)", a, b);
	}
	if (c->max_memkb > TL_MAX_MEMKB || c->max_memkb % 4) {
		show_kb(a, sizeof(a), c->max_memkb);
		return ERR("'maxmem' must be at most %llu MiB in whole pages, not %s",
			   TL_MAX_MEMKB / 1024, a);
	}
	if (c->vcpus < 1 || c->vcpus > TL_MAX_VCPUS)
		return ERR("'vcpus' must be between 1 and %u, not %u",
			   TL_MAX_VCPUS, c->vcpus);
	if (c->max_vcpus < c->vcpus)
		return ERR("'maxvcpus' (%u) is less than 'vcpus' (%u)",
			   c->max_vcpus, c->vcpus);
	if (c->max_vcpus > TL_MAX_VCPUS)
		return ERR("'maxvcpus' must be between 1 and %u, not %u",
			   TL_MAX_VCPUS, c->max_vcpus);
	if (check_action("on_poweroff", c->on_poweroff, err, errlen) ||
	    check_action("on_reboot", c->on_reboot, err, errlen) ||
	    check_action("on_watchdog", c->on_watchdog, err, errlen) ||
	    check_action("on_crash", c->on_crash, err, errlen))
		return -1;
	/*
	 * xl on Xen writes on_soft_reset = soft_reset into every save file:
	 * kept, so the guest has it again back on Xen; a soft reset asked
	 * for here ends as a destroy (tern has none).
	 */
	if (c->on_soft_reset != TL_ACTION_DESTROY &&
	    c->on_soft_reset != TL_ACTION_SOFT_RESET)
		return ERR("'on_soft_reset' = \"%s\" is not supported by tern (a soft reset destroys the domain)",
			   tl_action_xl_name(c->on_soft_reset));
	return 0;
}

bool tl_domain_config_equal(const struct tl_domain_config *a,
			    const struct tl_domain_config *b)
{
	return !strcmp(a->name, b->name) && !strcmp(a->uuid, b->uuid) &&
	       a->max_vcpus == b->max_vcpus && a->vcpus == b->vcpus &&
	       a->max_memkb == b->max_memkb &&
	       a->target_memkb == b->target_memkb &&
	       !strcmp(a->kernel, b->kernel) &&
	       !strcmp(a->cmdline, b->cmdline) &&
	       !strcmp(a->ramdisk, b->ramdisk) &&
	       a->on_poweroff == b->on_poweroff &&
	       a->on_reboot == b->on_reboot &&
	       a->on_watchdog == b->on_watchdog &&
	       a->on_crash == b->on_crash &&
	       a->on_soft_reset == b->on_soft_reset;
}

void tl_uuid_generate(char out[TL_UUID_LEN + 1])
{
	uint8_t u[16];
	size_t got = 0;

	while (got < sizeof(u)) {
		ssize_t n = getrandom(u + got, sizeof(u) - got, 0);

		if (n <= 0)
			break;
		got += n;
	}
	if (got < sizeof(u)) {
		/* No entropy: still unique enough within this host. */
		uint64_t t = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);

		memcpy(u, &t, sizeof(t));
		memcpy(u + 8, &t, sizeof(t));
	}
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
	snprintf(out, TL_UUID_LEN + 1,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}
