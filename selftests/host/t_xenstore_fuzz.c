// SPDX-License-Identifier: MIT
/*
 * A small, bounded, deterministic fuzz of tern-xenstored's message
 * handling, in-process: random (mostly almost-valid) messages from a
 * privileged and an unprivileged guest ring, cut at random points,
 * with random header lengths and transaction ids, and random ring
 * index damage.  After every message each reply must be well formed;
 * every so often the tree's bookkeeping must still agree with the tree
 * (CONTROL check) and a plain write/read must still work.  Failed rings
 * are reconnected, as a guest would.  The seed is fixed, so a failure
 * reproduces; FUZZ_SEED and FUZZ_ITERS override.  Built once with
 * -fsanitize=address,undefined by hand as well (see
 * Documentation/xenstore.rst).
 */
#define T_XENSTORE_INPROCESS
#include "hosttest.h"
#include "t_xenstore.h"

static uint64_t rng_state;

static uint32_t rnd(void)
{
	/* xorshift64*: small, fast, and good enough for fuzzing. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (rng_state * 2685821657736338717ull) >> 32;
}

static uint32_t below(uint32_t n)
{
	return rnd() % n;
}

static const char *const words[] = {
	"/", "/a", "/a/b", "/a/b/c", "data", "data/x", "/local/domain/5",
	"/local/domain/5/data", "/local/domain/0", "@introduceDomain",
	"@releaseDomain", "@", "/a//b", "/a/", "a b", "..", "", "T", "F",
	"r5", "b0", "n5", "w6", "x9", "r", "0", "5", "7", "65535", "70000",
	"-1", "99999999999999999999", "help", "check", "quota", "log",
	"print", "tok", "tok2", "/tool/xenstored", "/local/domain/5/q",
};

/* Appends a random argument to buf at *off (bounded by max). */
static void add_piece(char *buf, unsigned int *off, unsigned int max)
{
	unsigned int n, i;

	switch (below(8)) {
	case 0:		/* random bytes */
		n = below(40);
		for (i = 0; i < n && *off < max; i++)
			buf[(*off)++] = rnd();
		return;
	case 1:		/* a long path */
		n = below(3100);
		for (i = 0; i < n && *off < max; i++)
			buf[(*off)++] = i % 7 ? 'a' + i % 26 : '/';
		return;
	default:
		i = below(ARRAY_SIZE(words));
		n = strlen(words[i]);
		if (*off + n <= max) {
			memcpy(buf + *off, words[i], n);
			*off += n;
		}
	}
}

static uint32_t last_tx[2];

/* One random message from g (0: dom0, 1: dom5). */
static void fuzz_one(struct tguest *g, int who, unsigned int *bad,
		     unsigned int *reconnects)
{
	char payload[XENSTORE_PAYLOAD_MAX + 64];
	struct xsd_sockmsg hdr;
	unsigned int len = 0, pieces = below(5), i, off, chunk, sent = 0;
	struct tmsg m;
	char msg[sizeof(payload) + sizeof(hdr)];

	for (i = 0; i < pieces; i++) {
		add_piece(payload, &len, XENSTORE_PAYLOAD_MAX);
		if (below(5) && len < XENSTORE_PAYLOAD_MAX)
			payload[len++] = '\0';
	}
	hdr.type = below(10) ? below(XS_TYPE_COUNT + 2) : rnd();
	hdr.req_id = rnd();
	hdr.tx_id = below(3) ? 0 : below(2) ? last_tx[who] : below(8);
	hdr.len = len;
	if (!below(40))
		hdr.len = below(2) ? XENSTORE_PAYLOAD_MAX + 1 + below(4000) :
				     len + below(30);
	memcpy(msg, &hdr, sizeof(hdr));
	memcpy(msg + sizeof(hdr), payload, len);
	/* Cut anywhere; feed as the daemon consumes. */
	for (off = 0; off < sizeof(hdr) + len && sent < 200; sent++) {
		chunk = 1 + below(sizeof(hdr) + len - off);
		off += tg_put(g, msg + off, chunk);
		tg_kick(g);
		if (g->intf->error)
			break;
		/* The reply ring must be drained for big requests to move. */
		while (tg_get(g, &m))
			;
	}
	while (tg_get(g, &m)) {
		if (m.hdr.len > XENSTORE_PAYLOAD_MAX ||
		    (m.hdr.type >= XS_TYPE_COUNT && m.hdr.type != XS_ERROR))
			(*bad)++;
		if (m.hdr.type == XS_TRANSACTION_START)
			last_tx[who] = strtoul(m.body, NULL, 10);
	}
	/* Now and then damage the ring's indexes. */
	if (!below(300)) {
		g->intf->req_prod += 2000 + below(100000);
		tg_kick(g);
	}
	/*
	 * A header that promised more than was sent leaves the daemon
	 * waiting for the rest; a guest that lied like that can only
	 * resynchronise by reconnecting.
	 */
	if (g->intf->error || hdr.len != len) {
		(*reconnects)++;
		__atomic_store_n(&g->intf->connection, XENSTORE_RECONNECT,
				 __ATOMIC_RELEASE);
		tg_kick(g);
		g->rhave = 0;
	}
}

static void fuzz_paths(unsigned int iters)
{
	char in[XENSTORE_ABS_PATH_MAX + 100], out[XENSTORE_ABS_PATH_MAX + 1];
	struct xs_perms perms;
	struct conn fake = { .domid = 5 };
	unsigned int i, j, len, bad = 0;

	for (i = 0; i < iters; i++) {
		len = below(2) ? below(20) : below(sizeof(in) - 1);
		for (j = 0; j < len; j++)
			in[j] = below(4) ? "/a@_-z09"[below(8)] : rnd();
		in[len] = '\0';
		if (!path_canonical(&fake, in, out, sizeof(out), below(2)) &&
		    (strlen(out) > XENSTORE_ABS_PATH_MAX ||
		     (out[0] != '/' && out[0] != '@')))
			bad++;
		if (!perms_parse(&perms, in, len)) {
			if (!perms.num)
				bad++;
			perms_free(&perms);
		}
	}
	T_CHECK(!bad, "fuzz: %u random paths and permission lists", iters);
}

int main(void)
{
	const char *s = getenv("FUZZ_SEED"), *it = getenv("FUZZ_ITERS");
	unsigned int iters = it ? strtoul(it, NULL, 0) : 50000;
	unsigned int i, bad = 0, sane = 1, consistent = 1, reconnects = 0;
	struct tguest g0, g5;
	struct tmsg m;

	rng_state = s ? strtoull(s, NULL, 0) : 0x7465726e78737464ull;
	tree_init(&xsd_tree);
	tg_init(&g0, 0, below(2) ? 0 : -below(2000));
	tg_init(&g5, 5, 1000);
	tg_req(&g0, XS_MKDIR, 0, P("/local/domain/5\0"), &m);
	tg_req(&g0, XS_SET_PERMS, 0, P("/local/domain/5\0n5\0"), &m);

	fuzz_paths(iters);
	for (i = 0; i < iters; i++) {
		int who = below(2);

		fuzz_one(who ? &g5 : &g0, who, &bad, &reconnects);
		conn_reap();
		if (i % 1000 == 999) {
			g0.ev.n = g5.ev.n = 0;
			/* The fuzz may have given domain 5's home away. */
			tg_req(&g0, XS_MKDIR, 0, P("/local/domain/5\0"), &m);
			tg_req(&g0, XS_SET_PERMS, 0,
			       P("/local/domain/5\0n5\0"), &m);
			tg_req(&g0, XS_RM, 0, P("/local/domain/5/sane\0"), &m);
			if (tg_req(&g0, XS_CONTROL, 0, P("check\0"), &m) !=
			    XS_CONTROL || strcmp(m.body, "OK"))
				consistent = 0;
			if (tg_req(&g5, XS_WRITE, 0, P("sane\0v"), &m) !=
			    XS_WRITE ||
			    tg_req(&g5, XS_READ, 0, P("sane\0"), &m) != XS_READ ||
			    m.hdr.len != 1 || m.body[0] != 'v')
				sane = 0;
		}
	}
	T_CHECK(!bad, "fuzz: %u messages, every reply well formed", iters);
	T_CHECK(consistent, "fuzz: node bookkeeping consistent throughout");
	T_CHECK(sane, "fuzz: plain requests kept working throughout");
	T_CHECK(tg_req(&g0, XS_WRITE, 0, P("/end\0ok"), &m) == XS_WRITE &&
		tg_req(&g5, XS_READ, 0, P("sane\0"), &m) == XS_READ,
		"fuzz: both rings usable at the end");
	printf("# %u reconnections\n", reconnects);
	tg_fini(&g0);
	tg_fini(&g5);
	T_DONE();
}
