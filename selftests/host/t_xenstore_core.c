// SPDX-License-Identifier: MIT
/*
 * tern-xenstored's protocol semantics, in-process, through guest rings:
 * dom0 (privileged) and domains 5, 6 and 9 (not).  Permissions as Xen
 * defines them, relative paths, watches (initial event, relative
 * events, removal of a watched subtree, permission filtering, special
 * watches), transactions (isolation, abort, conflict -> EAGAIN, no
 * false conflict between unrelated subtrees), quotas, DIRECTORY_PART,
 * SET_TARGET, domain requests and malformed requests.
 */
#define T_XENSTORE_INPROCESS
#include "hosttest.h"
#include "t_xenstore.h"

static struct tguest d0, d5, d6, d9;
static struct tmsg m;

static int ok(struct tguest *g, uint32_t type, uint32_t tx, const void *p,
	      unsigned int len)
{
	return tg_req(g, type, tx, p, len, &m) == (int)type &&
	       !strcmp(m.body, "OK");
}

static int err(struct tguest *g, uint32_t type, uint32_t tx, const void *p,
	       unsigned int len, const char *name)
{
	return tg_req(g, type, tx, p, len, &m) == XS_ERROR &&
	       !strcmp(m.body, name);
}

static int reads(struct tguest *g, uint32_t tx, const void *p,
		 unsigned int len, const char *want)
{
	return tg_req(g, XS_READ, tx, p, len, &m) == XS_READ &&
	       m.hdr.len == strlen(want) && !memcmp(m.body, want, m.hdr.len);
}

static void test_perms(void)
{
	T_CHECK(ok(&d0, XS_MKDIR, 0, P("/local/domain/5\0")) &&
		ok(&d0, XS_SET_PERMS, 0, P("/local/domain/5\0n5\0")),
		"perms: dom0 makes /local/domain/5 owned by 5");
	T_CHECK(ok(&d5, XS_WRITE, 0, P("data/x\0v5")),
		"perms: domain writes below its home, relative path");
	T_CHECK(reads(&d0, 0, P("/local/domain/5/data/x\0"), "v5"),
		"perms: relative path lands in /local/domain/5");
	T_CHECK(tg_req(&d0, XS_GET_PERMS, 0, P("/local/domain/5/data/x\0"),
		       &m) == XS_GET_PERMS && m.hdr.len == 3 &&
		!strcmp(m.body, "n5"),
		"perms: node created by domain 5 is owned by it (n5)");
	T_CHECK(ok(&d0, XS_WRITE, 0, P("/secret\0s")),
		"perms: dom0 writes /secret (n0 from the root)");
	T_CHECK(err(&d5, XS_READ, 0, P("/secret\0"), "EACCES"),
		"perms: domain cannot read an n0 node");
	T_CHECK(err(&d5, XS_WRITE, 0, P("/secret\0x"), "EACCES"),
		"perms: domain cannot write an n0 node");
	T_CHECK(err(&d5, XS_WRITE, 0, P("/newtop\0x"), "EACCES"),
		"perms: domain cannot create under an n0 parent");
	T_CHECK(err(&d5, XS_RM, 0, P("/secret\0"), "EACCES"),
		"perms: domain cannot remove an n0 node");
	T_CHECK(err(&d6, XS_READ, 0, P("/local/domain/5/data/x\0"), "EACCES"),
		"perms: other domain cannot read n5 node");
	T_CHECK(ok(&d5, XS_SET_PERMS, 0, P("data/x\0n5\0r6\0")),
		"perms: owner grants r6");
	T_CHECK(reads(&d6, 0, P("/local/domain/5/data/x\0"), "v5"),
		"perms: r6 lets domain 6 read");
	T_CHECK(err(&d6, XS_WRITE, 0, P("/local/domain/5/data/x\0y"), "EACCES"),
		"perms: r6 does not let domain 6 write");
	T_CHECK(err(&d6, XS_SET_PERMS, 0, P("/local/domain/5/data/x\0b6\0"),
		    "EACCES"), "perms: only the owner changes permissions");
	T_CHECK(ok(&d5, XS_SET_PERMS, 0, P("data/x\0n5\0w6\0")) &&
		ok(&d6, XS_WRITE, 0, P("/local/domain/5/data/x\0by6")) &&
		err(&d6, XS_READ, 0, P("/local/domain/5/data/x\0"), "EACCES"),
		"perms: w6 lets domain 6 write but not read");
	T_CHECK(ok(&d5, XS_SET_PERMS, 0, P("data/x\0r5\0")) &&
		reads(&d6, 0, P("/local/domain/5/data/x\0"), "by6"),
		"perms: first entry's letter is everyone else's access (r5)");
	T_CHECK(ok(&d5, XS_SET_PERMS, 0, P("data/x\0r5\0n6\0")) &&
		err(&d6, XS_READ, 0, P("/local/domain/5/data/x\0"), "EACCES") &&
		reads(&d9, 0, P("/local/domain/5/data/x\0"), "by6"),
		"perms: a later entry overrides the default for its domain only");
	T_CHECK(err(&d5, XS_SET_PERMS, 0, P("data/x\0b6\0"), "EPERM"),
		"perms: a domain cannot give its node away");
	T_CHECK(err(&d5, XS_SET_PERMS, 0, P("data/x\0q5\0"), "EINVAL") &&
		err(&d5, XS_SET_PERMS, 0, P("data/x\0r\0"), "EINVAL") &&
		err(&d5, XS_SET_PERMS, 0, P("data/x\0"), "EINVAL"),
		"perms: malformed permission lists are EINVAL");
	T_CHECK(ok(&d0, XS_SET_PERMS, 0, P("/local/domain/5/data/x\0n0\0")) &&
		err(&d5, XS_READ, 0, P("data/x\0"), "EACCES"),
		"perms: dom0 may give any node to anyone");
	T_CHECK(ok(&d0, XS_SET_PERMS, 0, P("/local/domain/5/data/x\0b5\0")),
		"perms: and back");

	/* SET_TARGET: domain 9 acts for domain 5. */
	T_CHECK(err(&d5, XS_SET_TARGET, 0, P("9\0" "5\0"), "EACCES"),
		"target: SET_TARGET is privileged");
	T_CHECK(err(&d9, XS_READ, 0, P("/local/domain/5\0"), "EACCES"),
		"target: domain 9 cannot read domain 5's home yet");
	T_CHECK(ok(&d0, XS_SET_TARGET, 0, P("9\0" "5\0")) &&
		ok(&d9, XS_WRITE, 0, P("/local/domain/5/dm\0from9")) &&
		reads(&d9, 0, P("/local/domain/5\0"), ""),
		"target: after SET_TARGET 9 5, domain 9 owns what 5 owns");
}

static void test_paths(void)
{
	T_CHECK(err(&d0, XS_READ, 0, P("/a//b\0"), "EINVAL"),
		"paths: double slash is EINVAL");
	T_CHECK(err(&d0, XS_WRITE, 0, P("/a/b/\0x"), "EINVAL"),
		"paths: trailing slash is EINVAL");
	T_CHECK(err(&d0, XS_WRITE, 0, P("/a b\0x"), "EINVAL") &&
		err(&d0, XS_WRITE, 0, P("/a.b\0x"), "EINVAL"),
		"paths: characters outside [A-Za-z0-9-/_@] are EINVAL");
	T_CHECK(err(&d0, XS_READ, 0, P("\0"), "EINVAL"),
		"paths: empty path is EINVAL");
	T_CHECK(err(&d0, XS_READ, 0, P("@releaseDomain\0"), "EINVAL"),
		"paths: @names only in watches");
	{
		char p[XENSTORE_ABS_PATH_MAX + 2];

		memset(p, 'a', sizeof(p));
		p[0] = '/';
		p[XENSTORE_ABS_PATH_MAX + 1] = '\0';
		T_CHECK(err(&d0, XS_READ, 0, p, sizeof(p), "EINVAL"),
			"paths: over 3072 bytes is EINVAL");
		p[XENSTORE_ABS_PATH_MAX] = '\0';
		T_CHECK(tg_req(&d0, XS_READ, 0, p, XENSTORE_ABS_PATH_MAX + 1,
			       &m) == XS_ERROR && !strcmp(m.body, "ENOENT"),
			"paths: exactly 3072 bytes is fine (ENOENT)");
	}
	T_CHECK(err(&d0, XS_READ, 0, P("/no/such\0"), "ENOENT"),
		"paths: missing node is ENOENT");
	T_CHECK(ok(&d0, XS_RM, 0, P("/no\0")),
		"rm: missing node with existing parent is OK");
	T_CHECK(err(&d0, XS_RM, 0, P("/no/such\0"), "ENOENT"),
		"rm: missing node with missing parent is ENOENT");
	T_CHECK(err(&d0, XS_RM, 0, P("/\0"), "EINVAL"),
		"rm: the root cannot be removed");
	T_CHECK(ok(&d0, XS_WRITE, 0, P("/mk/a\0val")) &&
		ok(&d0, XS_MKDIR, 0, P("/mk/a\0")) &&
		reads(&d0, 0, P("/mk/a\0"), "val"),
		"mkdir: existing node keeps its value");
	T_CHECK(ok(&d0, XS_WRITE, 0, P("/bin\0a\0b\xff")) &&
		tg_req(&d0, XS_READ, 0, P("/bin\0"), &m) == XS_READ &&
		m.hdr.len == 4 && !memcmp(m.body, "a\0b\xff", 4),
		"write: values are any bytes, NULs included");
	T_CHECK(tg_req(&d0, XS_GET_DOMAIN_PATH, 0, P("12\0"), &m) ==
		XS_GET_DOMAIN_PATH && !strcmp(m.body, "/local/domain/12"),
		"GET_DOMAIN_PATH 12 -> /local/domain/12");
	T_CHECK(err(&d0, XS_GET_DOMAIN_PATH, 0, P("x\0"), "EINVAL"),
		"GET_DOMAIN_PATH x -> EINVAL");
}

static void test_malformed(void)
{
	T_CHECK(err(&d5, 99, 0, P("x\0"), "EINVAL"),
		"bad: unknown type 99 -> EINVAL");
	T_CHECK(err(&d5, XS_TYPE_COUNT, 0, P("x\0"), "EINVAL") &&
		err(&d5, 20, 0, P("x\0"), "EINVAL"),
		"bad: types 20 and XS_TYPE_COUNT -> EINVAL");
	T_CHECK(err(&d5, XS_WATCH_EVENT, 0, P("a\0b\0"), "EINVAL") &&
		err(&d5, XS_ERROR, 0, P("EINVAL\0"), "EINVAL"),
		"bad: WATCH_EVENT and ERROR as requests -> EINVAL");
	T_CHECK(err(&d5, XS_READ, 0, P("data/x"), "EINVAL"),
		"bad: unterminated path -> EINVAL");
	T_CHECK(err(&d5, XS_READ, 0, "", 0, "EINVAL"),
		"bad: empty payload -> EINVAL");
	T_CHECK(err(&d5, XS_WATCH, 0, P("data\0tok"), "EINVAL"),
		"bad: unterminated watch token -> EINVAL");
	T_CHECK(err(&d5, XS_WRITE, 0, P("data/nonul"), "EINVAL"),
		"bad: WRITE without the path's NUL -> EINVAL");
	T_CHECK(err(&d5, XS_READ, 77, P("data/x\0"), "ENOENT"),
		"bad: unknown transaction id -> ENOENT");
	T_CHECK(err(&d5, XS_TRANSACTION_END, 0, P("T\0"), "EINVAL"),
		"bad: TRANSACTION_END outside a transaction -> EINVAL");
	T_CHECK(err(&d5, XS_INTRODUCE, 0, P("7\0" "1\0" "1\0"), "EACCES") &&
		err(&d5, XS_RELEASE, 0, P("7\0"), "EACCES") &&
		err(&d5, XS_RESUME, 0, P("7\0"), "EACCES") &&
		err(&d5, XS_CONTROL, 0, P("help\0"), "EACCES"),
		"bad: domain requests from a domain -> EACCES");
	T_CHECK(err(&d0, XS_INTRODUCE, 0, P("7\0" "1\0" "1\0"), "ENOSYS"),
		"bad: INTRODUCE on a ring (no page to pass) -> ENOSYS");
	T_CHECK(err(&d0, XS_INTRODUCE, 0, P("0\0" "1\0" "1\0"), "EINVAL") &&
		err(&d0, XS_RELEASE, 0, P("0\0"), "EINVAL"),
		"bad: INTRODUCE/RELEASE of domain 0 -> EINVAL");
	T_CHECK(ok(&d5, XS_WRITE, 0, P("data/after\0fine")),
		"bad: the connection works on after all of these");
}

static void test_watches(void)
{
	T_CHECK(ok(&d5, XS_WATCH, 0, P("data\0rel\0")),
		"watch: relative watch accepted");
	tg_events(&d5);
	T_CHECK(tev_take(&d5.ev, "data", "rel"),
		"watch: initial event on the watch path, relative");
	T_CHECK(err(&d5, XS_WATCH, 0, P("data\0rel\0"), "EEXIST"),
		"watch: same path and token twice -> EEXIST");
	ok(&d5, XS_WRITE, 0, P("data/w1\0x"));
	tg_events(&d5);
	T_CHECK(tev_take(&d5.ev, "data/w1", "rel") && !d5.ev.n,
		"watch: write fires one relative event");
	ok(&d0, XS_WRITE, 0, P("/local/domain/5/data/w2\0y"));
	tg_events(&d5);
	T_CHECK(tev_take(&d5.ev, "data/w2", "rel"),
		"watch: another domain's write fires it too");

	T_CHECK(ok(&d0, XS_WATCH, 0, P("/wt/a/b/c\0deep\0")) &&
		ok(&d0, XS_WATCH, 0, P("/wt\0top\0")),
		"watch: dom0 watches /wt and /wt/a/b/c");
	tg_events(&d0);
	d0.ev.n = 0;
	ok(&d0, XS_WRITE, 0, P("/wt/a/b/c/d\0x"));
	tg_events(&d0);
	T_CHECK(tev_take(&d0.ev, "/wt/a/b/c/d", "deep") &&
		tev_take(&d0.ev, "/wt/a/b/c/d", "top"),
		"watch: child write fires both, with the written path");
	ok(&d0, XS_RM, 0, P("/wt/a\0"));
	tg_events(&d0);
	T_CHECK(tev_take(&d0.ev, "/wt/a", "top") &&
		tev_take(&d0.ev, "/wt/a/b/c", "deep"),
		"watch: removing a parent fires inner watches with their own path");
	ok(&d0, XS_SET_PERMS, 0, P("/wt\0n0\0r5\0"));
	tg_events(&d0);
	T_CHECK(tev_take(&d0.ev, "/wt", "top"),
		"watch: permission change fires");
	T_CHECK(ok(&d0, XS_UNWATCH, 0, P("/wt\0top\0")) &&
		err(&d0, XS_UNWATCH, 0, P("/wt\0top\0"), "ENOENT"),
		"watch: UNWATCH, and again -> ENOENT");
	d0.ev.n = 0;
	ok(&d0, XS_WRITE, 0, P("/wt\0z"));
	tg_events(&d0);
	T_CHECK(!tev_take(&d0.ev, "/wt", "top"), "watch: no event after UNWATCH");

	/* Filtering by read permission. */
	T_CHECK(ok(&d6, XS_WATCH, 0, P("/local/domain/5\0six\0")),
		"watch: domain 6 watches domain 5's home");
	tg_events(&d6);
	d6.ev.n = 0;
	ok(&d5, XS_WRITE, 0, P("data/private\0p"));
	tg_events(&d6);
	T_CHECK(!d6.ev.n, "watch: no event for a node the watcher cannot read");
	ok(&d5, XS_SET_PERMS, 0, P("data/private\0n5\0r6\0"));
	tg_events(&d6);
	T_CHECK(tev_take(&d6.ev, "/local/domain/5/data/private", "six"),
		"watch: event once the node is readable");

	/* Special watches. */
	T_CHECK(ok(&d0, XS_WATCH, 0, P("@introduceDomain\0in\0")) &&
		ok(&d0, XS_WATCH, 0, P("@releaseDomain\0out\0")) &&
		ok(&d5, XS_WATCH, 0, P("@introduceDomain\0in5\0")),
		"watch: special watches accepted");
	tg_events(&d0);
	tg_events(&d5);
	T_CHECK(tev_take(&d0.ev, "@introduceDomain", "in") &&
		tev_take(&d0.ev, "@releaseDomain", "out"),
		"watch: special watches fire once when set");
	d5.ev.n = 0;
	{
		struct tguest d7;

		tg_init(&d7, 7, 0);
		domain_introduced(7, d7.c);
		tg_events(&d0);
		tg_events(&d5);
		T_CHECK(tev_take(&d0.ev, "@introduceDomain", "in"),
			"watch: @introduceDomain fires on introduction");
		T_CHECK(!d5.ev.n,
			"watch: special events only for privileged watchers");
		T_CHECK(tg_req(&d0, XS_IS_DOMAIN_INTRODUCED, 0, P("7\0"), &m) ==
			XS_IS_DOMAIN_INTRODUCED && !strcmp(m.body, "T"),
			"IS_DOMAIN_INTRODUCED 7 -> T");
		domain_shutdown(7);
		domain_shutdown(7);
		tg_events(&d0);
		T_CHECK(tev_take(&d0.ev, "@releaseDomain", "out") &&
			!tev_take(&d0.ev, "@releaseDomain", "out"),
			"watch: @releaseDomain once per shutdown");
		T_CHECK(ok(&d0, XS_RESUME, 0, P("7\0")), "RESUME 7");
		domain_shutdown(7);
		tg_events(&d0);
		T_CHECK(tev_take(&d0.ev, "@releaseDomain", "out"),
			"watch: RESUME re-arms @releaseDomain");
		T_CHECK(ok(&d0, XS_RELEASE, 0, P("7\0")), "RELEASE 7");
		tg_events(&d0);
		T_CHECK(tev_take(&d0.ev, "@releaseDomain", "out"),
			"watch: @releaseDomain on RELEASE");
		T_CHECK(tg_req(&d0, XS_IS_DOMAIN_INTRODUCED, 0, P("7\0"), &m) ==
			XS_IS_DOMAIN_INTRODUCED && !strcmp(m.body, "F"),
			"IS_DOMAIN_INTRODUCED 7 -> F after RELEASE");
		T_CHECK(err(&d0, XS_RELEASE, 0, P("7\0"), "ENOENT") &&
			err(&d0, XS_RESUME, 0, P("7\0"), "ENOENT"),
			"RELEASE/RESUME of an unknown domain -> ENOENT");
		conn_reap();	/* RELEASE killed the ring connection */
		free(d7.intf);
	}
	T_CHECK(ok(&d5, XS_RESET_WATCHES, 0, P("\0")), "RESET_WATCHES");
	d5.ev.n = 0;
	ok(&d5, XS_WRITE, 0, P("data/w3\0x"));
	tg_events(&d5);
	T_CHECK(!d5.ev.n, "watch: no events after RESET_WATCHES");
}

static uint32_t tstart(struct tguest *g)
{
	if (tg_req(g, XS_TRANSACTION_START, 0, P("\0"), &m) !=
	    XS_TRANSACTION_START)
		return 0;
	return strtoul(m.body, NULL, 10);
}

static void test_transactions(void)
{
	uint32_t t1, t2;

	ok(&d0, XS_WRITE, 0, P("/tx/x\0old"));
	t1 = tstart(&d0);
	T_CHECK(t1 != 0, "tx: TRANSACTION_START gives an id");
	T_CHECK(ok(&d0, XS_WRITE, t1, P("/tx/x\0new")) &&
		reads(&d0, t1, P("/tx/x\0"), "new") &&
		reads(&d0, 0, P("/tx/x\0"), "old"),
		"tx: writes visible inside only");
	ok(&d0, XS_WATCH, 0, P("/tx\0txw\0"));
	tg_events(&d0);
	d0.ev.n = 0;
	ok(&d0, XS_WRITE, t1, P("/tx/y\0made"));
	tg_events(&d0);
	T_CHECK(!d0.ev.n, "tx: no watch event before commit");
	T_CHECK(ok(&d0, XS_TRANSACTION_END, t1, P("T\0")) &&
		reads(&d0, 0, P("/tx/x\0"), "new") &&
		reads(&d0, 0, P("/tx/y\0"), "made"),
		"tx: commit applies the writes");
	tg_events(&d0);
	T_CHECK(tev_take(&d0.ev, "/tx/x", "txw") &&
		tev_take(&d0.ev, "/tx/y", "txw"),
		"tx: watch events on commit");
	T_CHECK(err(&d0, XS_READ, t1, P("/tx/x\0"), "ENOENT"),
		"tx: id is gone after the end");

	t1 = tstart(&d0);
	ok(&d0, XS_RM, t1, P("/tx/x\0"));
	T_CHECK(ok(&d0, XS_TRANSACTION_END, t1, P("F\0")) &&
		reads(&d0, 0, P("/tx/x\0"), "new"),
		"tx: abort (F) discards");

	t1 = tstart(&d0);
	reads(&d0, t1, P("/tx/x\0"), "new");
	ok(&d0, XS_WRITE, t1, P("/tx/z\0from-t1"));
	ok(&d6, XS_WRITE, 0, P("/local/domain/5/data/x\0ignored"));
	ok(&d0, XS_WRITE, 0, P("/tx/x\0changed"));
	T_CHECK(err(&d0, XS_TRANSACTION_END, t1, P("T\0"), "EAGAIN") &&
		err(&d0, XS_READ, 0, P("/tx/z\0"), "ENOENT"),
		"tx: a read node changed meanwhile -> EAGAIN, nothing applied");

	ok(&d0, XS_MKDIR, 0, P("/local/domain/6\0"));
	ok(&d0, XS_SET_PERMS, 0, P("/local/domain/6\0n6\0"));
	t1 = tstart(&d5);
	t2 = tstart(&d6);
	T_CHECK(t1 && t2 && t1 != t2, "tx: two domains start transactions");
	ok(&d5, XS_WRITE, t1, P("data/t\0five"));
	ok(&d6, XS_WRITE, t2, P("data/t\0six"));
	T_CHECK(ok(&d5, XS_TRANSACTION_END, t1, P("T\0")) &&
		ok(&d6, XS_TRANSACTION_END, t2, P("T\0")),
		"tx: unrelated subtrees both commit");
	t1 = tstart(&d5);
	t2 = tstart(&d5);
	ok(&d5, XS_WRITE, t1, P("data/same\0one"));
	ok(&d5, XS_WRITE, t2, P("data/same\0two"));
	T_CHECK(ok(&d5, XS_TRANSACTION_END, t2, P("T\0")) &&
		err(&d5, XS_TRANSACTION_END, t1, P("T\0"), "EAGAIN") &&
		reads(&d5, 0, P("data/same\0"), "two"),
		"tx: two transactions creating the same node: second -> EAGAIN");
	t1 = tstart(&d0);
	T_CHECK(tg_req(&d0, XS_DIRECTORY, t1, P("/tx\0"), &m) == XS_DIRECTORY,
		"tx: DIRECTORY in a transaction");
	ok(&d0, XS_WRITE, 0, P("/tx/new-child\0x"));
	T_CHECK(err(&d0, XS_TRANSACTION_END, t1, P("T\0"), "EAGAIN"),
		"tx: a new child of a listed directory -> EAGAIN");
	t1 = tstart(&d0);
	T_CHECK(err(&d0, XS_TRANSACTION_START, t1, P("\0"), "EINVAL"),
		"tx: TRANSACTION_START with a tx_id -> EINVAL");
	T_CHECK(err(&d0, XS_TRANSACTION_END, t1, P("X\0"), "EINVAL"),
		"tx: TRANSACTION_END neither T nor F -> EINVAL");
	ok(&d0, XS_TRANSACTION_END, t1, P("F\0"));
}

static void test_quotas(void)
{
	struct xsd_quota saved = xsd_quota;
	char path[64], value[100];
	unsigned int i, made = 0, n;
	uint32_t t1, t2;
	int last = 0;

	xsd_quota.nodes = tree_owned(&xsd_tree, 5) + 10;
	for (i = 0; i < 20; i++) {
		n = snprintf(path, sizeof(path), "q/n%u", i) + 1;
		if (tg_req(&d5, XS_WRITE, 0, path, n, &m) == XS_WRITE)
			made++;
		else
			last = !strcmp(m.body, "ENOSPC");
	}
	T_CHECK(made == 9 && last,
		"quota: node quota stops domain 5 with ENOSPC (q + 9 children)");
	for (i = 0; i < 20; i++) {
		n = snprintf(path, sizeof(path), "/local/domain/5/q/d%u", i) + 1;
		tg_req(&d0, XS_WRITE, 0, path, n, &m);
	}
	T_CHECK(m.hdr.type == XS_WRITE, "quota: dom0 is not limited");
	T_CHECK(ok(&d5, XS_RM, 0, P("q\0")) &&
		ok(&d5, XS_WRITE, 0, P("q2\0x")),
		"quota: removing nodes gives room back");
	xsd_quota = saved;

	/*
	 * Two transactions, each within the quota on its own and on nodes
	 * of its own (so no conflict): the second to commit would go over.
	 */
	ok(&d5, XS_WRITE, 0, P("qa\0"));
	ok(&d5, XS_WRITE, 0, P("qb\0"));
	xsd_quota.nodes = tree_owned(&xsd_tree, 5) + 3;
	t1 = tstart(&d5);
	t2 = tstart(&d5);
	T_CHECK(ok(&d5, XS_WRITE, t1, P("qa/1\0")) &&
		ok(&d5, XS_WRITE, t1, P("qa/2\0")) &&
		ok(&d5, XS_WRITE, t2, P("qb/1\0")) &&
		ok(&d5, XS_WRITE, t2, P("qb/2\0")),
		"quota: two transactions each create 2 of the 3 nodes left");
	T_CHECK(ok(&d5, XS_TRANSACTION_END, t1, P("T\0")) &&
		err(&d5, XS_TRANSACTION_END, t2, P("T\0"), "ENOSPC") &&
		err(&d5, XS_READ, 0, P("qb/1\0"), "ENOENT"),
		"quota: the second commit -> ENOSPC, nothing applied");
	T_CHECK(tg_req(&d0, XS_CONTROL, 0, P("check\0"), &m) == XS_CONTROL,
		"quota: node counts still agree with the tree");
	t1 = tstart(&d5);
	T_CHECK(ok(&d5, XS_RM, t1, P("qa\0")) &&
		ok(&d5, XS_WRITE, t1, P("qb/1\0")) &&
		ok(&d5, XS_TRANSACTION_END, t1, P("T\0")),
		"quota: a commit that frees more than it makes is fine");
	ok(&d5, XS_RM, 0, P("qb\0"));
	xsd_quota = saved;

	xsd_quota.entry_size = 50;
	memcpy(value, "big\0", 4);
	memset(value + 4, 'e', 60);
	T_CHECK(tg_req(&d5, XS_WRITE, 0, value, 4 + 50, &m) == XS_WRITE &&
		err(&d5, XS_WRITE, 0, value, 4 + 51, "ENOSPC"),
		"quota: entry size 50: 50 bytes fit, 51 -> ENOSPC");
	xsd_quota = saved;

	xsd_quota.watches = domain_get(5)->nr_watches + 3;
	made = 0;
	for (i = 0; i < 5; i++) {
		n = snprintf(path, sizeof(path), "data%cw%u", 0, i) + 1;
		made += tg_req(&d5, XS_WATCH, 0, path, n, &m) == XS_WATCH;
	}
	T_CHECK(made == 3 && !strcmp(m.body, "E2BIG"),
		"quota: watch quota -> E2BIG");
	ok(&d5, XS_RESET_WATCHES, 0, P("\0"));
	xsd_quota = saved;

	xsd_quota.transactions = 2;
	T_CHECK(tstart(&d5) && tstart(&d5) && !tstart(&d5) &&
		!strcmp(m.body, "ENOSPC"),
		"quota: third transaction with quota 2 -> ENOSPC");
	T_CHECK(tstart(&d0) && tstart(&d0) && tstart(&d0),
		"quota: dom0 opens more");
	T_CHECK(ok(&d5, XS_RESET_WATCHES, 0, P("\0")) && tstart(&d5),
		"quota: RESET_WATCHES ends the transactions too");
	xsd_quota = saved;

	xsd_quota.perms = 2;
	T_CHECK(ok(&d5, XS_SET_PERMS, 0, P("data\0n5\0r6\0")) &&
		err(&d5, XS_SET_PERMS, 0, P("data\0n5\0r6\0r7\0"), "ENOSPC"),
		"quota: permission list of 3 with quota 2 -> ENOSPC");
	xsd_quota = saved;
	T_CHECK(tg_req(&d0, XS_CONTROL, 0, P("quota\0nodes\0" "77\0"), &m) ==
		XS_CONTROL && xsd_quota.nodes == 77 &&
		err(&d0, XS_CONTROL, 0, P("quota\0bogus\0" "1\0"), "EINVAL"),
		"quota: CONTROL quota sets one");
	xsd_quota = saved;
	T_CHECK(tg_req(&d0, XS_CONTROL, 0, P("check\0"), &m) == XS_CONTROL &&
		!strcmp(m.body, "OK"),
		"CONTROL check: node counts agree with the tree");
}

static void test_directory(void)
{
	char path[80], *p;
	unsigned int i, n, total = 0, names = 0, rounds = 0;
	unsigned long long gen = 0;
	int done = 0, same_gen = 1;

	for (i = 0; i < 300; i++) {
		n = snprintf(path, sizeof(path),
			     "/dir/a-rather-long-child-name-number-%u", i) + 1;
		tg_req(&d0, XS_MKDIR, 0, path, n, &m);
	}
	T_CHECK(err(&d0, XS_DIRECTORY, 0, P("/dir\0"), "E2BIG"),
		"dir: DIRECTORY of ~12 KiB of names -> E2BIG");
	while (!done && rounds++ < 20) {
		n = snprintf(path, sizeof(path), "/dir%c%u", 0, total) + 1;
		if (tg_req(&d0, XS_DIRECTORY_PART, 0, path, n, &m) !=
		    XS_DIRECTORY_PART)
			break;
		if (gen && strtoull(m.body, NULL, 10) != gen)
			same_gen = 0;
		gen = strtoull(m.body, NULL, 10);
		p = m.body + strlen(m.body) + 1;
		while (p < m.body + m.hdr.len) {
			if (!*p) {
				done = 1;
				break;
			}
			names++;
			total += strlen(p) + 1;
			p += strlen(p) + 1;
		}
	}
	T_CHECK(done && names == 300 && same_gen && rounds > 2,
		"dir: DIRECTORY_PART hands out all 300 names in %u pieces",
		rounds);
	ok(&d0, XS_WRITE, 0, P("/dir/one-more\0"));
	T_CHECK(tg_req(&d0, XS_DIRECTORY_PART, 0, P("/dir\0" "0\0"), &m) ==
		XS_DIRECTORY_PART && strtoull(m.body, NULL, 10) != gen,
		"dir: generation changes with the children");
	T_CHECK(err(&d0, XS_DIRECTORY_PART, 0, P("/dir\0" "999999\0"),
		    "EINVAL"), "dir: offset past the end -> EINVAL");
	T_CHECK(tg_req(&d0, XS_DIRECTORY, 0, P("/mk\0"), &m) == XS_DIRECTORY &&
		m.hdr.len == 2 && !memcmp(m.body, "a", 2),
		"dir: DIRECTORY lists leaf names, NUL-terminated");
}

int main(void)
{
	tree_init(&xsd_tree);
	tg_init(&d0, 0, 0);
	tg_init(&d5, 5, 0);
	tg_init(&d6, 6, 0);
	tg_init(&d9, 9, 0);
	test_perms();
	test_paths();
	test_malformed();
	test_watches();
	test_transactions();
	test_quotas();
	test_directory();
	T_CHECK(!d0.intf->error && !d5.intf->error && !d6.intf->error &&
		!d9.intf->error, "no ring ever failed");
	T_DONE();
}
