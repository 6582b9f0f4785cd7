// SPDX-License-Identifier: MIT
/*
 * Client side of the domain ring attachment (xs_attach.h): one
 * INTRODUCE sent with the guest's memory fd attached, then the same
 * socket carries one-byte notifications both ways.  The daemon side and
 * the reasons are in conn_socket.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <xen/interface/io/xs_wire.h>

#include "xs_attach.h"

void xs_run_dir(char *buf, size_t len)
{
	const char *env = getenv("TERN_RUN_DIR");

	if (env && *env)
		snprintf(buf, len, "%s", env);
	else if (geteuid() == 0)
		snprintf(buf, len, "/run/tern");
	else
		snprintf(buf, len, "/tmp/tern-%u", geteuid());
}

static int read_full(int fd, void *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = read(fd, (char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += n;
	}
	return 0;
}

int xs_error_errno(const char *name)
{
	unsigned int i;

	for (i = 0; i < XSD_NR_ERRORS; i++)
		if (!strcmp(name, xsd_errors[i].errstring))
			return -xsd_errors[i].errnum;
	return -EINVAL;
}

int xs_attach_domain_ring(const char *sock_path, unsigned int domid,
			  int memfd, uint64_t mfn, unsigned int evtchn)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} cbuf;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char payload[64], reply[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg hdr = { .type = XS_INTRODUCE, .req_id = 1 };
	struct iovec iov[2];
	struct msghdr msg = { 0 };
	struct cmsghdr *cm;
	int fd, len, err;

	if (strlen(sock_path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);
	len = snprintf(payload, sizeof(payload), "%u%c%llu%c%u", domid, 0,
		       (unsigned long long)mfn, 0, evtchn);
	hdr.len = len + 1;		/* with the last string's NUL */

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = -errno;
		close(fd);
		return err;
	}

	iov[0].iov_base = &hdr;
	iov[0].iov_len = sizeof(hdr);
	iov[1].iov_base = payload;
	iov[1].iov_len = hdr.len;
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	msg.msg_control = cbuf.buf;
	msg.msg_controllen = sizeof(cbuf.buf);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &memfd, sizeof(int));
	/* A stream socket may take part of it: send the rest plainly. */
	len = sendmsg(fd, &msg, MSG_NOSIGNAL);
	if (len >= 0 && (size_t)len < sizeof(hdr) + hdr.len) {
		char whole[sizeof(hdr) + sizeof(payload)];
		size_t done = len;

		memcpy(whole, &hdr, sizeof(hdr));
		memcpy(whole + sizeof(hdr), payload, hdr.len);
		while (done < sizeof(hdr) + hdr.len) {
			len = send(fd, whole + done,
				   sizeof(hdr) + hdr.len - done, MSG_NOSIGNAL);
			if (len < 0)
				break;
			done += len;
		}
	}
	if (len < 0) {
		err = -errno;
		close(fd);
		return err;
	}

	if (read_full(fd, &hdr, sizeof(hdr)) || hdr.len > XENSTORE_PAYLOAD_MAX ||
	    read_full(fd, reply, hdr.len)) {
		close(fd);
		return -EPROTO;
	}
	reply[hdr.len] = '\0';
	if (hdr.type == XS_ERROR) {
		close(fd);
		return xs_error_errno(reply);
	}
	if (hdr.type != XS_INTRODUCE || strcmp(reply, "OK")) {
		close(fd);
		return -EPROTO;
	}
	return fd;
}

static int link_send(int link, char what)
{
	ssize_t n = send(link, &what, 1, MSG_DONTWAIT | MSG_NOSIGNAL);

	/* A full buffer already holds a notification: nothing is lost. */
	if (n < 0 && errno != EAGAIN)
		return -errno;
	return 0;
}

int xs_link_kick(int link)
{
	return link_send(link, XS_LINK_KICK);
}

int xs_link_shutdown(int link)
{
	return link_send(link, XS_LINK_SHUTDOWN);
}

int xs_link_read(int link)
{
	char buf[64];
	int count = 0;
	ssize_t n, i;

	for (;;) {
		n = recv(link, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return count;
		if (n <= 0)
			return count ? count : -EPIPE;
		for (i = 0; i < n; i++) {
			if (buf[i] != XS_LINK_NOTIFY)
				return -EPROTO;
			count++;
		}
	}
}
