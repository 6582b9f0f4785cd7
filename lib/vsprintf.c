// SPDX-License-Identifier: MIT
/*
 * Formatted output into a bounded buffer.
 *
 * The C conversions a kernel needs (d i u x X o c s p %) with their flags,
 * field width, precision and length modifiers, as C defines them.  There is
 * no floating point (the kernel has no FPU state of its own) and no %n (a
 * format string should never be able to write memory).  %p always prints
 * 0x and all 16 hex digits, so that addresses line up in logs.
 */

#include <linux/kernel.h>
#include <linux/string.h>

#define F_LEFT		0x01	/* '-': pad on the right */
#define F_PLUS		0x02	/* '+': always print a sign */
#define F_SPACE		0x04	/* ' ': a space where '+' would be */
#define F_ALT		0x08	/* '#': 0x prefix, leading octal 0 */
#define F_ZERO		0x10	/* '0': pad with zeros after sign/prefix */
#define F_UPPER		0x20	/* %X */

enum length_mod {
	LEN_NONE,
	LEN_HH,
	LEN_H,
	LEN_L,
	LEN_LL,
	LEN_Z,
	LEN_T,
	LEN_J,
};

struct fmt_spec {
	unsigned int flags;
	int width;
	int prec;		/* -1: none given */
	enum length_mod len;
	unsigned int base;
};

/*
 * Where output goes.  pos counts everything that would have been written,
 * so the C return value falls out even when the buffer is too small.
 */
struct sink {
	char *buf;
	size_t size;
	size_t pos;
};

static void put_char(struct sink *s, char c)
{
	if (s->pos < s->size)
		s->buf[s->pos] = c;
	s->pos++;
}

/* Only the part that fits is stored, so a huge width costs no time. */
static void put_repeat(struct sink *s, char c, size_t n)
{
	if (s->pos < s->size)
		memset(s->buf + s->pos, c, min(n, s->size - s->pos));
	s->pos += n;
}

static void put_mem(struct sink *s, const char *p, size_t n)
{
	if (s->pos < s->size)
		memcpy(s->buf + s->pos, p, min(n, s->size - s->pos));
	s->pos += n;
}

/* Text of n bytes padded to the field width; the caller applied precision. */
static void put_field(struct sink *s, const struct fmt_spec *sp,
		      const char *p, size_t n)
{
	size_t pad = sp->width > n ? sp->width - n : 0;

	if (!(sp->flags & F_LEFT))
		put_repeat(s, ' ', pad);
	put_mem(s, p, n);
	if (sp->flags & F_LEFT)
		put_repeat(s, ' ', pad);
}

/* Digits of v, least significant first; returns how many. */
static int to_digits(char *out, unsigned long long v, unsigned int base,
		     bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		out[n++] = digits[v % base];
		v /= base;
	} while (v);
	return n;
}

/* An integer conversion: sign or prefix, precision zeros, width padding. */
static void put_number(struct sink *s, const struct fmt_spec *sp,
		       unsigned long long v, char sign)
{
	char digits[24];	/* 22 octal digits are enough for 64 bits */
	char prefix[2];
	int nd = 0, npre = 0, zeros, pad, body;

	/* C: the value zero with precision zero prints no digits. */
	if (v || sp->prec)
		nd = to_digits(digits, v, sp->base, sp->flags & F_UPPER);
	zeros = sp->prec > nd ? sp->prec - nd : 0;
	/* '#' with %o makes the first digit a 0, adding one only if needed. */
	if ((sp->flags & F_ALT) && sp->base == 8 && !zeros && (v || !nd))
		zeros = 1;

	if (sign)
		prefix[npre++] = sign;
	if ((sp->flags & F_ALT) && sp->base == 16 && v) {
		prefix[npre++] = '0';
		prefix[npre++] = (sp->flags & F_UPPER) ? 'X' : 'x';
	}

	body = npre + zeros + nd;
	pad = sp->width > body ? sp->width - body : 0;
	if (sp->flags & F_ZERO) {
		zeros += pad;
		pad = 0;
	}
	if (!(sp->flags & F_LEFT))
		put_repeat(s, ' ', pad);
	put_mem(s, prefix, npre);
	put_repeat(s, '0', zeros);
	while (nd)
		put_char(s, digits[--nd]);
	if (sp->flags & F_LEFT)
		put_repeat(s, ' ', pad);
}

/* Read a decimal field, saturating rather than overflowing. */
static int parse_decimal(const char **fmt)
{
	const char *p = *fmt;
	int v = 0;

	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (__INT_MAX__ - 9) / 10)
			v = __INT_MAX__;
		else
			v = v * 10 + (*p - '0');
	}
	*fmt = p;
	return v;
}

static const char *parse_flags(const char *p, struct fmt_spec *sp)
{
	for (;; p++) {
		switch (*p) {
		case '-':
			sp->flags |= F_LEFT;
			break;
		case '+':
			sp->flags |= F_PLUS;
			break;
		case ' ':
			sp->flags |= F_SPACE;
			break;
		case '#':
			sp->flags |= F_ALT;
			break;
		case '0':
			sp->flags |= F_ZERO;
			break;
		default:
			return p;
		}
	}
}

static const char *parse_length(const char *p, struct fmt_spec *sp)
{
	switch (*p) {
	case 'h':
		if (p[1] == 'h') {
			sp->len = LEN_HH;
			return p + 2;
		}
		sp->len = LEN_H;
		return p + 1;
	case 'l':
		if (p[1] == 'l') {
			sp->len = LEN_LL;
			return p + 2;
		}
		sp->len = LEN_L;
		return p + 1;
	case 'z':
		sp->len = LEN_Z;
		return p + 1;
	case 't':
		sp->len = LEN_T;
		return p + 1;
	case 'j':
		sp->len = LEN_J;
		return p + 1;
	default:
		sp->len = LEN_NONE;
		return p;
	}
}

/*
 * Parse what follows a '%' up to the conversion character, which it
 * returns a pointer to; '*' widths and precisions are taken from ap.
 */
static const char *parse_spec(const char *p, struct fmt_spec *sp, va_list *ap)
{
	sp->flags = 0;
	sp->width = 0;
	sp->prec = -1;
	p = parse_flags(p, sp);

	if (*p == '*') {
		int w = va_arg(*ap, int);

		/* C: a negative '*' width is a '-' flag and a positive width. */
		if (w < 0) {
			sp->flags |= F_LEFT;
			w = w == -__INT_MAX__ - 1 ? __INT_MAX__ : -w;
		}
		sp->width = w;
		p++;
	} else {
		sp->width = parse_decimal(&p);
	}

	if (*p == '.') {
		p++;
		if (*p == '*') {
			sp->prec = va_arg(*ap, int);
			/* C: a negative '*' precision is as if none were given. */
			if (sp->prec < 0)
				sp->prec = -1;
			p++;
		} else {
			sp->prec = parse_decimal(&p);
		}
	}

	/* C's precedence among the flags. */
	if (sp->flags & F_LEFT)
		sp->flags &= ~F_ZERO;
	if (sp->flags & F_PLUS)
		sp->flags &= ~F_SPACE;
	return parse_length(p, sp);
}

static long long fetch_signed(enum length_mod len, va_list *ap)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
		return va_arg(*ap, ssize_t);
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static unsigned long long fetch_unsigned(enum length_mod len, va_list *ap)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	case LEN_T:
		return (unsigned long)va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static void put_signed(struct sink *s, struct fmt_spec *sp, va_list *ap)
{
	long long v = fetch_signed(sp->len, ap);
	char sign = 0;

	if (v < 0)
		sign = '-';
	else if (sp->flags & F_PLUS)
		sign = '+';
	else if (sp->flags & F_SPACE)
		sign = ' ';
	sp->base = 10;
	/* Negate in unsigned arithmetic so that LLONG_MIN survives. */
	put_number(s, sp, v < 0 ? -(unsigned long long)v : (unsigned long long)v,
		   sign);
}

static void put_string(struct sink *s, const struct fmt_spec *sp,
		       const char *str)
{
	if (!str)
		str = "(null)";
	put_field(s, sp, str, sp->prec < 0 ? strlen(str) : strnlen(str, sp->prec));
}

static void put_pointer(struct sink *s, const struct fmt_spec *sp,
			const void *ptr)
{
	unsigned long v = (unsigned long)ptr;
	char text[2 + 2 * sizeof(v)];
	int i;

	text[0] = '0';
	text[1] = 'x';
	for (i = sizeof(text) - 1; i >= 2; i--, v >>= 4)
		text[i] = "0123456789abcdef"[v & 0xf];
	put_field(s, sp, text, sizeof(text));
}

/* One conversion; returns false if c is not one we know. */
static bool put_conversion(struct sink *s, struct fmt_spec *sp, char c,
			   va_list *ap)
{
	char ch;

	/* C: for integers a precision disables the '0' flag. */
	if (sp->prec >= 0)
		sp->flags &= ~F_ZERO;

	switch (c) {
	case 'd':
	case 'i':
		put_signed(s, sp, ap);
		return true;
	case 'X':
		sp->flags |= F_UPPER;
		/* fall through */
	case 'x':
		sp->base = 16;
		break;
	case 'o':
		sp->base = 8;
		break;
	case 'u':
		sp->base = 10;
		break;
	case 'c':
		ch = (char)va_arg(*ap, int);
		put_field(s, sp, &ch, 1);
		return true;
	case 's':
		put_string(s, sp, va_arg(*ap, const char *));
		return true;
	case 'p':
		put_pointer(s, sp, va_arg(*ap, const void *));
		return true;
	case '%':
		put_char(s, '%');
		return true;
	default:
		return false;
	}
	put_number(s, sp, fetch_unsigned(sp->len, ap), 0);
	return true;
}

/*
 * Format into buf, storing at most size bytes including the terminating
 * NUL (always written when size > 0).  Returns the length the whole output
 * would have had, as C's vsnprintf does.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { .buf = buf, .size = size, .pos = 0 };
	struct fmt_spec sp;
	const char *start, *conv;
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			start = fmt;
			while (*fmt && *fmt != '%')
				fmt++;
			put_mem(&s, start, fmt - start);
			continue;
		}
		/*
		 * A format cut short, an unknown conversion or %n is printed
		 * as written, so the mistake shows in the output.
		 */
		start = fmt;
		conv = parse_spec(fmt + 1, &sp, &args);
		if (!*conv) {
			put_mem(&s, start, conv - start);
			break;
		}
		if (!put_conversion(&s, &sp, *conv, &args))
			put_mem(&s, start, conv + 1 - start);
		fmt = conv + 1;
	}
	va_end(args);

	if (size)
		buf[min(s.pos, size - 1)] = '\0';
	return s.pos > __INT_MAX__ ? __INT_MAX__ : (int)s.pos;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* Like vsnprintf, but returns what was stored, not counting the NUL. */
int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, size, fmt, ap);

	if (n < size)
		return n;
	return size ? size - 1 : 0;
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
