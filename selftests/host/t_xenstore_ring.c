// SPDX-License-Identifier: MIT
/*
 * The xenstore ring transport, in-process: this program plays the
 * guest's side of struct xenstore_domain_interface pages in memory and
 * checks what tern-xenstored's ring connection makes of them --
 * requests and replies, messages split across the ring's wrap point and
 * across index overflow, messages that trickle in, messages larger than
 * the ring, garbage indexes and oversized headers (error field, other
 * rings unaffected), the reconnection handshake, and the outstanding
 * replies quota.
 */
#define T_XENSTORE_INPROCESS
#include "hosttest.h"
#include "t_xenstore.h"

static int is_ok(const struct tmsg *m, uint32_t type)
{
	return m->hdr.type == type && !strcmp(m->body, "OK");
}

static void test_basic(void)
{
	struct tguest g;
	struct tmsg m;
	int t;

	tg_init(&g, 0, 0);
	T_CHECK((g.intf->server_features & 3) == 3,
		"ring: reconnection and error features advertised");
	t = tg_req(&g, XS_WRITE, 0, P("/ring/a\0hello"), &m);
	T_CHECK(t == XS_WRITE && is_ok(&m, XS_WRITE),
		"ring: WRITE answered OK");
	T_CHECK(m.hdr.req_id == 0x5a5a0000u + XS_WRITE,
		"ring: reply echoes req_id");
	t = tg_req(&g, XS_READ, 0, P("/ring/a\0"), &m);
	T_CHECK(t == XS_READ && m.hdr.len == 5 && !memcmp(m.body, "hello", 5),
		"ring: READ gives the value back");
	T_CHECK(g.notified > 0, "ring: guest notified of replies");
	T_CHECK(g.intf->req_cons == g.intf->req_prod,
		"ring: all requests consumed");
	T_CHECK(g.intf->error == XENSTORE_ERROR_NONE, "ring: no error");
	tg_fini(&g);
}

/* Requests and replies straddling the ring's end and the index's 2^32 wrap. */
static void test_wrap(uint32_t start, const char *what)
{
	char payload[300];
	struct tguest g;
	struct tmsg m;
	int i, ok = 1;

	tg_init(&g, 0, start);
	for (i = 0; i < 12 && ok; i++) {
		int n = snprintf(payload, sizeof(payload), "/wrap/k%d", i);

		memset(payload + n + 1, 'a' + i, 150);
		ok = tg_req(&g, XS_WRITE, 0, payload, n + 1 + 150, &m) ==
		     XS_WRITE;
		n = snprintf(payload, sizeof(payload), "/wrap/k%d", i);
		ok = ok && tg_req(&g, XS_READ, 0, payload, n + 1, &m) ==
			   XS_READ && m.hdr.len == 150 && m.body[0] == 'a' + i &&
			   m.body[149] == 'a' + i;
	}
	T_CHECK(ok, "ring: 24 messages across the wrap point (%s)", what);
	T_CHECK(g.intf->req_prod - start > 2 * XENSTORE_RING_SIZE,
		"ring: went round the ring more than twice (%s)", what);
	tg_fini(&g);
}

/* A request that arrives a few bytes at a time. */
static void test_trickle(void)
{
	static const char payload[] = "/trickle/x\0value";
	struct xsd_sockmsg hdr = { XS_WRITE, 9, 0, sizeof(payload) - 1 };
	char msg[sizeof(hdr) + sizeof(payload) - 1];
	unsigned int i, early = 0;
	struct tguest g;
	struct tmsg m;

	memcpy(msg, &hdr, sizeof(hdr));
	memcpy(msg + sizeof(hdr), payload, sizeof(payload) - 1);
	tg_init(&g, 0, 1020);
	for (i = 0; i < sizeof(msg); i += 3) {
		tg_put(&g, msg + i, sizeof(msg) - i < 3 ? sizeof(msg) - i : 3);
		tg_kick(&g);
		if (i + 3 < sizeof(msg) && tg_get(&g, &m))
			early++;
	}
	T_CHECK(!early, "ring: no reply before the request is whole");
	T_CHECK(tg_reply(&g, &m) == XS_WRITE && m.hdr.req_id == 9,
		"ring: request sent 3 bytes at a time is answered");
	tg_fini(&g);
}

/* A 3000-byte value: more than the ring holds, both ways. */
static void test_big(void)
{
	char msg[16 + 20 + 3000], got[16 + 3000];
	struct xsd_sockmsg hdr = { XS_WRITE, 1, 0, 0 };
	unsigned int off = 0, have = 0, plen, rounds = 0;
	struct tguest g;
	struct tmsg m;
	int ok;

	tg_init(&g, 0, 7);
	plen = snprintf(msg + 16, 20, "/big/value") + 1;
	memset(msg + 16 + plen, 'v', 3000);
	hdr.len = plen + 3000;
	memcpy(msg, &hdr, 16);
	while (off < 16 + hdr.len && rounds++ < 100) {
		off += tg_put(&g, msg + off, 16 + hdr.len - off);
		tg_kick(&g);
	}
	T_CHECK(off == 16 + hdr.len && tg_reply(&g, &m) == XS_WRITE,
		"ring: 3 KiB request streamed through the 1 KiB ring");

	tg_send(&g, XS_READ, 0, P("/big/value\0"));
	rounds = 0;
	while (have < sizeof(got) && rounds++ < 100) {
		uint32_t cons = g.intf->rsp_cons;

		while (cons != g.intf->rsp_prod && have < sizeof(got))
			got[have++] = g.intf->rsp[MASK_XENSTORE_IDX(cons++)];
		g.intf->rsp_cons = cons;
		tg_kick(&g);
	}
	memcpy(&hdr, got, 16);
	ok = have == sizeof(got) && hdr.type == XS_READ && hdr.len == 3000 &&
	     got[16] == 'v' && got[sizeof(got) - 1] == 'v';
	T_CHECK(ok, "ring: 3 KiB reply streamed out as the guest consumes");
	tg_fini(&g);
}

static void reconnect(struct tguest *g)
{
	unsigned int before = g->notified;

	__atomic_store_n(&g->intf->connection, XENSTORE_RECONNECT,
			 __ATOMIC_RELEASE);
	tg_kick(g);
	T_CHECK(g->intf->connection == XENSTORE_CONNECTED &&
		g->intf->error == XENSTORE_ERROR_NONE &&
		g->notified > before,
		"ring: reconnect resets connection and error, notifies");
	T_CHECK(g->intf->req_cons == g->intf->req_prod &&
		g->intf->rsp_prod == g->intf->rsp_cons,
		"ring: reconnect empties both queues");
}

static void test_garbage(void)
{
	struct tguest g, other;
	struct tmsg m;

	tg_init(&g, 0, 100);
	tg_init(&other, 0, 0);
	g.intf->req_prod = g.intf->req_cons + 5000;
	tg_kick(&g);
	T_CHECK(g.intf->error == XENSTORE_ERROR_RINGIDX,
		"ring: request indexes 5000 apart -> XENSTORE_ERROR_RINGIDX");
	T_CHECK(g.intf->rsp_prod == 100, "ring: nothing written to a bad ring");
	T_CHECK(tg_req(&other, XS_WRITE, 0, P("/other\0x"), &m) == XS_WRITE,
		"ring: another ring goes on after one fails");
	g.intf->req_prod = g.intf->req_cons;
	T_CHECK(tg_req(&g, XS_READ, 0, P("/other\0"), &m) == -1,
		"ring: failed ring ignored until the guest reconnects");
	reconnect(&g);
	T_CHECK(tg_req(&g, XS_READ, 0, P("/other\0"), &m) == XS_READ,
		"ring: requests answered again after reconnect");

	/* The guest's consumer index runs ahead of our producer index. */
	g.intf->rsp_cons = g.intf->rsp_prod + 3000;
	tg_send(&g, XS_READ, 0, P("/other\0"));
	T_CHECK(g.intf->error == XENSTORE_ERROR_RINGIDX,
		"ring: response indexes out of range -> XENSTORE_ERROR_RINGIDX");
	reconnect(&g);

	/* A header announcing more than XENSTORE_PAYLOAD_MAX. */
	{
		struct xsd_sockmsg hdr = { XS_WRITE, 1, 0, 5000 };

		tg_put(&g, &hdr, sizeof(hdr));
		tg_kick(&g);
		T_CHECK(g.intf->error == XENSTORE_ERROR_PROTO,
			"ring: payload over 4096 -> XENSTORE_ERROR_PROTO");
	}
	reconnect(&g);
	T_CHECK(tg_req(&g, XS_READ, 0, P("/other\0"), &m) == XS_READ &&
		!memcmp(m.body, "x", 1),
		"ring: usable after reconnect from a protocol error");

	/* Reconnection drops watches. */
	T_CHECK(tg_req(&g, XS_WATCH, 0, P("/other\0tok\0"), &m) == XS_WATCH,
		"ring: watch set");
	tg_events(&g);
	T_CHECK(tev_take(&g.ev, "/other", "tok"), "ring: initial watch event");
	reconnect(&g);
	tg_req(&other, XS_WRITE, 0, P("/other\0y"), &m);
	tg_events(&g);
	T_CHECK(g.ev.n == 0, "ring: no events for watches dropped by reconnect");
	T_CHECK(tg_req(&g, XS_WRITE, 0, P("/ring/z\0z"), &m) == XS_WRITE &&
		is_ok(&m, XS_WRITE), "ring: still fine after all that");
	tg_fini(&g);
	tg_fini(&other);
}

/* The daemon stops reading a guest that leaves replies unread. */
static void test_outstanding(void)
{
	unsigned int saved = xsd_quota.outstanding, i, sent = 0;
	char big[800 + 16];
	struct tguest dom0, g;
	struct tmsg m;
	uint32_t cons_before;
	int got = 0;

	tg_init(&dom0, 0, 0);
	memcpy(big, "/local/domain/7/big", 20);
	memset(big + 20, 'b', 700);
	tg_req(&dom0, XS_MKDIR, 0, P("/local/domain/7\0"), &m);
	tg_req(&dom0, XS_SET_PERMS, 0, P("/local/domain/7\0b7\0"), &m);
	tg_req(&dom0, XS_WRITE, 0, big, 720, &m);
	xsd_quota.outstanding = 3;
	tg_init(&g, 7, 0);
	/* Eight reads of a 700-byte value: one reply fills the ring. */
	for (i = 0; i < 8; i++) {
		struct xsd_sockmsg hdr = { XS_READ, i, 0, 4 };

		sent += tg_put(&g, &hdr, sizeof(hdr));
		sent += tg_put(&g, "big", 4);
	}
	tg_kick(&g);
	cons_before = g.intf->req_cons;
	T_CHECK(cons_before != g.intf->req_prod && g.c->nr_replies == 3,
		"ring: reading stops at the outstanding quota (3 queued)");
	for (i = 0; i < 100 && got < 8; i++) {
		if (tg_get(&g, &m))
			got += m.hdr.type == XS_READ && m.hdr.len == 700;
		tg_kick(&g);
	}
	T_CHECK(got == 8 && g.intf->req_cons == g.intf->req_prod,
		"ring: all 8 answered as the guest consumes");
	xsd_quota.outstanding = saved;
	tg_fini(&g);
	tg_fini(&dom0);
}

int main(void)
{
	tree_init(&xsd_tree);
	test_basic();
	test_wrap(1000, "ring end");
	test_wrap(0xfffffc00u, "index overflow");
	test_trickle();
	test_big();
	test_garbage();
	test_outstanding();
	T_DONE();
}
