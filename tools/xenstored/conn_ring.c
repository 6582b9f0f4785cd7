// SPDX-License-Identifier: MIT
/*
 * The ring transport: a connection served on a struct
 * xenstore_domain_interface page shared with a guest.
 *
 * The guest produces requests into req[] and moves req_prod; we consume
 * them and move req_cons.  We produce replies and events into rsp[] and
 * move rsp_prod; the guest moves rsp_cons.  Indexes run freely (mod
 * 2^32) and are masked to address a byte.  The rules that keep this
 * safe against a buggy or hostile guest:
 *
 *   - every index is read from the page once per step, and the
 *     distance prod - cons checked against the ring size before any
 *     byte is touched; a larger distance means garbage indexes, and
 *     the connection fails with XENSTORE_ERROR_RINGIDX in the error
 *     field (Xen's connection error feature) rather than reading or
 *     writing outside what the indexes allow;
 *   - bytes are copied out of the ring into the connection's private
 *     buffer before anything parses them, so a guest changing them
 *     under us changes nothing we have already checked;
 *   - the producer index is read with acquire semantics before the data
 *     it covers, and our own index is published with release semantics
 *     after the data is copied, matching what the guest does;
 *   - we copy at most up to the wrap point per call; the framing code
 *     simply calls again, which is how a message split across the wrap
 *     is put back together.
 *
 * We advertise both ring features (reconnection and error reporting)
 * before touching the queues.  A failed ring is left alone until the
 * guest sets connection = XENSTORE_RECONNECT and kicks: then, as the
 * ring document requires, partial messages, queued output, watches and
 * transactions are dropped, both queues emptied, error cleared,
 * connection set back to XENSTORE_CONNECTED and the guest notified.
 *
 * How the guest is notified, and how the page got here, is the
 * creator's business (conn_socket.c for a domain process, a test
 * directly): notify() is its event channel.
 *
 * A toolstack that moves the page to another machine frame (page
 * exchange: Documentation/page-exchange.rst) first freezes the ring:
 * from then on we neither read nor write the page nor notify -- replies
 * and watch events wait in the connection's queue -- so that the copy
 * it takes is the ring's last state; it then hands us the new page
 * (ring_conn_remap) and thaws it, and we look at the ring as if kicked.
 */
#include <stdlib.h>
#include <string.h>

#include "private.h"

struct ring {
	struct xenstore_domain_interface *intf;
	void (*notify)(void *opaque);
	void (*release)(void *opaque);
	void *opaque;
	unsigned int err;		/* XENSTORE_ERROR_* found by read/write */
	bool frozen;			/* being moved: the page is not ours */
};

static uint32_t load_acquire(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static uint32_t load_once(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void store_release(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static int ring_read(struct conn *c, void *buf, unsigned int len)
{
	struct ring *r = c->priv;
	struct xenstore_domain_interface *intf = r->intf;
	XENSTORE_RING_IDX cons, prod;
	unsigned int avail, n;

	if (r->frozen)
		return 0;
	cons = load_once(&intf->req_cons);
	prod = load_acquire(&intf->req_prod);
	avail = prod - cons;
	if (avail > XENSTORE_RING_SIZE) {
		r->err = XENSTORE_ERROR_RINGIDX;
		return -1;
	}
	n = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons);
	if (n > avail)
		n = avail;
	if (n > len)
		n = len;
	memcpy(buf, intf->req + MASK_XENSTORE_IDX(cons), n);
	store_release(&intf->req_cons, cons + n);
	return n;
}

static int ring_write(struct conn *c, const void *buf, unsigned int len)
{
	struct ring *r = c->priv;
	struct xenstore_domain_interface *intf = r->intf;
	XENSTORE_RING_IDX cons, prod;
	unsigned int used, n;

	if (r->frozen)
		return 0;
	cons = load_acquire(&intf->rsp_cons);
	prod = load_once(&intf->rsp_prod);
	used = prod - cons;
	if (used > XENSTORE_RING_SIZE) {
		r->err = XENSTORE_ERROR_RINGIDX;
		return -1;
	}
	n = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod);
	if (n > XENSTORE_RING_SIZE - used)
		n = XENSTORE_RING_SIZE - used;
	if (n > len)
		n = len;
	memcpy(intf->rsp + MASK_XENSTORE_IDX(prod), buf, n);
	store_release(&intf->rsp_prod, prod + n);
	return n;
}

static void ring_notify(struct conn *c)
{
	struct ring *r = c->priv;

	if (r->notify)
		r->notify(r->opaque);
}

static void ring_fail(struct conn *c, unsigned int xs_error)
{
	struct ring *r = c->priv;

	store_release(&r->intf->error, r->err ? r->err : xs_error);
	r->err = 0;
	ring_notify(c);
}

static void ring_destroy(struct conn *c)
{
	struct ring *r = c->priv;

	if (r->release)
		r->release(r->opaque);
	domain_gone(c);
	free(r);
}

static const struct conn_ops ring_ops = {
	.kind = "ring",
	.read = ring_read,
	.write = ring_write,
	.notify = ring_notify,
	.fail = ring_fail,
	.destroy = ring_destroy,
};

/*
 * Serves domid on the page intf.  notify(opaque) is called whenever the
 * guest should be kicked; release(opaque), if set, when the connection
 * is freed (the page may be unmapped then).  Domain 0's ring is
 * privileged.
 */
struct conn *ring_conn_new(struct xenstore_domain_interface *intf,
			   unsigned int domid,
			   void (*notify)(void *opaque), void *opaque,
			   void (*release)(void *opaque))
{
	struct ring *r = xsd_zalloc(sizeof(*r));

	r->intf = intf;
	r->notify = notify;
	r->release = release;
	r->opaque = opaque;
	__atomic_or_fetch(&intf->server_features,
			  XENSTORE_SERVER_FEATURE_RECONNECTION |
			  XENSTORE_SERVER_FEATURE_ERROR, __ATOMIC_RELEASE);
	return conn_new(&ring_ops, r, domid, domid == 0);
}

/* Resets the ring on the guest's request (see the file comment). */
static void ring_reconnect(struct conn *c)
{
	struct ring *r = c->priv;
	struct xenstore_domain_interface *intf = r->intf;

	xsd_dbg("conn %u: guest reconnects", c->id);
	conn_reset(c);
	c->stalled = false;
	r->err = 0;
	store_release(&intf->req_cons, load_acquire(&intf->req_prod));
	store_release(&intf->rsp_prod, load_acquire(&intf->rsp_cons));
	store_release(&intf->error, XENSTORE_ERROR_NONE);
	store_release(&intf->connection, XENSTORE_CONNECTED);
	ring_notify(c);
}

/* The guest kicked its event channel: look at the ring again. */
void ring_conn_kick(struct conn *c)
{
	struct ring *r = c->priv;

	if (c->dead || r->frozen)
		return;
	if (load_acquire(&r->intf->connection) == XENSTORE_RECONNECT) {
		ring_reconnect(c);
		return;
	}
	if (c->stalled)
		return;
	conn_process(c);
}

/*
 * Freezes or thaws the ring while a toolstack moves its page (see the
 * file comment); thawing looks at the ring at once, as a kick would.
 */
void ring_conn_freeze(struct conn *c, bool frozen)
{
	struct ring *r = c->priv;

	r->frozen = frozen;
	if (!frozen)
		ring_conn_kick(c);
}

/* The frozen ring's page is now intf; the caller unmaps the old one. */
void ring_conn_remap(struct conn *c, struct xenstore_domain_interface *intf)
{
	struct ring *r = c->priv;

	r->intf = intf;
}
