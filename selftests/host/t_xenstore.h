/* SPDX-License-Identifier: MIT */
#ifndef TERN_T_XENSTORE_H
#define TERN_T_XENSTORE_H

/*
 * Helpers shared by the t_xenstore_* tests: a guest's side of a
 * xenstore ring page served in-process by the daemon's code (tg_*), and
 * an xs_wire client on the daemon's unix socket (ts_*).
 *
 * P("a\0b") passes a literal with embedded NULs as (pointer, length).
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <xen/interface/io/xs_wire.h>

#define P(lit)	lit, (sizeof(lit) - 1)

#define T_MAX_EVENTS	64

/* One message as received. */
struct tmsg {
	struct xsd_sockmsg hdr;
	char body[XENSTORE_PAYLOAD_MAX + 1];	/* NUL added */
};

/* Watch events seen while waiting for replies. */
struct tevents {
	unsigned int n;
	char path[T_MAX_EVENTS][256];
	char token[T_MAX_EVENTS][64];
};

static inline void tev_add(struct tevents *ev, const struct tmsg *m)
{
	if (ev->n == T_MAX_EVENTS)
		return;
	snprintf(ev->path[ev->n], sizeof(ev->path[0]), "%.255s", m->body);
	snprintf(ev->token[ev->n], sizeof(ev->token[0]), "%.63s",
		 m->body + strlen(m->body) + 1);
	ev->n++;
}

/* Whether an event (path, token) was seen; consumes it. */
static inline int tev_take(struct tevents *ev, const char *path,
			   const char *token)
{
	unsigned int i;

	for (i = 0; i < ev->n; i++) {
		if (strcmp(ev->path[i], path) || strcmp(ev->token[i], token))
			continue;
		memmove(&ev->path[i], &ev->path[i + 1],
			(ev->n - i - 1) * sizeof(ev->path[0]));
		memmove(&ev->token[i], &ev->token[i + 1],
			(ev->n - i - 1) * sizeof(ev->token[0]));
		ev->n--;
		return 1;
	}
	return 0;
}

#ifdef T_XENSTORE_INPROCESS
#include "tools/xenstored/private.h"

/* ---- the guest side of a ring served in this process ------------------ */

struct tguest {
	struct xenstore_domain_interface *intf;
	struct conn *c;
	unsigned int notified;
	struct tevents ev;
	char rbuf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	unsigned int rhave;		/* bytes of a reply taken so far */
};

static inline void tg_notify(void *opaque)
{
	((struct tguest *)opaque)->notified++;
}

/* A fresh page whose four indexes all start at idx, served as domid. */
static inline void tg_init(struct tguest *g, unsigned int domid, uint32_t idx)
{
	memset(g, 0, sizeof(*g));	/* rhave = 0 */
	g->intf = aligned_alloc(4096, 4096);
	memset(g->intf, 0, 4096);
	g->intf->req_cons = g->intf->req_prod = idx;
	g->intf->rsp_cons = g->intf->rsp_prod = idx;
	g->c = ring_conn_new(g->intf, domid, tg_notify, g, NULL);
}

static inline void tg_fini(struct tguest *g)
{
	g->c->dead = true;
	conn_reap();
	free(g->intf);
}

/* Copies up to len bytes into the request ring; returns how many fit. */
static inline unsigned int tg_put(struct tguest *g, const void *buf,
				  unsigned int len)
{
	struct xenstore_domain_interface *intf = g->intf;
	uint32_t prod = intf->req_prod;
	unsigned int space = XENSTORE_RING_SIZE - (prod - intf->req_cons);
	unsigned int i;

	if (len > space)
		len = space;
	for (i = 0; i < len; i++)
		intf->req[MASK_XENSTORE_IDX(prod + i)] = ((const char *)buf)[i];
	__atomic_store_n(&intf->req_prod, prod + len, __ATOMIC_RELEASE);
	return len;
}

/* Lets the daemon look at the ring, and pushes out everyone's output. */
static inline void tg_kick(struct tguest *g)
{
	ring_conn_kick(g->c);
	conn_flush_all();
}

/*
 * Takes one whole message from the response ring, if there is one,
 * consuming what is there into g->rbuf as it goes: a reply larger than
 * the ring arrives over several calls (each consumption kicks the
 * daemon, as a guest would).
 */
static inline int tg_get(struct tguest *g, struct tmsg *m)
{
	struct xenstore_domain_interface *intf = g->intf;
	unsigned int want, rounds;
	uint32_t cons;

	for (rounds = 0; rounds < 64; rounds++) {
		want = sizeof(m->hdr);
		if (g->rhave >= sizeof(m->hdr)) {
			memcpy(&m->hdr, g->rbuf, sizeof(m->hdr));
			if (m->hdr.len > XENSTORE_PAYLOAD_MAX)
				return 0;
			want += m->hdr.len;
		}
		if (g->rhave == want) {
			memcpy(m->body, g->rbuf + sizeof(m->hdr), m->hdr.len);
			m->body[m->hdr.len] = '\0';
			g->rhave = 0;
			return 1;
		}
		cons = intf->rsp_cons;
		if (cons == intf->rsp_prod)
			return 0;
		while (cons != intf->rsp_prod && g->rhave < want)
			g->rbuf[g->rhave++] = intf->rsp[MASK_XENSTORE_IDX(cons++)];
		intf->rsp_cons = cons;
		ring_conn_kick(g->c);
	}
	return 0;
}

/*
 * Sends one request, feeding the ring as the daemon consumes it, and
 * kicks; 0, or -1 if the daemon stopped taking it.
 */
static inline int tg_send(struct tguest *g, uint32_t type, uint32_t tx,
			  const void *payload, unsigned int len)
{
	struct xsd_sockmsg hdr = { type, 0x5a5a0000u + type, tx, len };
	unsigned int off = 0, rounds;

	for (rounds = 0; off < sizeof(hdr) && rounds < 64; rounds++) {
		off += tg_put(g, (char *)&hdr + off, sizeof(hdr) - off);
		tg_kick(g);
	}
	off = 0;
	for (rounds = 0; off < len && rounds < 64; rounds++) {
		off += tg_put(g, (const char *)payload + off, len - off);
		tg_kick(g);
	}
	tg_kick(g);
	return off == len ? 0 : -1;
}

/* Takes messages until a reply (not an event); its type, or -1 if none. */
static inline int tg_reply(struct tguest *g, struct tmsg *m)
{
	while (tg_get(g, m)) {
		if (m->hdr.type == XS_WATCH_EVENT) {
			tev_add(&g->ev, m);
			continue;
		}
		return m->hdr.type;
	}
	return -1;
}

/* One request, its reply; the reply type (-1 if none came). */
static inline int tg_req(struct tguest *g, uint32_t type, uint32_t tx,
			 const void *payload, unsigned int len, struct tmsg *m)
{
	if (tg_send(g, type, tx, payload, len))
		return -1;
	return tg_reply(g, m);
}

/* Collects pending watch events. */
static inline void tg_events(struct tguest *g)
{
	struct tmsg m;

	conn_flush_all();
	while (tg_get(g, &m)) {
		if (m.hdr.type == XS_WATCH_EVENT)
			tev_add(&g->ev, &m);
	}
}
#endif /* T_XENSTORE_INPROCESS */

/* ---- a client on the daemon's socket ------------------------------------ */

static inline int ts_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

static inline int ts_write(int fd, const void *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n <= 0)
			return -1;
		buf = (const char *)buf + n;
		len -= n;
	}
	return 0;
}

static inline int ts_send(int fd, uint32_t type, uint32_t tx,
			  const void *payload, unsigned int len)
{
	struct xsd_sockmsg hdr = { type, 0x7e570000u + type, tx, len };

	if (ts_write(fd, &hdr, sizeof(hdr)))
		return -1;
	return ts_write(fd, payload, len);
}

/*
 * Reads exactly len bytes; -1 on EOF or error.  The poll limit is only
 * a guard against hanging the suite on a broken daemon.
 */
static inline int ts_read(int fd, void *buf, size_t len)
{
	struct pollfd p = { fd, POLLIN, 0 };
	ssize_t n;

	while (len) {
		if (poll(&p, 1, 20000) != 1)
			return -1;
		n = recv(fd, buf, len, 0);
		if (n <= 0)
			return -1;
		buf = (char *)buf + n;
		len -= n;
	}
	return 0;
}

static inline int ts_get(int fd, struct tmsg *m)
{
	if (ts_read(fd, &m->hdr, sizeof(m->hdr)) ||
	    m->hdr.len > XENSTORE_PAYLOAD_MAX ||
	    ts_read(fd, m->body, m->hdr.len))
		return -1;
	m->body[m->hdr.len] = '\0';
	return 0;
}

/* Reads until a reply, keeping events; its type, or -1 (closed). */
static inline int ts_reply(int fd, struct tmsg *m, struct tevents *ev)
{
	for (;;) {
		if (ts_get(fd, m))
			return -1;
		if (m->hdr.type != XS_WATCH_EVENT)
			return m->hdr.type;
		if (ev)
			tev_add(ev, m);
	}
}

static inline int ts_req(int fd, uint32_t type, uint32_t tx,
			 const void *payload, unsigned int len, struct tmsg *m)
{
	if (ts_send(fd, type, tx, payload, len))
		return -1;
	return ts_reply(fd, m, NULL);
}

/* Whether the peer has closed fd (reads EOF within the guard limit). */
static inline int ts_closed(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char c;

	if (poll(&p, 1, 20000) != 1)
		return 0;
	return recv(fd, &c, 1, MSG_DONTWAIT) == 0;
}

#endif
