// SPDX-License-Identifier: MIT
/*
 * Connections: framing, queues and flow control, shared by every
 * transport.
 *
 * Input is taken in two steps, the 16-byte header and then exactly the
 * payload it announces, straight into the connection's buffer; a message
 * may trickle in over any number of reads (a ring hands over at most
 * what fits before its wrap point, a socket what the kernel has).  A
 * header announcing more than XENSTORE_PAYLOAD_MAX bytes is a fatal
 * protocol error, as Xen's documentation says: the connection is
 * dropped (a socket) or marked failed with the ring's error field set
 * (a ring, which the guest can then reset by reconnecting).
 *
 * Output is a queue of whole messages, written as far as the peer has
 * room; the rest waits for the next flush.  A reply counts as
 * "outstanding" until it has been written; while a connection has
 * xsd_quota.outstanding of them (a fixed larger bound for privileged
 * ones) its input is not read, so a client that sends without reading
 * is slowed down rather than allowed to pile up replies in the daemon.
 *
 * A connection is never freed while someone may be walking the list of
 * connections (a request firing watches): it is marked dead and freed by
 * conn_reap() from the main loop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

/* Replies a privileged client may leave unread before we stop reading. */
#define XSD_PRIV_OUTSTANDING	256

struct xsd_list xsd_conns = XSD_LIST_INIT(xsd_conns);
static unsigned int next_conn_id;

struct conn *conn_new(const struct conn_ops *ops, void *priv,
		      unsigned int domid, bool privileged)
{
	struct conn *c = xsd_zalloc(sizeof(*c));

	c->ops = ops;
	c->priv = priv;
	c->id = ++next_conn_id;
	c->domid = domid;
	c->privileged = privileged;
	xsd_list_init(&c->out);
	xsd_list_init(&c->watches);
	xsd_list_init(&c->transactions);
	xsd_list_add_tail(&c->list, &xsd_conns);
	xsd_dbg("conn %u: new %s connection, domain %u%s", c->id, ops->kind,
		domid, privileged ? " (privileged)" : "");
	return c;
}

void conn_queue(struct conn *c, uint32_t type, uint32_t req_id,
		uint32_t tx_id, const void *payload, unsigned int len,
		bool reply)
{
	struct xsd_sockmsg hdr = {
		.type = type, .req_id = req_id, .tx_id = tx_id, .len = len,
	};
	struct out_msg *m;

	if (c->dead || c->stalled)
		return;
	m = xsd_malloc(sizeof(*m) + sizeof(hdr) + len);
	m->reply = reply;
	m->size = sizeof(hdr) + len;
	m->done = 0;
	memcpy(m->data, &hdr, sizeof(hdr));
	memcpy(m->data + sizeof(hdr), payload, len);
	xsd_list_add_tail(&m->list, &c->out);
	if (reply)
		c->nr_replies++;
	else
		c->nr_events++;
}

static void out_free(struct conn *c, struct out_msg *m)
{
	if (m->reply)
		c->nr_replies--;
	else
		c->nr_events--;
	xsd_list_del(&m->list);
	free(m);
}

/* Whether c has too many unwritten replies to take another request. */
bool conn_blocked(const struct conn *c)
{
	unsigned int max = c->privileged ? XSD_PRIV_OUTSTANDING :
			   xsd_quota.outstanding;

	return c->nr_replies >= max;
}

static void conn_notify(struct conn *c)
{
	if (c->moved && !c->dead && c->ops->notify)
		c->ops->notify(c);
	c->moved = false;
}

/* Writes as much queued output as the peer takes, then notifies it. */
void conn_flush(struct conn *c)
{
	struct out_msg *m;
	int n;

	while (!c->dead && !c->stalled && !xsd_list_empty(&c->out)) {
		m = xsd_list_entry(c->out.next, struct out_msg, list);
		n = c->ops->write(c, m->data + m->done, m->size - m->done);
		if (n < 0) {
			conn_kill(c, XENSTORE_ERROR_COMM);
			return;
		}
		if (!n)
			break;
		c->moved = true;
		m->done += n;
		if (m->done == m->size)
			out_free(c, m);
	}
	conn_notify(c);
}

/* Drops everything c had going: partial input, output, watches, transactions. */
void conn_reset(struct conn *c)
{
	struct out_msg *m, *tmp;

	c->in_have = 0;
	xsd_list_for_each_entry_safe(m, tmp, &c->out, list)
		out_free(c, m);
	watch_del_all(c);
	trans_del_all(c);
}

/*
 * Gives up on c after a fatal error: a transport that can report it
 * (the ring) keeps the connection, failed, for the peer to reset;
 * any other is closed.
 */
void conn_kill(struct conn *c, unsigned int xs_error)
{
	if (c->dead || c->stalled)
		return;
	xsd_dbg("conn %u: %s", c->id,
		xs_error == XENSTORE_ERROR_PROTO ? "protocol error" :
		xs_error == XENSTORE_ERROR_RINGIDX ? "bad ring indexes" :
		"closed");
	conn_reset(c);
	if (c->ops->fail) {
		c->ops->fail(c, xs_error);
		c->stalled = true;
	} else {
		c->dead = true;
	}
}

/*
 * Reads and answers whole requests from c until its input runs dry or
 * it has too many replies outstanding.
 */
void conn_process(struct conn *c)
{
	const unsigned int hsz = sizeof(struct xsd_sockmsg);
	unsigned int need;
	int n;

	conn_flush(c);
	while (!c->dead && !c->stalled && !conn_blocked(c)) {
		if (c->in_have < hsz) {
			n = c->ops->read(c, (char *)&c->in_hdr + c->in_have,
					 hsz - c->in_have);
		} else {
			need = hsz + c->in_hdr.len;
			n = c->in_have < need ?
			    c->ops->read(c, c->in_buf + c->in_have - hsz,
					 need - c->in_have) : 0;
		}
		if (n < 0) {
			conn_kill(c, XENSTORE_ERROR_COMM);
			break;
		}
		c->in_have += n;
		if (n)
			c->moved = true;
		if (c->in_have < hsz) {
			if (!n)
				break;
			continue;
		}
		if (c->in_hdr.len > XENSTORE_PAYLOAD_MAX) {
			xsd_log("conn %u: payload of %u bytes is over the limit",
				c->id, c->in_hdr.len);
			conn_kill(c, XENSTORE_ERROR_PROTO);
			break;
		}
		if (c->in_have < hsz + c->in_hdr.len) {
			if (!n)
				break;
			continue;
		}
		c->in_have = 0;
		c->in_buf[c->in_hdr.len] = '\0';
		request_handle(c, &c->in_hdr, c->in_buf);
		conn_flush(c);
	}
	conn_notify(c);
}

/* Flushes every connection with output waiting, and reads on where that unblocks one. */
void conn_flush_all(void)
{
	struct conn *c;
	bool blocked;

	xsd_list_for_each_entry(c, &xsd_conns, list) {
		if (c->dead || c->stalled || xsd_list_empty(&c->out))
			continue;
		blocked = conn_blocked(c);
		conn_flush(c);
		if (blocked && !conn_blocked(c))
			conn_process(c);
	}
}

/* Frees the connections marked dead. */
void conn_reap(void)
{
	struct conn *c, *tmp;

	xsd_list_for_each_entry_safe(c, tmp, &xsd_conns, list) {
		if (!c->dead)
			continue;
		xsd_dbg("conn %u: gone", c->id);
		domain_conn_gone(c);
		conn_reset(c);
		xsd_list_del(&c->list);
		if (c->ops->destroy)
			c->ops->destroy(c);
		free(c);
	}
}
