// SPDX-License-Identifier: MIT
/*
 * Strict string-to-number conversion for command lines, xenstore values and
 * other text the kernel is handed.  Unlike C's strtoull these reject
 * anything that is not entirely a number (one trailing newline aside, since
 * values written with echo end in one) and report overflow as an error
 * instead of clamping.
 */

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>

static char to_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* The value of a digit in bases up to 36, or 36 if c is not a digit. */
static unsigned int digit_value(char c)
{
	c = to_lower(c);
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	return 36;
}

/* Pick the base from a 0x or 0 prefix for base 0, and allow 0x in base 16. */
static const char *skip_base_prefix(const char *s, unsigned int *base)
{
	if ((*base == 0 || *base == 16) && s[0] == '0' &&
	    to_lower(s[1]) == 'x' && digit_value(s[2]) < 16) {
		*base = 16;
		return s + 2;
	}
	if (*base == 0)
		*base = s[0] == '0' ? 8 : 10;
	return s;
}

/*
 * Parse s as an unsigned number in base (0 picks 16, 8 or 10 from a 0x, 0
 * or no prefix).  Returns 0 and sets *res, -ERANGE if it does not fit, or
 * -EINVAL if s is not a number; *res is left alone on error.
 */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long v = 0;
	bool overflow = false;
	const char *digits;
	unsigned int d;

	if (base == 1 || base > 36)
		return -EINVAL;
	if (*s == '+')
		s++;
	s = skip_base_prefix(s, &base);

	for (digits = s; (d = digit_value(*s)) < base; s++) {
		if (v > (~0ULL - d) / base)
			overflow = true;
		v = v * base + d;
	}
	if (s == digits)
		return -EINVAL;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	if (overflow)
		return -ERANGE;
	*res = v;
	return 0;
}

/* Does s spell word, ignoring case, with at most one trailing newline? */
static bool word_is(const char *s, const char *word)
{
	for (; *word; s++, word++) {
		if (to_lower(*s) != *word)
			return false;
	}
	return !*s || (s[0] == '\n' && !s[1]);
}

/*
 * Parse a yes/no value as written on command lines and in xenstore:
 * y, yes, 1, on are true; n, no, 0, off are false (any case).
 */
int kstrtouint_range(const char *s, unsigned int min, unsigned int max,
		     unsigned int *res)
{
	unsigned long long v;

	if (!s || kstrtoull(s, 10, &v) || v < min || v > max)
		return -EINVAL;
	*res = v;
	return 0;
}

int kstrtobool(const char *s, bool *res)
{
	static const struct {
		const char *word;
		bool value;
	} words[] = {
		{ "y", true }, { "yes", true }, { "1", true }, { "on", true },
		{ "n", false }, { "no", false }, { "0", false }, { "off", false },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(words); i++) {
		if (word_is(s, words[i].word)) {
			*res = words[i].value;
			return 0;
		}
	}
	return -EINVAL;
}
