// SPDX-License-Identifier: MIT
/*
 * Event channels whose other end is a file descriptor of the toolstack's
 * (evtchn_bind_fd): what an interdomain channel to a backend in dom0 is on
 * Xen, for backends that live in other processes -- today the xenstore
 * daemon, whose link socket the toolstack hands over as it is.
 *
 * The guest's EVTCHNOP_send on the port runs on its vCPU thread and must
 * not block: it writes one byte with MSG_DONTWAIT (a full socket already
 * holds a notification nobody has read, so nothing is lost by dropping
 * another).  The other way, one relay thread per domain polls every bound
 * descriptor and raises the port once for each batch of raise bytes it
 * reads (a frozen domain defers the raise, event_channel.c).  A byte it
 * does not expect, or the end of the file, ends that binding with a line
 * on the console: the port stays the guest's, and sends on it go nowhere,
 * as a send to a backend that died.
 *
 * Bindings are only ever added (under evtchn_lock) until the domain is
 * destroyed, when hv_evtchn_fds_stop() joins the relay thread before the
 * vCPU threads are joined -- a raise kicks a vCPU thread, which must not
 * happen to one being joined -- and closes the descriptors once no vCPU
 * can send any more.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "private.h"

struct hv_evtchn_fd {
	struct hv_evtchn_fd *next;
	uint32_t port;
	int fd;
	uint8_t send_byte, raise_byte;
	bool ended;			/* EOF, error, or the guest closed it */
};

/* The relay thread and its wake-up pipe, one per domain. */
struct hv_evtchn_fd_relay {
	pthread_t thread;
	int wake[2];
	bool stop;
};

static void fd_backend(struct hv_domain *d, uint32_t port,
		       enum hv_evtchn_backend_event ev, void *arg)
{
	struct hv_evtchn_fd *b = arg;

	if (ev == HV_EVTCHN_BACKEND_CLOSED) {
		__atomic_store_n(&b->ended, true, __ATOMIC_RELEASE);
		return;
	}
	if (__atomic_load_n(&b->ended, __ATOMIC_ACQUIRE))
		return;
	if (send(b->fd, &b->send_byte, 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 &&
	    errno == ENOTSOCK)
		(void)!write(b->fd, &b->send_byte, 1);
}

/* Reads what the toolstack sent on b: whether the binding goes on. */
static bool drain(struct hv_domain *d, struct hv_evtchn_fd *b)
{
	uint8_t buf[64];
	bool raise = false;
	ssize_t n, i;

	n = recv(b->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && errno == ENOTSOCK)
		n = read(b->fd, buf, sizeof(buf));
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n <= 0) {
		hv_console_printf(d, "(hv) event channel %u: the toolstack's end closed; sends on it go nowhere now\n",
				  b->port);
		return false;
	}
	for (i = 0; i < n; i++) {
		if (buf[i] != b->raise_byte) {
			hv_console_printf(d, "(hv) event channel %u: unexpected byte %#x from the toolstack's end; binding ended\n",
					  b->port, buf[i]);
			return false;
		}
		raise = true;
	}
	if (raise)
		hv_evtchn_set_pending(d, b->port);
	return true;
}

static void *relay_main(void *arg)
{
	struct hv_domain *d = arg;
	struct hv_evtchn_fd_relay *r = d->evtchn_relay;
	struct hv_evtchn_fd *list[64], *b;
	struct pollfd pfd[65];
	unsigned int n, i;

	for (;;) {
		n = 0;
		pthread_mutex_lock(&d->evtchn_lock);
		for (b = d->evtchn_fds; b && n < ARRAY_SIZE(list); b = b->next)
			if (!__atomic_load_n(&b->ended, __ATOMIC_ACQUIRE))
				list[n++] = b;
		pthread_mutex_unlock(&d->evtchn_lock);
		pfd[0] = (struct pollfd){ .fd = r->wake[0], .events = POLLIN };
		for (i = 0; i < n; i++)
			pfd[i + 1] = (struct pollfd){ .fd = list[i]->fd,
						      .events = POLLIN };
		if (poll(pfd, n + 1, -1) < 0 && errno != EINTR)
			break;
		if (__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE))
			break;
		if (pfd[0].revents) {
			char c;

			(void)!read(r->wake[0], &c, 1);
		}
		for (i = 0; i < n; i++)
			if (pfd[i + 1].revents && !drain(d, list[i]))
				__atomic_store_n(&list[i]->ended, true,
						 __ATOMIC_RELEASE);
	}
	return NULL;
}

/* The domain's relay, made with its first binding (domctl lock held). */
static long relay_start(struct hv_domain *d)
{
	struct hv_evtchn_fd_relay *r;

	if (d->evtchn_relay)
		return 0;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	if (pipe2(r->wake, O_CLOEXEC)) {
		free(r);
		return -errno;
	}
	d->evtchn_relay = r;
	if (pthread_create(&r->thread, NULL, relay_main, d)) {
		close(r->wake[0]);
		close(r->wake[1]);
		free(r);
		d->evtchn_relay = NULL;
		return -EAGAIN;
	}
	return 0;
}

long hv_evtchn_bind_fd(struct hv_domain *d, uint32_t port, int fd,
		       uint8_t send_byte, uint8_t raise_byte)
{
	struct hv_evtchn_fd *b;
	long rc;

	if (port == 0 || port >= HV_NR_EVTCHNS)
		return -EINVAL;
	pthread_mutex_lock(&d->evtchn_lock);
	rc = d->evtchns[port].state == HV_EVTCHN_UNBOUND ? 0 : -EINVAL;
	pthread_mutex_unlock(&d->evtchn_lock);
	if (rc)
		return rc;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->fd = hv_dup_fd(fd);
	if (b->fd < 0) {
		rc = b->fd;
		free(b);
		return rc;
	}
	b->port = port;
	b->send_byte = send_byte;
	b->raise_byte = raise_byte;
	rc = relay_start(d);
	if (rc) {
		close(b->fd);
		free(b);
		return rc;
	}
	pthread_mutex_lock(&d->evtchn_lock);
	b->next = d->evtchn_fds;
	d->evtchn_fds = b;
	pthread_mutex_unlock(&d->evtchn_lock);
	hv_evtchn_bind_backend(d, port, fd_backend, b);
	(void)!write(d->evtchn_relay->wake[1], "b", 1);
	return 0;
}

void hv_evtchn_fds_stop(struct hv_domain *d)
{
	struct hv_evtchn_fd_relay *r = d->evtchn_relay;

	if (!r)
		return;
	__atomic_store_n(&r->stop, true, __ATOMIC_RELEASE);
	(void)!write(r->wake[1], "s", 1);
	pthread_join(r->thread, NULL);
	close(r->wake[0]);
	close(r->wake[1]);
	free(r);
	d->evtchn_relay = NULL;
}

/* After the vCPU threads are gone: nobody sends any more. */
void hv_evtchn_fds_free(struct hv_domain *d)
{
	struct hv_evtchn_fd *b, *next;

	for (b = d->evtchn_fds; b; b = next) {
		next = b->next;
		close(b->fd);
		free(b);
	}
	d->evtchn_fds = NULL;
}
