// SPDX-License-Identifier: MIT
/*
 * The toolstack's xenstore client (xs_client.h): xs_wire messages on a
 * stream socket.  Requests are answered in order, so the reply to read
 * is simply the next message; a watch event (this client sets none)
 * would be skipped.  A receive timeout on the socket bounds every wait,
 * so a daemon that stops answering gives an error, not a hung tern-xl.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include <xen/interface/io/xs_wire.h>

#include "tools/libs/store/xs_attach.h"
#include "tools/libs/store/xs_client.h"

#define XS_TIMEOUT_S	10

int xsc_open(struct xsc *xs, const char *sock_path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = XS_TIMEOUT_S };
	int err;

	xs->fd = -1;
	xs->req_id = 0;
	if (strlen(sock_path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	xs->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (xs->fd < 0)
		return -errno;
	if (connect(xs->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = -errno;
		close(xs->fd);
		xs->fd = -1;
		return err;
	}
	setsockopt(xs->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(xs->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return 0;
}

void xsc_close(struct xsc *xs)
{
	if (xs->fd >= 0)
		close(xs->fd);
	xs->fd = -1;
}

static int read_full(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, (char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		if (n == 0)
			return -EPIPE;
		done += n;
	}
	return 0;
}

static int write_full(int fd, const struct iovec *iov, int n)
{
	struct msghdr msg = { .msg_iov = (struct iovec *)iov, .msg_iovlen = n };
	size_t total = 0, done = 0;
	int i;

	for (i = 0; i < n; i++)
		total += iov[i].iov_len;
	while (done < total) {
		struct iovec rest[4];
		size_t skip = done;
		int k = 0;
		ssize_t w;

		for (i = 0; i < n; i++) {
			if (skip >= iov[i].iov_len) {
				skip -= iov[i].iov_len;
				continue;
			}
			rest[k].iov_base = (char *)iov[i].iov_base + skip;
			rest[k++].iov_len = iov[i].iov_len - skip;
			skip = 0;
		}
		msg.msg_iov = rest;
		msg.msg_iovlen = k;
		w = sendmsg(fd, &msg, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		done += w;
	}
	return 0;
}

/*
 * One request of up to three payload pieces; the reply's payload goes
 * to reply (len bytes, NUL added).  Returns the reply's length or -errno.
 */
static int request(struct xsc *xs, uint32_t type, uint32_t tx,
		   const struct iovec *parts, int n, char *reply, size_t len)
{
	char body[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg hdr = { .type = type, .tx_id = tx };
	struct iovec iov[4];
	int i, rc;

	if (xs->fd < 0)
		return -ENOTCONN;
	if (n > 3)
		return -EINVAL;
	hdr.req_id = ++xs->req_id;
	iov[0] = (struct iovec){ &hdr, sizeof(hdr) };
	for (i = 0; i < n; i++) {
		iov[i + 1] = parts[i];
		hdr.len += parts[i].iov_len;
	}
	if (hdr.len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	rc = write_full(xs->fd, iov, n + 1);
	if (rc)
		return rc;
	for (;;) {
		rc = read_full(xs->fd, &hdr, sizeof(hdr));
		if (rc)
			return rc;
		if (hdr.len > XENSTORE_PAYLOAD_MAX)
			return -EPROTO;
		rc = read_full(xs->fd, body, hdr.len);
		if (rc)
			return rc;
		body[hdr.len] = '\0';
		if (hdr.type != XS_WATCH_EVENT)
			break;
	}
	if (hdr.req_id != xs->req_id)
		return -EPROTO;
	if (hdr.type == XS_ERROR)
		return xs_error_errno(body);
	if (hdr.type != type)
		return -EPROTO;
	if (hdr.len >= len)
		return -ERANGE;
	memcpy(reply, body, hdr.len + 1);
	return hdr.len;
}

/* A request whose payload is one path, answered "OK". */
static int path_op(struct xsc *xs, uint32_t type, uint32_t tx,
		   const char *path)
{
	struct iovec p = { (void *)path, strlen(path) + 1 };
	char ok[8];
	int rc = request(xs, type, tx, &p, 1, ok, sizeof(ok));

	return rc < 0 ? rc : 0;
}

int xsc_read(struct xsc *xs, uint32_t tx, const char *path, char *buf,
	       size_t len)
{
	struct iovec p = { (void *)path, strlen(path) + 1 };

	return request(xs, XS_READ, tx, &p, 1, buf, len);
}

int xsc_write(struct xsc *xs, uint32_t tx, const char *path,
		const char *value)
{
	struct iovec p[2] = {
		{ (void *)path, strlen(path) + 1 },
		{ (void *)value, strlen(value) },	/* no NUL: to the end */
	};
	char ok[8];
	int rc = request(xs, XS_WRITE, tx, p, 2, ok, sizeof(ok));

	return rc < 0 ? rc : 0;
}

int xsc_mkdir(struct xsc *xs, uint32_t tx, const char *path)
{
	return path_op(xs, XS_MKDIR, tx, path);
}

int xsc_rm(struct xsc *xs, uint32_t tx, const char *path)
{
	return path_op(xs, XS_RM, tx, path);
}

int xsc_set_perms(struct xsc *xs, uint32_t tx, const char *path,
		    const char *const *perms, unsigned int n)
{
	char list[256], ok[8];
	size_t used = 0;
	unsigned int i;
	struct iovec p[2];
	int rc;

	for (i = 0; i < n; i++) {
		size_t l = strlen(perms[i]) + 1;

		if (used + l > sizeof(list))
			return -E2BIG;
		memcpy(list + used, perms[i], l);
		used += l;
	}
	p[0] = (struct iovec){ (void *)path, strlen(path) + 1 };
	p[1] = (struct iovec){ list, used };
	rc = request(xs, XS_SET_PERMS, tx, p, 2, ok, sizeof(ok));
	return rc < 0 ? rc : 0;
}

int xsc_tx_start(struct xsc *xs, uint32_t *tx)
{
	struct iovec p = { "", 1 };
	char id[16];
	unsigned long v;
	char *end;
	int rc = request(xs, XS_TRANSACTION_START, 0, &p, 1, id, sizeof(id));

	if (rc < 0)
		return rc;
	errno = 0;
	v = strtoul(id, &end, 10);
	if (errno || end == id || *end || !v || v > UINT32_MAX)
		return -EPROTO;
	*tx = v;
	return 0;
}

int xsc_tx_end(struct xsc *xs, uint32_t tx, bool commit)
{
	struct iovec p = { commit ? "T" : "F", 2 };
	char ok[8];
	int rc = request(xs, XS_TRANSACTION_END, tx, &p, 1, ok, sizeof(ok));

	return rc < 0 ? rc : 0;
}

/* RELEASE and RESUME: one domid argument, "OK" back. */
static int domid_request(struct xsc *xs, uint32_t type, unsigned int domid)
{
	char id[16], ok[8];
	struct iovec p = { id, snprintf(id, sizeof(id), "%u", domid) + 1 };
	int rc = request(xs, type, 0, &p, 1, ok, sizeof(ok));

	return rc < 0 ? rc : 0;
}

int xsc_release(struct xsc *xs, unsigned int domid)
{
	return domid_request(xs, XS_RELEASE, domid);
}

int xsc_resume(struct xsc *xs, unsigned int domid)
{
	return domid_request(xs, XS_RESUME, domid);
}
