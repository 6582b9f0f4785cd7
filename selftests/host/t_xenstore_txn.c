// SPDX-License-Identifier: MIT
/*
 * tern-xenstored's transactions, shape by shape: every sequence of one to
 * three requests (READ, WRITE, MKDIR, RM, SET_PERMS) on a node, its
 * parent, its child and its sibling inside one transaction (8420
 * sequences), from four starting trees (nothing; the parent; parent and
 * node; parent, node, child, grandchild and sibling), each with no
 * outside writer and with seven different outside changes made just
 * before the commit: 269440 shapes.  For each shape the test asserts the
 * reply to every request, the commit's outcome (OK, or EAGAIN exactly
 * when the outside change touched something the transaction read or
 * changed) and the whole subtree afterwards (values, permissions, no
 * extra nodes).
 *
 * The expectations come from a model written here, independent of the
 * daemon: a list of paths with values and permission strings, plus the
 * rule Xen's xenstored documents for conflicts (docs/misc/xenstore.txt,
 * and the generation-count reasoning of its xenstored_transaction.c).
 * A transaction sees its own changes; what a request *depends on* is
 *
 *   READ x, SET_PERMS x    x;
 *   WRITE x, MKDIR x       x, and when x is missing its missing ancestors
 *                          and the nearest existing one, whose list of
 *                          children the creation changes;
 *   RM x                   x, its parent, and every node below x;
 *
 * and an outside change *touches* the same sets for what it changed (a
 * request that changed nothing touches nothing).  The commit fails with
 * EAGAIN iff the two intersect; otherwise the tree afterwards is the
 * outside change followed by the transaction's requests.
 *
 * The outside change comes after the transaction's requests because that
 * is where Xen's "generation at first access" and tern's "copy at
 * TRANSACTION_START" agree; an outside change to a node made before the
 * transaction first looks at it is a conflict for tern (its copy is
 * older than the change) but not for Xen, so it is left out here.
 *
 * A handful of shapes are also written out by hand, with their expected
 * outcome spelt literally, so that the model is itself checked; the
 * issue's case (RM a subtree, then WRITE a child that existed under it,
 * commit: EAGAIN every time before the fix) is the first of them.
 */
#define T_XENSTORE_INPROCESS
#include "hosttest.h"
#include "t_xenstore.h"

/* ---- the paths -------------------------------------------------------- */

#define BASE	"/txs/b"
#define UNREL	"/txu/x"

enum target { T_N, T_P, T_C, T_S, NR_TARGETS };
enum extra { X_G = NR_TARGETS, X_UNREL, NR_PATHS };

static const char *const paths[NR_PATHS] = {
	[T_N] = BASE "/p/n",
	[T_P] = BASE "/p",
	[T_C] = BASE "/p/n/c",
	[T_S] = BASE "/p/s",
	[X_G] = BASE "/p/n/c/g",
	[X_UNREL] = UNREL,
};

static const char *const target_names[NR_TARGETS] = {
	[T_N] = "n", [T_P] = "p", [T_C] = "c", [T_S] = "s",
};

/* ---- the model -------------------------------------------------------- */

#define M_MAX		16
#define M_PATH		48
#define M_VAL		16
#define M_PERMS		24

struct mnode {
	char path[M_PATH];
	char val[M_VAL];
	char perms[M_PERMS];		/* as GET_PERMS returns it, NULs inside */
	unsigned int plen;
};

struct model {
	unsigned int n;
	struct mnode nodes[M_MAX];
};

/* A set of paths (what a request depends on, what a change touched). */
struct pset {
	unsigned int n;
	char p[M_MAX * 2][M_PATH];
};

static void pset_add(struct pset *s, const char *path)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->p[i], path))
			return;
	snprintf(s->p[s->n++], M_PATH, "%s", path);
}

static bool pset_meets(const struct pset *a, const struct pset *b)
{
	unsigned int i, j;

	for (i = 0; i < a->n; i++)
		for (j = 0; j < b->n; j++)
			if (!strcmp(a->p[i], b->p[j]))
				return true;
	return false;
}

static struct mnode *m_find(struct model *m, const char *path)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->nodes[i].path, path))
			return &m->nodes[i];
	return NULL;
}

static void parent_of(const char *path, char *out)
{
	const char *slash = strrchr(path, '/');

	snprintf(out, M_PATH, "%.*s", (int)(slash - path), path);
}

static bool below(const char *path, const char *top)
{
	size_t n = strlen(top);

	return !strncmp(path, top, n) && path[n] == '/';
}

/* The model holds BASE and UNREL and below; their parents always exist. */
static bool m_exists(struct model *m, const char *path)
{
	return !strcmp(path, "/txs") || !strcmp(path, "/txu") ||
	       m_find(m, path);
}

static struct mnode *m_add(struct model *m, const char *path, const char *val,
			   const char *perms, unsigned int plen)
{
	struct mnode *n = &m->nodes[m->n++];

	snprintf(n->path, M_PATH, "%s", path);
	snprintf(n->val, M_VAL, "%s", val);
	memcpy(n->perms, perms, plen);
	n->plen = plen;
	return n;
}

/*
 * Creates path and its missing ancestors, each with its parent's
 * permissions (the creator is privileged); adds every node looked at or
 * changed to dep.
 */
static struct mnode *m_create(struct model *m, const char *path,
			      struct pset *dep)
{
	char parent[M_PATH];
	struct mnode *pn;

	if (dep)
		pset_add(dep, path);
	if (m_find(m, path))
		return m_find(m, path);
	parent_of(path, parent);
	if (!m_exists(m, parent)) {
		pn = m_create(m, parent, dep);
	} else {
		if (dep)
			pset_add(dep, parent);
		pn = m_find(m, parent);
	}
	return pn ? m_add(m, path, "", pn->perms, pn->plen) :
		    m_add(m, path, "", "n0", 3);
}

enum op { O_READ, O_WRITE, O_MKDIR, O_RM, O_SETPERMS, NR_OPS };

static const char *const op_names[NR_OPS] = {
	"READ", "WRITE", "MKDIR", "RM", "SET_PERMS",
};

/* One request as the test sends it: the value written, the perms set. */
struct req {
	enum op op;
	unsigned int path;		/* index into paths[] */
	char val[M_VAL];
	char perms[M_PERMS];
	unsigned int plen;
};

/*
 * Applies r to m; the reply it gets goes to reply ("OK", an error name or
 * the value read), and what it depended on (or, with changed_only, what
 * it changed) to dep.
 */
static void m_apply(struct model *m, const struct req *r, char *reply,
		    struct pset *dep, bool changed_only)
{
	const char *path = paths[r->path];
	char parent[M_PATH];
	struct mnode *n = m_find(m, path);
	unsigned int i;

	switch (r->op) {
	case O_READ:
		if (!changed_only)
			pset_add(dep, path);
		snprintf(reply, M_VAL, "%s", n ? n->val : "ENOENT");
		return;
	case O_WRITE:
		n = m_create(m, path, dep);
		snprintf(n->val, M_VAL, "%s", r->val);
		snprintf(reply, M_VAL, "%s", "OK");
		return;
	case O_MKDIR:
		if (!n)
			m_create(m, path, dep);
		else if (!changed_only)
			pset_add(dep, path);
		snprintf(reply, M_VAL, "%s", "OK");
		return;
	case O_SETPERMS:
		if (n) {
			memcpy(n->perms, r->perms, r->plen);
			n->plen = r->plen;
		}
		if (n || !changed_only)
			pset_add(dep, path);
		snprintf(reply, M_VAL, "%s", n ? "OK" : "ENOENT");
		return;
	case O_RM:
		parent_of(path, parent);
		if (n || !changed_only) {
			pset_add(dep, path);
			pset_add(dep, parent);
		}
		if (!n) {
			snprintf(reply, M_VAL, "%s",
				 m_exists(m, parent) ? "OK" : "ENOENT");
			return;
		}
		for (i = 0; i < m->n;) {
			if (strcmp(m->nodes[i].path, path) &&
			    !below(m->nodes[i].path, path)) {
				i++;
				continue;
			}
			pset_add(dep, m->nodes[i].path);
			m->nodes[i] = m->nodes[--m->n];
		}
		snprintf(reply, M_VAL, "%s", "OK");
		return;
	default:
		abort();
	}
}

/* ---- the shapes ------------------------------------------------------- */

#define MAX_OPS		3

struct start {
	const char *name;
	unsigned int mask;		/* paths that exist, as 1 << index */
};

static const struct start starts[] = {
	{ "nothing", 0 },
	{ "p", 1 << T_P },
	{ "p,n", 1 << T_P | 1 << T_N },
	{ "p,n,c,g,s", 1 << T_P | 1 << T_N | 1 << T_C | 1 << X_G | 1 << T_S },
};

/* The outside change made just before the commit. */
static const struct req outsides[] = {
	{ .op = NR_OPS },			/* none */
	{ .op = O_WRITE, .path = T_N, .val = "out" },
	{ .op = O_WRITE, .path = T_S, .val = "out" },
	{ .op = O_WRITE, .path = T_C, .val = "out" },
	{ .op = O_WRITE, .path = T_P, .val = "out" },
	{ .op = O_RM, .path = T_N },
	{ .op = O_SETPERMS, .path = T_P, .perms = "n0\0b7", .plen = 6 },
	{ .op = O_WRITE, .path = X_UNREL, .val = "out" },
};

static const char *const outside_names[] = {
	"none", "WRITE n", "WRITE s", "WRITE c", "WRITE p", "RM n",
	"SET_PERMS p", "WRITE elsewhere",
};

struct shape {
	unsigned int start;		/* index into starts[] */
	unsigned int nr_ops;
	struct req ops[MAX_OPS];
	unsigned int outside;		/* index into outsides[] */
};

/* Hand-written expectations, for the shapes spelt out literally. */
struct literal {
	struct shape s;
	const char *replies[MAX_OPS];
	bool eagain;
	const char *tree;		/* "path=value ..." below BASE */
};

static struct tguest d0, out;
static struct tmsg m;

/* The model's starting tree for a start mask. */
static void m_start(struct model *mo, unsigned int mask)
{
	static const unsigned int order[] = { T_P, T_N, T_C, X_G, T_S };
	unsigned int i;

	memset(mo, 0, sizeof(*mo));
	m_add(mo, BASE, "", "n0", 3);
	for (i = 0; i < ARRAY_SIZE(order); i++)
		if (mask & (1u << order[i]))
			snprintf(m_create(mo, paths[order[i]], NULL)->val,
				 M_VAL, "%s", strrchr(paths[order[i]], '/') + 1);
}

/* Sends r (outside a transaction if tx is 0); the reply as a string. */
static void send_req(struct tguest *g, uint32_t tx, const struct req *r,
		     char *reply, size_t size)
{
	static const uint32_t types[NR_OPS] = {
		XS_READ, XS_WRITE, XS_MKDIR, XS_RM, XS_SET_PERMS,
	};
	char buf[128];
	unsigned int len = strlen(paths[r->path]) + 1;
	int type;

	memcpy(buf, paths[r->path], len);
	if (r->op == O_WRITE) {
		memcpy(buf + len, r->val, strlen(r->val));
		len += strlen(r->val);
	} else if (r->op == O_SETPERMS) {
		memcpy(buf + len, r->perms, r->plen);
		len += r->plen;
	}
	type = tg_req(g, types[r->op], tx, buf, len, &m);
	if (type < 0)
		snprintf(reply, size, "(no reply)");
	else
		snprintf(reply, size, "%.*s", (int)m.hdr.len, m.body);
}

static void must(struct tguest *g, uint32_t type, const void *p,
		 unsigned int len)
{
	if (tg_req(g, type, 0, p, len, &m) != (int)type) {
		printf("FAIL: txn: fixture request %u failed: %s\n", type,
		       m.body);
		exit(1);
	}
}

/* Builds the live tree for a start mask (and nothing at UNREL). */
static void live_start(unsigned int mask)
{
	static const unsigned int order[] = { T_P, T_N, T_C, X_G, T_S };
	char buf[128];
	unsigned int i, len;

	must(&d0, XS_RM, P(BASE "\0"));
	must(&d0, XS_RM, P(UNREL "\0"));
	must(&d0, XS_MKDIR, P(BASE "\0"));
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		if (!(mask & (1u << order[i])))
			continue;
		len = snprintf(buf, sizeof(buf), "%s", paths[order[i]]) + 1;
		len += snprintf(buf + len, sizeof(buf) - len, "%s",
				strrchr(paths[order[i]], '/') + 1);
		must(&d0, XS_WRITE, buf, len);
	}
}

/*
 * Reads the live subtree at path into a "path=value/perms" listing,
 * depth first, children in the store's order; returns the node count.
 */
static unsigned int live_dump(const char *path, struct model *got)
{
	char list[XENSTORE_PAYLOAD_MAX + 1], child[M_PATH];
	unsigned int len, off, n = 1;
	struct mnode *node;
	char val[M_VAL];

	if (tg_req(&d0, XS_READ, 0, path, strlen(path) + 1, &m) != XS_READ ||
	    got->n == M_MAX)
		return 0;
	snprintf(val, sizeof(val), "%.*s", (int)m.hdr.len, m.body);
	node = m_add(got, path, val, "", 0);
	if (tg_req(&d0, XS_GET_PERMS, 0, path, strlen(path) + 1, &m) !=
	    XS_GET_PERMS || m.hdr.len > M_PERMS)
		return 0;
	memcpy(node->perms, m.body, m.hdr.len);
	node->plen = m.hdr.len;
	if (tg_req(&d0, XS_DIRECTORY, 0, path, strlen(path) + 1, &m) !=
	    XS_DIRECTORY)
		return 0;
	len = m.hdr.len;
	memcpy(list, m.body, len);
	for (off = 0; off < len; off += strlen(list + off) + 1) {
		snprintf(child, sizeof(child), "%s/%s", path, list + off);
		n += live_dump(child, got);
	}
	return n;
}

/* Whether the live tree below BASE (and at UNREL) is what mo says. */
static bool tree_matches(struct model *mo, char *why, size_t size)
{
	struct model got = { 0 };
	struct mnode *g, *w;
	unsigned int i;

	live_dump(BASE, &got);
	live_dump(UNREL, &got);
	for (i = 0; i < got.n; i++) {
		g = &got.nodes[i];
		w = m_find(mo, g->path);
		if (!w) {
			snprintf(why, size, "%s exists", g->path);
			return false;
		}
		if (strcmp(g->val, w->val) || g->plen != w->plen ||
		    memcmp(g->perms, w->perms, w->plen)) {
			snprintf(why, size, "%s = '%s' (want '%s') perms %s",
				 g->path, g->val, w->val,
				 g->plen != w->plen ||
				 memcmp(g->perms, w->perms, w->plen) ?
				 "differ" : "same");
			return false;
		}
	}
	if (got.n != mo->n) {
		for (i = 0; i < mo->n; i++)
			if (!m_find(&got, mo->nodes[i].path))
				break;
		snprintf(why, size, "%s is missing",
			 i < mo->n ? mo->nodes[i].path : "a node");
		return false;
	}
	return true;
}

static void shape_name(const struct shape *s, char *buf, size_t size)
{
	unsigned int i, o;

	o = snprintf(buf, size, "start {%s}:", starts[s->start].name);
	for (i = 0; i < s->nr_ops; i++)
		o += snprintf(buf + o, size - o, " %s %s",
			      op_names[s->ops[i].op],
			      target_names[s->ops[i].path]);
	snprintf(buf + o, size - o, "; outside: %s; commit",
		 outside_names[s->outside]);
}

/* What the model says about a shape. */
struct expect {
	char replies[MAX_OPS][M_VAL];
	bool eagain;
	struct model after;
};

static void model_shape(const struct shape *s, struct expect *e)
{
	const struct req *o = &outsides[s->outside];
	struct pset dep = { 0 }, touched = { 0 };
	struct model view, live;
	char reply[M_VAL];
	unsigned int i;

	m_start(&view, starts[s->start].mask);
	live = view;
	for (i = 0; i < s->nr_ops; i++)
		m_apply(&view, &s->ops[i], e->replies[i], &dep, false);
	if (o->op != NR_OPS)
		m_apply(&live, o, reply, &touched, true);
	e->eagain = pset_meets(&dep, &touched);
	if (!e->eagain)
		for (i = 0; i < s->nr_ops; i++)
			m_apply(&live, &s->ops[i], reply, &dep, false);
	e->after = live;
}

/*
 * Runs one shape against the daemon; 0 if every reply, the commit and
 * the tree are as expected, else -1 with the first difference in why.
 */
static int run_shape(const struct shape *s, const struct expect *e,
		     char *why, size_t size)
{
	char reply[XENSTORE_PAYLOAD_MAX + 1];
	struct model want = e->after;
	unsigned int i;
	uint32_t tx;

	live_start(starts[s->start].mask);
	if (tg_req(&d0, XS_TRANSACTION_START, 0, P("\0"), &m) !=
	    XS_TRANSACTION_START) {
		snprintf(why, size, "TRANSACTION_START: %s", m.body);
		return -1;
	}
	tx = strtoul(m.body, NULL, 10);
	for (i = 0; i < s->nr_ops; i++) {
		send_req(&d0, tx, &s->ops[i], reply, sizeof(reply));
		if (strcmp(reply, e->replies[i])) {
			snprintf(why, size, "request %u (%s %s): '%s', want '%s'",
				 i + 1, op_names[s->ops[i].op],
				 target_names[s->ops[i].path], reply,
				 e->replies[i]);
			tg_req(&d0, XS_TRANSACTION_END, tx, P("F\0"), &m);
			return -1;
		}
	}
	if (outsides[s->outside].op != NR_OPS)
		send_req(&out, 0, &outsides[s->outside], reply, sizeof(reply));
	tg_req(&d0, XS_TRANSACTION_END, tx, P("T\0"), &m);
	snprintf(reply, sizeof(reply), "%.*s", (int)m.hdr.len, m.body);
	if (strcmp(reply, e->eagain ? "EAGAIN" : "OK")) {
		snprintf(why, size, "commit: %s, want %s", reply,
			 e->eagain ? "EAGAIN" : "OK");
		return -1;
	}
	if (!tree_matches(&want, why, size))
		return -1;
	return 0;
}

/* ---- shapes written out by hand --------------------------------------- */

#define W(k)	{ .op = O_WRITE, .path = k, .val = "w1" }
#define RM(k)	{ .op = O_RM, .path = k }
#define SHAPE(st, o, ...)						\
	{ .start = st, .outside = o,					\
	  .nr_ops = ARRAY_SIZE(((struct req[]){ __VA_ARGS__ })),	\
	  .ops = { __VA_ARGS__ } }

static const struct literal literals[] = {
	/* The case: RM /tool/a, WRITE /tool/a/b that existed. */
	{ SHAPE(3, 0, RM(T_N), W(T_C)), { "OK", "OK" }, false,
	  "/p=p /p/n= /p/n/c=w1 /p/s=s" },
	/* ...and an outside write to a node the RM took away. */
	{ SHAPE(3, 3, RM(T_N), W(T_C)), { "OK", "OK" }, true,
	  "/p=p /p/n=n /p/n/c=out /p/n/c/g=g /p/s=s" },
	/* Removing, then re-creating the node itself. */
	{ SHAPE(2, 0, RM(T_N), W(T_N)), { "OK", "OK" }, false,
	  "/p=p /p/n=w1" },
	/* A sibling's value changing does not matter... */
	{ SHAPE(3, 1, W(T_S)), { "OK" }, false,
	  "/p=p /p/n=out /p/n/c=c /p/n/c/g=g /p/s=w1" },
	/* ...but two creations below the same parent do. */
	{ SHAPE(1, 2, W(T_N)), { "OK" }, true, "/p=p /p/s=out" },
	/* RM of an absent child of an absent parent. */
	{ SHAPE(0, 0, RM(T_C)), { "ENOENT" }, false, "" },
	/* A write elsewhere never conflicts. */
	{ SHAPE(3, 7, RM(T_P), W(T_C)), { "OK", "OK" }, false,
	  "/p= /p/n= /p/n/c=w1" },
};

/* Whether the model's expectation is the literal one. */
static bool model_agrees(const struct literal *l, const struct expect *e)
{
	char want[256], *tok, *save, path[M_PATH];
	struct mnode *n;
	unsigned int i, count = 0;

	for (i = 0; i < l->s.nr_ops; i++)
		if (strcmp(l->replies[i], e->replies[i]))
			return false;
	if (l->eagain != e->eagain)
		return false;
	snprintf(want, sizeof(want), "%s", l->tree);
	for (tok = strtok_r(want, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		snprintf(path, sizeof(path), BASE "%.*s",
			 (int)strcspn(tok, "="), tok);
		n = m_find((struct model *)&e->after, path);
		if (!n || strcmp(n->val, strchr(tok, '=') + 1))
			return false;
		count++;
	}
	for (i = 0; i < e->after.n; i++)
		if (strcmp(e->after.nodes[i].path, UNREL))
			count--;
	return count == (unsigned int)-1;	/* BASE itself is not listed */
}

/* ---- every shape -------------------------------------------------------- */

static unsigned int ipow(unsigned int b, unsigned int e)
{
	unsigned int r = 1;

	while (e--)
		r *= b;
	return r;
}

static void make_req(struct req *r, unsigned int code, unsigned int k)
{
	memset(r, 0, sizeof(*r));
	r->op = code / NR_TARGETS;
	r->path = code % NR_TARGETS;
	snprintf(r->val, sizeof(r->val), "w%u", k + 1);
	r->plen = snprintf(r->perms, sizeof(r->perms), "n0%cr%u", 0,
			   k + 1) + 1;
}

int main(void)
{
	const unsigned int codes = NR_OPS * NR_TARGETS;
	unsigned int st, o, len, i, k, code, n, bad, total = 0, total_bad = 0;
	char why[256], name[256];
	struct expect e;
	struct shape s;
	int failed;

	tree_init(&xsd_tree);
	tg_init(&d0, 0, 0);
	tg_init(&out, 0, 0);
	must(&d0, XS_MKDIR, P("/txs\0"));
	must(&d0, XS_MKDIR, P("/txu\0"));

	for (i = 0; i < ARRAY_SIZE(literals); i++) {
		model_shape(&literals[i].s, &e);
		shape_name(&literals[i].s, name, sizeof(name));
		T_CHECK(model_agrees(&literals[i], &e),
			"txn model: %s: as written by hand", name);
		failed = run_shape(&literals[i].s, &e, why, sizeof(why));
		T_CHECK(!failed, "txn: %s: %s", name,
			failed ? why : "as expected");
	}

	for (st = 0; st < ARRAY_SIZE(starts); st++) {
		for (o = 0; o < ARRAY_SIZE(outsides); o++) {
			memset(&s, 0, sizeof(s));
			s.start = st;
			s.outside = o;
			n = bad = 0;
			for (len = 1, k = codes; len <= MAX_OPS;
			     len++, k *= codes) {
				s.nr_ops = len;
				for (code = 0; code < k; code++, n++) {
					for (i = 0; i < len; i++)
						make_req(&s.ops[i],
							 code / ipow(codes, i) % codes,
							 i);
					model_shape(&s, &e);
					if (!run_shape(&s, &e, why, sizeof(why)))
						continue;
					if (bad++ < 3) {
						shape_name(&s, name, sizeof(name));
						printf("    %s: %s\n", name, why);
					}
				}
			}
			T_CHECK(!bad, "txn: start {%s}, outside %s: %u of %u shapes as expected",
				starts[st].name, outside_names[o], n - bad, n);
			total += n;
			total_bad += bad;
		}
	}
	printf("txn: %u shapes, %u not as expected\n", total, total_bad);
	T_CHECK(!d0.intf->error && !out.intf->error, "txn: no ring failed");
	T_DONE();
}
