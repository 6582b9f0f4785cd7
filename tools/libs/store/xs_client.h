/* SPDX-License-Identifier: MIT */
#ifndef _TOOLS_LIBS_STORE_XS_CLIENT_H
#define _TOOLS_LIBS_STORE_XS_CLIENT_H

/*
 * A small synchronous xenstore client on the daemon's unix socket, for
 * the toolstack (tools/libs/store, what libxenstore is to Xen's): one request at a time, each answered before the next
 * is sent.  A connection of the daemon's main socket is privileged (the
 * toolstack plays dom0).  Errors are -errno: the store's own, named in
 * its XS_ERROR reply (-ENOENT, -EACCES, -EAGAIN, ...), or the client's
 * (-ETIMEDOUT when the daemon does not answer within 10 s, -EPROTO for
 * a reply that makes no sense, -ERANGE for one larger than the buffer).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xsc {
	int fd;
	uint32_t req_id;
};

/* 0, or -errno from connect(). */
int xsc_open(struct xsc *xs, const char *sock_path);
void xsc_close(struct xsc *xs);

/* Reads path into buf (NUL-terminated); returns the value's length. */
int xsc_read(struct xsc *xs, uint32_t tx, const char *path, char *buf,
	       size_t len);
int xsc_write(struct xsc *xs, uint32_t tx, const char *path,
		const char *value);
int xsc_mkdir(struct xsc *xs, uint32_t tx, const char *path);
int xsc_rm(struct xsc *xs, uint32_t tx, const char *path);
/* perms: Xen's "<letter><domid>" strings, the owner first ("n0", "r5"). */
int xsc_set_perms(struct xsc *xs, uint32_t tx, const char *path,
		    const char *const *perms, unsigned int n);
int xsc_tx_start(struct xsc *xs, uint32_t *tx);
/* -EAGAIN: the transaction collided with another change; run it again. */
int xsc_tx_end(struct xsc *xs, uint32_t tx, bool commit);
/* The domain's ring is dropped and @releaseDomain fires. */
int xsc_release(struct xsc *xs, unsigned int domid);
/* A domain that shut down runs again: its next shutdown fires again. */
int xsc_resume(struct xsc *xs, unsigned int domid);

#endif
