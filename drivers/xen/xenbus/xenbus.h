/* SPDX-License-Identifier: MIT */
#ifndef _DRIVERS_XEN_XENBUS_H
#define _DRIVERS_XEN_XENBUS_H

/*
 * Inside the xenstore client.  Three layers, one file each:
 *
 *   xenbus_comms.c  the ring page and its event channel: whole messages
 *                   in (xb_send), and a reader thread that takes whole
 *                   messages out and hands them to the layers above;
 *   xenbus_xs.c     requests and their replies, matched by request id;
 *   xenbus_watch.c  watches, and the thread that runs their callbacks.
 */
#include <linux/types.h>
#include <xen/xenbus.h>
#include <xen/interface/io/xs_wire.h>

struct xs_iov {
	const void *base;
	size_t len;
};

/* ---- xenbus_comms.c ---- */

/*
 * Writes one message (header, then the payload pieces) into the request
 * ring, sleeping while the ring is full.  0, -ETIMEDOUT if the store took
 * nothing for XENBUS_TIMEOUT_NS before the first byte, or -EIO if the
 * connection is (or, stopping mid-message, becomes) broken.
 */
int xb_send(const struct xsd_sockmsg *hdr, const struct xs_iov *iov,
	    unsigned int n);
/*
 * After a restore: the ring is the same page with a new store behind it
 * and (already rebound) a new port; says if the ring was not quiet and
 * kicks the store.
 */
void xb_resume(void);
/* Gives up on the store for good, saying why once; wakes every waiter. */
void xb_set_broken(const char *why);
bool xb_is_broken(void);

/* ---- xenbus_xs.c ---- */

/*
 * Sends a request and waits for its reply, which goes to reply (at most
 * len bytes).  Returns the reply's length or -errno.
 */
int xs_talk(u32 type, xenbus_transaction_t t, const struct xs_iov *iov,
	    unsigned int n, char *reply, size_t len);
void xs_init(void);
/* The reader thread's hand-off of a reply (not a watch event). */
void xs_reply(const struct xsd_sockmsg *hdr, const char *body);
/* Fails every request waiting for a reply: the connection is broken. */
void xs_fail_all(void);

/* ---- xenbus_watch.c ---- */

/* The reader thread's hand-off of a WATCH_EVENT payload (NUL-ended). */
void xs_watch_event(const char *body, u32 len);
int xs_watch_init(void);
/* Registers every watch again with a new store; 0 or the first error. */
int xs_watch_resume(void);

#endif
