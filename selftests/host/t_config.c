// SPDX-License-Identifier: MIT
/*
 * Host tests for tools/libs/util/xlu_cfg.c, the xl.cfg(5) parser behind "tern-xl create":
 * every key, the syntax (comments, ';', quotes, escapes, hex, lists), each
 * error with its message and line, overrides, the sample files in configs/
 * and a mutation fuzz loop.  Every failing call must leave the config as it
 * was, so error checks compare the whole struct before and after.
 */
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hosttest.h"
#include "tools/libs/util/xlu_cfg.h"

static char err[512];

/* A config with the required keys, the starting point of error checks. */
static const char base_text[] = "name = \"base\"\nkernel = \"/k\"\n";

static void base_config(struct xlu_config *c)
{
	xlu_config_init(c);
	if (xlu_config_parse(c, base_text, "base.cfg", err, sizeof(err)))
		printf("# base config failed: %s\n", err);
}

static int parse_new(struct xlu_config *c, const char *text)
{
	xlu_config_init(c);
	err[0] = '\0';
	return xlu_config_parse(c, text, "t.cfg", err, sizeof(err));
}

static bool one_line(const char *s)
{
	return s[0] && !strchr(s, '\n');
}

/* Parsing text must fail with want in the message and change nothing. */
static void expect_error(const char *what, const char *text, const char *want)
{
	struct xlu_config c, before;
	int rc;

	base_config(&c);
	memcpy(&before, &c, sizeof(c));
	err[0] = '\0';
	rc = xlu_config_parse(&c, text, "t.cfg", err, sizeof(err));
	T_CHECK(rc == -1 && strstr(err, want) && one_line(err) &&
		!memcmp(&c, &before, sizeof(c)),
		"error %s: \"%s\"", what, err);
}

/* The same for one override given to xlu_config_set(). */
static void expect_set_error(const char *what, const char *assign,
			     const char *want)
{
	struct xlu_config c, before;
	int rc;

	base_config(&c);
	memcpy(&before, &c, sizeof(c));
	err[0] = '\0';
	rc = xlu_config_set(&c, assign, err, sizeof(err));
	T_CHECK(rc == -1 && strstr(err, want) && one_line(err) &&
		!memcmp(&c, &before, sizeof(c)),
		"override error %s: \"%s\"", what, err);
}

static void expect_invalid(const char *what, const char *text,
			   const char *want)
{
	struct xlu_config c;
	int rc = parse_new(&c, text);

	T_CHECK(rc == 0 && xlu_config_validate(&c, err, sizeof(err)) == -1 &&
		strstr(err, want) && one_line(err),
		"validate %s: \"%s\"", what, err);
}

static void test_defaults(void)
{
	struct xlu_config c;

	xlu_config_init(&c);
	T_CHECK(c.memory_mb == 128 && c.maxmem_mb == 128 && c.vcpus == 1 &&
		c.maxvcpus == 1 && !strcmp(c.type, "pv") && !c.name[0] &&
		!c.kernel[0] && !c.ramdisk[0] && !c.cmdline[0],
		"defaults: memory 128, vcpus 1, type pv, no strings");
	T_CHECK(c.on_poweroff == XLU_ACTION_DESTROY &&
		c.on_reboot == XLU_ACTION_RESTART &&
		c.on_crash == XLU_ACTION_DESTROY &&
		c.on_watchdog == XLU_ACTION_DESTROY,
		"defaults: actions destroy, restart, destroy, destroy");
	T_CHECK(!strcmp(xlu_action_name(XLU_ACTION_DESTROY), "destroy") &&
		!strcmp(xlu_action_name(XLU_ACTION_RENAME_RESTART), "rename-restart") &&
		!strcmp(xlu_action_name(XLU_ACTION_COREDUMP_DESTROY), "coredump-destroy") &&
		!strcmp(xlu_action_name(XLU_ACTION_SOFT_RESET), "soft-reset") &&
		!strcmp(xlu_action_name((enum xlu_action)99), "invalid"),
		"xlu_action_name");
	T_CHECK(xlu_config_validate(&c, err, sizeof(err)) == -1 &&
		strstr(err, "missing required key 'name'"),
		"empty config: \"%s\"", err);
}

static const char full_text[] =
	"# every key tern supports\n"
	"name = \"full-guest\"\n"
	"type = \"pv\"\n"
	"kernel = \"/boot/tern\"\n"
	"ramdisk = '/boot/initrd.img'\n"
	"root = \"/dev/xvda1 ro\"\n"
	"extra = \"console=hvc0\"\n"
	"memory = 512\n"
	"maxmem = 0x400\n"
	"vcpus = 4\n"
	"maxvcpus = 8\n"
	"on_poweroff = \"preserve\"\n"
	"on_reboot = \"rename-restart\"\n"
	"on_crash = \"restart\"\n"
	"on_watchdog = \"preserve\"\n";

static void test_full(void)
{
	struct xlu_config c;
	int rc = parse_new(&c, full_text);

	T_CHECK(rc == 0, "full config parses: %s", rc ? err : "ok");
	T_CHECK(!strcmp(c.name, "full-guest") && !strcmp(c.type, "pv") &&
		!strcmp(c.kernel, "/boot/tern") &&
		!strcmp(c.ramdisk, "/boot/initrd.img"),
		"full config: name, type, kernel, ramdisk");
	T_CHECK(!strcmp(c.cmdline, "root=/dev/xvda1 ro console=hvc0"),
		"full config: cmdline from root and extra: \"%s\"", c.cmdline);
	T_CHECK(c.memory_mb == 512 && c.maxmem_mb == 1024 && c.vcpus == 4 &&
		c.maxvcpus == 8,
		"full config: memory 512, maxmem 0x400, vcpus 4, maxvcpus 8");
	T_CHECK(c.on_poweroff == XLU_ACTION_PRESERVE &&
		c.on_reboot == XLU_ACTION_RENAME_RESTART &&
		c.on_crash == XLU_ACTION_RESTART &&
		c.on_watchdog == XLU_ACTION_PRESERVE,
		"full config: all four actions");
	T_CHECK(xlu_config_validate(&c, err, sizeof(err)) == 0,
		"full config validates");
	T_CHECK(xlu_config_given(&c, "maxmem") && xlu_config_given(&c, "extra") &&
		!xlu_config_given(&c, "cmdline") && !xlu_config_given(&c, "nope"),
		"xlu_config_given");

	rc = parse_new(&c, "name='a'\nkernel='k'\non_reboot='restart'\n");
	T_CHECK(rc == 0 && c.on_reboot == XLU_ACTION_RESTART &&
		c.on_poweroff == XLU_ACTION_DESTROY,
		"on_reboot restart, others keep defaults");
	rc = parse_new(&c, "name='a'\nkernel='k'\non_crash='coredump-destroy'\n");
	T_CHECK(rc != 0 && strstr(err, "'on_crash' = \"coredump-destroy\" is not supported by tern"),
		"coredump actions are refused: %s", err);
	rc = parse_new(&c, "name='a'\nkernel='k'\non_watchdog='soft-reset'\n");
	T_CHECK(rc != 0 && strstr(err, "not supported by tern"),
		"soft-reset is refused: %s", err);
}

static void test_syntax(void)
{
	static const char text[] =
		"\n"
		"\t  # indented comment\r\n"
		"name='semi' ; memory = 256;vcpus=2 # trailing comment\n"
		"\n"
		"kernel = \"k\"\r\n"
		";;\n"
		"disk = [\n"
		"   # no disks, across lines\n"
		"]\n"
		"vif=[]; pci = [ ]\n"
		"ramdisk = \"has # not a comment; nor ; a split\"   \n"
		"   # last line without newline";
	struct xlu_config c;
	int rc = parse_new(&c, text);

	T_CHECK(rc == 0, "comments, ';', CRLF, blank lines: %s",
		rc ? err : "ok");
	T_CHECK(!strcmp(c.name, "semi") && c.memory_mb == 256 &&
		c.vcpus == 2 && !strcmp(c.kernel, "k"),
		"several statements on one line");
	T_CHECK(!strcmp(c.ramdisk, "has # not a comment; nor ; a split"),
		"'#' and ';' inside a string are text");
	T_CHECK(c.maxmem_mb == 256 && c.maxvcpus == 2,
		"maxmem and maxvcpus follow memory and vcpus");
	T_CHECK(parse_new(&c, "") == 0 && parse_new(&c, "# only\n\n;") == 0,
		"empty and comment-only text");

	rc = parse_new(&c, "extra = \"a\\\\b \\\"dq\\\" \\'sq\\' t\\tn\\nr\\r\"\n");
	T_CHECK(rc == 0 && !strcmp(c.cmdline, "a\\b \"dq\" 'sq' t\tn\nr\r"),
		"escapes in double quotes");
	rc = parse_new(&c, "extra = 'it\\'s \"fine\"'");
	T_CHECK(rc == 0 && !strcmp(c.cmdline, "it's \"fine\""),
		"escapes in single quotes");

	rc = parse_new(&c, "memory = 0x100; vcpus = 0X10; maxvcpus = 0x0000020");
	T_CHECK(rc == 0 && c.memory_mb == 256 && c.vcpus == 16 &&
		c.maxvcpus == 32, "hex integers");
	rc = parse_new(&c, "memory = \"384\"; vcpus = '0x3'");
	T_CHECK(rc == 0 && c.memory_mb == 384 && c.vcpus == 3,
		"quoted integers, as xl takes them");
	rc = parse_new(&c, "memory = 0; memory = 1\nmemory=2");
	T_CHECK(rc == -1, "a bad value is an error even if overridden later");
	rc = parse_new(&c, "memory = 100\nmemory = 200\nname='a'\nname='b'");
	T_CHECK(rc == 0 && c.memory_mb == 200 && !strcmp(c.name, "b"),
		"duplicate keys: the last one wins");
}

static void test_cmdline(void)
{
	struct xlu_config c;
	int rc;

	rc = parse_new(&c, "extra = 'e'\ncmdline = 'c'\n");
	T_CHECK(rc == 0 && !strcmp(c.cmdline, "c"), "cmdline after extra wins");
	rc = parse_new(&c, "cmdline = 'c'\nextra = 'e'\nroot = 'r'\n");
	T_CHECK(rc == 0 && !strcmp(c.cmdline, "c"), "cmdline before extra wins");
	rc = parse_new(&c, "extra = 'e'\n");
	T_CHECK(rc == 0 && !strcmp(c.cmdline, "e"), "extra alone");
	rc = parse_new(&c, "root = '/dev/xvda'\n");
	T_CHECK(rc == 0 && !strcmp(c.cmdline, "root=/dev/xvda"), "root alone");
}

struct err_case {
	const char *what;
	const char *text;
	const char *want;
};

static const struct err_case err_cases[] = {
	{ "unknown key", "memory = 64\n\nfoo = 1\n",
	  "t.cfg:3: unknown key 'foo'" },
	{ "unknown key, list value", "colour = [ 'red' ]",
	  "t.cfg:1: unknown key 'colour'" },
	{ "vif", "vif = [ 'bridge=xenbr0' ]",
	  "t.cfg:1: key 'vif' is not supported by tern" },
	{ "disk over lines", "disk = [\n 'file:/a,xvda,w',\n 'b',\n]\n",
	  "t.cfg:1: key 'disk' is not supported by tern" },
	{ "pci", "pci = [ '00:1f.0' ]", "key 'pci' is not supported by tern" },
	{ "bootloader", "bootloader = \"pygrub\"",
	  "key 'bootloader' is not supported by tern" },
	{ "builder", "builder = \"generic\"",
	  "key 'builder' is not supported by tern; write type = \"pv\" instead" },
	{ "memory string", "memory = \"abc\"", "t.cfg:1: 'memory' must be an integer" },
	{ "memory list", "memory = [ 1 ]", "'memory' must be an integer" },
	{ "memory 0", "memory = 0", "'memory' must be between 1 and 1048576" },
	{ "memory huge", "memory = 0x100000000",
	  "'memory' must be between 1 and 1048576" },
	{ "vcpus 0", "vcpus = 0", "'vcpus' must be between 1 and 128" },
	{ "vcpus 129", "vcpus = 129", "'vcpus' must be between 1 and 128" },
	{ "maxvcpus 200", "maxvcpus = 200", "'maxvcpus' must be between 1 and 128" },
	{ "kernel number", "kernel = 5", "'kernel' must be a string" },
	{ "extra list", "extra = [ 'a' ]", "'extra' must be a string" },
	{ "action", "on_crash = \"explode\"",
	  "'on_crash' must be one of destroy, restart, preserve" },
	{ "action number", "on_reboot = 1", "'on_reboot' must be a string" },
	{ "type hvm", "type = \"hvm\"", "type \"hvm\" is not supported by tern" },
	{ "type pvh", "type = 'pvh'", "type \"pvh\" is not supported by tern" },
	{ "type other", "type = \"xyz\"", "unknown type \"xyz\"" },
	{ "name empty", "name = \"\"", "'name' must not be empty" },
	{ "name number", "name = \"12\"", "'name' must not be a number" },
	{ "name slash", "name = \"a/b\"", "'name' may not contain '/'" },
	{ "name blank", "name = \"a b\"", "'name' may not contain '/', blanks" },
	{ "unterminated \"", "kernel = \"abc\nmemory = 1\n",
	  "t.cfg:1: unterminated string" },
	{ "unterminated ' at end", "\nkernel = 'abc", "t.cfg:2: unterminated string" },
	{ "backslash at end", "kernel = \"abc\\", "unterminated string" },
	{ "unknown escape", "extra = \"\\q\"", "unknown escape '\\q' in string" },
	{ "missing =", "memory 128", "t.cfg:1: expected '=' after 'memory'" },
	{ "key alone", "\n\nmemory\n", "t.cfg:3: expected '=' after 'memory'" },
	{ "missing value", "memory =\n", "t.cfg:1: missing value for 'memory'" },
	{ "missing value, comment", "memory = # none\n",
	  "missing value for 'memory'" },
	{ "missing value at ;", "memory = ;", "missing value for 'memory'" },
	{ "garbage after number", "memory = 128 256",
	  "t.cfg:1: unexpected '2' after the value of 'memory'" },
	{ "garbage after string", "kernel = \"a\" \"b\"",
	  "unexpected '\"' after the value of 'kernel'" },
	{ "garbage after list", "vif = [] x", "unexpected 'x' after the value of 'vif'" },
	{ "bare word", "type = pv",
	  "value of 'type' must be a quoted string, a number or a list" },
	{ "negative", "memory = -1", "negative numbers are not allowed" },
	{ "unit suffix", "memory = 128M", "invalid number '128M'" },
	{ "bare 0x", "memory = 0x", "invalid number '0x'" },
	{ "bad hex", "memory = 0xfg", "invalid number '0xfg'" },
	{ "decimal overflow", "memory = 99999999999999999999999",
	  "number '99999999999999999999999' is too large" },
	{ "hex overflow", "memory = 0x10000000000000000", "is too large" },
	{ "leading zero", "memory = 010", "leading zero" },
	{ "unterminated list", "vif = [ 'a',\n 'b'\n", "t.cfg:1: unterminated list" },
	{ "unterminated empty list", "\ndisk = [", "t.cfg:2: unterminated list" },
	{ "list without comma", "vif = [ 'a' 'b' ]",
	  "expected ',' or ']' in list, found '''" },
	{ "list with ;", "vif = [ 'a'; ]", "expected ',' or ']' in list, found ';'" },
	{ "nested list", "vif = [ [ ] ]", "lists cannot be nested" },
	{ "leading comma", "vif = [ , ]", "expected a value in list, found ','" },
	{ "bare word in list", "vif = [ a ]", "expected a value in list, found 'a'" },
	{ "+=", "extra += 'x'", "'+=' is not supported, use '='" },
	{ "no key", "= 5", "t.cfg:1: expected a key, found '='" },
	{ "key with dash", "on-crash = 'destroy'", "expected '=' after 'on'" },
	{ "control byte", "\x01", "expected a key, found byte 0x01" },
	{ "line after list", "vif = [\n]\n\nfoo = 1", "t.cfg:4: unknown key 'foo'" },
	{ "line after string", "extra = 'a;b'\n#\nfoo = 1", "t.cfg:3: unknown key 'foo'" },
};

static void test_errors(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(err_cases); i++)
		expect_error(err_cases[i].what, err_cases[i].text,
			     err_cases[i].want);
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
	struct xlu_config c;
	char *s;
	int rc;

	s = repeat('n', 63, "name = '", "'");
	rc = parse_new(&c, s);
	T_CHECK(rc == 0 && strlen(c.name) == 63, "63-character name fits");
	free(s);
	s = repeat('n', 64, "name = '", "'");
	expect_error("64-character name", s, "'name' is too long (at most 63 characters)");
	free(s);
	s = repeat('k', 4095, "kernel = \"", "\"");
	rc = parse_new(&c, s);
	T_CHECK(rc == 0 && strlen(c.kernel) == 4095, "4095-character kernel fits");
	free(s);
	s = repeat('k', 4096, "kernel = \"", "\"");
	expect_error("4096-character kernel", s,
		     "'kernel' is too long (at most 4095 characters)");
	free(s);
	s = repeat('r', 100000, "ramdisk = \"", "\"");
	expect_error("100000-character ramdisk", s, "'ramdisk' is too long");
	free(s);
	s = repeat('e', 1024, "extra = '", "'");
	expect_error("1024-character extra", s,
		     "'extra' is too long (at most 1023 characters)");
	free(s);
	s = repeat('e', 1010, "root = '/dev/xvda'\nextra = '", "'");
	expect_error("root + extra", s,
		     "t.cfg:2: command line from 'root' and 'extra' is too long");
	free(s);
	s = repeat('k', 100, "", " = 1");
	expect_error("100-character key", s, "unknown key 'kkkk");
	free(s);
}

static void test_buffers(void)
{
	static const char nul_text[] = "name = 'a'\nmem\0ory = 1\n";
	struct xlu_config c, before;
	char small[8];
	char *big;
	int rc;

	base_config(&c);
	memcpy(&before, &c, sizeof(c));
	rc = xlu_config_parse_buf(&c, nul_text, sizeof(nul_text) - 1, "t.cfg",
				 err, sizeof(err));
	T_CHECK(rc == -1 && strstr(err, "t.cfg:2: contains a NUL byte") &&
		!memcmp(&c, &before, sizeof(c)), "NUL byte: \"%s\"", err);

	big = repeat(' ', XLU_CONFIG_MAX_SIZE + 1, "", "");
	rc = xlu_config_parse_buf(&c, big, XLU_CONFIG_MAX_SIZE + 1, "t.cfg",
				 err, sizeof(err));
	T_CHECK(rc == -1 && strstr(err, "larger than 1 MiB") &&
		!memcmp(&c, &before, sizeof(c)), "text over 1 MiB: \"%s\"", err);
	big[XLU_CONFIG_MAX_SIZE] = '\0';
	memcpy(big, "memory=300", 10);
	rc = xlu_config_parse(&c, big, "t.cfg", err, sizeof(err));
	T_CHECK(rc == 0 && c.memory_mb == 300, "text of exactly 1 MiB");
	free(big);

	memcpy(&before, &c, sizeof(c));
	rc = xlu_config_parse(&c, "foo = 1", "a-long-source-name.cfg",
			     small, sizeof(small));
	T_CHECK(rc == -1 && strlen(small) == sizeof(small) - 1 &&
		!memcmp(&c, &before, sizeof(c)), "short error buffer truncates");
	rc = xlu_config_parse(&c, "foo = 1", NULL, NULL, 0);
	T_CHECK(rc == -1, "no error buffer, no source");
	rc = xlu_config_parse(&c, "nam\x1b[2J = 1", "t.cfg", err, sizeof(err));
	T_CHECK(rc == -1 && !strchr(err, '\x1b'), "no control bytes in errors: \"%s\"",
		err);
}

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
	struct xlu_config c, before;
	char path[256], want[300];
	char *big;
	int rc;

	base_config(&c);
	memcpy(&before, &c, sizeof(c));
	rc = xlu_config_parse_file(&c, "/nonexistent/tern.cfg", err, sizeof(err));
	T_CHECK(rc == -1 && !strcmp(err, "/nonexistent/tern.cfg: No such file or directory") &&
		!memcmp(&c, &before, sizeof(c)), "missing file: \"%s\"", err);
	rc = xlu_config_parse_file(&c, tmpdir(), err, sizeof(err));
	T_CHECK(rc == -1 && strstr(err, "Is a directory"), "directory: \"%s\"", err);

	snprintf(path, sizeof(path), "%s/t_config.%d.cfg", tmpdir(), (int)getpid());
	big = repeat('#', XLU_CONFIG_MAX_SIZE + 1, "", "");
	write_file(path, big, XLU_CONFIG_MAX_SIZE + 1);
	rc = xlu_config_parse_file(&c, path, err, sizeof(err));
	snprintf(want, sizeof(want), "%s: file is larger than 1 MiB", path);
	T_CHECK(rc == -1 && !strcmp(err, want) && !memcmp(&c, &before, sizeof(c)),
		"file over 1 MiB: \"%s\"", err);
	write_file(path, big, XLU_CONFIG_MAX_SIZE);
	rc = xlu_config_parse_file(&c, path, err, sizeof(err));
	T_CHECK(rc == 0, "file of exactly 1 MiB");
	free(big);

	write_file(path, "name='f'\n\0\n", 11);
	rc = xlu_config_parse_file(&c, path, err, sizeof(err));
	snprintf(want, sizeof(want), "%s:2: contains a NUL byte", path);
	T_CHECK(rc == -1 && !strcmp(err, want), "NUL byte in file: \"%s\"", err);

	write_file(path, "name='f'\nmemory=512\n", 20);
	xlu_config_init(&c);
	rc = xlu_config_parse_file(&c, path, err, sizeof(err));
	T_CHECK(rc == 0 && !strcmp(c.source, path) && c.memory_mb == 512,
		"file parses and is remembered");
	rc = xlu_config_validate(&c, err, sizeof(err));
	snprintf(want, sizeof(want), "%s: missing required key 'kernel'", path);
	T_CHECK(rc == -1 && !strcmp(err, want), "validate names the file: \"%s\"",
		err);
	unlink(path);
}

static void test_validate(void)
{
	expect_invalid("no name", "kernel = 'k'", "missing required key 'name'");
	expect_invalid("no kernel", "name = 'a'", "missing required key 'kernel'");
	expect_invalid("empty kernel", "name = 'a'; kernel = ''",
		       "missing required key 'kernel'");
	expect_invalid("maxmem < memory",
		       "name='a'; kernel='k'; memory=512; maxmem=256",
		       "'maxmem' (256) is less than 'memory' (512)");
	expect_invalid("maxmem before memory",
		       "name='a'; kernel='k'; maxmem=256; memory=512",
		       "'maxmem' (256) is less than 'memory' (512)");
	expect_invalid("maxvcpus < vcpus",
		       "name='a'; kernel='k'; vcpus=4; maxvcpus=2",
		       "'maxvcpus' (2) is less than 'vcpus' (4)");
}

static void test_overrides(void)
{
	struct xlu_config c;
	int rc;

	rc = parse_new(&c, full_text);
	rc |= xlu_config_set(&c, "memory=256", err, sizeof(err));
	T_CHECK(rc == 0 && c.memory_mb == 256 && c.maxmem_mb == 1024,
		"override memory; maxmem stays as given");
	rc = xlu_config_set(&c, "extra=\"x y\"", err, sizeof(err));
	T_CHECK(rc == 0 && !strcmp(c.cmdline, "root=/dev/xvda1 ro x y"),
		"override extra: \"%s\"", c.cmdline);
	rc = xlu_config_set(&c, " name = 'other' ; ", err, sizeof(err));
	T_CHECK(rc == 0 && !strcmp(c.name, "other"), "override name, blanks and ';'");
	rc = xlu_config_set(&c, "cmdline='only'", err, sizeof(err));
	rc |= xlu_config_set(&c, "extra='ignored'", err, sizeof(err));
	T_CHECK(rc == 0 && !strcmp(c.cmdline, "only"), "override cmdline wins");
	rc = xlu_config_set(&c, "maxmem=0x80", err, sizeof(err));
	T_CHECK(rc == 0 && xlu_config_validate(&c, err, sizeof(err)) == -1 &&
		strstr(err, "'maxmem' (128) is less than 'memory' (256)"),
		"override makes validate fail: \"%s\"", err);

	rc = parse_new(&c, "name='a'\nkernel='k'\n");
	rc |= xlu_config_set(&c, "vcpus=8", err, sizeof(err));
	T_CHECK(rc == 0 && c.vcpus == 8 && c.maxvcpus == 8 &&
		xlu_config_validate(&c, err, sizeof(err)) == 0,
		"override vcpus; maxvcpus follows");

	expect_set_error("not an integer", "memory=\"abc\"",
			 "override 'memory=\"abc\"': 'memory' must be an integer");
	expect_set_error("unquoted word", "memory=abc",
			 "value of 'memory' must be a quoted string");
	expect_set_error("two keys", "memory=1; vcpus=2",
			 "an override sets one key, as key=value");
	expect_set_error("two lines", "memory=1\nvcpus=2",
			 "an override sets one key");
	expect_set_error("empty", "", "expected key=value");
	expect_set_error("unquoted", "name=bar",
			 "value of 'name' must be a quoted string");
	expect_set_error("unknown", "foo=1", "unknown key 'foo'");
	expect_set_error("unsupported", "vif=['x']", "key 'vif' is not supported by tern");
	expect_set_error("range", "vcpus=1000", "'vcpus' must be between 1 and 128");
	expect_set_error("no =", "memory", "expected '=' after 'memory'");
	expect_set_error("second bad", "memory=1; memory=x", "override 'memory=1; memory=x'");
}

static bool read_expect(const char *path, char *want, size_t len)
{
	char line[512];
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(line, sizeof(line), f) && !strncmp(line, "# expect: ", 10);
	fclose(f);
	if (!ok)
		return false;
	line[strcspn(line, "\n")] = '\0';
	snprintf(want, len, "%s", line + 10);
	return want[0];
}

static void test_sample_files(void)
{
	const char *top = getenv("TOP");
	char pattern[512], want[512];
	struct xlu_config c;
	glob_t g;
	size_t i;
	int rc;

	if (!top || !*top)
		top = ".";
	snprintf(pattern, sizeof(pattern), "%s/selftests/host/configs/good.cfg", top);
	xlu_config_init(&c);
	rc = xlu_config_parse_file(&c, pattern, err, sizeof(err));
	rc = rc ?: xlu_config_validate(&c, err, sizeof(err));
	T_CHECK(rc == 0 && !strcmp(c.name, "good") && c.vcpus == 2 &&
		c.maxvcpus == 4 && !strcmp(c.cmdline, "console=hvc0"),
		"configs/good.cfg: %s", rc ? err : "ok");

	snprintf(pattern, sizeof(pattern), "%s/selftests/host/configs/bad-*.cfg", top);
	rc = glob(pattern, 0, NULL, &g);
	T_CHECK(rc == 0 && g.gl_pathc >= 3, "configs/bad-*.cfg found");
	for (i = 0; !rc && i < g.gl_pathc; i++) {
		const char *path = g.gl_pathv[i];
		const char *base = strrchr(path, '/') + 1;
		bool have = read_expect(path, want, sizeof(want));
		int r;

		xlu_config_init(&c);
		r = xlu_config_parse_file(&c, path, err, sizeof(err));
		r = r ?: xlu_config_validate(&c, err, sizeof(err));
		T_CHECK(have && r == -1 && strstr(err, want) && one_line(err),
			"configs/%s: \"%s\"", base, err);
	}
	if (!rc)
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

/* Pieces of the syntax, so mutations reach deep into the parser. */
static const char *const fuzz_dict[] = {
	"[", "]", "\"", "'", "=", ";", "\n", "#", "\\", ",", "0x", "0", "9",
	" ", "\r", "\t", "+=", "-", "\\n", "\\q", "[]", "\"\"", "''", "\xff",
	"memory", "maxmem", "vcpus", "maxvcpus", "name", "kernel", "extra",
	"cmdline", "root", "type", "vif", "disk", "builder", "on_crash",
	"\"pv\"", "\"hvm\"", "'destroy'", "99999999999999999999", "0xffff",
	"[ 'a', 'b', ]", "\"x\\\"y\"",
};

#define FUZZ_CAP 8192

static size_t fuzz_mutate(char *buf, size_t len)
{
	size_t pos = fuzz_below(len + 1);
	size_t n, at;
	const char *tok;

	switch (fuzz_below(7)) {
	case 0:	/* flip a bit */
		if (len)
			buf[fuzz_below(len)] ^= 1 << fuzz_below(8);
		break;
	case 1:	/* any byte, NUL included */
		if (len)
			buf[fuzz_below(len)] = fuzz_rand();
		break;
	case 2:
	case 3:	/* insert a token */
		tok = fuzz_dict[fuzz_below(ARRAY_SIZE(fuzz_dict))];
		n = strlen(tok);
		if (len + n > FUZZ_CAP)
			break;
		memmove(buf + pos + n, buf + pos, len - pos);
		memcpy(buf + pos, tok, n);
		len += n;
		break;
	case 4:	/* delete a range */
		n = fuzz_below(len - pos + 1) % 32;
		memmove(buf + pos, buf + pos + n, len - pos - n);
		len -= n;
		break;
	case 5:	/* duplicate a range */
		n = fuzz_below(len - pos + 1) % 64;
		at = fuzz_below(len + 1);
		if (len + n > FUZZ_CAP)
			break;
		memmove(buf + at + n, buf + at, len - at);
		memmove(buf + at, buf + (pos <= at ? pos : pos + n), n);
		len += n;
		break;
	default: /* cut the end */
		len = pos;
		break;
	}
	return len;
}

/* Whatever a parse accepted must still be a sane config. */
static bool fuzz_sane(const struct xlu_config *c)
{
	return memchr(c->name, 0, sizeof(c->name)) &&
	       memchr(c->kernel, 0, sizeof(c->kernel)) &&
	       memchr(c->ramdisk, 0, sizeof(c->ramdisk)) &&
	       memchr(c->cmdline, 0, sizeof(c->cmdline)) &&
	       memchr(c->type, 0, sizeof(c->type)) &&
	       c->memory_mb >= 1 && c->memory_mb <= XLU_CONFIG_MAX_MEMORY_MB &&
	       c->vcpus >= 1 && c->vcpus <= XLU_CONFIG_MAX_VCPUS &&
	       c->maxvcpus >= 1 && c->maxvcpus <= XLU_CONFIG_MAX_VCPUS &&
	       (unsigned int)c->on_crash <= XLU_ACTION_SOFT_RESET &&
	       !strcmp(c->type, "pv");
}

/* One input through every entry point; returns false on a broken contract. */
static bool fuzz_one(const char *data, size_t len, unsigned long *accepted)
{
	struct xlu_config c, before;
	char e[256];
	char *exact, *str;
	int rc;

	xlu_config_init(&c);
	memcpy(&before, &c, sizeof(c));
	/* An exact-sized copy, so a read past the end trips the sanitizer. */
	exact = malloc(len ? len : 1);
	memcpy(exact, data, len);
	e[0] = '\0';
	rc = xlu_config_parse_buf(&c, exact, len, "fz", e, sizeof(e));
	free(exact);
	if (rc == -1 && (!one_line(e) || strncmp(e, "fz", 2) ||
			 memcmp(&c, &before, sizeof(c))))
		return false;
	if (rc == 0) {
		(*accepted)++;
		if (!fuzz_sane(&c))
			return false;
		xlu_config_validate(&c, e, sizeof(e));
	}
	if (rc != 0 && rc != -1)
		return false;

	str = malloc(len + 1);
	memcpy(str, data, len);
	str[len] = '\0';
	memcpy(&before, &c, sizeof(c));
	rc = xlu_config_set(&c, str, e, sizeof(e));
	free(str);
	if (rc == -1 && (!one_line(e) || memcmp(&c, &before, sizeof(c))))
		return false;
	return rc == 0 ? fuzz_sane(&c) : rc == -1;
}

static void test_fuzz(void)
{
	static char buf[FUZZ_CAP];
	const char *env = getenv("T_CONFIG_FUZZ_ITERS");
	unsigned long iters = env ? strtoul(env, NULL, 0) : 200000;
	unsigned long i, bad = 0, accepted = 0;
	size_t seed_len = strlen(full_text);
	size_t len = 0;

	for (i = 0; i < iters; i++) {
		unsigned int m, rounds = 1 + fuzz_below(8);

		/* Mostly start afresh; sometimes keep mutating the last input. */
		if (i == 0 || fuzz_below(4)) {
			memcpy(buf, full_text, seed_len);
			len = seed_len;
		}
		for (m = 0; m < rounds; m++)
			len = fuzz_mutate(buf, len);
		if (!fuzz_one(buf, len, &accepted) && bad++ < 5)
			printf("# fuzz input %lu broke a contract: %.*s\n", i,
			       (int)(len < 200 ? len : 200), buf);
	}
	T_CHECK(bad == 0, "fuzz: %lu mutated inputs, %lu accepted, no crash, %lu broken",
		iters, accepted, bad);
}

int main(void)
{
	test_defaults();
	test_full();
	test_syntax();
	test_cmdline();
	test_errors();
	test_lengths();
	test_buffers();
	test_files();
	test_validate();
	test_overrides();
	test_sample_files();
	test_fuzz();
	T_DONE();
}
