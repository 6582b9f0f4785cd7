// SPDX-License-Identifier: MIT
/*
 * The xenstore client against whichever store the hypervisor gives us
 * (tern-xenstored on the host hypervisor, Xen's own xenstored in the rig),
 * so it holds the client to the protocol, not to one implementation.
 *
 * It reads what the toolstack wrote for us (name, domid, our path), then
 * works under data/, the one directory of our home a Xen toolstack lets
 * the guest write: write, read back, list, remove, a value larger than
 * the 1 KiB ring both ways, a node we may read but not write, a
 * transaction that commits, one that aborts, one that collides with a
 * change made under it (-EAGAIN) and is then retried, and a watch that
 * fires once when set, for a write below it and for a removal, and never
 * after it is unregistered.
 */
#include <linux/kernel.h>
#include <linux/selftest.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/time.h>
#include <xen/xenbus.h>

#define BASE		"data/tern-selftest"
#define WAIT_NS		(10 * NSEC_PER_SEC)
#define BIG_LEN		2000

static char buf[4096];
static char big[BIG_LEN + 1];

/* ---- the watch ---- */

#define MAX_EVENTS	8
static char ev_paths[MAX_EVENTS][128];
static unsigned int ev_count;

static void watch_fired(struct xenbus_watch *w, const char *path)
{
	unsigned int n = READ_ONCE(ev_count);

	if (n < MAX_EVENTS)
		strscpy(ev_paths[n], path, sizeof(ev_paths[n]));
	__atomic_store_n(&ev_count, n + 1, __ATOMIC_RELEASE);
}

static struct xenbus_watch test_watch = {
	.node = BASE "/w",
	.callback = watch_fired,
};

/* Waits until at least n events came; false after WAIT_NS. */
static bool wait_events(unsigned int n)
{
	u64 end = xen_clocksource_read() + WAIT_NS;

	while (__atomic_load_n(&ev_count, __ATOMIC_ACQUIRE) < n) {
		if (xen_clocksource_read() > end)
			return false;
		msleep(1);
	}
	return true;
}

/* Whether some event since the first `from` has exactly this path. */
static bool saw_event(unsigned int from, const char *path)
{
	unsigned int i, n = min(READ_ONCE(ev_count), (unsigned int)MAX_EVENTS);

	for (i = from; i < n; i++)
		if (!strcmp(ev_paths[i], path))
			return true;
	return false;
}

static bool read_is(xenbus_transaction_t t, const char *node,
		    const char *want)
{
	int n = xenbus_read(t, node, "", buf, sizeof(buf));

	return n == (int)strlen(want) && !strcmp(buf, want);
}

static void test_identity(void)
{
	unsigned long long domid = 0;
	char path[64], name[64];
	int n;

	n = xenbus_read(XBT_NIL, "domid", "", buf, sizeof(buf));
	ST_CHECK(n > 0);
	ST_CHECK(n > 0 && !kstrtoull(buf, 10, &domid) && domid > 0 &&
		 domid < 0x7ff0);
	n = xenbus_read(XBT_NIL, "name", "", name, sizeof(name));
	ST_CHECK(n > 0);
	printk("xenbus: we are domain %llu, named '%s'\n", domid,
	       n > 0 ? name : "?");

	n = xenbus_get_domain_path(domid, buf, sizeof(buf));
	snprintf(path, sizeof(path), "/local/domain/%llu", domid);
	ST_CHECK(n > 0 && !strcmp(buf, path));
	/* The same node, absolute. */
	ST_CHECK(n > 0 && read_is(XBT_NIL, "name", name));
	ST_CHECK(xenbus_read(XBT_NIL, path, "name", buf, sizeof(buf)) > 0 &&
		 !strcmp(buf, name));
	/* Readable, but the toolstack's: not ours to change. */
	ST_CHECK(xenbus_write(XBT_NIL, path, "name", "mallory") == -EACCES);
	ST_CHECK(read_is(XBT_NIL, "name", name));
	/* A buffer too small is an error, not a cut value. */
	ST_CHECK(xenbus_read(XBT_NIL, "name", "", buf, 2) == -ERANGE ||
		 strlen(name) < 2);
}

static void test_nodes(void)
{
	int i, n;

	ST_CHECK(xenbus_write(XBT_NIL, BASE, "a", "hello") == 0);
	ST_CHECK(read_is(XBT_NIL, BASE "/a", "hello"));
	ST_CHECK(xenbus_printf(XBT_NIL, BASE, "n", "%d-%s", 42, "x") == 0);
	ST_CHECK(read_is(XBT_NIL, BASE "/n", "42-x"));
	ST_CHECK(xenbus_mkdir(XBT_NIL, BASE, "dir") == 0);
	ST_CHECK(read_is(XBT_NIL, BASE "/dir", ""));
	ST_CHECK(xenbus_exists(XBT_NIL, BASE, "a") == 1);
	ST_CHECK(xenbus_exists(XBT_NIL, BASE, "nope") == 0);
	ST_CHECK(xenbus_read(XBT_NIL, BASE, "nope", buf, sizeof(buf)) ==
		 -ENOENT);

	/* Twice the ring: both directions stream through it. */
	for (i = 0; i < BIG_LEN; i++)
		big[i] = 'a' + (i * 7) % 26;
	big[BIG_LEN] = '\0';
	ST_CHECK(xenbus_write(XBT_NIL, BASE, "big", big) == 0);
	n = xenbus_read(XBT_NIL, BASE, "big", buf, sizeof(buf));
	ST_CHECK(n == BIG_LEN && !memcmp(buf, big, BIG_LEN));

	n = xenbus_directory(XBT_NIL, BASE, "", buf, sizeof(buf));
	ST_CHECK(n == 4);
	if (n == 4) {
		const char *p = buf;
		unsigned int seen = 0;

		for (i = 0; i < n; i++, p += strlen(p) + 1) {
			if (!strcmp(p, "a"))
				seen |= 1;
			else if (!strcmp(p, "n"))
				seen |= 2;
			else if (!strcmp(p, "dir"))
				seen |= 4;
			else if (!strcmp(p, "big"))
				seen |= 8;
		}
		ST_CHECK(seen == 15);
	}
	ST_CHECK(xenbus_rm(XBT_NIL, BASE, "a") == 0);
	ST_CHECK(xenbus_exists(XBT_NIL, BASE, "a") == 0);
	ST_CHECK(xenbus_rm(XBT_NIL, BASE, "big") == 0);
	ST_CHECK(xenbus_directory(XBT_NIL, BASE, "", buf, sizeof(buf)) == 2);
}

static void test_transactions(void)
{
	xenbus_transaction_t t;
	int rc, tries;

	/* Commit: invisible outside until the end, then there. */
	ST_CHECK(xenbus_transaction_start(&t) == 0);
	ST_CHECK(xenbus_write(t, BASE, "tx", "committed") == 0);
	ST_CHECK(read_is(t, BASE "/tx", "committed"));
	ST_CHECK(xenbus_exists(XBT_NIL, BASE, "tx") == 0);
	ST_CHECK(xenbus_transaction_end(t, false) == 0);
	ST_CHECK(read_is(XBT_NIL, BASE "/tx", "committed"));

	/* Abort: nothing happened. */
	ST_CHECK(xenbus_transaction_start(&t) == 0);
	ST_CHECK(xenbus_write(t, BASE, "aborted", "x") == 0);
	ST_CHECK(xenbus_write(t, BASE, "tx", "changed") == 0);
	ST_CHECK(xenbus_transaction_end(t, true) == 0);
	ST_CHECK(xenbus_exists(XBT_NIL, BASE, "aborted") == 0);
	ST_CHECK(read_is(XBT_NIL, BASE "/tx", "committed"));

	/* A node the transaction read changes under it: -EAGAIN. */
	ST_CHECK(xenbus_write(XBT_NIL, BASE, "counter", "1") == 0);
	ST_CHECK(xenbus_transaction_start(&t) == 0);
	ST_CHECK(read_is(t, BASE "/counter", "1"));
	ST_CHECK(xenbus_write(XBT_NIL, BASE, "counter", "5") == 0);
	ST_CHECK(xenbus_write(t, BASE, "counter", "2") == 0);
	ST_CHECK(xenbus_transaction_end(t, false) == -EAGAIN);
	ST_CHECK(read_is(XBT_NIL, BASE "/counter", "5"));

	/* ...and the usual retry loop then gets through. */
	for (tries = 0; tries < 5; tries++) {
		unsigned long long v = 0;

		rc = xenbus_transaction_start(&t);
		if (rc)
			break;
		rc = xenbus_read(t, BASE, "counter", buf, sizeof(buf));
		if (rc > 0)
			rc = kstrtoull(buf, 10, &v);
		if (!rc)
			rc = xenbus_printf(t, BASE, "counter", "%llu", v + 1);
		if (rc) {
			xenbus_transaction_end(t, true);
			break;
		}
		rc = xenbus_transaction_end(t, false);
		if (rc != -EAGAIN)
			break;
	}
	ST_CHECK(rc == 0);
	ST_CHECK(read_is(XBT_NIL, BASE "/counter", "6"));
}

static void test_watch_fires(void)
{
	unsigned int before;

	ev_count = 0;
	ST_CHECK(xenbus_write(XBT_NIL, BASE, "w", "") == 0);
	if (!ST_CHECK(register_xenbus_watch(&test_watch) == 0))
		return;
	/* Once when set, with the watch's own (relative) path. */
	ST_CHECK(wait_events(1));
	ST_CHECK(saw_event(0, BASE "/w"));

	before = READ_ONCE(ev_count);
	ST_CHECK(xenbus_write(XBT_NIL, BASE, "w/x", "1") == 0);
	ST_CHECK(wait_events(before + 1));
	ST_CHECK(saw_event(before, BASE "/w/x"));

	before = READ_ONCE(ev_count);
	ST_CHECK(xenbus_rm(XBT_NIL, BASE, "w") == 0);
	ST_CHECK(wait_events(before + 1));
	ST_CHECK(saw_event(before, BASE "/w"));

	unregister_xenbus_watch(&test_watch);
	before = READ_ONCE(ev_count);
	ST_CHECK(xenbus_write(XBT_NIL, BASE, "w", "after") == 0);
	/* A round trip later its event would have been delivered. */
	ST_CHECK(xenbus_exists(XBT_NIL, BASE, "w") == 1);
	msleep(50);
	ST_CHECK(READ_ONCE(ev_count) == before);
}

static enum selftest_result xenbus_test(void)
{
	if (!xenbus_available()) {
		printk("xenbus: the client is not connected\n");
		return SELFTEST_ERROR;
	}
	/* A previous run that failed half-way may have left some. */
	xenbus_rm(XBT_NIL, BASE, "");

	test_identity();
	test_nodes();
	test_transactions();
	test_watch_fires();

	ST_CHECK(xenbus_rm(XBT_NIL, BASE, "") == 0);
	ST_CHECK(xenbus_exists(XBT_NIL, BASE, "") == 0);
	return selftest_status();
}
DEFINE_SELFTEST(xenbus, xenbus_test);
