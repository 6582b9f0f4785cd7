/* SPDX-License-Identifier: MIT */
#ifndef _XEN_XENBUS_H
#define _XEN_XENBUS_H

/*
 * The xenstore client (drivers/xen/xenbus/): requests to the store over
 * the shared ring page (start_info.store_mfn), transactions and watches.
 *
 * A path is given as a directory and a node name, joined with '/' (an
 * empty node names the directory itself).  A path that does not start
 * with '/' is relative to the domain's home, /local/domain/<domid>; the
 * store resolves it.  Every call sends one request and sleeps until its
 * reply, so task context only; many tasks may have requests outstanding
 * at once.  A store that does not answer within XENBUS_TIMEOUT_NS gives
 * -ETIMEDOUT (a late reply is then dropped).
 *
 * Errors are -errno: the store's own (-ENOENT, -EACCES, -EAGAIN, -E2BIG,
 * ...), or the client's: -ENODEV before xenbus_init() succeeded, -EIO
 * once the connection is broken (the store sent garbage, or stopped
 * reading in the middle of a request), -ERANGE when a reply does not fit
 * the caller's buffer, -ENAMETOOLONG for a path over the protocol's
 * limit.
 */
#include <linux/types.h>
#include <linux/list.h>
#include <linux/time.h>

#define XENBUS_TIMEOUT_NS	(20 * NSEC_PER_SEC)

typedef u32 xenbus_transaction_t;
#define XBT_NIL			((xenbus_transaction_t)0)

/* Connects to the store: finds the ring, binds its event, starts threads. */
int xenbus_init(void);
bool xenbus_available(void);

/*
 * Reads a value into buf (len bytes, room for a terminating NUL
 * included); returns the value's length.
 */
int xenbus_read(xenbus_transaction_t t, const char *dir, const char *node,
		char *buf, size_t len);
int xenbus_write(xenbus_transaction_t t, const char *dir, const char *node,
		 const char *value);
int xenbus_printf(xenbus_transaction_t t, const char *dir, const char *node,
		  const char *fmt, ...) __printf(4, 5);
int xenbus_mkdir(xenbus_transaction_t t, const char *dir, const char *node);
/* Removes the node and everything below it. */
int xenbus_rm(xenbus_transaction_t t, const char *dir, const char *node);
/* 1 if the node exists, 0 if not, or -errno. */
int xenbus_exists(xenbus_transaction_t t, const char *dir, const char *node);
/*
 * The names of the node's children, each NUL-terminated, one after the
 * other in buf; returns how many.  A list over one message (4 KiB) is
 * -E2BIG: DIRECTORY_PART is not used.
 */
int xenbus_directory(xenbus_transaction_t t, const char *dir,
		     const char *node, char *buf, size_t len);
/* "/local/domain/<domid>", as the store says it. */
int xenbus_get_domain_path(unsigned int domid, char *buf, size_t len);

/*
 * Transactions.  Requests made with t see and change a private copy of
 * the store; xenbus_transaction_end() applies them all at once, or none:
 * -EAGAIN means something the transaction read or wrote changed meanwhile
 * and the caller must run the whole transaction again.  abort discards.
 */
int xenbus_transaction_start(xenbus_transaction_t *t);
int xenbus_transaction_end(xenbus_transaction_t t, bool abort);

/*
 * Watches.  callback runs in the "xenwatch" kernel thread, one event at a
 * time, with the path that changed (relative if node was relative): once
 * when the watch is registered, then for every change at node or below.
 * It may make xenbus requests and sleep.  Events that repeat one still
 * queued are merged, as the store itself may do.
 */
struct xenbus_watch {
	const char *node;
	void (*callback)(struct xenbus_watch *w, const char *path);
	/* private to xenbus */
	struct list_head list;
	char token[20];
};

int register_xenbus_watch(struct xenbus_watch *w);

/*
 * Suspend (drivers/xen/manage.c).  xs_suspend() stops new requests (and
 * new transactions) and waits up to timeout_ns for those in flight and
 * the open transactions to end: 0, or -EBUSY (nothing stopped then).
 * Requests made meanwhile wait, and go on after xs_resume() (the domain
 * was restored: the store is a new one, every watch is registered with it
 * again) or xs_suspend_cancel() (same store, nothing to redo).
 */
int xs_suspend(u64 timeout_ns);
void xs_suspend_cancel(void);
int xs_resume(void);
/*
 * Stops the watch; when it returns, no callback for it runs or will run
 * (unless called from that very callback).
 */
void unregister_xenbus_watch(struct xenbus_watch *w);

#endif
