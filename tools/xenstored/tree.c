// SPDX-License-Identifier: MIT
/*
 * The node tree and path rules.
 *
 * A node has a leaf name, a value (any bytes), a permission list, its
 * children in the order they were created (so that DIRECTORY_PART can
 * hand out a long list in pieces by byte offset) and a generation
 * number.  The generation is drawn from one counter for the whole daemon
 * and replaced whenever the node's value, permissions or list of
 * children change, so "same generation" means "unchanged" even across
 * a delete and re-create.  That one number serves both DIRECTORY_PART's
 * <gencnt> and transaction conflict checks (transaction.c).
 *
 * A struct tree is either the live tree or a transaction's private copy;
 * the same operations work on both, only the live tree fires watches, and
 * a copy is told of every node an operation looks at or changes before
 * it does (what transaction.c's conflict check rests on).  Each tree counts the nodes every domain owns (the owner is
 * the first permission entry), which is what the node quota limits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

struct tree xsd_tree = { .live = true };

static uint64_t gen_counter;

uint64_t tree_next_gen(void)
{
	return ++gen_counter;
}

/* ---- paths ---------------------------------------------------------- */

static bool path_char_ok(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '/' ||
	       ch == '_' || ch == '@';
}

/*
 * Turns a client's path into the absolute path the tree uses, checking
 * Xen's rules (allowed characters, no empty component, no trailing
 * slash, length limits).  A relative path is taken relative to the
 * connection's domain home.  "@name" is accepted only where a special
 * watch may be named.  Returns 0 or XEN_EINVAL.
 */
int path_canonical(const struct conn *c, const char *in, char *out,
		   unsigned int size, bool special_ok)
{
	const char *p;
	int n;

	if (!*in)
		return XEN_EINVAL;
	if (in[0] == '@') {
		if (!special_ok || strlen(in) > XENSTORE_ABS_PATH_MAX)
			return XEN_EINVAL;
		snprintf(out, size, "%s", in);
		return 0;
	}
	if (in[0] == '/') {
		n = snprintf(out, size, "%s", in);
	} else {
		if (strlen(in) > XENSTORE_REL_PATH_MAX)
			return XEN_EINVAL;
		n = snprintf(out, size, XSD_DOMAIN_BASE "%u/%s", c->domid, in);
	}
	if (n < 0 || (unsigned int)n >= size || n > XENSTORE_ABS_PATH_MAX)
		return XEN_EINVAL;
	for (p = out; *p; p++) {
		if (!path_char_ok(*p))
			return XEN_EINVAL;
		if (p[0] == '/' && p[1] == '/')
			return XEN_EINVAL;
	}
	if (n > 1 && out[n - 1] == '/')
		return XEN_EINVAL;
	return 0;
}

/* Xen's "child": the same path, or below it ("/" is everyone's parent). */
bool path_is_child(const char *child, const char *parent)
{
	size_t n = strlen(parent);

	if (!strcmp(parent, "/"))
		return child[0] == '/';
	return !strncmp(child, parent, n) &&
	       (child[n] == '\0' || child[n] == '/');
}

/* ---- owner counts --------------------------------------------------- */

static void owner_adjust(struct tree *t, unsigned int domid, int delta)
{
	unsigned int i;

	for (i = 0; i < t->nr_owners; i++) {
		if (t->owners[i].domid == domid) {
			t->owners[i].count += delta;
			return;
		}
	}
	if (delta <= 0)
		return;
	t->owners = xsd_realloc(t->owners,
				(t->nr_owners + 1) * sizeof(*t->owners));
	t->owners[t->nr_owners].domid = domid;
	t->owners[t->nr_owners].count = delta;
	t->nr_owners++;
}

unsigned int tree_owned(const struct tree *t, unsigned int domid)
{
	unsigned int i;

	for (i = 0; i < t->nr_owners; i++)
		if (t->owners[i].domid == domid)
			return t->owners[i].count;
	return 0;
}

/* ---- nodes ---------------------------------------------------------- */

static struct node *node_alloc(const char *name, size_t namelen)
{
	struct node *n = xsd_zalloc(sizeof(*n));

	n->name = xsd_malloc(namelen + 1);
	memcpy(n->name, name, namelen);
	n->name[namelen] = '\0';
	n->value = xsd_malloc(1);
	n->gen = tree_next_gen();
	return n;
}

static void node_free(struct tree *t, struct node *n)
{
	unsigned int i;

	for (i = 0; i < n->nr_children; i++)
		node_free(t, n->children[i]);
	owner_adjust(t, n->perms.p[0].domid, -1);
	free(n->children);
	free(n->value);
	free(n->name);
	perms_free(&n->perms);
	free(n);
}

static void child_add(struct node *parent, struct node *child)
{
	if (parent->nr_children == parent->max_children) {
		parent->max_children = parent->max_children * 2 + 4;
		parent->children = xsd_realloc(parent->children,
			parent->max_children * sizeof(*parent->children));
	}
	parent->children[parent->nr_children++] = child;
	child->parent = parent;
	parent->gen = tree_next_gen();
}

static void child_del(struct node *parent, struct node *child)
{
	unsigned int i;

	for (i = 0; i < parent->nr_children; i++) {
		if (parent->children[i] != child)
			continue;
		memmove(&parent->children[i], &parent->children[i + 1],
			(parent->nr_children - i - 1) * sizeof(child));
		parent->nr_children--;
		parent->gen = tree_next_gen();
		return;
	}
}

static struct node *child_find(const struct node *n, const char *name,
			       size_t len)
{
	unsigned int i;

	for (i = 0; i < n->nr_children; i++) {
		const char *cn = n->children[i]->name;

		if (!strncmp(cn, name, len) && cn[len] == '\0')
			return n->children[i];
	}
	return NULL;
}

/*
 * Walks path as far as it exists: returns the deepest existing node and
 * sets *rest to the part of path below it ("" if path exists whole).
 */
static struct node *walk(struct tree *t, const char *path, const char **rest)
{
	struct node *n = t->root, *next;
	const char *p = path;
	size_t len;

	while (*p == '/')
		p++;
	while (*p) {
		len = strcspn(p, "/");
		next = child_find(n, p, len);
		if (!next)
			break;
		n = next;
		p += len;
		while (*p == '/')
			p++;
	}
	*rest = p;
	return n;
}

static struct node *find(struct tree *t, const char *path)
{
	const char *rest;
	struct node *n = walk(t, path, &rest);

	return *rest ? NULL : n;
}

/* ---- what a transaction's copy is told ------------------------------ */

/*
 * Every operation below tells a transaction's copy (t->access) of each
 * path it is about to look at or change, with the node there now, before
 * it does.  That is the whole of what a transaction records about its
 * dependencies (transaction.c), so it is done here, next to the changes,
 * and not by the request handlers, which would have to know which nodes
 * each operation changes.
 */
static void note(struct tree *t, const char *path, const struct node *n)
{
	if (t->access)
		t->access(t, path, n);
}

/* Cuts the last component off an absolute path ("/a" becomes "/"). */
static void path_up(char *path)
{
	char *slash = strrchr(path, '/');

	if (slash == path)
		slash[1] = '\0';
	else
		*slash = '\0';
}

/*
 * Notes path and its missing ancestors up to the nearest one that
 * exists: what creating path depends on, and what it changes (the
 * nearest existing ancestor gets a new child).
 */
static void note_create(struct tree *t, const char *path)
{
	char buf[XENSTORE_ABS_PATH_MAX + 1];
	struct node *n;

	if (!t->access)
		return;
	snprintf(buf, sizeof(buf), "%s", path);
	for (;;) {
		n = find(t, buf);
		note(t, buf, n);
		if (n)
			return;		/* the root always exists */
		path_up(buf);
	}
}

/*
 * Notes n, whose path is the len chars in buf (a buffer of
 * XENSTORE_ABS_PATH_MAX + 1), and every node below it: what removing n
 * changes.  buf is left as it was.
 */
static void note_subtree(struct tree *t, char *buf, size_t len,
			 const struct node *n)
{
	unsigned int i;
	int l;

	note(t, buf, n);
	for (i = 0; i < n->nr_children; i++) {
		l = snprintf(buf + len, XENSTORE_ABS_PATH_MAX + 1 - len, "%s%s",
			     len == 1 ? "" : "/", n->children[i]->name);
		/* Cannot be too long: every node was made from a valid path. */
		if (l > 0 && len + l <= XENSTORE_ABS_PATH_MAX)
			note_subtree(t, buf, len + l, n->children[i]);
	}
	buf[len] = '\0';
}

/* ---- lookups -------------------------------------------------------- */

struct node *tree_lookup(struct tree *t, const char *path)
{
	struct node *n = find(t, path);

	note(t, path, n);
	return n;
}

struct node *tree_nearest(struct tree *t, const char *path)
{
	const char *rest;

	note_create(t, path);
	return walk(t, path, &rest);
}

/* How many nodes writing path would create. */
unsigned int tree_missing(struct tree *t, const char *path)
{
	const char *rest;
	unsigned int n = 0;

	note_create(t, path);
	walk(t, path, &rest);
	while (*rest) {
		n++;
		rest += strcspn(rest, "/");
		while (*rest == '/')
			rest++;
	}
	return n;
}

/*
 * Creates path and any missing parents.  A new node starts with its
 * parent's permissions; one made by an unprivileged domain is owned by
 * that domain, so that it is charged for it and can remove it.
 */
static struct node *create_path(struct tree *t, const char *path,
				const struct conn *who)
{
	const char *rest;
	struct node *n, *child;
	size_t len;

	note_create(t, path);
	n = walk(t, path, &rest);
	while (*rest) {
		len = strcspn(rest, "/");
		child = node_alloc(rest, len);
		perms_copy(&child->perms, &n->perms);
		if (who && !who->privileged)
			child->perms.p[0].domid = who->domid;
		owner_adjust(t, child->perms.p[0].domid, 1);
		child_add(n, child);
		n = child;
		rest += len;
		while (*rest == '/')
			rest++;
	}
	return n;
}

int tree_write(struct tree *t, const char *path, const void *val,
	       unsigned int len, const struct conn *who)
{
	struct node *n = create_path(t, path, who);

	free(n->value);
	n->value = xsd_malloc(len + 1);
	memcpy(n->value, val, len);
	n->value[len] = '\0';
	n->len = len;
	n->gen = tree_next_gen();
	if (t->live)
		watch_fire(path, &n->perms, false);
	return 0;
}

int tree_mkdir(struct tree *t, const char *path, const struct conn *who)
{
	struct node *n;

	if (tree_lookup(t, path))
		return 0;
	n = create_path(t, path, who);
	if (t->live)
		watch_fire(path, &n->perms, false);
	return 0;
}

/*
 * Removes path and everything below it.  Absent is fine as long as the
 * parent exists (Xen's rule); the root cannot go.
 */
int tree_rm(struct tree *t, const char *path)
{
	char buf[XENSTORE_ABS_PATH_MAX + 1];
	struct node *n = tree_lookup(t, path), *parent;

	if (n == t->root)
		return XEN_EINVAL;
	snprintf(buf, sizeof(buf), "%s", path);
	path_up(buf);
	parent = tree_lookup(t, buf);
	if (!n)
		return parent ? 0 : XEN_ENOENT;
	if (t->access) {
		snprintf(buf, sizeof(buf), "%s", path);
		note_subtree(t, buf, strlen(buf), n);
	}
	child_del(n->parent, n);
	if (t->live)
		watch_fire(path, &n->perms, true);
	node_free(t, n);
	return 0;
}

int tree_set_perms(struct tree *t, const char *path,
		   const struct xs_perms *perms)
{
	struct node *n = tree_lookup(t, path);

	if (!n)
		return XEN_ENOENT;
	owner_adjust(t, n->perms.p[0].domid, -1);
	perms_free(&n->perms);
	perms_copy(&n->perms, perms);
	owner_adjust(t, n->perms.p[0].domid, 1);
	n->gen = tree_next_gen();
	if (t->live)
		watch_fire(path, &n->perms, false);
	return 0;
}

/* ---- whole trees ---------------------------------------------------- */

/* The initial tree: "/" and "/local/domain", owned by dom0, closed to all. */
void tree_init(struct tree *t)
{
	static const struct xs_perm dom0_only = { 0, XS_PERM_NONE };
	struct xs_perms p = { 1, (struct xs_perm *)&dom0_only };

	t->root = node_alloc("", 0);
	perms_copy(&t->root->perms, &p);
	owner_adjust(t, 0, 1);
	create_path(t, "/local/domain", NULL);
	create_path(t, "/tool/xenstored", NULL);
}

void tree_destroy(struct tree *t)
{
	if (t->root)
		node_free(t, t->root);
	t->root = NULL;
	free(t->owners);
	t->owners = NULL;
	t->nr_owners = 0;
}

static struct node *node_clone(const struct node *src, struct node *parent)
{
	struct node *n = xsd_zalloc(sizeof(*n));
	unsigned int i;

	n->name = xsd_strdup(src->name);
	n->parent = parent;
	n->value = xsd_memdup(src->value, src->len + 1);
	n->len = src->len;
	perms_copy(&n->perms, &src->perms);
	n->gen = src->gen;
	n->nr_children = n->max_children = src->nr_children;
	n->children = xsd_malloc(src->nr_children * sizeof(*n->children));
	for (i = 0; i < src->nr_children; i++)
		n->children[i] = node_clone(src->children[i], n);
	return n;
}

/* Makes dst a private copy of src (a transaction's view); it fires nothing. */
void tree_clone(struct tree *dst, const struct tree *src)
{
	dst->root = node_clone(src->root, NULL);
	dst->nr_owners = src->nr_owners;
	dst->owners = xsd_memdup(src->owners,
				 src->nr_owners * sizeof(*src->owners));
	dst->live = false;
	dst->access = NULL;
}
