/* SPDX-License-Identifier: MIT */
#ifndef _TOOLS_XL_XS_H
#define _TOOLS_XL_XS_H

/*
 * A small synchronous xenstore client on the daemon's unix socket, for
 * the toolstack: one request at a time, each answered before the next
 * is sent.  A connection of the daemon's main socket is privileged (the
 * toolstack plays dom0).  Errors are -errno: the store's own, named in
 * its XS_ERROR reply (-ENOENT, -EACCES, -EAGAIN, ...), or the client's
 * (-ETIMEDOUT when the daemon does not answer within 10 s, -EPROTO for
 * a reply that makes no sense, -ERANGE for one larger than the buffer).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xl_xs {
	int fd;
	uint32_t req_id;
};

/* 0, or -errno from connect(). */
int xl_xs_open(struct xl_xs *xs, const char *sock_path);
void xl_xs_close(struct xl_xs *xs);

/* Reads path into buf (NUL-terminated); returns the value's length. */
int xl_xs_read(struct xl_xs *xs, uint32_t tx, const char *path, char *buf,
	       size_t len);
int xl_xs_write(struct xl_xs *xs, uint32_t tx, const char *path,
		const char *value);
int xl_xs_mkdir(struct xl_xs *xs, uint32_t tx, const char *path);
int xl_xs_rm(struct xl_xs *xs, uint32_t tx, const char *path);
/* perms: Xen's "<letter><domid>" strings, the owner first ("n0", "r5"). */
int xl_xs_set_perms(struct xl_xs *xs, uint32_t tx, const char *path,
		    const char *const *perms, unsigned int n);
int xl_xs_tx_start(struct xl_xs *xs, uint32_t *tx);
/* -EAGAIN: the transaction collided with another change; run it again. */
int xl_xs_tx_end(struct xl_xs *xs, uint32_t tx, bool commit);
/* The domain's ring is dropped and @releaseDomain fires. */
int xl_xs_release(struct xl_xs *xs, unsigned int domid);

#endif
