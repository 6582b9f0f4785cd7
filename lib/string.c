// SPDX-License-Identifier: MIT
/*
 * Memory and string primitives.
 *
 * The compiler turns plain loops and structure copies into calls to memcpy
 * and memset, so those two must never be written as loops it could turn back
 * into calls to themselves: they use the string instructions directly.
 */

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/string.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	asm volatile("rep movsb"
		     : "+D" (d), "+S" (src), "+c" (n)
		     : : "memory");
	return dst;
}

/*
 * Copy n bytes from the end down; the barrier keeps the compiler from
 * recognising the loop as a memmove and calling us back.  The direction
 * flag is not used for this, because an event delivered while it is set
 * would run the upcall with it still set.
 */
static void copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	while (n >= sizeof(u64)) {
		u64 w;

		n -= sizeof(u64);
		__builtin_memcpy(&w, s + n, sizeof(w));
		__builtin_memcpy(d + n, &w, sizeof(w));
		barrier();
	}
	while (n) {
		n--;
		d[n] = s[n];
		barrier();
	}
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* A forward byte copy is safe whenever the destination is below. */
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	copy_backward(d, s, n);
	return dst;
}

void *memset(void *s, int c, size_t n)
{
	void *d = s;

	asm volatile("rep stosb"
		     : "+D" (d), "+c" (n)
		     : "a" (c)
		     : "memory");
	return s;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] != q[i])
			return p[i] < q[i] ? -1 : 1;
	}
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}

/* Compare as unsigned char, as C does, so bytes >= 0x80 sort after ASCII. */
int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p < *q ? -1 : 1;
		if (!*p)
			break;
	}
	return 0;
}

/* Like C's, searching for '\0' finds the terminator. */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack; haystack++) {
		if (!strncmp(haystack, needle, n))
			return (char *)haystack;
	}
	return n ? NULL : (char *)haystack;
}

/*
 * Copy src into dst of size bytes, always NUL-terminated when size > 0.
 * Returns the length copied, or -E2BIG if src did not fit (dst then holds
 * the first size - 1 bytes of it).
 */
ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t i;

	if (!size)
		return -E2BIG;
	for (i = 0; i < size - 1 && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
	return src[i] ? -E2BIG : (ssize_t)i;
}
