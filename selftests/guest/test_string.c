// SPDX-License-Identifier: MIT
/*
 * In-guest test of lib/string.c and lib/kstrtox.c.  The memory primitives
 * are checked at every small length and alignment, since the compiler calls
 * them for structure copies everywhere and an off-by-one there corrupts
 * memory far from its cause; the parsers are checked on the inputs that
 * xenstore and the command line hand the kernel.
 */

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/selftest.h>

#define BUF_LEN	96

static unsigned char a[BUF_LEN], b[BUF_LEN];

/* A pattern with no repeats over a buffer, so a misplaced byte shows. */
static void fill(unsigned char *p, unsigned int seed)
{
	int i;

	for (i = 0; i < BUF_LEN; i++)
		p[i] = (unsigned char)(i * 7 + seed * 13 + 1);
}

/* The reference: a byte at a time through a copy, so overlap cannot matter. */
static void ref_move(unsigned char *buf, int dst, int src, int n)
{
	unsigned char tmp[BUF_LEN];
	int i;

	for (i = 0; i < n; i++)
		tmp[i] = buf[src + i];
	for (i = 0; i < n; i++)
		buf[dst + i] = tmp[i];
}

static bool same(const unsigned char *p, const unsigned char *q)
{
	int i;

	for (i = 0; i < BUF_LEN; i++) {
		if (p[i] != q[i])
			return false;
	}
	return true;
}

/* Every source and destination offset and length up to 40, overlapping. */
static bool check_memmove_all(void)
{
	int src, dst, n;

	for (n = 0; n <= 40; n++) {
		for (src = 0; src + n <= 48; src += 3) {
			for (dst = 0; dst + n <= 48; dst++) {
				fill(a, n);
				fill(b, n);
				if (memmove(a + dst, a + src, n) != a + dst)
					return false;
				ref_move(b, dst, src, n);
				if (!same(a, b))
					return false;
			}
		}
	}
	return true;
}

/* memcpy and memset at each length and alignment, and nothing outside. */
static bool check_memcpy_memset_all(void)
{
	int off, n, i;

	for (n = 0; n <= 40; n++) {
		for (off = 0; off < 16; off++) {
			fill(a, 1);
			fill(b, 2);
			if (memcpy(a + off, b + 50, n) != a + off)
				return false;
			for (i = 0; i < BUF_LEN; i++) {
				bool inside = i >= off && i < off + n;
				unsigned char want;

				want = inside ? b[50 + i - off] : (unsigned char)(i * 7 + 14);
				if (a[i] != want)
					return false;
			}
			if (memset(a + off, 0x1a5, n) != a + off)
				return false;
			for (i = off; i < off + n; i++) {
				if (a[i] != 0xa5)
					return false;
			}
			if (off && a[off - 1] != (unsigned char)((off - 1) * 7 + 14))
				return false;
			if (a[off + n] != (unsigned char)((off + n) * 7 + 14))
				return false;
		}
	}
	return true;
}

static void test_memory(void)
{
	static const unsigned char lo[] = { 1, 2, 3 }, hi[] = { 1, 2, 0x80 };

	ST_CHECK(check_memmove_all());
	ST_CHECK(check_memcpy_memset_all());

	ST_CHECK(memcmp("abc", "abc", 3) == 0);
	ST_CHECK(memcmp("abc", "abd", 3) < 0);
	ST_CHECK(memcmp("abd", "abc", 3) > 0);
	ST_CHECK(memcmp("abc", "xyz", 0) == 0);
	/* Bytes compare as unsigned char. */
	ST_CHECK(memcmp(lo, hi, 3) < 0);
	ST_CHECK(memcmp(hi, lo, 3) > 0);
}

static void test_strings(void)
{
	static const char s[] = "tern kernel";
	char high[] = { 'a', (char)0xe9, 0 };

	ST_CHECK(strlen("") == 0);
	ST_CHECK(strlen(s) == 11);
	ST_CHECK(strnlen(s, 4) == 4);
	ST_CHECK(strnlen(s, 100) == 11);
	ST_CHECK(strnlen(s, 0) == 0);

	ST_CHECK(strcmp("abc", "abc") == 0);
	ST_CHECK(strcmp("abc", "abd") < 0);
	ST_CHECK(strcmp("ab", "abc") < 0);
	ST_CHECK(strcmp("abc", "ab") > 0);
	ST_CHECK(strcmp("", "") == 0);
	ST_CHECK(strcmp(high, "az") > 0);
	ST_CHECK(strncmp("abcX", "abcY", 3) == 0);
	ST_CHECK(strncmp("abcX", "abcY", 4) < 0);
	ST_CHECK(strncmp("ab", "ab\0z", 10) == 0);
	ST_CHECK(strncmp("a", "b", 0) == 0);

	ST_CHECK(strchr(s, 't') == s);
	ST_CHECK(strchr(s, 'k') == s + 5);
	ST_CHECK(strchr(s, 'z') == NULL);
	ST_CHECK(strchr(s, '\0') == s + 11);
	ST_CHECK(strchr(high, 0xe9) == high + 1);

	ST_CHECK(strstr(s, "kernel") == s + 5);
	ST_CHECK(strstr(s, "ern") == s + 1);
	ST_CHECK(strstr(s, "") == s);
	ST_CHECK(strstr(s, "kernels") == NULL);
	ST_CHECK(strstr("", "a") == NULL);
	ST_CHECK(strstr(s + 11, "") == s + 11);
	ST_CHECK(strstr("aaab", "aab") != NULL);
}

static void test_strscpy(void)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	ST_CHECK(strscpy(buf, "abc", sizeof(buf)) == 3);
	ST_CHECK(!memcmp(buf, "abc\0xxxx", 8));

	ST_CHECK(strscpy(buf, "1234567", sizeof(buf)) == 7);
	ST_CHECK(!strcmp(buf, "1234567"));

	memset(buf, 'x', sizeof(buf));
	ST_CHECK(strscpy(buf, "12345678", sizeof(buf)) == -E2BIG);
	ST_CHECK(!strcmp(buf, "1234567"));

	memset(buf, 'x', sizeof(buf));
	ST_CHECK(strscpy(buf, "hello", 3) == -E2BIG);
	ST_CHECK(!memcmp(buf, "he\0x", 4));

	ST_CHECK(strscpy(buf, "hello", 1) == -E2BIG && buf[0] == '\0');
	ST_CHECK(strscpy(buf, "", 1) == 0 && buf[0] == '\0');

	memset(buf, 'x', sizeof(buf));
	ST_CHECK(strscpy(buf, "hello", 0) == -E2BIG && buf[0] == 'x');
}

/* Parse s and check both the result code and, on success, the value. */
static bool ull_is(const char *s, unsigned int base, int ret,
		   unsigned long long want)
{
	unsigned long long v = 0x5a5a5a5a;
	int r = kstrtoull(s, base, &v);

	if (r != ret)
		return false;
	return r ? v == 0x5a5a5a5a : v == want;
}

static void test_kstrtoull(void)
{
	ST_CHECK(ull_is("0", 0, 0, 0));
	ST_CHECK(ull_is("123", 0, 0, 123));
	ST_CHECK(ull_is("123\n", 10, 0, 123));
	ST_CHECK(ull_is("+7", 10, 0, 7));
	ST_CHECK(ull_is("0x1F", 0, 0, 31));
	ST_CHECK(ull_is("0X1f", 0, 0, 31));
	ST_CHECK(ull_is("0x1f", 16, 0, 31));
	ST_CHECK(ull_is("1f", 16, 0, 31));
	ST_CHECK(ull_is("017", 0, 0, 15));
	ST_CHECK(ull_is("017", 10, 0, 17));
	ST_CHECK(ull_is("101", 2, 0, 5));
	ST_CHECK(ull_is("zz", 36, 0, 36 * 36 - 1));
	ST_CHECK(ull_is("18446744073709551615", 0, 0, ~0ULL));
	ST_CHECK(ull_is("0xffffffffffffffff", 0, 0, ~0ULL));
	ST_CHECK(ull_is("1777777777777777777777", 8, 0, ~0ULL));

	ST_CHECK(ull_is("18446744073709551616", 0, -ERANGE, 0));
	ST_CHECK(ull_is("0x10000000000000000", 0, -ERANGE, 0));
	ST_CHECK(ull_is("99999999999999999999999", 10, -ERANGE, 0));

	ST_CHECK(ull_is("", 0, -EINVAL, 0));
	ST_CHECK(ull_is("\n", 0, -EINVAL, 0));
	ST_CHECK(ull_is("-1", 0, -EINVAL, 0));
	ST_CHECK(ull_is(" 1", 0, -EINVAL, 0));
	ST_CHECK(ull_is("1 ", 0, -EINVAL, 0));
	ST_CHECK(ull_is("12a", 10, -EINVAL, 0));
	ST_CHECK(ull_is("1\n\n", 10, -EINVAL, 0));
	ST_CHECK(ull_is("0x", 0, -EINVAL, 0));
	ST_CHECK(ull_is("0xg", 16, -EINVAL, 0));
	ST_CHECK(ull_is("08", 0, -EINVAL, 0));
	ST_CHECK(ull_is("2", 2, -EINVAL, 0));
	ST_CHECK(ull_is("+", 10, -EINVAL, 0));
	ST_CHECK(ull_is("1", 1, -EINVAL, 0));
	ST_CHECK(ull_is("1", 37, -EINVAL, 0));
}

/* Parse s as a bool; ret -1 means "must be rejected". */
static bool bool_is(const char *s, int want)
{
	bool v = want != 1;
	int r = kstrtobool(s, &v);

	if (want < 0)
		return r == -EINVAL;
	return r == 0 && v == want;
}

static void test_kstrtobool(void)
{
	ST_CHECK(bool_is("y", 1));
	ST_CHECK(bool_is("Y", 1));
	ST_CHECK(bool_is("1", 1));
	ST_CHECK(bool_is("on", 1));
	ST_CHECK(bool_is("ON", 1));
	ST_CHECK(bool_is("yes", 1));
	ST_CHECK(bool_is("y\n", 1));
	ST_CHECK(bool_is("n", 0));
	ST_CHECK(bool_is("N", 0));
	ST_CHECK(bool_is("0", 0));
	ST_CHECK(bool_is("off", 0));
	ST_CHECK(bool_is("Off\n", 0));
	ST_CHECK(bool_is("no", 0));
	ST_CHECK(bool_is("", -1));
	ST_CHECK(bool_is("o", -1));
	ST_CHECK(bool_is("2", -1));
	ST_CHECK(bool_is("yy", -1));
	ST_CHECK(bool_is(" y", -1));
	ST_CHECK(bool_is("offf", -1));
}

static void test_kstrtouint_range(void)
{
	unsigned int v = 7;

	ST_CHECK(kstrtouint_range("5", 1, 10, &v) == 0 && v == 5);
	ST_CHECK(kstrtouint_range("1", 1, 10, &v) == 0 && v == 1);
	ST_CHECK(kstrtouint_range("10", 1, 10, &v) == 0 && v == 10);
	v = 7;
	ST_CHECK(kstrtouint_range("0", 1, 10, &v) == -EINVAL && v == 7);
	ST_CHECK(kstrtouint_range("11", 1, 10, &v) == -EINVAL && v == 7);
	ST_CHECK(kstrtouint_range("x", 1, 10, &v) == -EINVAL && v == 7);
	ST_CHECK(kstrtouint_range("", 1, 10, &v) == -EINVAL && v == 7);
	ST_CHECK(kstrtouint_range(NULL, 1, 10, &v) == -EINVAL && v == 7);
	ST_CHECK(kstrtouint_range("4294967296", 0, ~0U, &v) == -EINVAL && v == 7);
}

static enum selftest_result test_string_run(void)
{
	test_memory();
	test_strings();
	test_strscpy();
	test_kstrtoull();
	test_kstrtobool();
	test_kstrtouint_range();
	return selftest_status();
}

DEFINE_SELFTEST(string, test_string_run);
