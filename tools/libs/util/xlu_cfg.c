// SPDX-License-Identifier: MIT
/*
 * Domain configuration files in xl.cfg(5) syntax.
 *
 * A small hand-written lexer and parser over a (pointer, end) pair: it never
 * relies on a terminating NUL, so a fuzzer can feed it exact-sized buffers,
 * and every statement is parsed in full before it is applied, so a syntax
 * error is reported where it is rather than as a confusing type error.  All
 * changes go to a working copy that replaces the caller's config only when
 * the whole input was accepted: a failed call changes nothing.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlu_cfg.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The longest string any key takes (kernel, ramdisk). */
#define XLU_STR_MAX	4096

/* Keys are identifiers; show at most this much of one in a message. */
#define XLU_KEY_SHOW	64

/* Longest stretch of a user's value repeated back in a message. */
#define XLU_VAL_SHOW	40


enum xlu_vkind {
	XLU_V_STR,
	XLU_V_INT,
	XLU_V_LIST,
};

struct xlu_value {
	enum xlu_vkind kind;
	unsigned long num;
	/* Decoded length of a string; beyond XLU_STR_MAX only counted. */
	size_t len;
	unsigned int items;
	char str[XLU_STR_MAX + 1];
};

struct xlu_parser {
	const char *pos;
	const char *end;
	unsigned int line;
	const char *source;
	/* An override from the command line: errors name it, not a line. */
	const char *override;
	char *err;
	size_t errlen;
	struct xlu_config *cfg;
	/* The key of the statement being parsed, for messages. */
	const char *key;
	int keylen;
	struct xlu_value val;
};

/* ---- errors ---- */

/* The caller prints err as one line, so no control byte may reach it. */
static void xlu_err_clean(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static void __attribute__((format(printf, 3, 0)))
xlu_verr(char *err, size_t errlen, const char *fmt, va_list ap)
{
	if (!err || !errlen)
		return;
	vsnprintf(err, errlen, fmt, ap);
	xlu_err_clean(err);
}

static int __attribute__((format(printf, 3, 4)))
xlu_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xlu_verr(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int __attribute__((format(printf, 3, 4)))
xlu_perr(struct xlu_parser *ps, unsigned int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ps->override)
		return xlu_err(ps->err, ps->errlen, "override '%.*s%s': %s",
			      XLU_VAL_SHOW, ps->override,
			      strlen(ps->override) > XLU_VAL_SHOW ? "..." : "",
			      msg);
	return xlu_err(ps->err, ps->errlen, "%s:%u: %s", ps->source, line, msg);
}

/* A byte as a message shows it. */
static const char *xlu_describe(int c, char *buf, size_t len)
{
	if (c < 0)
		return "end of input";
	if (c == '\n')
		return "end of line";
	if (c > 0x20 && c < 0x7f)
		snprintf(buf, len, "'%c'", c);
	else
		snprintf(buf, len, "byte 0x%02x", c);
	return buf;
}

static int xlu_keyshow(int len)
{
	return len > XLU_KEY_SHOW ? XLU_KEY_SHOW : len;
}

/* ---- lexer ---- */

static int xlu_peek(const struct xlu_parser *ps)
{
	return ps->pos < ps->end ? (unsigned char)*ps->pos : -1;
}

static int xlu_peek2(const struct xlu_parser *ps)
{
	return ps->pos + 1 < ps->end ? (unsigned char)ps->pos[1] : -1;
}

static bool xlu_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool xlu_is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool xlu_is_key_start(int c)
{
	return xlu_is_alpha(c) || c == '_';
}

static bool xlu_is_key_char(int c)
{
	return xlu_is_key_start(c) || xlu_is_digit(c);
}

/*
 * Skip spaces and comments; inside a list newlines are blanks too.  A
 * carriage return counts as a blank so files edited on Windows still read.
 */
static void xlu_skip_blank(struct xlu_parser *ps, bool newlines)
{
	for (;;) {
		int c = xlu_peek(ps);

		if (c == ' ' || c == '\t' || c == '\r') {
			ps->pos++;
		} else if (c == '#') {
			while (ps->pos < ps->end && *ps->pos != '\n')
				ps->pos++;
		} else if (c == '\n' && newlines) {
			ps->pos++;
			ps->line++;
		} else {
			return;
		}
	}
}

static int xlu_hexval(int c)
{
	if (xlu_is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum {
	XLU_NUM_OK,
	XLU_NUM_INVALID,
	XLU_NUM_TOO_LARGE,
	XLU_NUM_LEADING_ZERO,
};

static int xlu_parse_hex(const char *s, size_t len, unsigned long *out)
{
	unsigned long n = 0;
	size_t i;

	if (!len)
		return XLU_NUM_INVALID;
	for (i = 0; i < len; i++) {
		int d = xlu_hexval((unsigned char)s[i]);

		if (d < 0)
			return XLU_NUM_INVALID;
		if (n >> (sizeof(n) * 8 - 4))
			return XLU_NUM_TOO_LARGE;
		n = n << 4 | d;
	}
	*out = n;
	return XLU_NUM_OK;
}

/*
 * Decimal or 0x hex.  xl reads a leading zero as octal (strtol base 0)
 * while xl.cfg(5) never mentions octal, so refuse "010" rather than guess.
 */
static int xlu_parse_ulong(const char *s, size_t len, unsigned long *out)
{
	unsigned long n = 0;
	size_t i;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return xlu_parse_hex(s + 2, len - 2, out);
	if (!len)
		return XLU_NUM_INVALID;
	for (i = 0; i < len; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9)
			return XLU_NUM_INVALID;
		if (n > (ULONG_MAX - d) / 10)
			return XLU_NUM_TOO_LARGE;
		n = n * 10 + d;
	}
	if (len > 1 && s[0] == '0')
		return XLU_NUM_LEADING_ZERO;
	*out = n;
	return XLU_NUM_OK;
}

static int xlu_number_error(struct xlu_parser *ps, int rc, const char *s,
			   size_t len)
{
	int show = len > XLU_VAL_SHOW ? XLU_VAL_SHOW : len;
	const char *more = len > XLU_VAL_SHOW ? "..." : "";

	if (rc == XLU_NUM_TOO_LARGE)
		return xlu_perr(ps, ps->line, "number '%.*s%s' is too large",
			       show, s, more);
	if (rc == XLU_NUM_LEADING_ZERO)
		return xlu_perr(ps, ps->line,
			       "number '%.*s%s' has a leading zero (xl would read it as octal)",
			       show, s, more);
	return xlu_perr(ps, ps->line, "invalid number '%.*s%s'", show, s, more);
}

static int xlu_lex_number(struct xlu_parser *ps, struct xlu_value *v)
{
	const char *s = ps->pos;
	int rc;

	/* Take the whole word so "128M" is one bad number, not 128 + junk. */
	while (xlu_is_key_char(xlu_peek(ps)))
		ps->pos++;
	rc = xlu_parse_ulong(s, ps->pos - s, &v->num);
	if (rc != XLU_NUM_OK)
		return xlu_number_error(ps, rc, s, ps->pos - s);
	v->kind = XLU_V_INT;
	return 0;
}

static int xlu_unescape(int c)
{
	switch (c) {
	case '\\':
	case '"':
	case '\'':
		return c;
	case 'n':
		return '\n';
	case 't':
		return '\t';
	case 'r':
		return '\r';
	default:
		return -1;
	}
}

static void xlu_value_putc(struct xlu_value *v, int c)
{
	if (v->len < XLU_STR_MAX)
		v->str[v->len] = c;
	v->len++;
}

static int xlu_lex_string(struct xlu_parser *ps, struct xlu_value *v)
{
	unsigned int line = ps->line;
	int quote = *ps->pos++;

	v->kind = XLU_V_STR;
	v->len = 0;
	for (;;) {
		int c = xlu_peek(ps);

		if (c < 0 || c == '\n')
			return xlu_perr(ps, line, "unterminated string");
		ps->pos++;
		if (c == quote)
			break;
		if (c == '\\') {
			int e = xlu_peek(ps);

			if (e < 0 || e == '\n')
				return xlu_perr(ps, line, "unterminated string");
			ps->pos++;
			c = xlu_unescape(e);
			if (c < 0 && e > 0x20 && e < 0x7f)
				return xlu_perr(ps, line,
					       "unknown escape '\\%c' in string", e);
			if (c < 0)
				return xlu_perr(ps, line,
					       "unknown escape in string (byte 0x%02x after '\\')",
					       e);
		}
		xlu_value_putc(v, c);
	}
	v->str[v->len < XLU_STR_MAX ? v->len : XLU_STR_MAX] = '\0';
	return 0;
}

static int xlu_lex_list_item(struct xlu_parser *ps, struct xlu_value *v)
{
	int c = xlu_peek(ps);
	char buf[16];

	if (c == '"' || c == '\'')
		return xlu_lex_string(ps, v);
	if (xlu_is_digit(c))
		return xlu_lex_number(ps, v);
	if (c == '[')
		return xlu_perr(ps, ps->line, "lists cannot be nested");
	return xlu_perr(ps, ps->line, "expected a value in list, found %s",
		       xlu_describe(c, buf, sizeof(buf)));
}

/*
 * No key tern supports takes a list yet, so items are checked and counted
 * but not kept; a key that needs them would collect them here.
 */
static int xlu_lex_list(struct xlu_parser *ps, struct xlu_value *v)
{
	unsigned int line = ps->line;
	unsigned int items = 0;
	char buf[16];

	ps->pos++;
	for (;;) {
		int c;

		xlu_skip_blank(ps, true);
		c = xlu_peek(ps);
		if (c < 0)
			return xlu_perr(ps, line, "unterminated list");
		if (c == ']')
			break;
		if (xlu_lex_list_item(ps, v))
			return -1;
		items++;
		xlu_skip_blank(ps, true);
		c = xlu_peek(ps);
		if (c == ',') {
			ps->pos++;
			continue;
		}
		if (c == ']')
			break;
		if (c < 0)
			return xlu_perr(ps, line, "unterminated list");
		return xlu_perr(ps, ps->line, "expected ',' or ']' in list, found %s",
			       xlu_describe(c, buf, sizeof(buf)));
	}
	ps->pos++;
	v->kind = XLU_V_LIST;
	v->items = items;
	return 0;
}

static int xlu_lex_value(struct xlu_parser *ps)
{
	int c = xlu_peek(ps);
	char buf[16];

	if (c == '"' || c == '\'')
		return xlu_lex_string(ps, &ps->val);
	if (xlu_is_digit(c))
		return xlu_lex_number(ps, &ps->val);
	if (c == '[')
		return xlu_lex_list(ps, &ps->val);
	if (c == '-')
		return xlu_perr(ps, ps->line, "negative numbers are not allowed");
	if (c < 0 || c == '\n' || c == ';')
		return xlu_perr(ps, ps->line, "missing value for '%.*s'",
			       ps->keylen, ps->key);
	if (xlu_is_alpha(c))
		return xlu_perr(ps, ps->line,
			       "value of '%.*s' must be a quoted string, a number or a list",
			       ps->keylen, ps->key);
	return xlu_perr(ps, ps->line, "expected a value for '%.*s', found %s",
		       ps->keylen, ps->key, xlu_describe(c, buf, sizeof(buf)));
}

/* ---- keys ---- */

struct xlu_key;
typedef int (*xlu_apply_fn)(struct xlu_parser *ps, const struct xlu_key *k,
			   unsigned int line);

struct xlu_key {
	const char *name;
	xlu_apply_fn apply;
	size_t off;
	size_t size;
	unsigned long min;
	unsigned long max;
};

static void *xlu_field(struct xlu_parser *ps, const struct xlu_key *k)
{
	return (char *)ps->cfg + k->off;
}

static int xlu_apply_string(struct xlu_parser *ps, const struct xlu_key *k,
			   unsigned int line)
{
	const struct xlu_value *v = &ps->val;

	if (v->kind != XLU_V_STR)
		return xlu_perr(ps, line, "'%s' must be a string", k->name);
	if (v->len >= k->size)
		return xlu_perr(ps, line, "'%s' is too long (at most %zu characters)",
			       k->name, k->size - 1);
	memcpy(xlu_field(ps, k), v->str, v->len + 1);
	return 0;
}

/*
 * tern-xl takes a domain by name or by id, and names end up in file names,
 * so an all-digit name or one with '/' or blanks would be ambiguous.
 */
static int xlu_apply_name(struct xlu_parser *ps, const struct xlu_key *k,
			 unsigned int line)
{
	const struct xlu_value *v = &ps->val;
	bool digits = true;
	size_t i;

	if (v->kind == XLU_V_STR && v->len == 0)
		return xlu_perr(ps, line, "'name' must not be empty");
	if (xlu_apply_string(ps, k, line))
		return -1;
	for (i = 0; i < v->len; i++) {
		unsigned char c = v->str[i];

		if (c <= ' ' || c >= 0x7f || c == '/')
			return xlu_perr(ps, line,
				       "'name' may not contain '/', blanks or non-ASCII bytes");
		digits &= xlu_is_digit(c);
	}
	if (digits)
		return xlu_perr(ps, line,
			       "'name' must not be a number (it would read as a domain id)");
	return 0;
}

/* xl reads integers from quoted strings too ("memory = '512'"), so do we. */
static int xlu_value_ulong(struct xlu_parser *ps, const struct xlu_key *k,
			  unsigned int line, unsigned long *out)
{
	const struct xlu_value *v = &ps->val;

	if (v->kind == XLU_V_INT) {
		*out = v->num;
		return 0;
	}
	if (v->kind == XLU_V_STR && v->len <= XLU_STR_MAX &&
	    xlu_parse_ulong(v->str, v->len, out) == XLU_NUM_OK)
		return 0;
	return xlu_perr(ps, line, "'%s' must be an integer", k->name);
}

static int xlu_apply_uint(struct xlu_parser *ps, const struct xlu_key *k,
			 unsigned int line)
{
	unsigned long n;

	if (xlu_value_ulong(ps, k, line, &n))
		return -1;
	if (n < k->min || n > k->max)
		return xlu_perr(ps, line, "'%s' must be between %lu and %lu, not %lu",
			       k->name, k->min, k->max, n);
	if (k->size == sizeof(unsigned int))
		*(unsigned int *)xlu_field(ps, k) = n;
	else
		*(unsigned long *)xlu_field(ps, k) = n;
	return 0;
}

static const char *const xlu_action_names[] = {
	[XLU_ACTION_DESTROY] = "destroy",
	[XLU_ACTION_RESTART] = "restart",
	[XLU_ACTION_PRESERVE] = "preserve",
	[XLU_ACTION_RENAME_RESTART] = "rename-restart",
	[XLU_ACTION_COREDUMP_DESTROY] = "coredump-destroy",
	[XLU_ACTION_COREDUMP_RESTART] = "coredump-restart",
	[XLU_ACTION_SOFT_RESET] = "soft-reset",
};

#define XLU_NR_ACTIONS	ARRAY_SIZE(xlu_action_names)

const char *xlu_action_name(enum xlu_action a)
{
	if ((unsigned int)a >= XLU_NR_ACTIONS)
		return "invalid";
	return xlu_action_names[a];
}

static int xlu_apply_action(struct xlu_parser *ps, const struct xlu_key *k,
			   unsigned int line)
{
	const struct xlu_value *v = &ps->val;
	unsigned int i;

	if (v->kind != XLU_V_STR)
		return xlu_perr(ps, line, "'%s' must be a string", k->name);
	for (i = 0; i < XLU_NR_ACTIONS; i++) {
		if (!strcmp(v->str, xlu_action_names[i])) {
			/* xl knows them; tern has no core dumps or soft reset. */
			if (i == XLU_ACTION_COREDUMP_DESTROY ||
			    i == XLU_ACTION_COREDUMP_RESTART ||
			    i == XLU_ACTION_SOFT_RESET)
				return xlu_perr(ps, line,
					       "'%s' = \"%s\" is not supported by tern",
					       k->name, v->str);
			*(enum xlu_action *)xlu_field(ps, k) = i;
			return 0;
		}
	}
	return xlu_perr(ps, line,
		       "'%s' must be one of destroy, restart, preserve, rename-restart, coredump-destroy, coredump-restart, soft-reset",
		       k->name);
}

static int xlu_apply_type(struct xlu_parser *ps, const struct xlu_key *k,
			 unsigned int line)
{
	const struct xlu_value *v = &ps->val;

	if (v->kind != XLU_V_STR)
		return xlu_perr(ps, line, "'type' must be a string");
	if (!strcmp(v->str, "hvm") || !strcmp(v->str, "pvh"))
		return xlu_perr(ps, line,
			       "type \"%s\" is not supported by tern (only \"pv\")",
			       v->str);
	if (strcmp(v->str, "pv"))
		return xlu_perr(ps, line,
			       "unknown type \"%.*s\" (xl knows pv, pvh and hvm; tern runs pv)",
			       XLU_VAL_SHOW, v->str);
	return xlu_apply_string(ps, k, line);
}

/* Indices into xlu_keys[] and bits in xlu_config.given. */
enum xlu_key_id {
	XLU_KEY_NAME,
	XLU_KEY_TYPE,
	XLU_KEY_KERNEL,
	XLU_KEY_RAMDISK,
	XLU_KEY_CMDLINE,
	XLU_KEY_ROOT,
	XLU_KEY_EXTRA,
	XLU_KEY_MEMORY,
	XLU_KEY_MAXMEM,
	XLU_KEY_VCPUS,
	XLU_KEY_MAXVCPUS,
	XLU_KEY_ON_POWEROFF,
	XLU_KEY_ON_REBOOT,
	XLU_KEY_ON_CRASH,
	XLU_KEY_ON_WATCHDOG,
	XLU_NR_KEYS,
};

_Static_assert(XLU_NR_KEYS <= 64, "xlu_config.given has one bit per key");

#define XLU_KEY(id, key, fn, f, lo, hi)					\
	[id] = {							\
		.name = key,						\
		.apply = fn,						\
		.off = offsetof(struct xlu_config, f),			\
		.size = sizeof(((struct xlu_config *)0)->f),		\
		.min = lo,						\
		.max = hi,						\
	}

static const struct xlu_key xlu_keys[XLU_NR_KEYS] = {
	XLU_KEY(XLU_KEY_NAME, "name", xlu_apply_name, name, 0, 0),
	XLU_KEY(XLU_KEY_TYPE, "type", xlu_apply_type, type, 0, 0),
	XLU_KEY(XLU_KEY_KERNEL, "kernel", xlu_apply_string, kernel, 0, 0),
	XLU_KEY(XLU_KEY_RAMDISK, "ramdisk", xlu_apply_string, ramdisk, 0, 0),
	XLU_KEY(XLU_KEY_CMDLINE, "cmdline", xlu_apply_string, cmdline, 0, 0),
	XLU_KEY(XLU_KEY_ROOT, "root", xlu_apply_string, root, 0, 0),
	XLU_KEY(XLU_KEY_EXTRA, "extra", xlu_apply_string, extra, 0, 0),
	XLU_KEY(XLU_KEY_MEMORY, "memory", xlu_apply_uint, memory_mb,
	       1, XLU_CONFIG_MAX_MEMORY_MB),
	XLU_KEY(XLU_KEY_MAXMEM, "maxmem", xlu_apply_uint, maxmem_mb,
	       1, XLU_CONFIG_MAX_MEMORY_MB),
	XLU_KEY(XLU_KEY_VCPUS, "vcpus", xlu_apply_uint, vcpus,
	       1, XLU_CONFIG_MAX_VCPUS),
	XLU_KEY(XLU_KEY_MAXVCPUS, "maxvcpus", xlu_apply_uint, maxvcpus,
	       1, XLU_CONFIG_MAX_VCPUS),
	XLU_KEY(XLU_KEY_ON_POWEROFF, "on_poweroff", xlu_apply_action, on_poweroff, 0, 0),
	XLU_KEY(XLU_KEY_ON_REBOOT, "on_reboot", xlu_apply_action, on_reboot, 0, 0),
	XLU_KEY(XLU_KEY_ON_CRASH, "on_crash", xlu_apply_action, on_crash, 0, 0),
	XLU_KEY(XLU_KEY_ON_WATCHDOG, "on_watchdog", xlu_apply_action, on_watchdog, 0, 0),
};

/*
 * Keys xl knows that tern does not implement: naming them apart from typos
 * tells the user the file is fine for xl but asks for something tern lacks.
 * Device lists given empty ask for no device, so those are accepted.
 */
static const char *const xlu_xl_devices[] = {
	"vif", "disk", "pci", "vtpm", "vfb", "vkb", "channel", "p9", "pvcalls",
	"usbctrl", "usbdev", "dtdev", "iomem", "ioports", "irqs", "vdispl",
	"vsnd",
};

static const char *const xlu_xl_keys[] = {
	"builder", "bootloader", "bootloader_args", "vuart", "pool", "cpus",
	"cpus_soft", "cpu_weight", "cap", "vnuma", "on_soft_reset", "uuid",
	"seclabel", "init_seclabel", "max_grant_frames", "max_maptrack_frames",
	"max_grant_version", "max_event_channels", "nomigrate",
	"driver_domain", "device_tree", "passthrough",
	"xend_suspend_evtchn_compat", "vmtrace_buf_kb", "e820_host", "rdm",
	"rdm_mem_boundary", "pci_permissive", "pci_msitranslate", "pci_seize",
	"pci_power_mgmt", "gfx_passthru", "tee", "tsc_mode", "localtime",
	"rtc_timeoffset", "altp2m", "altp2mhvm", "max_altp2m", "nestedhvm",
	"hap", "oos", "shadow_memory", "firmware", "bios",
	"bios_path_override", "pae", "acpi", "acpi_s3", "acpi_s4",
	"acpi_laptop_slate", "acpi_firmware", "smbios_firmware", "apic",
	"viridian", "hpet", "vpt_align", "timer_mode", "mmio_hole", "videoram",
	"stdvga", "vga", "vnc", "vnclisten", "vncdisplay", "vncunused",
	"vncpasswd", "keymap", "sdl", "opengl", "nographic", "spice",
	"spicehost", "spiceport", "spicetls_port", "spicedisable_ticketing",
	"spicepasswd", "spiceagent_mouse", "spicevdagent",
	"spice_clipboard_sharing", "spiceusbredirection",
	"spice_image_compression", "spice_streaming_video", "serial",
	"soundhw", "usb", "usbdevice", "usbversion", "boot", "hdtype",
	"device_model_version", "device_model_override",
	"device_model_stubdomain_override", "device_model_stubdomain_seclabel",
	"device_model_args", "device_model_args_pv", "device_model_args_hvm",
	"device_model_user", "stubdomain_memory", "stubdomain_kernel",
	"stubdomain_ramdisk", "dm_restrict", "cpuid", "ms_vm_genid",
	"gic_version", "xen_platform_pci", "claim_mode", "pvshim",
	"pvshim_path", "pvshim_cmdline", "pvshim_extra", "mca_caps",
	"force_assign_without_iommu",
};

static bool xlu_key_is(const char *name, const char *key, int keylen)
{
	return !strncmp(name, key, keylen) && name[keylen] == '\0';
}

static int xlu_find_key(const char *key, int keylen)
{
	unsigned int i;

	for (i = 0; i < XLU_NR_KEYS; i++)
		if (xlu_key_is(xlu_keys[i].name, key, keylen))
			return i;
	return -1;
}

static bool xlu_given(const struct xlu_config *cfg, enum xlu_key_id id)
{
	return cfg->given & (1ULL << id);
}

/* Defaults that follow other keys are kept current after every statement. */
static int xlu_config_derive(struct xlu_parser *ps, unsigned int line)
{
	struct xlu_config *cfg = ps->cfg;
	char buf[sizeof(cfg->cmdline)];
	int n;

	if (!xlu_given(cfg, XLU_KEY_MAXMEM))
		cfg->maxmem_mb = cfg->memory_mb;
	if (!xlu_given(cfg, XLU_KEY_MAXVCPUS))
		cfg->maxvcpus = cfg->vcpus;
	/* As in xl, an explicit cmdline wins over root and extra. */
	if (xlu_given(cfg, XLU_KEY_CMDLINE))
		return 0;
	if (cfg->root[0] && cfg->extra[0])
		n = snprintf(buf, sizeof(buf), "root=%s %s", cfg->root, cfg->extra);
	else if (cfg->root[0])
		n = snprintf(buf, sizeof(buf), "root=%s", cfg->root);
	else
		n = snprintf(buf, sizeof(buf), "%s", cfg->extra);
	if (n >= (int)sizeof(buf))
		return xlu_perr(ps, line,
			       "command line from 'root' and 'extra' is too long (at most %zu characters)",
			       sizeof(buf) - 1);
	memcpy(cfg->cmdline, buf, n + 1);
	return 0;
}

/* Where tern has a way to get what the key asks for, say so. */
static const char *xlu_xl_hint(const char *name)
{
	if (!strcmp(name, "builder"))
		return "; write type = \"pv\" instead";
	if (!strcmp(name, "bootloader"))
		return "; give the guest image as 'kernel'";
	return "";
}

static int xlu_find_in(const char *const *names, size_t n, const char *key,
		      int keylen)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (xlu_key_is(names[i], key, keylen))
			return i;
	return -1;
}

static int xlu_apply_xl_key(struct xlu_parser *ps, unsigned int line)
{
	const char *name;
	int i;

	i = xlu_find_in(xlu_xl_devices, ARRAY_SIZE(xlu_xl_devices),
		       ps->key, ps->keylen);
	if (i >= 0) {
		if (ps->val.kind == XLU_V_LIST && !ps->val.items)
			return 0;
		name = xlu_xl_devices[i];
	} else {
		i = xlu_find_in(xlu_xl_keys, ARRAY_SIZE(xlu_xl_keys),
			       ps->key, ps->keylen);
		if (i < 0)
			return xlu_perr(ps, line, "unknown key '%.*s'",
				       ps->keylen, ps->key);
		name = xlu_xl_keys[i];
	}
	return xlu_perr(ps, line, "key '%s' is not supported by tern%s",
		       name, xlu_xl_hint(name));
}

static int xlu_apply(struct xlu_parser *ps, unsigned int line)
{
	int id = xlu_find_key(ps->key, ps->keylen);

	if (id >= 0) {
		if (xlu_keys[id].apply(ps, &xlu_keys[id], line))
			return -1;
		ps->cfg->given |= 1ULL << id;
		return xlu_config_derive(ps, line);
	}
	return xlu_apply_xl_key(ps, line);
}

/* ---- statements ---- */

static int xlu_lex_key(struct xlu_parser *ps)
{
	char buf[16];
	int c = xlu_peek(ps);

	if (!xlu_is_key_start(c))
		return xlu_perr(ps, ps->line, "expected a key, found %s",
			       xlu_describe(c, buf, sizeof(buf)));
	ps->key = ps->pos;
	while (xlu_is_key_char(xlu_peek(ps)))
		ps->pos++;
	/* Keys are short; cap what messages repeat of a runaway one. */
	ps->keylen = xlu_keyshow(ps->pos - ps->key);
	if (ps->pos - ps->key > XLU_KEY_SHOW)
		return xlu_perr(ps, ps->line, "unknown key '%.*s...'",
			       ps->keylen, ps->key);
	return 0;
}

static int xlu_lex_assign(struct xlu_parser *ps)
{
	int c;

	xlu_skip_blank(ps, false);
	c = xlu_peek(ps);
	if (c == '+' && xlu_peek2(ps) == '=')
		return xlu_perr(ps, ps->line, "'+=' is not supported, use '='");
	if (c != '=')
		return xlu_perr(ps, ps->line, "expected '=' after '%.*s'",
			       ps->keylen, ps->key);
	ps->pos++;
	xlu_skip_blank(ps, false);
	return 0;
}

/* After a value only a comment, a newline, ';' or the end may follow. */
static int xlu_lex_end(struct xlu_parser *ps)
{
	char buf[16];
	int c;

	xlu_skip_blank(ps, false);
	c = xlu_peek(ps);
	if (c < 0)
		return 0;
	if (c == '\n' || c == ';') {
		ps->pos++;
		ps->line += c == '\n';
		return 0;
	}
	return xlu_perr(ps, ps->line, "unexpected %s after the value of '%.*s'",
		       xlu_describe(c, buf, sizeof(buf)), ps->keylen, ps->key);
}

/* Returns 1 at the end of input, 0 after a statement, -1 on error. */
static int xlu_parse_statement(struct xlu_parser *ps, bool *empty)
{
	unsigned int line;
	int c;

	xlu_skip_blank(ps, false);
	c = xlu_peek(ps);
	if (c < 0)
		return 1;
	*empty = c == '\n' || c == ';';
	if (*empty) {
		ps->pos++;
		ps->line += c == '\n';
		return 0;
	}
	line = ps->line;
	if (xlu_lex_key(ps) || xlu_lex_assign(ps) || xlu_lex_value(ps) ||
	    xlu_lex_end(ps))
		return -1;
	return xlu_apply(ps, line);
}

static int xlu_parse_all(struct xlu_parser *ps)
{
	unsigned int statements = 0;

	for (;;) {
		bool empty = false;
		int rc = xlu_parse_statement(ps, &empty);

		if (rc < 0)
			return -1;
		if (rc > 0)
			break;
		statements += !empty;
		/* xl create takes each override as one argument: one key. */
		if (ps->override && statements > 1)
			return xlu_perr(ps, ps->line,
				       "an override sets one key, as key=value");
	}
	if (ps->override && !statements)
		return xlu_perr(ps, ps->line, "expected key=value");
	return 0;
}

/* Line of the first NUL byte, counted as the parser would. */
static unsigned int xlu_line_of(const char *text, const char *at)
{
	unsigned int line = 1;

	for (; text < at; text++)
		line += *text == '\n';
	return line;
}

static int xlu_parse_into(struct xlu_config *cfg, const char *text, size_t len,
			 const char *source, const char *override,
			 char *err, size_t errlen)
{
	struct xlu_parser *ps;
	struct xlu_config *work;
	const char *nul;
	int rc = -1;

	if (!source)
		source = "<config>";
	if (len > XLU_CONFIG_MAX_SIZE)
		return xlu_err(err, errlen, "%s: larger than 1 MiB", source);
	if (!text)
		text = "";
	/* Both are large; keep them off the caller's stack. */
	ps = calloc(1, sizeof(*ps));
	work = malloc(sizeof(*work));
	if (!ps || !work) {
		xlu_err(err, errlen, "%s: out of memory", source);
		goto out;
	}
	*work = *cfg;
	ps->pos = text;
	ps->end = text + len;
	ps->line = 1;
	ps->source = source;
	ps->override = override;
	ps->err = err;
	ps->errlen = errlen;
	ps->cfg = work;
	nul = memchr(text, '\0', len);
	if (nul) {
		xlu_perr(ps, xlu_line_of(text, nul), "contains a NUL byte");
		goto out;
	}
	rc = xlu_parse_all(ps);
	if (!rc)
		*cfg = *work;
out:
	free(work);
	free(ps);
	return rc;
}

/* ---- API ---- */

void xlu_config_init(struct xlu_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->memory_mb = 128;
	cfg->maxmem_mb = 128;
	cfg->vcpus = 1;
	cfg->maxvcpus = 1;
	cfg->on_poweroff = XLU_ACTION_DESTROY;
	cfg->on_reboot = XLU_ACTION_RESTART;
	cfg->on_crash = XLU_ACTION_DESTROY;
	cfg->on_watchdog = XLU_ACTION_DESTROY;
	snprintf(cfg->type, sizeof(cfg->type), "pv");
}

int xlu_config_parse_buf(struct xlu_config *cfg, const char *text, size_t len,
			const char *source, char *err, size_t errlen)
{
	return xlu_parse_into(cfg, text, len, source, NULL, err, errlen);
}

int xlu_config_parse(struct xlu_config *cfg, const char *text,
		    const char *source, char *err, size_t errlen)
{
	return xlu_parse_into(cfg, text, text ? strlen(text) : 0, source, NULL,
			     err, errlen);
}

int xlu_config_set(struct xlu_config *cfg, const char *assignment,
		  char *err, size_t errlen)
{
	if (!assignment)
		assignment = "";
	return xlu_parse_into(cfg, assignment, strlen(assignment),
			     "<override>", assignment, err, errlen);
}

/*
 * Read at most one byte more than the limit, so a file that is too large is
 * told apart without reading all of it; works for pipes and /dev/stdin too.
 * strerror comes from %m: glibc's <errno.h> would pull in the kernel's
 * include/linux/errno.h through -Iinclude.
 */
static char *xlu_read_file(const char *path, size_t *lenp, char *err,
			  size_t errlen)
{
	size_t cap = XLU_CONFIG_MAX_SIZE + 1;
	char *buf;
	FILE *f;
	size_t len;

	f = fopen(path, "r");
	if (!f) {
		xlu_err(err, errlen, "%s: %m", path);
		return NULL;
	}
	buf = malloc(cap);
	if (!buf) {
		xlu_err(err, errlen, "%s: out of memory", path);
		fclose(f);
		return NULL;
	}
	len = fread(buf, 1, cap, f);
	if (ferror(f)) {
		xlu_err(err, errlen, "%s: %m", path);
		goto fail;
	}
	if (len > XLU_CONFIG_MAX_SIZE) {
		xlu_err(err, errlen, "%s: file is larger than 1 MiB", path);
		goto fail;
	}
	fclose(f);
	*lenp = len;
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

int xlu_config_parse_file(struct xlu_config *cfg, const char *path,
			 char *err, size_t errlen)
{
	char source[sizeof(cfg->source)];
	size_t len;
	char *text;
	int rc;

	text = xlu_read_file(path, &len, err, errlen);
	if (!text)
		return -1;
	/* Remember the file for validate's messages, but only on success. */
	memcpy(source, cfg->source, sizeof(source));
	snprintf(cfg->source, sizeof(cfg->source), "%s", path);
	rc = xlu_config_parse_buf(cfg, text, len, path, err, errlen);
	if (rc)
		memcpy(cfg->source, source, sizeof(source));
	free(text);
	return rc;
}

int xlu_config_validate(struct xlu_config *cfg, char *err, size_t errlen)
{
	const char *src = cfg->source[0] ? cfg->source : "";
	const char *sep = cfg->source[0] ? ": " : "";

	if (!xlu_given(cfg, XLU_KEY_NAME) || !cfg->name[0])
		return xlu_err(err, errlen, "%s%smissing required key 'name'",
			      src, sep);
	if (!cfg->kernel[0])
		return xlu_err(err, errlen, "%s%smissing required key 'kernel'",
			      src, sep);
	if (cfg->maxmem_mb < cfg->memory_mb)
		return xlu_err(err, errlen,
			      "%s%s'maxmem' (%lu) is less than 'memory' (%lu)",
			      src, sep, cfg->maxmem_mb, cfg->memory_mb);
	if (cfg->maxvcpus < cfg->vcpus)
		return xlu_err(err, errlen,
			      "%s%s'maxvcpus' (%u) is less than 'vcpus' (%u)",
			      src, sep, cfg->maxvcpus, cfg->vcpus);
	return 0;
}

bool xlu_config_given(const struct xlu_config *cfg, const char *key)
{
	int id = xlu_find_key(key, strlen(key));

	return id >= 0 && xlu_given(cfg, id);
}
