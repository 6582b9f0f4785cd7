// SPDX-License-Identifier: MIT
/*
 * The control socket's server (hv/include/hv/control.h): how another
 * process -- tern-xl list, stats, vcpu-list, resume, a save later -- gets
 * hv_domctl() answered by the process that runs the domain.
 *
 * One thread accepts; each connection gets a thread of its own that reads
 * a request whole (header, descriptor, payload), runs it through
 * hv_domctl() -- the only place a lock is taken -- and only then writes
 * the answer.  So a client that stops reading, or never finishes writing,
 * holds up nobody but its own connection thread, and the vCPU threads,
 * the timer thread and the toolstack's signal thread never wait for a
 * socket.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "private.h"
#include "hv/include/hv/control.h"

int hv_ctl_recv(int sock, void *buf, size_t len, int *got_fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	size_t done = 0;

	while (done < len) {
		struct iovec iov = { (char *)buf + done, len - done };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = cbuf,
				     .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *cm;
		ssize_t n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			int rfd;

			if (cm->cmsg_level != SOL_SOCKET ||
			    cm->cmsg_type != SCM_RIGHTS)
				continue;
			memcpy(&rfd, CMSG_DATA(cm), sizeof(int));
			if (got_fd && *got_fd < 0)
				*got_fd = rfd;
			else
				close(rfd);
		}
		done += n;
	}
	return 0;
}

int hv_ctl_send(int sock, const void *buf, size_t len, int pass_fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	size_t done = 0;

	while (done < len) {
		struct iovec iov = { (char *)buf + done, len - done };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n;

		if (pass_fd >= 0 && !done) {
			struct cmsghdr *cm;

			memset(cbuf, 0, sizeof(cbuf));
			mh.msg_control = cbuf;
			mh.msg_controllen = sizeof(cbuf);
			cm = CMSG_FIRSTHDR(&mh);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(cm), &pass_fd, sizeof(int));
		}
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += n;
	}
	return 0;
}

/* Sends one answer; the descriptor, if any, is then closed here. */
static int answer(int conn, const struct hv_domctl *op, long rc,
		  const void *out, size_t out_len, int fd)
{
	struct hv_ctl_response resp = {
		.magic = HV_CTL_MAGIC,
		.flags = fd >= 0 ? HV_CTL_FD : 0,
		.rc = rc,
		.out_len = out_len,
		.op = *op,
	};
	int err = hv_ctl_send(conn, &resp, sizeof(resp), fd) ||
		  (out_len && hv_ctl_send(conn, out, out_len, -1));

	if (fd >= 0)
		close(fd);
	return err ? -1 : 0;
}

/* One request: 0 to go on with the connection, -1 to close it. */
static int serve_one(int conn)
{
	struct hv_ctl_request req;
	struct hv_domctl_payload p = { .fd_in = -1, .fd_out = -1 };
	void *in = NULL, *out = NULL;
	long rc;
	int ret = -1;

	if (hv_ctl_recv(conn, &req, sizeof(req), &p.fd_in))
		goto out;
	if (req.magic != HV_CTL_MAGIC) {
		answer(conn, &req.op, -EPROTO, NULL, 0, -1);
		goto out;
	}
	if (req.in_len > HV_DOMCTL_MAX_PAYLOAD ||
	    req.out_max > HV_DOMCTL_MAX_PAYLOAD ||
	    !(req.flags & HV_CTL_FD) != (p.fd_in < 0)) {
		answer(conn, &req.op, -EINVAL, NULL, 0, -1);
		goto out;
	}
	in = malloc(req.in_len ? req.in_len : 1);
	out = malloc(req.out_max ? req.out_max : 1);
	if (!in || !out || hv_ctl_recv(conn, in, req.in_len, NULL))
		goto out;
	p.in = in;
	p.in_len = req.in_len;
	p.out = out;
	p.out_max = req.out_max;
	rc = hv_domctl(&req.op, &p);
	ret = answer(conn, &req.op, rc, out, rc ? 0 : p.out_len, p.fd_out);
out:
	if (p.fd_in >= 0)
		close(p.fd_in);
	free(in);
	free(out);
	return ret;
}

static void *conn_main(void *arg)
{
	int conn = (int)(intptr_t)arg;

	while (!serve_one(conn))
		;
	close(conn);
	return NULL;
}

static void *accept_main(void *arg)
{
	int fd = (int)(intptr_t)arg;

	for (;;) {
		int conn = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
		pthread_attr_t attr;
		pthread_t t;

		if (conn < 0) {
			/* Out of descriptors: wait for some to close. */
			if (errno == EMFILE || errno == ENFILE)
				poll(NULL, 0, 100);
			if (errno == EINTR || errno == ECONNABORTED ||
			    errno == EMFILE || errno == ENFILE)
				continue;
			break;
		}
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&t, &attr, conn_main, (void *)(intptr_t)conn))
			close(conn);
		pthread_attr_destroy(&attr);
	}
	close(fd);
	return NULL;
}

int hv_control_serve(int fd)
{
	pthread_t t;
	int rc = pthread_create(&t, NULL, accept_main, (void *)(intptr_t)fd);

	if (rc)
		return -rc;
	pthread_detach(t);
	return 0;
}
