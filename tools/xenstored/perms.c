// SPDX-License-Identifier: MIT
/*
 * Node permissions, as Xen defines them.
 *
 * A node carries a list of "<letter><domid>" entries; the letter is
 * r (read), w (write), b (both) or n (none).  The first entry is special
 * twice over: its domid is the node's owner, who may always read and
 * write it and alone may change its permissions, and its letter is what
 * every domain that no later entry names gets.  A later entry gives the
 * access of exactly one domain.  A domain that SET_TARGET made act for
 * another (a device model for its guest) counts as that guest's owner
 * too and falls back on the guest's entries when it has none of its own.
 * Privileged connections (the toolstack on the unix socket, dom0) pass
 * every check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

static int letter_access(char l, unsigned int *access)
{
	switch (l) {
	case 'n':
		*access = XS_PERM_NONE;
		return 0;
	case 'r':
		*access = XS_PERM_READ;
		return 0;
	case 'w':
		*access = XS_PERM_WRITE;
		return 0;
	case 'b':
		*access = XS_PERM_BOTH;
		return 0;
	}
	return -1;
}

static char access_letter(unsigned int access)
{
	static const char letters[] = "nrwb";

	return letters[access & XS_PERM_BOTH];
}

/*
 * Parses len bytes of NUL-separated permission strings (the tail of a
 * SET_PERMS payload; a NUL after the last one is optional) into out:
 * 0, or XEN_EINVAL for an empty list or a malformed entry.
 */
int perms_parse(struct xs_perms *out, const char *strs, unsigned int len)
{
	unsigned int off = 0, n = 0, i;
	struct xs_perm *p;

	/* Count first, so the array is allocated once. */
	for (off = 0; off < len; off += strlen(strs + off) + 1)
		if (strs[off])
			n++;
	if (!n)
		return XEN_EINVAL;
	p = xsd_zalloc(n * sizeof(*p));
	for (off = 0, i = 0; off < len; off += strlen(strs + off) + 1) {
		const char *s = strs + off;

		if (!*s)
			continue;
		if (letter_access(s[0], &p[i].access) ||
		    parse_domid(s + 1, &p[i].domid)) {
			free(p);
			return XEN_EINVAL;
		}
		i++;
	}
	out->num = n;
	out->p = p;
	return 0;
}

/* Writes the list as NUL-terminated strings; returns the bytes needed. */
unsigned int perms_format(const struct xs_perms *perms, char *buf,
			  unsigned int size)
{
	unsigned int i, off = 0;
	char one[16];
	int n;

	for (i = 0; i < perms->num; i++) {
		n = snprintf(one, sizeof(one), "%c%u",
			     access_letter(perms->p[i].access),
			     perms->p[i].domid);
		if (off + n + 1 <= size)
			memcpy(buf + off, one, n + 1);
		off += n + 1;
	}
	return off;
}

void perms_copy(struct xs_perms *dst, const struct xs_perms *src)
{
	dst->num = src->num;
	dst->p = xsd_memdup(src->p, src->num * sizeof(*src->p));
}

void perms_free(struct xs_perms *perms)
{
	free(perms->p);
	perms->p = NULL;
	perms->num = 0;
}

static int entry_for(const struct xs_perms *perms, unsigned int domid)
{
	unsigned int i;

	for (i = 1; i < perms->num; i++)
		if (perms->p[i].domid == domid)
			return perms->p[i].access;
	return -1;
}

/* The XS_PERM_* access c has to a node with these permissions. */
unsigned int perms_access(const struct conn *c, const struct xs_perms *perms)
{
	unsigned int target;
	bool has_target;
	int a;

	if (c->privileged || perms_owner(c, perms))
		return XS_PERM_BOTH;
	has_target = domain_target(c->domid, &target);
	a = entry_for(perms, c->domid);
	if (a < 0 && has_target)
		a = entry_for(perms, target);
	return a < 0 ? perms->p[0].access : (unsigned int)a;
}

/* Whether c owns the node (or may act as if it did). */
bool perms_owner(const struct conn *c, const struct xs_perms *perms)
{
	unsigned int target;

	if (c->privileged || perms->p[0].domid == c->domid)
		return true;
	return domain_target(c->domid, &target) && perms->p[0].domid == target;
}
