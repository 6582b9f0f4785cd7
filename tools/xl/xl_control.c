// SPDX-License-Identifier: MIT
/*
 * The domain process's control socket, "<run dir>/<domid>.ctl": how other
 * tern-xl invocations ask a running domain things only its hypervisor
 * knows.  One request per connection, a command line in, text out, then
 * the connection closes.  Today: "stats" (hypercall counts and outcomes,
 * PV MMU counters).  The listener is a thread of the domain process and
 * reads the current domain under the runner's lock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "xl.h"
#include "hv/hv.h"

void xl_control_path(unsigned int domid, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%u.ctl", xl_run_dir(), domid);
}

static int sock_addr(unsigned int domid, struct sockaddr_un *sa)
{
	char path[600];

	xl_control_path(domid, path, sizeof(path));
	if (strlen(path) >= sizeof(sa->sun_path))
		return -1;
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path, path, strlen(path) + 1);
	return 0;
}

/* Answers one request on conn. */
static void serve(struct xl_control *c, int conn)
{
	char cmd[64] = "";
	ssize_t n = read(conn, cmd, sizeof(cmd) - 1);
	FILE *f;

	if (n <= 0)
		return;
	cmd[n] = '\0';
	cmd[strcspn(cmd, "\r\n")] = '\0';
	f = fdopen(dup(conn), "w");
	if (!f)
		return;
	if (!strcmp(cmd, "stats")) {
		pthread_mutex_lock(c->lock);
		if (*c->domain)
			hv_domain_print_stats(*c->domain, f);
		else
			fprintf(f, "error: the domain is between lives (restarting)\n");
		pthread_mutex_unlock(c->lock);
	} else {
		fprintf(f, "error: unknown control command '%s'\n", cmd);
	}
	fclose(f);
}

static void *control_main(void *arg)
{
	struct xl_control *c = arg;

	for (;;) {
		int conn = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC);

		if (conn < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			break;
		}
		serve(c, conn);
		close(conn);
	}
	return NULL;
}

int xl_control_start(struct xl_control *c, unsigned int domid)
{
	struct sockaddr_un sa;
	pthread_t t;

	if (sock_addr(domid, &sa))
		return -1;
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -1;
	unlink(sa.sun_path);
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(c->fd, 8) ||
	    pthread_create(&t, NULL, control_main, c)) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	pthread_detach(t);
	return 0;
}

void xl_control_stop(unsigned int domid)
{
	char path[600];

	xl_control_path(domid, path, sizeof(path));
	unlink(path);
}

/* tern-xl stats <domain>: the running domain's hypervisor counters. */
int main_stats(int argc, char **argv)
{
	struct sockaddr_un sa;
	struct xl_dom dom;
	char buf[4096];
	ssize_t n;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: tern-xl stats <domain>\n");
		return XL_EXIT_ERROR;
	}
	if (xl_dom_find(argv[1], &dom)) {
		fprintf(stderr, "tern-xl: no domain '%s'\n", argv[1]);
		return XL_EXIT_ERROR;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || sock_addr(dom.domid, &sa) ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    write(fd, "stats\n", 6) != 6) {
		fprintf(stderr, "tern-xl: domain %s does not answer on its control socket: %s\n",
			dom.name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return XL_EXIT_ERROR;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, n) != n)
			break;
	close(fd);
	return XL_EXIT_OK;
}
