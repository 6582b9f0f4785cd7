// SPDX-License-Identifier: MIT
/*
 * xl.cfg files through Debian's libxlutil (xl_parse.h), as xl's
 * parse_config_data() reads them, for the keys tern has.
 *
 * libxlutil parses the whole text into settings and then answers for one
 * key at a time; it has no call that lists the keys set, nor one that
 * tells on which line.  Both come from its own answers.  Every word of
 * the text that could be a key is asked about (xlu_cfg_get_list with
 * dont_warn: ESRCH means "not set"), which finds exactly the keys set,
 * since each was spelled out in the text.  The line of a key is the one
 * libxlutil names when asked for the key in the other shape (a list as a
 * string, or a string as a list): it reports "<source>:<line>: warning:
 * ..." on the stream it was given, which is ours.  Keys are then taken in
 * the order of their lines, so the first bad one is the one reported.
 *
 * Overrides go after the file as `xl create` appends them ("\n", each
 * override and a newline, "\n"), so `extra += "x"` in one extends the
 * file's value exactly as in xl; a line beyond the file belongs to an
 * override, and messages name the override rather than the line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxlutil.h>

#include "xl.h"
#include "xl_parse.h"

/* Longest stretch of a user's text repeated back in a message. */
#define SHOW	40

struct set_key {
	char *name;
	int line;		/* 0: not known */
};

struct parse {
	XLU_Config *cfg;
	FILE *report;		/* libxlutil's messages, into rbuf */
	char *rbuf;
	size_t rlen;
	const char *source;
	char *const *ovr;
	int n_ovr;
	int *ovr_line;		/* the first line of each override */
	struct set_key *keys;
	size_t n_keys;
	struct tl_domain_config *c;
	char root[256], extra[TL_CMDLINE_MAX + 1];
	bool have_cmdline, have_maxmem, have_maxvcpus;
	char msg[400];
	char *err;
	size_t errlen;
};

/* The caller prints err as one line: no control byte may reach it. */
static void clean(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/* Where line is: "<source>:<line>", or the override it belongs to. */
static void where(const struct parse *p, int line, char *buf, size_t len)
{
	int k;

	for (k = p->n_ovr - 1; k >= 0 && line; k--)
		if (line >= p->ovr_line[k]) {
			snprintf(buf, len, "override '%.*s%s'", SHOW, p->ovr[k],
				 strlen(p->ovr[k]) > SHOW ? "..." : "");
			return;
		}
	if (line)
		snprintf(buf, len, "%s:%d", p->source, line);
	else
		snprintf(buf, len, "%s", p->source);
}

static int __attribute__((format(printf, 3, 4)))
perr(struct parse *p, int line, const char *fmt, ...)
{
	char at[300], msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	where(p, line, at, sizeof(at));
	snprintf(p->err, p->errlen, "%s: %s", at, msg);
	clean(p->err);
	return -1;
}

/* The line a libxlutil message names, if it starts "<source>:<line>:". */
static int line_of(const struct parse *p, const char *msg, const char **rest)
{
	size_t n = strlen(p->source);
	char *end;
	long line;

	if (strncmp(msg, p->source, n) || msg[n] != ':')
		return 0;
	line = strtol(msg + n + 1, &end, 10);
	if (end == msg + n + 1 || *end != ':' || line <= 0 || line > 1 << 30)
		return 0;
	if (rest)
		*rest = end + 1 + (end[1] == ' ');
	return line;
}

/* The report's text from offset on (its stream flushed first). */
static const char *report_from(struct parse *p, size_t offset)
{
	fflush(p->report);
	return p->rbuf && offset < p->rlen ? p->rbuf + offset : "";
}

/* libxlutil refused the text: its first message, placed as ours are. */
static int syntax_error(struct parse *p, int rc)
{
	const char *msg = report_from(p, 0), *rest = msg;
	int line = line_of(p, msg, &rest);
	char first[512];

	if (!*msg)
		return perr(p, 0, "%s", strerror(rc));
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(rest, "\n"), rest);
	if (!line) {
		snprintf(p->err, p->errlen, "%s", first);
		clean(p->err);
		return -1;
	}
	return perr(p, line, "%s", first);
}

static int key_line(struct parse *p, const char *key)
{
	size_t from;
	const char *s;

	fflush(p->report);
	from = p->rlen;
	/* Whichever shape it has, asking for the other one names its line. */
	if (!xlu_cfg_get_list(p->cfg, key, NULL, NULL, 0))
		xlu_cfg_get_string(p->cfg, key, &s, 0);
	return line_of(p, report_from(p, from), NULL);
}

static bool word_start(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static bool word_char(char ch)
{
	return word_start(ch) || (ch >= '0' && ch <= '9') || ch == '.';
}

static int by_line(const void *a, const void *b)
{
	const struct set_key *x = a, *y = b;

	return (x->line > y->line) - (x->line < y->line);
}

/* Every key the text sets, in the order of the lines that set them. */
static int find_keys(struct parse *p, const char *data, size_t len)
{
	const char *pos = data, *end = data + len;
	size_t i;

	while (pos < end) {
		const char *start;
		char *word;

		if (!word_start(*pos)) {
			pos++;
			continue;
		}
		for (start = pos; pos < end && word_char(*pos); pos++)
			;
		word = strndup(start, pos - start);
		if (!word)
			return perr(p, 0, "out of memory");
		if (xlu_cfg_get_list(p->cfg, word, NULL, NULL, 1) == ESRCH)
			goto skip;
		for (i = 0; i < p->n_keys; i++)
			if (!strcmp(p->keys[i].name, word))
				goto skip;
		if (!(p->n_keys & 15)) {
			struct set_key *k = realloc(p->keys, (p->n_keys + 16) *
						    sizeof(*k));

			if (!k) {
				free(word);
				return perr(p, 0, "out of memory");
			}
			p->keys = k;
		}
		p->keys[p->n_keys].name = word;
		p->keys[p->n_keys++].line = key_line(p, word);
		continue;
skip:
		free(word);
	}
	if (p->n_keys)		/* never qsort(NULL, 0): glibc's nonnull */
		qsort(p->keys, p->n_keys, sizeof(*p->keys), by_line);
	return 0;
}

/* ---- values ---- */

static int get_string(struct parse *p, const struct set_key *k, char *dst,
		      size_t size)
{
	const char *s;

	if (xlu_cfg_get_string(p->cfg, k->name, &s, 1))
		return perr(p, k->line, "'%s' must be a string", k->name);
	if (strlen(s) >= size)
		return perr(p, k->line, "'%s' is too long (at most %zu characters)",
			    k->name, size - 1);
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

/*
 * xl reads numbers with strtol(base 0): decimal, 0x hex, and octal after a
 * leading zero, which xl.cfg(5) never mentions; "010" is refused rather
 * than silently read as 8.
 */
static int get_long(struct parse *p, const struct set_key *k, long min,
		    long max, long *out)
{
	const char *s;
	char *end;
	int rc;

	if (xlu_cfg_get_string(p->cfg, k->name, &s, 1))
		return perr(p, k->line, "'%s' must be an integer", k->name);
	if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
		return perr(p, k->line, "number '%.*s' has a leading zero (xl would read it as octal)",
			    SHOW, s);
	rc = xlu_cfg_get_long(p->cfg, k->name, out, 1);
	if (rc == ERANGE)
		return perr(p, k->line, "number '%.*s' is too large", SHOW, s);
	if (rc) {
		errno = 0;
		strtol(s, &end, 0);
		/* A number libxlutil would not read: it came with '+='. */
		if (!errno && end != s && !*end)
			return perr(p, k->line, "'%s' must be an integer (xl does not add numbers with '+=')",
				    k->name);
		return perr(p, k->line, "'%s' must be an integer", k->name);
	}
	if (*out < min || *out > max)
		return perr(p, k->line, "'%s' must be between %ld and %ld, not %ld",
			    k->name, min, max, *out);
	return 0;
}

/* ---- keys ---- */

struct key;
typedef int (*apply_fn)(struct parse *p, const struct set_key *k,
			const struct key *def);

struct key {
	const char *name;
	apply_fn apply;
};

static int apply_name(struct parse *p, const struct set_key *k,
		      const struct key *def)
{
	const char *why;

	if (get_string(p, k, p->c->name, sizeof(p->c->name)))
		return -1;
	why = tl_check_name(p->c->name);
	return why ? perr(p, k->line, "'name' %s", why) : 0;
}

static int apply_type(struct parse *p, const struct set_key *k,
		      const struct key *def)
{
	char type[64];

	if (get_string(p, k, type, sizeof(type)))
		return -1;
	if (!strcmp(type, "hvm") || !strcmp(type, "pvh"))
		return perr(p, k->line, "type \"%s\" is not supported by tern (only \"pv\")",
			    type);
	if (strcmp(type, "pv"))
		return perr(p, k->line, "unknown type \"%.*s\" (xl knows pv, pvh and hvm; tern runs pv)",
			    SHOW, type);
	return 0;
}

static int apply_kernel(struct parse *p, const struct set_key *k,
			const struct key *def)
{
	return get_string(p, k, p->c->kernel, sizeof(p->c->kernel));
}

static int apply_ramdisk(struct parse *p, const struct set_key *k,
			 const struct key *def)
{
	return get_string(p, k, p->c->ramdisk, sizeof(p->c->ramdisk));
}

static int apply_cmdline(struct parse *p, const struct set_key *k,
			 const struct key *def)
{
	p->have_cmdline = true;
	return get_string(p, k, p->c->cmdline, sizeof(p->c->cmdline));
}

static int apply_root(struct parse *p, const struct set_key *k,
		      const struct key *def)
{
	return get_string(p, k, p->root, sizeof(p->root));
}

static int apply_extra(struct parse *p, const struct set_key *k,
		       const struct key *def)
{
	return get_string(p, k, p->extra, sizeof(p->extra));
}

#define MAX_MEMORY_MB	((long)(TL_MAX_MEMKB / 1024))

static int apply_memory(struct parse *p, const struct set_key *k,
			const struct key *def)
{
	long mb;

	if (get_long(p, k, 1, MAX_MEMORY_MB, &mb))
		return -1;
	p->c->target_memkb = (uint64_t)mb * 1024;
	return 0;
}

static int apply_maxmem(struct parse *p, const struct set_key *k,
			const struct key *def)
{
	long mb;

	if (get_long(p, k, 1, MAX_MEMORY_MB, &mb))
		return -1;
	p->c->max_memkb = (uint64_t)mb * 1024;
	p->have_maxmem = true;
	return 0;
}

static int apply_vcpus(struct parse *p, const struct set_key *k,
		       const struct key *def)
{
	long n;

	if (get_long(p, k, 1, TL_MAX_VCPUS, &n))
		return -1;
	p->c->vcpus = n;
	return 0;
}

static int apply_maxvcpus(struct parse *p, const struct set_key *k,
			  const struct key *def)
{
	long n;

	if (get_long(p, k, 1, TL_MAX_VCPUS, &n))
		return -1;
	p->c->max_vcpus = n;
	p->have_maxvcpus = true;
	return 0;
}

static int apply_action(struct parse *p, const struct set_key *k,
			enum tl_action *a)
{
	char name[64];
	const char *why;

	if (get_string(p, k, name, sizeof(name)))
		return -1;
	if (tl_action_from_xl_name(name, a))
		return perr(p, k->line, "'%s' must be one of destroy, restart, preserve, rename-restart, coredump-destroy, coredump-restart, soft-reset",
			    k->name);
	why = tl_check_action(*a);
	return why ? perr(p, k->line, "'%s' = \"%s\" %s", k->name, name, why) : 0;
}

static int apply_on_poweroff(struct parse *p, const struct set_key *k,
			     const struct key *def)
{
	return apply_action(p, k, &p->c->on_poweroff);
}

static int apply_on_reboot(struct parse *p, const struct set_key *k,
			   const struct key *def)
{
	return apply_action(p, k, &p->c->on_reboot);
}

static int apply_on_watchdog(struct parse *p, const struct set_key *k,
			     const struct key *def)
{
	return apply_action(p, k, &p->c->on_watchdog);
}

static int apply_on_crash(struct parse *p, const struct set_key *k,
			  const struct key *def)
{
	return apply_action(p, k, &p->c->on_crash);
}

static const struct key keys[] = {
	{ "name", apply_name },
	{ "type", apply_type },
	{ "kernel", apply_kernel },
	{ "ramdisk", apply_ramdisk },
	{ "cmdline", apply_cmdline },
	{ "root", apply_root },
	{ "extra", apply_extra },
	{ "memory", apply_memory },
	{ "maxmem", apply_maxmem },
	{ "vcpus", apply_vcpus },
	{ "maxvcpus", apply_maxvcpus },
	{ "on_poweroff", apply_on_poweroff },
	{ "on_reboot", apply_on_reboot },
	{ "on_watchdog", apply_on_watchdog },
	{ "on_crash", apply_on_crash },
};

/*
 * Keys xl knows that tern does not implement: naming them apart from
 * typos tells the user the file is fine for xl but asks for something
 * tern lacks.  A device list given empty asks for no device.
 */
static const char *const xl_devices[] = {
	"vif", "disk", "pci", "vtpm", "vfb", "vkb", "channel", "p9", "pvcalls",
	"usbctrl", "usbdev", "dtdev", "iomem", "ioports", "irqs", "vdispl",
	"vsnd",
};

static const char *const xl_keys[] = {
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

static bool listed(const char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

/* Where tern has a way to get what the key asks for, say so. */
static const char *xl_hint(const char *name)
{
	if (!strcmp(name, "builder"))
		return "; write type = \"pv\" instead";
	if (!strcmp(name, "bootloader"))
		return "; give the guest image as 'kernel'";
	return "";
}

static int apply_key(struct parse *p, const struct set_key *k)
{
	int entries;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (!strcmp(keys[i].name, k->name))
			return keys[i].apply(p, k, &keys[i]);
	if (listed(xl_devices, ARRAY_SIZE(xl_devices), k->name) &&
	    !xlu_cfg_get_list(p->cfg, k->name, NULL, &entries, 1) && !entries)
		return 0;
	if (listed(xl_devices, ARRAY_SIZE(xl_devices), k->name) ||
	    listed(xl_keys, ARRAY_SIZE(xl_keys), k->name))
		return perr(p, k->line, "key '%s' is not supported by tern%s",
			    k->name, xl_hint(k->name));
	return perr(p, k->line, "unknown key '%.*s%s'", SHOW, k->name,
		    strlen(k->name) > SHOW ? "..." : "");
}

/* xl's parse_cmdline(): cmdline wins over root and extra. */
static int make_cmdline(struct parse *p)
{
	struct tl_domain_config *c = p->c;
	int n;

	if (p->have_cmdline)
		return 0;
	if (p->root[0] && p->extra[0])
		n = snprintf(c->cmdline, sizeof(c->cmdline), "root=%s %s",
			     p->root, p->extra);
	else if (p->root[0])
		n = snprintf(c->cmdline, sizeof(c->cmdline), "root=%s", p->root);
	else
		n = snprintf(c->cmdline, sizeof(c->cmdline), "%s", p->extra);
	if (n >= (int)sizeof(c->cmdline))
		return perr(p, 0, "command line from 'root' and 'extra' is too long (at most %zu characters)",
			    sizeof(c->cmdline) - 1);
	return 0;
}

/* The file, "\n", each override and "\n", "\n": what xl create parses. */
static char *join(struct parse *p, const char *text, size_t len,
		  size_t *outlen)
{
	size_t total = len, at;
	int k, line = 1;
	char *data;

	for (k = 0; k < p->n_ovr; k++)
		total += strlen(p->ovr[k]) + 1;
	data = malloc(total + 3);
	if (!data)
		return NULL;
	memcpy(data, text, len);
	at = len;
	if (p->n_ovr) {
		for (k = 0; k < (int)len; k++)
			line += text[k] == '\n';
		data[at++] = '\n';
		line++;
		for (k = 0; k < p->n_ovr; k++) {
			size_t n = strlen(p->ovr[k]);
			const char *nl;

			p->ovr_line[k] = line;
			memcpy(data + at, p->ovr[k], n);
			at += n;
			data[at++] = '\n';
			line++;
			for (nl = p->ovr[k]; (nl = strchr(nl, '\n')); nl++)
				line++;
		}
		data[at++] = '\n';
	}
	data[at] = '\0';
	*outlen = at;
	return data;
}

int xl_parse_config_data(struct tl_domain_config *c, const char *source,
			 const char *text, size_t len,
			 char *const *overrides, int n_overrides,
			 char *err, size_t errlen)
{
	struct tl_domain_config work;
	struct parse p = {
		.source = source, .ovr = overrides, .n_ovr = n_overrides,
		.c = &work, .err = err, .errlen = errlen,
	};
	char *data = NULL, *nul;
	size_t i, dlen = 0;
	int rc = -1;

	tl_domain_config_init(&work);
	if (len > XL_CONFIG_MAX_SIZE)
		return perr(&p, 0, "larger than 1 MiB");
	p.ovr_line = calloc(n_overrides + 1, sizeof(*p.ovr_line));
	p.report = open_memstream(&p.rbuf, &p.rlen);
	data = p.ovr_line && p.report ? join(&p, text, len, &dlen) : NULL;
	if (data)
		p.cfg = xlu_cfg_init(p.report, source);
	if (!p.cfg) {
		perr(&p, 0, "out of memory");
		goto out;
	}
	nul = memchr(data, '\0', dlen);
	if (nul) {
		int line = 1;
		char *q;

		for (q = data; q < nul; q++)
			line += *q == '\n';
		perr(&p, line, "contains a NUL byte");
		goto out;
	}
	rc = xlu_cfg_readdata(p.cfg, data, dlen);
	if (rc) {
		rc = syntax_error(&p, rc);
		goto out;
	}
	rc = find_keys(&p, data, dlen);
	for (i = 0; !rc && i < p.n_keys; i++)
		rc = apply_key(&p, &p.keys[i]);
	if (!rc)
		rc = make_cmdline(&p);
	if (rc)
		goto out;
	/* As in xl: maxmem and maxvcpus default to memory and vcpus. */
	if (!p.have_maxmem)
		work.max_memkb = work.target_memkb;
	if (!p.have_maxvcpus)
		work.max_vcpus = work.vcpus;
	rc = tl_domain_config_check(&work, p.msg, sizeof(p.msg));
	if (rc) {
		perr(&p, 0, "%s", p.msg);
		goto out;
	}
	*c = work;
out:
	for (i = 0; i < p.n_keys; i++)
		free(p.keys[i].name);
	free(p.keys);
	xlu_cfg_destroy(p.cfg);
	if (p.report)
		fclose(p.report);
	free(p.rbuf);
	free(p.ovr_line);
	free(data);
	return rc ? -1 : 0;
}

/*
 * Reads at most one byte more than the limit, so a file that is too large
 * is told apart without reading all of it; works for pipes too.
 */
int xl_parse_config_file(struct tl_domain_config *c, const char *path,
			 char *const *overrides, int n_overrides,
			 char *err, size_t errlen)
{
	size_t cap = XL_CONFIG_MAX_SIZE + 1, len;
	char *buf = NULL;
	FILE *f;
	int rc = -1;

	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	buf = malloc(cap);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	len = fread(buf, 1, cap, f);
	if (ferror(f))
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	else if (len > XL_CONFIG_MAX_SIZE)
		snprintf(err, errlen, "%s: file is larger than 1 MiB", path);
	else
		rc = xl_parse_config_data(c, path, buf, len, overrides,
					  n_overrides, err, errlen);
out:
	if (f)
		fclose(f);
	free(buf);
	clean(err);
	return rc;
}
