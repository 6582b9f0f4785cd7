// SPDX-License-Identifier: MIT
/*
 * xl.cfg files as tern-xl reads them (tools/xl/xl_parse.c): through
 * Debian's libxlutil, so the grammar is xl's.  What this proves:
 *
 * - grammar: for every case of a table (lists, quoting and escapes, +=,
 *   comments, separators, bad syntax), what libxlutil itself reports is
 *   what the table says xl does, and tern-xl follows it: a text libxlutil
 *   refuses, tern refuses with libxlutil's own first message at the same
 *   line; a text it accepts, tern accepts with the values libxlutil's
 *   getters return, unless one of tern's value checks refuses it, which
 *   the table names;
 * - tern's checks: every key's rules and messages (file and line, or the
 *   override), required keys, limits, what xl knows and tern lacks;
 * - overrides go after the file as xl create appends them;
 * - the config files in the tree give the values they are meant to;
 * - every refusal is one line and changes nothing (also under a
 *   mutation fuzz loop).
 */
#include <errno.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxlutil.h>

#include "hosttest.h"
#include "tools/xl/xl_parse.h"

static char err[512];

/* The required keys, before the text of a case. */
#define HEAD	"name = \"g\"\nkernel = \"k\"\n"
#define HEAD_LINES	2

static int parse(struct tl_domain_config *c, const char *text)
{
	err[0] = '\0';
	return xl_parse_config_data(c, "t.cfg", text, strlen(text), NULL, 0,
				    err, sizeof(err));
}

static int parse_ovr(struct tl_domain_config *c, const char *text,
		     char *const *ovr, int n)
{
	err[0] = '\0';
	return xl_parse_config_data(c, "t.cfg", text, strlen(text), ovr, n,
				    err, sizeof(err));
}

static bool one_line(const char *s)
{
	return s[0] && !strchr(s, '\n');
}

/* ---- what libxlutil itself says ---- */

struct xlu {
	XLU_Config *cfg;
	FILE *report;
	char *buf;
	size_t len;
	int rc;
};

static void xlu_open(struct xlu *x, const char *text)
{
	x->buf = NULL;
	x->report = open_memstream(&x->buf, &x->len);
	x->cfg = xlu_cfg_init(x->report, "t.cfg");
	x->rc = xlu_cfg_readdata(x->cfg, text, strlen(text));
	fflush(x->report);
}

static void xlu_close(struct xlu *x)
{
	xlu_cfg_destroy(x->cfg);
	fclose(x->report);
	free(x->buf);
}

/* libxlutil's first message line, without a newline. */
static void xlu_first(const struct xlu *x, char *out, size_t len)
{
	const char *b = x->buf ? x->buf : "";

	snprintf(out, len, "%.*s", (int)strcspn(b, "\n"), b);
}

/* ---- the grammar table ---- */

struct grammar_case {
	const char *what;
	const char *text;	/* after HEAD */
	bool xl_accepts;	/* what libxlutil does with it */
	const char *key;	/* a key whose value tern must take from xl */
	const char *tern_refuses;	/* tern's own check, or NULL */
};

static const struct grammar_case grammar[] = {
	/* separators and comments */
	{ "one statement", "memory = 96\n", true, "memory", NULL },
	{ "';' between statements", "memory = 96; vcpus = 2;\n", true, "vcpus", NULL },
	{ "empty statements", ";;\n\n;\n", true, NULL, NULL },
	{ "comment line", "# a comment\nmemory = 80\n", true, "memory", NULL },
	{ "comment after a string", "extra = \"e\" # why\n", true, "extra", NULL },
	{ "'#' inside a string is text", "extra = \"a # b ; c\"\n", true, "extra", NULL },
	{ "comment after a number", "memory = 96 # MiB\n", true, "memory", NULL },
	{ "comment on the last line, no newline", "memory = 96\n# end", false, NULL, NULL },
	{ "last statement without newline", "memory = 72", true, "memory", NULL },
	{ "CRLF line ends", "memory = 88\r\nvcpus = 3\r\n", false, NULL, NULL },
	/* strings and escapes */
	{ "single quotes", "extra = 'single'\n", true, "extra", NULL },
	{ "quotes inside quotes", "extra = 'say \"hi\"'\n", true, "extra", NULL },
	{ "escaped quotes", "extra = \"a\\\"b\\'c\"\n", true, "extra", NULL },
	{ "escapes \\n \\t \\\\ \\r", "extra = \"n\\nt\\t\\\\r\\r\"\n", true, "extra", NULL },
	{ "escapes \\a \\b \\f \\v", "extra = \"\\a\\b\\f\\v\"\n", true, "extra", NULL },
	{ "octal escape", "extra = \"\\101\\102\"\n", true, "extra", NULL },
	{ "hex escape (libxlutil refuses two digits)", "extra = \"\\x41\"\n", false, NULL, NULL },
	{ "unknown escape", "extra = \"\\q\"\n", false, NULL, NULL },
	{ "unterminated string", "extra = \"abc\nmemory = 1\n", false, NULL, NULL },
	{ "string across lines", "extra = 'a\nb'\n", false, NULL, NULL },
	{ "two strings", "extra = \"a\" \"b\"\n", false, NULL, NULL },
	{ "bare word", "type = pv\n", false, NULL, NULL },
	/* numbers */
	{ "hex number", "memory = 0x100\n", true, "memory", NULL },
	{ "quoted number", "memory = \"384\"\n", true, "memory", NULL },
	{ "unit suffix", "memory = 64M\n", false, NULL, NULL },
	{ "quoted unit suffix", "memory = \"64M\"\n", true, NULL, "t.cfg:3: 'memory' must be an integer" },
	{ "negative number", "memory = -1\n", false, NULL, NULL },
	{ "quoted negative", "memory = \"-1\"\n", true, NULL, "'memory' must be between 1 and 1048576, not -1" },
	{ "fraction", "memory = 1.5\n", false, NULL, NULL },
	{ "leading zero (octal to xl)", "memory = 010\n", true, NULL, "number '010' has a leading zero (xl would read it as octal)" },
	{ "too large", "memory = 99999999999999999999\n", true, NULL, "number '99999999999999999999' is too large" },
	{ "a number as a string key", "extra = 5\n", true, "extra", NULL },
	/* lists */
	{ "empty list", "vif = [ ]\n", true, NULL, NULL },
	{ "empty list, no blanks", "disk=[]\n", true, NULL, NULL },
	{ "list across lines", "disk = [\n  # none\n]\n", true, NULL, NULL },
	{ "list, trailing comma", "vif = [ 'a', ]\n", true, NULL, "t.cfg:3: key 'vif' is not supported by tern" },
	{ "nested list", "vif = [ [ 1 ] ]\n", true, NULL, "key 'vif' is not supported by tern" },
	{ "list without commas", "vif = [ 'a' 'b' ]\n", false, NULL, NULL },
	{ "list, leading comma", "vif = [ , ]\n", false, NULL, NULL },
	{ "unterminated list", "vif = [ 'a',\n 'b'\n", false, NULL, NULL },
	{ "a list for a string key", "extra = [ 'a' ]\n", true, NULL, "t.cfg:3: 'extra' must be a string" },
	{ "a list for a number key", "memory = [ 1 ]\n", true, NULL, "'memory' must be an integer" },
	/* += */
	{ "+= concatenates strings", "extra = \"a\"\nextra += \" b\"\n", true, "extra", NULL },
	{ "+= without a first value", "extra += \"b\"\n", true, "extra", NULL },
	{ "+= three times", "extra = \"a\"\nextra += \"b\"; extra += \"c\"\n", true, "extra", NULL },
	{ "+= joins lists", "vif = [ ]\nvif += [ ]\n", true, NULL, NULL },
	{ "+= a list to a string", "extra = \"a\"\nextra += [ 'b' ]\n", false, NULL, NULL },
	{ "+= on a number", "memory = 64\nmemory += 1\n", true, NULL, "'memory' must be an integer (xl does not add numbers with '+=')" },
	/* keys and statements */
	{ "the last of two wins", "memory = 100\nmemory = 200\n", true, "memory", NULL },
	{ "a bad value, then a good one", "memory = \"x\"\nmemory = 100\n", true, "memory", NULL },
	{ "key with a dot", "a.b = 1\n", true, NULL, "t.cfg:3: unknown key 'a.b'" },
	{ "upper-case key", "Memory = 96\n", false, NULL, NULL },
	{ "key with a dash", "on-crash = 'destroy'\n", false, NULL, NULL },
	{ "no '='", "memory 128\n", false, NULL, NULL },
	{ "no key", "= 5\n", false, NULL, NULL },
	{ "no value", "memory =\n", false, NULL, NULL },
	{ "two values", "memory = 128 256\n", false, NULL, NULL },
	{ "unknown key", "\ncolour = 'red'\n", true, NULL, "t.cfg:4: unknown key 'colour'" },
	{ "control byte", "\x01\n", false, NULL, NULL },
};

/* Whether tern's value for key is what libxlutil's getters give. */
static bool same_value(const struct tl_domain_config *c, XLU_Config *x,
		       const char *key)
{
	const char *s;
	long l;

	if (!strcmp(key, "memory"))
		return !xlu_cfg_get_long(x, key, &l, 1) &&
		       c->target_memkb == (uint64_t)l * 1024;
	if (!strcmp(key, "vcpus"))
		return !xlu_cfg_get_long(x, key, &l, 1) && c->vcpus == l;
	if (!strcmp(key, "extra"))
		return !xlu_cfg_get_string(x, key, &s, 1) && !strcmp(c->cmdline, s);
	return false;
}

static void test_grammar(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(grammar); i++) {
		const struct grammar_case *g = &grammar[i];
		char text[512], first[512], want[600];
		struct tl_domain_config c, before;
		struct xlu x;
		int rc;

		snprintf(text, sizeof(text), HEAD "%s", g->text);
		xlu_open(&x, text);
		T_CHECK(!x.rc == g->xl_accepts, "grammar: %s: libxlutil %s it",
			g->what, x.rc ? "refuses" : "accepts");
		tl_domain_config_init(&c);
		before = c;
		rc = parse(&c, text);
		if (x.rc) {
			xlu_first(&x, first, sizeof(first));
			/* Ours is the same text, control bytes made '?'. */
			snprintf(want, sizeof(want), "%s", first);
			for (char *p = want; *p; p++)
				if ((unsigned char)*p < 0x20 || *p == 0x7f)
					*p = '?';
			T_CHECK(rc == -1 && !strcmp(err, want) &&
				!memcmp(&c, &before, sizeof(c)),
				"grammar: %s: tern-xl refuses with xl's message: \"%s\"",
				g->what, err);
		} else if (g->tern_refuses) {
			T_CHECK(rc == -1 && strstr(err, g->tern_refuses) &&
				one_line(err) && !memcmp(&c, &before, sizeof(c)),
				"grammar: %s: tern's check refuses it: \"%s\"",
				g->what, err);
		} else {
			T_CHECK(rc == 0 && (!g->key || same_value(&c, x.cfg, g->key)),
				"grammar: %s: tern-xl takes xl's value%s%s",
				g->what, rc ? ": " : "", rc ? err : "");
		}
		xlu_close(&x);
	}
}

/* ---- tern's checks of each key ---- */

static void test_defaults_and_keys(void)
{
	struct tl_domain_config c;
	int rc;

	rc = parse(&c, HEAD);
	T_CHECK(rc == 0 && c.target_memkb == 128 * 1024 &&
		c.max_memkb == 128 * 1024 && c.vcpus == 1 && c.max_vcpus == 1 &&
		!c.cmdline[0] && !c.ramdisk[0] && !c.uuid[0] &&
		c.on_poweroff == TL_ACTION_DESTROY &&
		c.on_reboot == TL_ACTION_RESTART &&
		c.on_crash == TL_ACTION_DESTROY &&
		c.on_watchdog == TL_ACTION_DESTROY,
		"defaults: xl's (128 MiB, 1 vCPU, restart on reboot, else destroy)");

	rc = parse(&c, "# every key tern supports\n"
		   "name = \"full-guest\"\ntype = \"pv\"\nkernel = \"/boot/tern\"\n"
		   "ramdisk = '/boot/initrd.img'\nroot = \"/dev/xvda1 ro\"\n"
		   "extra = \"console=hvc0\"\nmemory = 512\nmaxmem = 0x400\n"
		   "vcpus = 4\nmaxvcpus = 8\non_poweroff = \"preserve\"\n"
		   "on_reboot = \"rename-restart\"\non_crash = \"restart\"\n"
		   "on_watchdog = \"preserve\"\n");
	T_CHECK(rc == 0 && !strcmp(c.name, "full-guest") &&
		!strcmp(c.kernel, "/boot/tern") &&
		!strcmp(c.ramdisk, "/boot/initrd.img") &&
		!strcmp(c.cmdline, "root=/dev/xvda1 ro console=hvc0") &&
		c.target_memkb == 512 * 1024 && c.max_memkb == 1024 * 1024 &&
		c.vcpus == 4 && c.max_vcpus == 8 &&
		c.on_poweroff == TL_ACTION_PRESERVE &&
		c.on_reboot == TL_ACTION_RESTART_RENAME &&
		c.on_crash == TL_ACTION_RESTART &&
		c.on_watchdog == TL_ACTION_PRESERVE,
		"every key: values as xl reads them%s%s", rc ? ": " : "",
		rc ? err : "");

	rc = parse(&c, HEAD "memory = 256\nvcpus = 3\n");
	T_CHECK(rc == 0 && c.max_memkb == 256 * 1024 && c.max_vcpus == 3,
		"maxmem and maxvcpus default to memory and vcpus");
	rc = parse(&c, HEAD "extra = 'e'\ncmdline = 'c'\nroot = 'r'\n");
	T_CHECK(rc == 0 && !strcmp(c.cmdline, "c"), "cmdline wins over root and extra");
	rc = parse(&c, HEAD "root = '/dev/xvda'\n");
	T_CHECK(rc == 0 && !strcmp(c.cmdline, "root=/dev/xvda"), "root alone");
	rc = parse(&c, HEAD "extra = 'e'\n");
	T_CHECK(rc == 0 && !strcmp(c.cmdline, "e"), "extra alone");
}

struct err_case {
	const char *what;
	const char *text;
	const char *want;
};

static const struct err_case err_cases[] = {
	{ "vif with entries", HEAD "vif = [ 'bridge=xenbr0' ]",
	  "t.cfg:3: key 'vif' is not supported by tern" },
	{ "disk over lines", HEAD "disk = [\n 'file:/a,xvda,w',\n 'b',\n]\n",
	  "t.cfg:3: key 'disk' is not supported by tern" },
	{ "a device as a string", HEAD "pci = '00:1f.0'", "key 'pci' is not supported by tern" },
	{ "bootloader", HEAD "bootloader = \"pygrub\"",
	  "key 'bootloader' is not supported by tern; give the guest image as 'kernel'" },
	{ "builder", HEAD "builder = \"generic\"",
	  "key 'builder' is not supported by tern; write type = \"pv\" instead" },
	{ "on_soft_reset", HEAD "on_soft_reset = 'destroy'",
	  "key 'on_soft_reset' is not supported by tern" },
	{ "memory 0", HEAD "memory = 0", "t.cfg:3: 'memory' must be between 1 and 1048576, not 0" },
	{ "memory huge", HEAD "memory = 0x100000000",
	  "'memory' must be between 1 and 1048576, not 4294967296" },
	{ "maxmem 0", HEAD "maxmem = 0", "'maxmem' must be between 1 and 1048576" },
	{ "vcpus 0", HEAD "vcpus = 0", "'vcpus' must be between 1 and 128, not 0" },
	{ "vcpus 129", HEAD "vcpus = 129", "'vcpus' must be between 1 and 128" },
	{ "maxvcpus 200", HEAD "maxvcpus = 200", "'maxvcpus' must be between 1 and 128" },
	{ "kernel a list", HEAD "kernel = [ 'k' ]", "'kernel' must be a string" },
	{ "action", HEAD "on_crash = \"explode\"",
	  "'on_crash' must be one of destroy, restart, preserve" },
	{ "action as a list", HEAD "on_reboot = [ ]", "'on_reboot' must be a string" },
	{ "coredump", HEAD "on_crash = 'coredump-destroy'",
	  "'on_crash' = \"coredump-destroy\" is not supported by tern" },
	{ "soft reset", HEAD "on_watchdog = 'soft-reset'",
	  "'on_watchdog' = \"soft-reset\" is not supported by tern" },
	{ "type hvm", HEAD "type = \"hvm\"", "type \"hvm\" is not supported by tern (only \"pv\")" },
	{ "type pvh", HEAD "type = 'pvh'", "type \"pvh\" is not supported by tern" },
	{ "type other", HEAD "type = \"xyz\"", "unknown type \"xyz\"" },
	{ "name empty", "kernel = 'k'\nname = \"\"", "t.cfg:2: 'name' must not be empty" },
	{ "name number", "kernel = 'k'\nname = \"12\"", "'name' must not be a number" },
	{ "name slash", "kernel = 'k'\nname = \"a/b\"", "'name' may not contain '/'" },
	{ "name blank", "kernel = 'k'\nname = \"a b\"", "'name' may not contain '/', blanks" },
	{ "name non-ASCII", "kernel = 'k'\nname = \"caf\xc3\xa9\"", "non-ASCII" },
	{ "no name", "kernel = 'k'\n", "t.cfg: missing required key 'name'" },
	{ "no kernel", "name = 'a'\n", "t.cfg: missing required key 'kernel'" },
	{ "empty kernel", "name = 'a'; kernel = ''\n", "missing required key 'kernel'" },
	{ "maxmem < memory", HEAD "memory=512; maxmem=256",
	  "t.cfg: 'maxmem' (256) is less than 'memory' (512)" },
	{ "maxvcpus < vcpus", HEAD "vcpus=4; maxvcpus=2",
	  "'maxvcpus' (2) is less than 'vcpus' (4)" },
	{ "not UTF-8", HEAD "extra = '\xff'",
	  "'cmdline' is not UTF-8 text" },
	{ "line after a list", HEAD "vif = [\n]\n\nfoo = 1", "t.cfg:6: unknown key 'foo'" },
	{ "first bad key by line", HEAD "zzz = 1\naaa = 2\n", "t.cfg:3: unknown key 'zzz'" },
};

static void test_errors(void)
{
	struct tl_domain_config c, before;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(err_cases); i++) {
		int rc;

		tl_domain_config_init(&c);
		before = c;
		rc = parse(&c, err_cases[i].text);
		T_CHECK(rc == -1 && strstr(err, err_cases[i].want) &&
			one_line(err) && !memcmp(&c, &before, sizeof(c)),
			"refused, nothing changed: %s: \"%s\"", err_cases[i].what,
			err);
	}
}

static char *repeat(int ch, size_t n, const char *pre, const char *post)
{
	size_t a = strlen(pre), b = strlen(post);
	char *s = malloc(a + n + b + 1);

	memcpy(s, pre, a);
	memset(s + a, ch, n);
	memcpy(s + a + n, post, b + 1);
	return s;
}

static void test_lengths(void)
{
	struct tl_domain_config c;
	char *s;
	int rc;

	s = repeat('n', 63, "kernel = 'k'\nname = '", "'\n");
	rc = parse(&c, s);
	T_CHECK(rc == 0 && strlen(c.name) == 63, "63-character name fits");
	free(s);
	s = repeat('n', 64, "kernel = 'k'\nname = '", "'\n");
	rc = parse(&c, s);
	T_CHECK(rc == -1 && strstr(err, "'name' is too long (at most 63 characters)"),
		"64-character name: \"%s\"", err);
	free(s);
	s = repeat('k', 4095, "name = 'a'\nkernel = \"", "\"\n");
	rc = parse(&c, s);
	T_CHECK(rc == 0 && strlen(c.kernel) == 4095, "4095-character kernel fits");
	free(s);
	s = repeat('k', 4096, "name = 'a'\nkernel = \"", "\"\n");
	rc = parse(&c, s);
	T_CHECK(rc == -1 && strstr(err, "'kernel' is too long (at most 4095 characters)"),
		"4096-character kernel: \"%s\"", err);
	free(s);
	s = repeat('e', 1024, HEAD "extra = '", "'\n");
	rc = parse(&c, s);
	T_CHECK(rc == -1 && strstr(err, "'extra' is too long (at most 1023 characters)"),
		"1024-character extra: \"%s\"", err);
	free(s);
	s = repeat('e', 1010, HEAD "root = '/dev/xvda'\nextra = '", "'\n");
	rc = parse(&c, s);
	T_CHECK(rc == -1 && strstr(err, "t.cfg: command line from 'root' and 'extra' is too long"),
		"root + extra: \"%s\"", err);
	free(s);
	s = repeat('k', 100, HEAD, " = 1\n");
	rc = parse(&c, s);
	T_CHECK(rc == -1 && strstr(err, "unknown key 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...'") &&
		strlen(err) < 120, "100-character key is cut short: \"%s\"", err);
	free(s);
}

/* ---- overrides ---- */

static void test_overrides(void)
{
	struct tl_domain_config c, before;
	char *o1[] = { "memory=256", "extra=\"x y\"" };
	char *o2[] = { "extra += \" more\"" };
	char *o3[] = { "memory=1; vcpus=2" };
	char *bad1[] = { "vcpus=2", "memory=64M" };
	char *bad2[] = { "colour=\"blue\"" };
	char *bad3[] = { "memory=1\nvcpus=0" };
	char *bad4[] = { "extra=selftests=all" };
	char *bad5[] = { "vcpus=200" };
	char *bad6[] = { "maxmem=32" };
	int rc;

	rc = parse_ovr(&c, HEAD "memory = 64\nextra = 'file'\n", o1, 2);
	T_CHECK(rc == 0 && c.target_memkb == 256 * 1024 && !strcmp(c.cmdline, "x y"),
		"overrides win over the file%s%s", rc ? ": " : "", rc ? err : "");
	rc = parse_ovr(&c, HEAD "extra = 'file'\n", o2, 1);
	T_CHECK(rc == 0 && !strcmp(c.cmdline, "file more"),
		"+= in an override extends the file's value, as in xl: \"%s\"", c.cmdline);
	rc = parse_ovr(&c, HEAD "extra = 'no newline'", o2, 1);
	T_CHECK(rc == 0 && !strcmp(c.cmdline, "no newline more"),
		"a file without its last newline");
	rc = parse_ovr(&c, HEAD, o3, 1);
	T_CHECK(rc == 0 && c.target_memkb == 1024 && c.vcpus == 2,
		"an override may hold two statements, as in xl");

	tl_domain_config_init(&c);
	before = c;
	rc = parse_ovr(&c, HEAD, bad1, 2);
	T_CHECK(rc == -1 && !strcmp(err, "override 'memory=64M': config parsing error near `M': lexical error") &&
		!memcmp(&c, &before, sizeof(c)),
		"a syntax error names the override: \"%s\"", err);
	rc = parse_ovr(&c, HEAD, bad2, 1);
	T_CHECK(rc == -1 && !strcmp(err, "override 'colour=\"blue\"': unknown key 'colour'"),
		"an unknown key names the override: \"%s\"", err);
	rc = parse_ovr(&c, HEAD, bad3, 1);
	T_CHECK(rc == -1 && strstr(err, "override 'memory=1?vcpus=0': 'vcpus' must be between 1 and 128, not 0"),
		"a second line of an override is still that override: \"%s\"", err);
	rc = parse_ovr(&c, HEAD, bad4, 1);
	T_CHECK(rc == -1 && strstr(err, "override 'extra=selftests=all': config parsing error near `selftests'"),
		"an unquoted string: \"%s\"", err);
	rc = parse_ovr(&c, HEAD "vcpus = 200\n", bad5, 1);
	T_CHECK(rc == -1 && strstr(err, "override 'vcpus=200': 'vcpus' must be between 1 and 128, not 200"),
		"the override's value is the one checked: \"%s\"", err);
	rc = parse_ovr(&c, HEAD "vcpus = 200\n", o3, 1);
	T_CHECK(rc == 0 && c.vcpus == 2,
		"a bad value in the file that an override replaces is not read, as in xl");
	rc = parse_ovr(&c, HEAD "memory = 64\n", bad6, 1);
	T_CHECK(rc == -1 && !strcmp(err, "t.cfg: 'maxmem' (32) is less than 'memory' (64)"),
		"checks across keys name the file: \"%s\"", err);
}

/* ---- files ---- */

static const char *tmpdir(void)
{
	const char *t = getenv("TMPDIR");

	return t && *t ? t : "/tmp";
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(data, 1, len, f) != len)
		printf("# cannot write %s\n", path);
	if (f)
		fclose(f);
}

static void test_files(void)
{
	struct tl_domain_config c, before;
	char path[256], want[300];
	char *big;
	int rc;

	tl_domain_config_init(&c);
	before = c;
	rc = xl_parse_config_file(&c, "/nonexistent/tern.cfg", NULL, 0, err, sizeof(err));
	T_CHECK(rc == -1 && !strcmp(err, "/nonexistent/tern.cfg: No such file or directory") &&
		!memcmp(&c, &before, sizeof(c)), "missing file: \"%s\"", err);
	rc = xl_parse_config_file(&c, tmpdir(), NULL, 0, err, sizeof(err));
	T_CHECK(rc == -1 && strstr(err, "Is a directory"), "directory: \"%s\"", err);

	snprintf(path, sizeof(path), "%s/t_config.%d.cfg", tmpdir(), (int)getpid());
	big = repeat('\n', XL_CONFIG_MAX_SIZE + 1, "", "");
	write_file(path, big, XL_CONFIG_MAX_SIZE + 1);
	rc = xl_parse_config_file(&c, path, NULL, 0, err, sizeof(err));
	snprintf(want, sizeof(want), "%s: file is larger than 1 MiB", path);
	T_CHECK(rc == -1 && !strcmp(err, want) && !memcmp(&c, &before, sizeof(c)),
		"file over 1 MiB: \"%s\"", err);
	memcpy(big, HEAD, strlen(HEAD));
	write_file(path, big, XL_CONFIG_MAX_SIZE);
	rc = xl_parse_config_file(&c, path, NULL, 0, err, sizeof(err));
	T_CHECK(rc == 0, "file of exactly 1 MiB%s%s", rc ? ": " : "", rc ? err : "");
	free(big);

	write_file(path, HEAD "\0\n", strlen(HEAD) + 2);
	rc = xl_parse_config_file(&c, path, NULL, 0, err, sizeof(err));
	snprintf(want, sizeof(want), "%s:3: contains a NUL byte", path);
	T_CHECK(rc == -1 && !strcmp(err, want), "NUL byte in a file: \"%s\"", err);

	write_file(path, "name='f'\nmemory=512\n", 20);
	rc = xl_parse_config_file(&c, path, NULL, 0, err, sizeof(err));
	snprintf(want, sizeof(want), "%s: missing required key 'kernel'", path);
	T_CHECK(rc == -1 && !strcmp(err, want), "checks name the file: \"%s\"", err);
	unlink(path);
}

/* The config files in the tree, with the values they are meant to give. */
static void test_tree_files(void)
{
	const char *top = getenv("TOP");
	char path[512], want[512];
	struct tl_domain_config c;
	glob_t g;
	size_t i;
	int rc;

	if (!top || !*top)
		top = ".";
	snprintf(path, sizeof(path), "%s/selftests/host/configs/good.cfg", top);
	rc = xl_parse_config_file(&c, path, NULL, 0, err, sizeof(err));
	T_CHECK(rc == 0 && !strcmp(c.name, "good") && !strcmp(c.kernel, "tern") &&
		c.target_memkb == 128 * 1024 && c.vcpus == 2 && c.max_vcpus == 4 &&
		!strcmp(c.cmdline, "console=hvc0") &&
		c.on_crash == TL_ACTION_PRESERVE && c.on_reboot == TL_ACTION_RESTART,
		"configs/good.cfg%s%s", rc ? ": " : "", rc ? err : "");
	snprintf(path, sizeof(path), "%s/configs/demo.cfg", top);
	rc = xl_parse_config_file(&c, path, NULL, 0, err, sizeof(err));
	T_CHECK(rc == 0 && !strcmp(c.name, "tern-demo") && !strcmp(c.kernel, "tern") &&
		c.target_memkb == 64 * 1024 && c.vcpus == 1 &&
		!strcmp(c.cmdline, "selftests=all") &&
		c.on_crash == TL_ACTION_DESTROY,
		"configs/demo.cfg%s%s", rc ? ": " : "", rc ? err : "");

	snprintf(path, sizeof(path), "%s/selftests/host/configs/bad-*.cfg", top);
	rc = glob(path, 0, NULL, &g);
	T_CHECK(rc == 0 && g.gl_pathc >= 3, "configs/bad-*.cfg found");
	for (i = 0; !rc && i < g.gl_pathc; i++) {
		const char *p = g.gl_pathv[i], *base = strrchr(p, '/') + 1;
		FILE *f = fopen(p, "r");
		bool have = f && fgets(want, sizeof(want), f) &&
			    !strncmp(want, "# expect: ", 10);

		if (f)
			fclose(f);
		want[strcspn(want, "\n")] = '\0';
		rc = xl_parse_config_file(&c, p, NULL, 0, err, sizeof(err));
		T_CHECK(have && rc == -1 && strstr(err, want + 10) && one_line(err),
			"configs/%s: \"%s\"", base, err);
		rc = 0;
	}
	globfree(&g);
}

/* ---- fuzzing ---- */

static uint64_t fuzz_state = 0x2545f4914f6cdd1dULL;

static uint64_t fuzz_rand(void)
{
	fuzz_state ^= fuzz_state >> 12;
	fuzz_state ^= fuzz_state << 25;
	fuzz_state ^= fuzz_state >> 27;
	return fuzz_state * 0x2545f4914f6cdd1dULL;
}

static size_t fuzz_below(size_t n)
{
	return n ? fuzz_rand() % n : 0;
}

/* Pieces of the syntax, so mutations reach past the lexer. */
static const char *const fuzz_dict[] = {
	"[", "]", "\"", "'", "=", "+=", ";", "\n", "#", "\\", ",", "0x", "0",
	"9", " ", "\r", "\t", "-", "\\n", "\\q", "[]", "\"\"", "''", "\xff",
	"memory", "maxmem", "vcpus", "maxvcpus", "name", "kernel", "extra",
	"cmdline", "root", "type", "vif", "disk", "builder", "on_crash",
	"\"pv\"", "\"hvm\"", "'destroy'", "99999999999999999999", "0xffff",
	"[ 'a', 'b', ]", "\"x\\\"y\"", "\\101",
};

#define FUZZ_CAP 4096

static size_t fuzz_mutate(char *buf, size_t len)
{
	size_t pos = fuzz_below(len + 1), n;
	const char *tok;

	switch (fuzz_below(5)) {
	case 0:
		if (len)
			buf[fuzz_below(len)] = fuzz_rand();
		break;
	case 1:
	case 2:
		tok = fuzz_dict[fuzz_below(ARRAY_SIZE(fuzz_dict))];
		n = strlen(tok);
		if (len + n > FUZZ_CAP)
			break;
		memmove(buf + pos + n, buf + pos, len - pos);
		memcpy(buf + pos, tok, n);
		len += n;
		break;
	case 3:
		n = fuzz_below(len - pos + 1) % 32;
		memmove(buf + pos, buf + pos + n, len - pos - n);
		len -= n;
		break;
	default:
		len = pos;
		break;
	}
	return len;
}

static void test_fuzz(void)
{
	static const char seed[] =
		"name = \"full\"\nkernel = \"/k\"\nextra = \"a\"\nextra += 'b'\n"
		"memory = 512; maxmem = 0x400\nvcpus = 4\nmaxvcpus = 8\n"
		"on_crash = \"preserve\"\nvif = [ ]\n";
	static char buf[FUZZ_CAP];
	const char *env = getenv("T_CONFIG_FUZZ_ITERS");
	unsigned long iters = env ? strtoul(env, NULL, 0) : 100000;
	unsigned long i, bad = 0, accepted = 0;
	size_t len = 0;

	for (i = 0; i < iters; i++) {
		struct tl_domain_config c, before;
		unsigned int m, rounds = 1 + fuzz_below(6);
		char e[256];
		int rc;

		if (i == 0 || fuzz_below(4)) {
			memcpy(buf, seed, sizeof(seed) - 1);
			len = sizeof(seed) - 1;
		}
		for (m = 0; m < rounds; m++)
			len = fuzz_mutate(buf, len);
		tl_domain_config_init(&c);
		before = c;
		e[0] = '\0';
		rc = xl_parse_config_data(&c, "fz", buf, len, NULL, 0, e, sizeof(e));
		if (rc == 0) {
			accepted++;
			if (tl_domain_config_check(&c, err, sizeof(err)))
				rc = -2;
		} else if (rc != -1 || !one_line(e) ||
			   memcmp(&c, &before, sizeof(c))) {
			rc = -2;
		}
		if (rc == -2 && bad++ < 5)
			printf("# fuzz input %lu broke a contract: %.*s\n", i,
			       (int)(len < 200 ? len : 200), buf);
	}
	T_CHECK(bad == 0 && accepted > iters / 50,
		"fuzz: %lu mutated texts, %lu accepted and valid, every refusal one line with nothing changed, %lu broken",
		iters, accepted, bad);
}

int main(void)
{
	test_grammar();
	test_defaults_and_keys();
	test_errors();
	test_lengths();
	test_overrides();
	test_files();
	test_tree_files();
	test_fuzz();
	T_DONE();
}
