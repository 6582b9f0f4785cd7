// SPDX-License-Identifier: MIT
/*
 * Transactions.
 *
 * As Xen's documentation describes them: TRANSACTION_START copies the
 * whole tree, and every request carrying the transaction's id reads and
 * writes that private copy, so the client sees its own changes and no
 * one else's.  Nothing fires watches until the commit.
 *
 * Commit is optimistic, with Xen's generation counts.  Each path the
 * transaction depends on is remembered once, with the generation its
 * node had, or that there was none.  At TRANSACTION_END "T" each
 * remembered path is looked up in the live tree again: if any now exists
 * where it did not, is gone, or has another generation, someone else
 * changed what the transaction read or wrote and the answer is EAGAIN
 * (the client retries the whole transaction).  Otherwise the log of the
 * transaction's changes is replayed onto the live tree, which fires the
 * watches.  Only real conflicts fail, the refinement Xen's documentation
 * plans for: two transactions on different domains' subtrees both
 * commit; two creating children of one node do not (the node's list of
 * children changes).
 *
 * What is remembered must be the state at TRANSACTION_START, which is
 * what the copy held before the transaction changed it.  So a path is
 * recorded the first time any operation on the copy is about to look at
 * it or change it, and the tree code (tree.c) tells the copy of every
 * such path itself -- the node a request reads, the ancestors a creation
 * walks up to and the one whose children it changes, the parent of a
 * removed node and every node of the removed subtree -- through
 * tree->access, before touching anything.  Recording at the request
 * handlers instead, as this file once did, missed the nodes a removal
 * takes with it: a child first looked at after its parent was removed
 * was recorded as "did not exist" while it still existed in the live
 * tree, so "RM a; WRITE a/b" failed with EAGAIN every time, and an
 * outside write below a removed subtree was silently lost at commit.
 *
 * Permission checks and quotas are applied against the copy while the
 * transaction runs; the replay does not repeat them, since every node it
 * changes is unchanged since those checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

struct touched {
	char *path;
	uint64_t gen;
	bool existed;
};

struct txop {
	uint32_t type;			/* XS_WRITE, XS_MKDIR, XS_RM, XS_SET_PERMS */
	char *path;
	char *val;
	unsigned int len;
};

struct transaction {
	struct xsd_list list;		/* in conn->transactions */
	uint32_t id;
	struct tree tree;
	struct touched *touched;
	unsigned int nr_touched, max_touched;
	struct txop *ops;
	unsigned int nr_ops, max_ops;
	unsigned int owned;		/* nodes the domain owned at start */
};

static uint32_t last_id;

static bool id_in_use(uint32_t id)
{
	struct transaction *t;
	struct conn *c;

	xsd_list_for_each_entry(c, &xsd_conns, list)
		xsd_list_for_each_entry(t, &c->transactions, list)
			if (t->id == id)
				return true;
	return false;
}

/*
 * tree->access of a transaction's copy: remembers path's state (n, the
 * node there now) the first time the path is looked at or changed; that
 * is its state at TRANSACTION_START, since everything that changes the
 * copy reports the paths it changes here first.
 */
static void trans_access(struct tree *tree, const char *path,
			 const struct node *n)
{
	struct transaction *t = container_of(tree, struct transaction, tree);
	unsigned int i;

	for (i = 0; i < t->nr_touched; i++)
		if (!strcmp(t->touched[i].path, path))
			return;
	if (t->nr_touched == t->max_touched) {
		t->max_touched = t->max_touched * 2 + 8;
		t->touched = xsd_realloc(t->touched,
					 t->max_touched * sizeof(*t->touched));
	}
	t->touched[t->nr_touched].path = xsd_strdup(path);
	t->touched[t->nr_touched].existed = n != NULL;
	t->touched[t->nr_touched].gen = n ? n->gen : 0;
	t->nr_touched++;
}

int trans_start(struct conn *c, uint32_t *id)
{
	struct domain *d = domain_get(c->domid);
	struct transaction *t;

	if (!c->privileged && d->nr_trans >= xsd_quota.transactions)
		return XEN_ENOSPC;
	t = xsd_zalloc(sizeof(*t));
	do
		t->id = ++last_id;
	while (!t->id || id_in_use(t->id));
	tree_clone(&t->tree, &xsd_tree);
	t->tree.access = trans_access;
	t->owned = tree_owned(&xsd_tree, c->domid);
	xsd_list_add_tail(&t->list, &c->transactions);
	d->nr_trans++;
	*id = t->id;
	return 0;
}

struct transaction *trans_find(struct conn *c, uint32_t id)
{
	struct transaction *t;

	xsd_list_for_each_entry(t, &c->transactions, list)
		if (t->id == id)
			return t;
	return NULL;
}

struct tree *trans_tree(struct transaction *t)
{
	return &t->tree;
}

void trans_log(struct transaction *t, uint32_t type, const char *path,
	       const void *val, unsigned int len)
{
	struct txop *op;

	if (t->nr_ops == t->max_ops) {
		t->max_ops = t->max_ops * 2 + 8;
		t->ops = xsd_realloc(t->ops, t->max_ops * sizeof(*t->ops));
	}
	op = &t->ops[t->nr_ops++];
	op->type = type;
	op->path = xsd_strdup(path);
	op->val = val ? xsd_memdup(val, len) : NULL;
	op->len = len;
}

static void trans_free(struct conn *c, struct transaction *t)
{
	struct domain *d = domain_find(c->domid);
	unsigned int i;

	if (d && d->nr_trans)
		d->nr_trans--;
	xsd_list_del(&t->list);
	tree_destroy(&t->tree);
	for (i = 0; i < t->nr_touched; i++)
		free(t->touched[i].path);
	free(t->touched);
	for (i = 0; i < t->nr_ops; i++) {
		free(t->ops[i].path);
		free(t->ops[i].val);
	}
	free(t->ops);
	free(t);
}

/*
 * The first remembered path whose node another writer changed since the
 * transaction started, or NULL if there is none.
 */
static const char *conflict(const struct transaction *t)
{
	unsigned int i;
	struct node *n;

	for (i = 0; i < t->nr_touched; i++) {
		n = tree_lookup(&xsd_tree, t->touched[i].path);
		if (t->touched[i].existed != (n != NULL) ||
		    (n && n->gen != t->touched[i].gen))
			return t->touched[i].path;
	}
	return NULL;
}

static void replay(struct conn *c, const struct txop *op)
{
	struct xs_perms perms;

	switch (op->type) {
	case XS_WRITE:
		tree_write(&xsd_tree, op->path, op->val, op->len, c);
		break;
	case XS_MKDIR:
		tree_mkdir(&xsd_tree, op->path, c);
		break;
	case XS_RM:
		tree_rm(&xsd_tree, op->path);
		break;
	case XS_SET_PERMS:
		if (!perms_parse(&perms, op->val, op->len)) {
			tree_set_perms(&xsd_tree, op->path, &perms);
			perms_free(&perms);
		}
		break;
	}
}

/*
 * Whether committing t would take an unprivileged domain over its node
 * quota.  Each request was checked against the copy, which does not see
 * what the domain's other transactions committed meanwhile (on other
 * nodes, so without a conflict); Xen checks again at commit too
 * (transaction_fix_domains()).
 */
static bool over_quota(const struct conn *c, const struct transaction *t)
{
	unsigned int now = tree_owned(&t->tree, c->domid);

	return !c->privileged && now > t->owned &&
	       tree_owned(&xsd_tree, c->domid) + (now - t->owned) >
	       xsd_quota.nodes;
}

/*
 * Ends t: abort, or commit if nothing it depends on changed.  Returns 0,
 * XEN_EAGAIN on a conflict, or XEN_ENOSPC if the commit would take the
 * domain over its node quota; t is gone either way.
 */
int trans_end(struct conn *c, struct transaction *t, bool commit)
{
	const char *path = commit ? conflict(t) : NULL;
	unsigned int i;
	int ret = 0;

	if (path) {
		xsd_dbg("conn %u: transaction %u conflicts: %s changed", c->id,
			t->id, path);
		ret = XEN_EAGAIN;
	} else if (commit && over_quota(c, t)) {
		ret = XEN_ENOSPC;
	} else if (commit) {
		for (i = 0; i < t->nr_ops; i++)
			replay(c, &t->ops[i]);
	}
	trans_free(c, t);
	return ret;
}

void trans_del_all(struct conn *c)
{
	struct transaction *t, *tmp;

	xsd_list_for_each_entry_safe(t, tmp, &c->transactions, list)
		trans_free(c, t);
}
