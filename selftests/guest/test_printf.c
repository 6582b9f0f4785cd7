// SPDX-License-Identifier: MIT
/*
 * In-guest test of lib/vsprintf.c: every conversion, flag, width, precision
 * and length modifier against the output C specifies, plus the buffer
 * contract (truncation, termination, return values) that callers rely on
 * when they format into fixed-size buffers.
 */

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/selftest.h>

/* The kernel has no <limits.h>; these are the C values on x86-64. */
#define T_INT_MAX	__INT_MAX__
#define T_INT_MIN	(-__INT_MAX__ - 1)
#define T_UINT_MAX	(2U * __INT_MAX__ + 1U)
#define T_LONG_MAX	__LONG_MAX__
#define T_LONG_MIN	(-__LONG_MAX__ - 1L)
#define T_ULLONG_MAX	(~0ULL)
#define T_LLONG_MIN	(-__LONG_LONG_MAX__ - 1LL)

static char out[256];

/*
 * Format into a large buffer and check both the text and the return value;
 * on a mismatch print what came out, which the failing expression alone
 * would not show.
 */
static bool __printf(2, 3) fmt_is(const char *want, const char *fmt, ...)
{
	va_list ap;
	int n;

	memset(out, 0x5a, sizeof(out));
	va_start(ap, fmt);
	n = vsnprintf(out, sizeof(out), fmt, ap);
	va_end(ap);
	if (n == strlen(want) && !strcmp(out, want))
		return true;
	printk("printf: \"%s\" gave \"%s\" (%d), expected \"%s\" (%d)\n",
	       fmt, out, n, want, (int)strlen(want));
	return false;
}

#define CHECK_FMT(want, fmt, ...) ST_CHECK(fmt_is(want, fmt, ##__VA_ARGS__))

/* The same, for formats the compiler's format check would rightly query. */
static bool fmt_is_raw(const char *want, const char *fmt, int arg)
{
	return fmt_is(want, fmt, arg);
}

static void test_integers(void)
{
	CHECK_FMT("0", "%d", 0);
	CHECK_FMT("42", "%d", 42);
	CHECK_FMT("-42", "%i", -42);
	CHECK_FMT("2147483647", "%d", T_INT_MAX);
	CHECK_FMT("-2147483648", "%d", T_INT_MIN);
	CHECK_FMT("4294967295", "%u", T_UINT_MAX);
	CHECK_FMT("4294967295", "%u", -1);
	CHECK_FMT("deadbeef", "%x", 0xdeadbeefU);
	CHECK_FMT("DEADBEEF", "%X", 0xdeadbeefU);
	CHECK_FMT("17", "%o", 15);
	CHECK_FMT("37777777777", "%o", T_UINT_MAX);
	CHECK_FMT("ffffffff", "%x", -1);
}

static void test_lengths(void)
{
	CHECK_FMT("-1", "%hhd", 255);
	CHECK_FMT("-128", "%hhd", 128);
	CHECK_FMT("0", "%hhu", 256);
	CHECK_FMT("ff", "%hhx", -1);
	CHECK_FMT("-32768", "%hd", 32768);
	CHECK_FMT("65535", "%hu", -1);
	CHECK_FMT("1234", "%hx", 0x51234);
	CHECK_FMT("9223372036854775807", "%ld", T_LONG_MAX);
	CHECK_FMT("-9223372036854775808", "%ld", T_LONG_MIN);
	CHECK_FMT("-9223372036854775808", "%lld", T_LLONG_MIN);
	CHECK_FMT("18446744073709551615", "%llu", T_ULLONG_MAX);
	CHECK_FMT("ffffffffffffffff", "%llx", T_ULLONG_MAX);
	CHECK_FMT("1777777777777777777777", "%llo", T_ULLONG_MAX);
	CHECK_FMT("123456789abcdef0", "%lx", 0x123456789abcdef0UL);
	CHECK_FMT("100000000", "%lx", 0x100000000UL);
	CHECK_FMT("18446744073709551615", "%zu", (size_t)-1);
	CHECK_FMT("-5", "%zd", (ssize_t)-5);
	CHECK_FMT("-7", "%td", (ptrdiff_t)-7);
	CHECK_FMT("-9223372036854775808", "%jd", (intmax_t)T_LLONG_MIN);
	CHECK_FMT("18446744073709551615", "%ju", (uintmax_t)T_ULLONG_MAX);
	CHECK_FMT("FFFFFFFFFFFFFFFF", "%jX", (uintmax_t)-1);
}

static void test_flags(void)
{
	CHECK_FMT("+5", "%+d", 5);
	CHECK_FMT("-5", "%+d", -5);
	CHECK_FMT("+0", "%+d", 0);
	CHECK_FMT(" 5", "% d", 5);
	CHECK_FMT("-5", "% d", -5);
	CHECK_FMT("0x1f", "%#x", 31);
	CHECK_FMT("0X1F", "%#X", 31);
	CHECK_FMT("0", "%#x", 0);
	CHECK_FMT("017", "%#o", 15);
	CHECK_FMT("0", "%#o", 0);
	CHECK_FMT("00042", "%05d", 42);
	CHECK_FMT("-0042", "%05d", -42);
	CHECK_FMT("+0042", "%+05d", 42);
	CHECK_FMT(" 0042", "% 05d", 42);
	CHECK_FMT("0x001f", "%#06x", 31);
	CHECK_FMT("42   |", "%-5d|", 42);
	CHECK_FMT("-42  |", "%-5d|", -42);
	/* '-' beats '0' and '+' beats ' ', as C says. */
	ST_CHECK(fmt_is_raw("42   |", "%-05d|", 42));
	ST_CHECK(fmt_is_raw("+42", "%+ d", 42));
}

static void test_width_precision(void)
{
	CHECK_FMT("   42", "%5d", 42);
	CHECK_FMT("  -42", "%5d", -42);
	CHECK_FMT("123456", "%3d", 123456);
	CHECK_FMT("00042", "%.5d", 42);
	CHECK_FMT("-00042", "%.5d", -42);
	CHECK_FMT("  00042", "%7.5d", 42);
	ST_CHECK(fmt_is_raw("  00042", "%07.5d", 42));
	ST_CHECK(fmt_is_raw("    7", "%05.0d", 7));
	ST_CHECK(fmt_is_raw("     ", "%05.0d", 0));
	CHECK_FMT("", "%.0d", 0);
	CHECK_FMT("     ", "%5.0d", 0);
	CHECK_FMT("+", "%+.0d", 0);
	CHECK_FMT("", "%.0x", 0);
	CHECK_FMT("0", "%#.0o", 0);
	CHECK_FMT("0x0001f", "%#.5x", 31);
	CHECK_FMT("00017", "%#.5o", 15);
	CHECK_FMT("   42", "%*d", 5, 42);
	CHECK_FMT("42   |", "%*d|", -5, 42);
	CHECK_FMT("00042", "%.*d", 5, 42);
	CHECK_FMT("42", "%.*d", -3, 42);
	CHECK_FMT("   00042", "%*.*d", 8, 5, 42);
	CHECK_FMT("0000000000000000000000000000001", "%.31d", 1);
}

static void test_chars_strings(void)
{
	const char *volatile null_str = NULL;

	CHECK_FMT("a", "%c", 'a');
	CHECK_FMT("    a", "%5c", 'a');
	CHECK_FMT("a    |", "%-5c|", 'a');
	CHECK_FMT("A", "%c", 0x141);
	CHECK_FMT("hello", "%s", "hello");
	CHECK_FMT("", "%s", "");
	CHECK_FMT("   hi", "%5s", "hi");
	CHECK_FMT("hi   |", "%-5s|", "hi");
	CHECK_FMT("hel", "%.3s", "hello");
	CHECK_FMT("", "%.0s", "hello");
	CHECK_FMT("  hel", "%5.3s", "hello");
	CHECK_FMT("he", "%.*s", 2, "hello");
	CHECK_FMT("hello", "%.*s", -1, "hello");
	CHECK_FMT("hello", "%.10s", "hello");
	CHECK_FMT("(null)", "%s", null_str);
	CHECK_FMT("  (null)", "%8s", null_str);
	CHECK_FMT("100%", "%d%%", 100);
	CHECK_FMT("%", "%%");
	CHECK_FMT("a1b-2c", "a%db%dc", 1, -2);
}

static void test_pointers(void)
{
	CHECK_FMT("0x0000000000000000", "%p", NULL);
	CHECK_FMT("0x0000100000001000", "%p", (void *)0x100000001000UL);
	CHECK_FMT("0xffffffffffffffff", "%p", (void *)~0UL);
	CHECK_FMT("  0x00000000deadbeef", "%20p", (void *)0xdeadbeefUL);
	CHECK_FMT("0x00000000deadbeef  |", "%-20p|", (void *)0xdeadbeefUL);
}

/* Formats that are not C: printed as written, never consuming memory. */
static void test_unknown(void)
{
	ST_CHECK(fmt_is_raw("%y", "%y", 0));
	ST_CHECK(fmt_is_raw("%n", "%n", 0));
	ST_CHECK(fmt_is_raw("%-5", "%-5", 0));
	ST_CHECK(fmt_is_raw("ok%", "ok%", 0));
}

/* The buffer contract: C's return value, NUL always, nothing past size. */
static void test_truncation(void)
{
	char buf[16];

	memset(buf, 'x', sizeof(buf));
	ST_CHECK(snprintf(buf, 6, "%s", "hello world") == 11);
	ST_CHECK(!memcmp(buf, "hello\0xxx", 9));

	memset(buf, 'x', sizeof(buf));
	ST_CHECK(snprintf(buf, 1, "%d", 12345) == 5);
	ST_CHECK(buf[0] == '\0' && buf[1] == 'x');

	memset(buf, 'x', sizeof(buf));
	ST_CHECK(snprintf(buf, 0, "%d", 12345) == 5);
	ST_CHECK(buf[0] == 'x');
	ST_CHECK(snprintf(NULL, 0, "%llu", T_ULLONG_MAX) == 20);

	memset(buf, 'x', sizeof(buf));
	ST_CHECK(snprintf(buf, 4, "%5d", 7) == 5);
	ST_CHECK(!memcmp(buf, "   \0x", 5));

	memset(buf, 'x', sizeof(buf));
	ST_CHECK(snprintf(buf, 6, "%-8s|", "ab") == 9);
	ST_CHECK(!memcmp(buf, "ab   \0x", 7));

	ST_CHECK(snprintf(buf, sizeof(buf), "%d", 123) == 3);
	ST_CHECK(!strcmp(buf, "123"));
	ST_CHECK(snprintf(buf, 4, "%d", 123) == 3);
	ST_CHECK(!strcmp(buf, "123"));

	/* A width far beyond the buffer must count, not write. */
	memset(buf, 'x', sizeof(buf));
	ST_CHECK(snprintf(buf, 8, "%100000d", 1) == 100000);
	ST_CHECK(!memcmp(buf, "       \0x", 9));

	ST_CHECK(scnprintf(buf, 6, "%s", "hello world") == 5);
	ST_CHECK(!strcmp(buf, "hello"));
	ST_CHECK(scnprintf(buf, sizeof(buf), "%s", "hi") == 2);
	ST_CHECK(scnprintf(buf, 3, "%s", "hi") == 2);
	ST_CHECK(scnprintf(buf, 2, "%s", "hi") == 1);
	ST_CHECK(scnprintf(buf, 1, "%s", "hi") == 0 && buf[0] == '\0');
	ST_CHECK(scnprintf(NULL, 0, "%s", "hi") == 0);
}

/* vscnprintf as a caller appending to a log line uses it. */
static int __printf(3, 4) append(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void test_append(void)
{
	char line[12];
	int len = 0;

	len += append(line + len, sizeof(line) - len, "cpu%d ", 3);
	len += append(line + len, sizeof(line) - len, "mfn %#lx", 0xabcdefUL);
	len += append(line + len, sizeof(line) - len, "!");
	ST_CHECK(len == sizeof(line) - 1);
	ST_CHECK(!strcmp(line, "cpu3 mfn 0x"));
}

static enum selftest_result test_printf_run(void)
{
	test_integers();
	test_lengths();
	test_flags();
	test_width_precision();
	test_chars_strings();
	test_pointers();
	test_unknown();
	test_truncation();
	test_append();
	return selftest_status();
}

DEFINE_SELFTEST(printf, test_printf_run);
