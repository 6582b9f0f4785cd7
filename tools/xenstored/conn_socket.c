// SPDX-License-Identifier: MIT
/*
 * Unix sockets and the main loop.
 *
 * Three kinds of socket:
 *
 *   - listening sockets: the daemon's main socket, whose clients are
 *     the privileged toolstack (domain 0), as libxenstore expects when
 *     it connects through XENSTORED_PATH, and another like it on Xen's
 *     default path if asked (xen_socket.c); and optional "domain sockets"
 *     (--domain-socket, CONTROL domain-socket), whose clients act as one
 *     unprivileged domain -- a guest's view of xenstore without a ring;
 *   - client sockets, each one xs_wire connection (struct conn);
 *   - domain links, which drive a ring connection.  A domain process
 *     attaches its guest's xenstore page like this (xs_attach.c is the
 *     client side):
 *
 *       1. connect to the main socket;
 *       2. send INTRODUCE "<domid>\0<mfn>\0<evtchn>\0" with the memfd
 *          holding the guest's machine memory attached (SCM_RIGHTS);
 *          the page is the one at byte offset mfn * 4096 of that file,
 *          exactly where the hypervisor keeps machine frame mfn;
 *       3. wait for the "OK" reply.  From then on the socket no longer
 *          speaks xs_wire: it is the domain's event channel to the
 *          daemon.  Each byte is one notification: 'k' from the domain
 *          process when the guest kicks its xenstore event channel,
 *          's' when the guest has shut down (fires @releaseDomain), and
 *          'n' from the daemon when it has updated the ring (the domain
 *          process then raises the guest's event channel).
 *
 *     The daemon keeps the memfd for the link's life: a toolstack that
 *     moves the ring to another frame (XS_CONTROL ring-move) names
 *     only the frame, which is then mapped from the same file, so a
 *     move cannot point the ring anywhere but into the guest's memory.
 *
 *     The link doubles as the domain's lifetime: when the domain
 *     process exits, the link closes and the daemon drops the ring and
 *     fires @releaseDomain; RELEASE closes the link from our side.
 *     Notifications are only hints: a full socket buffer means a
 *     notification is already pending, so one may be dropped.
 *
 * The loop is poll(): listening sockets and links are always polled for
 * input; a client for input unless it has too many replies outstanding,
 * and for output while it has queued output.  Between polls, queued
 * output of every connection (events caused by others) is flushed and
 * dead connections are freed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "private.h"

#define XSD_MAX_FDS	4	/* passed fds kept per client */
#define XSD_PAGE_SIZE	4096u

enum sock_kind { S_LISTEN, S_CLIENT, S_LINK };

struct sock {
	struct xsd_list list;
	enum sock_kind kind;
	int fd;
	unsigned int domid;		/* S_LISTEN: its clients'; S_LINK */
	bool privileged;		/* S_LISTEN: its clients are */
	char *path;			/* S_LISTEN: unlinked at exit... */
	dev_t dev;			/* ...if it is still this socket */
	ino_t ino;
	struct conn *conn;		/* S_CLIENT: the xs_wire connection */
	struct conn *ring;		/* after INTRODUCE: the domain's ring */
	void *page;			/* its mapping */
	int memfd;			/* the guest's memory, or -1 */
	int fds[XSD_MAX_FDS];		/* S_CLIENT: fds received, oldest first */
	unsigned int nr_fds;
	bool to_link;			/* becomes S_LINK once "OK" is out */
	bool closed;			/* to be freed */
};

static struct xsd_list socks = XSD_LIST_INIT(socks);

static struct sock *sock_new(enum sock_kind kind, int fd)
{
	struct sock *s = xsd_zalloc(sizeof(*s));

	s->kind = kind;
	s->fd = fd;
	s->memfd = -1;
	xsd_list_add_tail(&s->list, &socks);
	return s;
}

/*
 * Whether a listening socket's path still names the socket it bound: a
 * daemon that replaced it meanwhile (Xen's xenstored unlinks and rebinds
 * its path at start) keeps its own.
 */
static bool still_ours(const struct sock *s)
{
	struct stat st;

	return !lstat(s->path, &st) && S_ISSOCK(st.st_mode) &&
	       st.st_dev == s->dev && st.st_ino == s->ino;
}

static void sock_free(struct sock *s)
{
	unsigned int i;

	for (i = 0; i < s->nr_fds; i++)
		close(s->fds[i]);
	if (s->fd >= 0)
		close(s->fd);
	if (s->memfd >= 0)
		close(s->memfd);
	if (s->kind == S_LISTEN && s->path && still_ours(s))
		unlink(s->path);
	free(s->path);
	xsd_list_del(&s->list);
	free(s);
}

/* ---- client connections --------------------------------------------- */

static int sock_read(struct conn *c, void *buf, unsigned int len)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * XSD_MAX_FDS)];
	} cbuf;
	struct sock *s = c->priv;
	struct iovec iov = { buf, len };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf.buf, .msg_controllen = sizeof(cbuf.buf),
	};
	struct cmsghdr *cm;
	unsigned int i, nfd;
	ssize_t n;
	int *fds;

	if (s->to_link)
		return 0;	/* what follows INTRODUCE belongs to the link */
	n = recvmsg(s->fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		nfd = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		fds = (int *)CMSG_DATA(cm);
		for (i = 0; i < nfd; i++) {
			if (s->nr_fds < XSD_MAX_FDS)
				s->fds[s->nr_fds++] = fds[i];
			else
				close(fds[i]);
		}
	}
	return n ? (int)n : -1;		/* 0: the client hung up */
}

static int sock_write(struct conn *c, const void *buf, unsigned int len)
{
	struct sock *s = c->priv;
	ssize_t n = send(s->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	return n;
}

static void sock_destroy(struct conn *c)
{
	struct sock *s = c->priv;

	s->conn = NULL;
	if (s->kind == S_LINK)
		return;		/* the socket lives on as the link */
	if (s->ring)
		s->ring->dead = true;	/* hung up before the link was up */
	s->closed = true;
}

static const struct conn_ops sock_ops = {
	.kind = "socket",
	.read = sock_read,
	.write = sock_write,
	.destroy = sock_destroy,
};

/* ---- domain links --------------------------------------------------- */

static void link_notify(void *opaque)
{
	struct sock *s = opaque;

	if (send(s->fd, "n", 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 &&
	    errno != EAGAIN)
		xsd_dbg("domain %u: link: %s", s->domid, strerror(errno));
}

static void link_release(void *opaque)
{
	struct sock *s = opaque;

	munmap(s->page, XSD_PAGE_SIZE);
	s->page = NULL;
	s->ring = NULL;
	if (s->memfd >= 0)
		close(s->memfd);
	s->memfd = -1;
	s->closed = true;
}

/* Takes the oldest fd the client passed us, or -1. */
static int take_fd(struct sock *s)
{
	int fd;

	if (!s->nr_fds)
		return -1;
	fd = s->fds[0];
	memmove(&s->fds[0], &s->fds[1], --s->nr_fds * sizeof(int));
	return fd;
}

/*
 * INTRODUCE on a socket: map page mfn of the memfd passed along with the
 * request and serve domid's ring on it (see the file comment).
 */
static int sock_introduce(struct conn *c, unsigned int domid, uint64_t mfn,
			  unsigned int evtchn)
{
	struct sock *s = c->priv;
	struct stat st;
	void *page;
	int fd = take_fd(s);

	if (fd < 0) {
		xsd_log("INTRODUCE of domain %u without a memory fd", domid);
		return XEN_EINVAL;
	}
	if (fstat(fd, &st) || mfn >= (UINT64_MAX >> 12) ||
	    (uint64_t)st.st_size < (mfn + 1) * XSD_PAGE_SIZE) {
		close(fd);
		return XEN_EINVAL;
	}
	page = mmap(NULL, XSD_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		    fd, mfn * XSD_PAGE_SIZE);
	if (page == MAP_FAILED) {
		close(fd);
		return XEN_EINVAL;
	}
	s->page = page;
	s->memfd = fd;
	s->domid = domid;
	s->ring = ring_conn_new(page, domid, link_notify, s, link_release);
	s->to_link = true;
	xsd_dbg("domain %u: ring at mfn %#llx, event channel %u", domid,
		(unsigned long long)mfn, evtchn);
	domain_introduced(domid, s->ring);
	return 0;
}

/*
 * ring-move: the ring connection ring is served from frame mfn of its
 * domain's memory from now on (it is frozen: nothing reads the old page,
 * and the toolstack has copied it).  0, or XEN_EINVAL with nothing
 * changed for a frame beyond the memory or a mapping that fails.
 */
int sock_ring_move(const struct conn *ring, uint64_t mfn)
{
	struct stat st;
	struct sock *s;
	void *page;

	xsd_list_for_each_entry(s, &socks, list) {
		if (s->ring != ring)
			continue;
		if (s->memfd < 0 || fstat(s->memfd, &st) ||
		    mfn >= (UINT64_MAX >> 12) ||
		    (uint64_t)st.st_size < (mfn + 1) * XSD_PAGE_SIZE)
			return XEN_EINVAL;
		page = mmap(NULL, XSD_PAGE_SIZE, PROT_READ | PROT_WRITE,
			    MAP_SHARED, s->memfd, mfn * XSD_PAGE_SIZE);
		if (page == MAP_FAILED)
			return XEN_EINVAL;
		ring_conn_remap(s->ring, page);
		munmap(s->page, XSD_PAGE_SIZE);
		s->page = page;
		return 0;
	}
	return XEN_ENOENT;
}

/* The link has input: notifications from the domain process, or EOF. */
static void link_input(struct sock *s)
{
	char buf[64];
	bool kick = false;
	ssize_t n, i;

	n = recv(s->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	for (i = 0; i < n; i++) {
		if (buf[i] == 'k') {
			kick = true;
		} else if (buf[i] == 's') {
			domain_shutdown(s->domid);
		} else {
			xsd_log("domain %u: bad link byte %#x", s->domid,
				(unsigned char)buf[i]);
			n = -1;
			break;
		}
	}
	if (n <= 0) {
		if (s->ring)
			s->ring->dead = true;	/* domain gone */
		else
			s->closed = true;
		return;
	}
	if (kick && s->ring)
		ring_conn_kick(s->ring);
}

/* Turns clients that introduced a domain into links once "OK" is out. */
static void promote_links(void)
{
	struct sock *s;

	xsd_list_for_each_entry(s, &socks, list) {
		if (s->kind != S_CLIENT || !s->to_link || !s->conn ||
		    s->conn->dead || !xsd_list_empty(&s->conn->out))
			continue;
		s->kind = S_LINK;
		s->conn->dead = true;
		if (s->ring)
			ring_conn_kick(s->ring);	/* requests already there */
	}
}

/* ---- listening ------------------------------------------------------ */

/*
 * Listens on path; clients are domid (privileged or not).  A socket file
 * left by a daemon that died is replaced; one that answers is not
 * (EADDRINUSE), and anything else at path is never removed (EEXIST).
 */
int sock_listen(const char *path, int domid, bool privileged)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	struct sock *s;
	int fd, err;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (!lstat(path, &st) && !S_ISSOCK(st.st_mode)) {
		errno = EEXIST;
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/*
	 * Only "refused" means nobody listens: a full backlog (EAGAIN) is a
	 * busy daemon, and a socket we may not use is not ours to remove.
	 */
	err = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ? errno : 0;
	if (!err || err == EAGAIN)
		err = EADDRINUSE;
	else if (err == ECONNREFUSED)
		err = unlink(path) ? errno : 0;
	else if (err == ENOENT)
		err = 0;
	if (err) {
		close(fd);
		errno = err;
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(fd, 64) || lstat(path, &st)) {
		close(fd);
		return -1;
	}
	s = sock_new(S_LISTEN, fd);
	s->path = xsd_strdup(path);
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->domid = domid;
	s->privileged = privileged;
	xsd_dbg("listening on %s as domain %d%s", path, domid,
		privileged ? " (privileged)" : "");
	return 0;
}

int sock_domain_socket(unsigned int domid, const char *path)
{
	if (sock_listen(path, domid, false)) {
		xsd_log("domain socket %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void accept_clients(struct sock *l)
{
	struct sock *s;
	int fd;

	while ((fd = accept4(l->fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		s = sock_new(S_CLIENT, fd);
		s->conn = conn_new(&sock_ops, s, l->domid, l->privileged);
		if (l->privileged)
			s->conn->introduce = sock_introduce;
	}
}

void sock_close_all(void)
{
	struct sock *s, *tmp;

	xsd_list_for_each_entry_safe(s, tmp, &socks, list)
		sock_free(s);
}

/* ---- the loop ------------------------------------------------------- */

static unsigned int count_socks(void)
{
	struct sock *s;
	unsigned int n = 0;

	xsd_list_for_each_entry(s, &socks, list)
		n++;
	return n;
}

static void free_closed(void)
{
	struct sock *s, *tmp;

	xsd_list_for_each_entry_safe(s, tmp, &socks, list)
		if (s->closed && !s->conn && !s->ring)
			sock_free(s);
}

static void handle(struct sock *s, short revents)
{
	switch (s->kind) {
	case S_LISTEN:
		accept_clients(s);
		break;
	case S_CLIENT:
		if (!s->conn)
			break;
		if (revents & POLLOUT)
			conn_flush(s->conn);
		if (revents & (POLLIN | POLLHUP | POLLERR))
			conn_process(s->conn);
		break;
	case S_LINK:
		link_input(s);
		break;
	}
}

/*
 * Serves until *stop is set (by a signal handler).  Signals blocked by
 * the caller are let through only while waiting in ppoll, so a stop
 * request cannot slip in between the check and the wait.
 */
int sock_loop(volatile int *stop)
{
	struct pollfd *pfd = NULL;
	struct sock **who = NULL;
	unsigned int n, max = 0, i;
	struct sock *s;
	sigset_t open_mask;

	sigemptyset(&open_mask);
	while (!*stop) {
		conn_flush_all();
		promote_links();
		conn_reap();
		free_closed();
		n = count_socks();
		if (n > max) {
			max = n * 2;
			pfd = xsd_realloc(pfd, max * sizeof(*pfd));
			who = xsd_realloc(who, max * sizeof(*who));
		}
		n = 0;
		xsd_list_for_each_entry(s, &socks, list) {
			short ev = 0;

			if (s->closed)
				continue;
			if (s->kind != S_CLIENT)
				ev = POLLIN;
			else if (s->conn && !s->to_link &&
				 !conn_blocked(s->conn))
				ev = POLLIN;
			if (s->kind == S_CLIENT && s->conn &&
			    !xsd_list_empty(&s->conn->out))
				ev |= POLLOUT;
			pfd[n].fd = s->fd;
			pfd[n].events = ev;
			pfd[n].revents = 0;
			who[n++] = s;
		}
		if (ppoll(pfd, n, NULL, &open_mask) < 0) {
			if (errno == EINTR)
				continue;
			xsd_log("poll: %s", strerror(errno));
			break;
		}
		for (i = 0; i < n; i++)
			if (pfd[i].revents)
				handle(who[i], pfd[i].revents);
	}
	free(pfd);
	free(who);
	return 0;
}
