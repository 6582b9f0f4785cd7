// SPDX-License-Identifier: MIT
/*
 * The tern-xenstored program itself, over its unix socket: start-up
 * (detaches only once it is listening; pid file; a second daemon on the
 * same socket refuses), bad input from clients (oversized payload,
 * unterminated strings, unknown types, hanging up mid-message, a client
 * that floods requests without reading) with other clients going on,
 * domain sockets (a client acting as an unprivileged domain), attaching
 * a domain's ring from a memfd with xs_attach_domain_ring() and playing
 * that guest over the link (requests, garbage indexes, reconnection,
 * shutdown, RELEASE, the domain process going away, with
 * @introduceDomain/@releaseDomain seen by a watcher), and clean exit on
 * SIGTERM.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "hosttest.h"
#include "t_xenstore.h"
#include "tools/libs/store/xs_attach.h"

static char dir[64], sock[128], pidf[128], logf[128], top[512];
static struct tmsg m;

static int run(const char *args)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s/tern-xenstored %s", top, args);
	return system(cmd);
}

static pid_t daemon_pid(void)
{
	FILE *f = fopen(pidf, "r");
	int pid = -1;

	if (f) {
		if (fscanf(f, "%d", &pid) != 1)
			pid = -1;
		fclose(f);
	}
	return pid;
}

static int req_ok(int fd, uint32_t type, const void *p, unsigned int len)
{
	return ts_req(fd, type, 0, p, len, &m) == (int)type &&
	       !strcmp(m.body, "OK");
}

static int req_err(int fd, uint32_t type, const void *p, unsigned int len,
		   const char *name)
{
	return ts_req(fd, type, 0, p, len, &m) == XS_ERROR &&
	       !strcmp(m.body, name);
}

/* Waits (bounded) for one event on a watcher connection. */
static int event(int fd, const char *path, const char *token)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		if (ts_get(fd, &m))
			return 0;
		if (m.hdr.type == XS_WATCH_EVENT && !strcmp(m.body, path) &&
		    !strcmp(m.body + strlen(m.body) + 1, token))
			return 1;
	}
	return 0;
}

static void test_startup(void)
{
	char args[512];
	int fd;

	T_CHECK(run("--help >/dev/null") == 0, "daemon: --help");
	T_CHECK(run("--quota bogus=1 2>/dev/null") != 0 &&
		run("--quota nodes=x 2>/dev/null") != 0 &&
		run("--domain-socket 5 2>/dev/null") != 0 &&
		run("extra 2>/dev/null") != 0,
		"daemon: bad options refused");
	snprintf(args, sizeof(args),
		 "-s %s -p %s -l %s -v -Q nodes=500 -D 6:%s/d6", sock, pidf,
		 logf, dir);
	T_CHECK(run(args) == 0, "daemon: starts and detaches");
	fd = ts_connect(sock);
	T_CHECK(fd >= 0, "daemon: socket listening when the parent returns");
	close(fd);
	T_CHECK(daemon_pid() > 0 && kill(daemon_pid(), 0) == 0,
		"daemon: pid file names the running daemon");
	snprintf(args, sizeof(args), "-s %s -p %s.2 2>/dev/null", sock, pidf);
	T_CHECK(run(args) != 0, "daemon: a second daemon on the socket refuses");
	fd = ts_connect(sock);
	T_CHECK(fd >= 0 && req_ok(fd, XS_WRITE, P("/still\0here")),
		"daemon: the first one still serves");
	close(fd);
}

static void test_bad_input(void)
{
	int c1 = ts_connect(sock), c2 = ts_connect(sock), c3;
	struct xsd_sockmsg big = { XS_WRITE, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };
	struct xsd_sockmsg half = { XS_WRITE, 1, 0, 100 };
	char value[XENSTORE_PAYLOAD_MAX];
	unsigned int i, got = 0;

	T_CHECK(req_ok(c2, XS_WRITE, P("/bad/x\0y")), "bad: client 2 works");
	ts_write(c1, &big, sizeof(big));
	T_CHECK(ts_closed(c1), "bad: payload of 4097 -> connection closed");
	close(c1);
	T_CHECK(req_err(c2, XS_READ, P("/bad/x"), "EINVAL"),
		"bad: unterminated path -> EINVAL");
	T_CHECK(req_err(c2, 99, P("/bad/x\0"), "EINVAL") &&
		req_err(c2, 0xffffffffu, "", 0, "EINVAL"),
		"bad: unknown types -> EINVAL");
	T_CHECK(req_err(c2, XS_WATCH, P("/bad\0"), "EINVAL"),
		"bad: WATCH without a token -> EINVAL");

	c3 = ts_connect(sock);
	ts_write(c3, &half, 7);
	close(c3);
	c3 = ts_connect(sock);
	ts_write(c3, &half, sizeof(half));
	ts_write(c3, "/bad/half\0", 10);
	close(c3);
	T_CHECK(req_ok(c2, XS_WRITE, P("/bad/after\0z")) &&
		req_err(c2, XS_READ, P("/bad/half\0"), "ENOENT"),
		"bad: clients hanging up mid-header and mid-payload do no harm");

	/* A client that sends 300 requests for 4 KiB each before reading. */
	memcpy(value, "/bad/big", 9);
	memset(value + 9, 'B', sizeof(value) - 9);
	req_ok(c2, XS_WRITE, value, sizeof(value));
	c3 = ts_connect(sock);
	for (i = 0; i < 300; i++)
		ts_send(c3, XS_READ, 0, P("/bad/big\0"));
	for (i = 0; i < 300; i++)
		got += ts_reply(c3, &m, NULL) == XS_READ &&
		       m.hdr.len == sizeof(value) - 9;
	T_CHECK(got == 300, "bad: 300 pipelined 4 KiB replies all arrive");
	close(c3);
	T_CHECK(req_ok(c2, XS_WRITE, P("/bad/end\0e")),
		"bad: client 2 still served at the end");
	close(c2);
}

static void test_domain_sockets(void)
{
	char payload[256], path[128];
	int c0 = ts_connect(sock), d5, d6;
	int n;

	req_ok(c0, XS_WRITE, P("/secret\0s"));
	req_ok(c0, XS_MKDIR, P("/local/domain/5\0"));
	req_ok(c0, XS_SET_PERMS, P("/local/domain/5\0n5\0"));
	snprintf(path, sizeof(path), "%s/d5", dir);
	n = snprintf(payload, sizeof(payload), "domain-socket%c5%c%s", 0, 0,
		     path) + 1;
	T_CHECK(req_ok(c0, XS_CONTROL, payload, n),
		"domsock: CONTROL domain-socket 5 <path>");
	d5 = ts_connect(path);
	T_CHECK(d5 >= 0 && req_err(d5, XS_READ, P("/secret\0"), "EACCES"),
		"domsock: its client is domain 5: n0 node -> EACCES");
	T_CHECK(req_ok(d5, XS_WRITE, P("home\0mine")) &&
		ts_req(c0, XS_READ, 0, P("/local/domain/5/home\0"), &m) ==
		XS_READ && !strcmp(m.body, "mine"),
		"domsock: relative write lands in /local/domain/5");
	T_CHECK(req_err(d5, XS_INTRODUCE, P("9\0" "1\0" "1\0"), "EACCES") &&
		req_err(d5, XS_CONTROL, P("help\0"), "EACCES"),
		"domsock: privileged requests -> EACCES");
	snprintf(path, sizeof(path), "%s/d6", dir);
	d6 = ts_connect(path);
	T_CHECK(d6 >= 0 && req_err(d6, XS_READ, P("/local/domain/5/home\0"),
				   "EACCES"),
		"domsock: --domain-socket 6:<path> client is domain 6");
	close(d5);
	close(d6);
	close(c0);
}

/* The guest's side of the ring page, driven through the link. */
struct dguest {
	struct xenstore_domain_interface *intf;
	int link;
};

static void dg_put(struct dguest *g, const void *buf, unsigned int len)
{
	uint32_t prod = g->intf->req_prod;
	unsigned int i;

	for (i = 0; i < len; i++)
		g->intf->req[MASK_XENSTORE_IDX(prod + i)] = ((const char *)buf)[i];
	__atomic_store_n(&g->intf->req_prod, prod + len, __ATOMIC_RELEASE);
}

/* Waits for the daemon's notification (bounded); its xs_link_read(). */
static int dg_wait(struct dguest *g)
{
	struct pollfd p = { g->link, POLLIN, 0 };

	if (poll(&p, 1, 20000) != 1)
		return 0;
	return xs_link_read(g->link);
}

/* One small request and its reply through the ring; the reply type. */
static int dg_req(struct dguest *g, uint32_t type, const void *payload,
		  unsigned int len)
{
	struct xsd_sockmsg hdr = { type, 42, 0, len };
	unsigned int i, rounds;
	uint32_t cons;

	dg_put(g, &hdr, sizeof(hdr));
	dg_put(g, payload, len);
	xs_link_kick(g->link);
	for (rounds = 0; rounds < 16; rounds++) {
		cons = g->intf->rsp_cons;
		if (g->intf->rsp_prod - cons >= sizeof(hdr)) {
			char *h = (char *)&m.hdr;

			for (i = 0; i < sizeof(hdr); i++)
				h[i] = g->intf->rsp[MASK_XENSTORE_IDX(cons + i)];
			if (g->intf->rsp_prod - cons >= sizeof(hdr) + m.hdr.len) {
				for (i = 0; i < m.hdr.len; i++)
					m.body[i] = g->intf->rsp[MASK_XENSTORE_IDX(cons + sizeof(hdr) + i)];
				m.body[m.hdr.len] = '\0';
				g->intf->rsp_cons = cons + sizeof(hdr) + m.hdr.len;
				xs_link_kick(g->link);
				return m.hdr.type;
			}
		}
		if (dg_wait(g) <= 0)
			break;
	}
	return -1;
}

static void test_attach(void)
{
	int c0 = ts_connect(sock), w = ts_connect(sock), memfd;
	struct dguest g = { 0 };
	unsigned int i;
	char *mem;
	int ret;

	memfd = memfd_create("t_xenstore_guest", MFD_CLOEXEC);
	T_CHECK(memfd >= 0 && !ftruncate(memfd, 16 * 4096),
		"attach: 16-page memfd as machine memory");
	mem = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
		   memfd, 0);
	g.intf = (void *)(mem + 3 * 4096);
	req_ok(c0, XS_MKDIR, P("/local/domain/7\0"));
	req_ok(c0, XS_SET_PERMS, P("/local/domain/7\0n7\0"));
	T_CHECK(req_ok(w, XS_WATCH, P("@introduceDomain\0in\0")) &&
		event(w, "@introduceDomain", "in") &&
		req_ok(w, XS_WATCH, P("@releaseDomain\0out\0")) &&
		event(w, "@releaseDomain", "out"),
		"attach: a watcher on @introduceDomain and @releaseDomain");

	T_CHECK(req_err(c0, XS_INTRODUCE, P("7\0" "3\0" "11\0"), "EINVAL"),
		"attach: INTRODUCE without a memfd -> EINVAL");
	ret = xs_attach_domain_ring(sock, 7, memfd, 16, 11);
	T_CHECK(ret == -EINVAL, "attach: frame beyond the memfd -> -EINVAL");
	g.link = xs_attach_domain_ring(sock, 7, memfd, 3, 11);
	T_CHECK(g.link >= 0, "attach: xs_attach_domain_ring(dom 7, mfn 3)");
	T_CHECK(event(w, "@introduceDomain", "in"),
		"attach: @introduceDomain fired");
	T_CHECK(ts_req(c0, XS_IS_DOMAIN_INTRODUCED, 0, P("7\0"), &m) ==
		XS_IS_DOMAIN_INTRODUCED && !strcmp(m.body, "T"),
		"attach: IS_DOMAIN_INTRODUCED 7 -> T");
	T_CHECK(xs_attach_domain_ring(sock, 7, memfd, 3, 11) == -EEXIST,
		"attach: a second ring for domain 7 -> -EEXIST");
	T_CHECK(g.intf->server_features == 3,
		"attach: daemon advertised its ring features in the page");
	T_CHECK(dg_req(&g, XS_WRITE, P("data\0from-ring")) == XS_WRITE &&
		!strcmp(m.body, "OK"),
		"attach: guest WRITE over the ring, kicked over the link");
	T_CHECK(ts_req(c0, XS_READ, 0, P("/local/domain/7/data\0"), &m) ==
		XS_READ && !strcmp(m.body, "from-ring"),
		"attach: the write is in the store");
	T_CHECK(dg_req(&g, XS_READ, P("/local/domain/0\0")) == XS_ERROR,
		"attach: the ring is unprivileged domain 7");

	g.intf->req_prod = g.intf->req_cons + 9999;
	xs_link_kick(g.link);
	/* Notifications may still be pending from before: wait for ours. */
	ret = 1;
	for (i = 0; i < 8 && g.intf->error != XENSTORE_ERROR_RINGIDX; i++)
		ret = dg_wait(&g);
	T_CHECK(ret > 0 && g.intf->error == XENSTORE_ERROR_RINGIDX,
		"attach: garbage indexes -> error field, guest notified");
	T_CHECK(req_ok(c0, XS_WRITE, P("/others\0fine")),
		"attach: other clients go on");
	g.intf->connection = XENSTORE_RECONNECT;
	xs_link_kick(g.link);
	ret = 1;
	for (i = 0; i < 8 && g.intf->connection != XENSTORE_CONNECTED; i++)
		ret = dg_wait(&g);
	T_CHECK(ret > 0 && g.intf->connection == XENSTORE_CONNECTED &&
		g.intf->error == 0, "attach: guest reconnects");
	T_CHECK(dg_req(&g, XS_READ, P("data\0")) == XS_READ &&
		!strcmp(m.body, "from-ring"), "attach: ring works again");

	xs_link_shutdown(g.link);
	T_CHECK(event(w, "@releaseDomain", "out"),
		"attach: guest shutdown -> @releaseDomain");
	T_CHECK(req_ok(c0, XS_RELEASE, P("7\0")) &&
		event(w, "@releaseDomain", "out"),
		"attach: RELEASE 7 -> @releaseDomain");
	for (i = 0; i < 8 && (ret = dg_wait(&g)) > 0; i++)
		;		/* notifications sent before the release */
	T_CHECK(ret == -EPIPE, "attach: RELEASE closes the link");
	close(g.link);

	memset(g.intf, 0, 4096);
	g.link = xs_attach_domain_ring(sock, 7, memfd, 3, 11);
	T_CHECK(g.link >= 0 && event(w, "@introduceDomain", "in"),
		"attach: domain 7 attached again");
	close(g.link);		/* the domain process exits */
	T_CHECK(event(w, "@releaseDomain", "out"),
		"attach: link closed -> @releaseDomain");
	T_CHECK(ts_req(c0, XS_IS_DOMAIN_INTRODUCED, 0, P("7\0"), &m) ==
		XS_IS_DOMAIN_INTRODUCED && !strcmp(m.body, "F"),
		"attach: IS_DOMAIN_INTRODUCED 7 -> F");
	munmap(mem, 16 * 4096);
	close(memfd);
	close(w);
	close(c0);
}

static void test_stop(void)
{
	pid_t pid = daemon_pid();
	unsigned int i;
	struct stat st;

	T_CHECK(pid > 0 && kill(pid, SIGTERM) == 0, "daemon: SIGTERM");
	/* Bounded wait for it to go; not a timing test. */
	for (i = 0; i < 500 && kill(pid, 0) == 0; i++)
		usleep(10000);
	T_CHECK(kill(pid, 0) != 0, "daemon: exits on SIGTERM");
	T_CHECK(stat(sock, &st) != 0 && stat(pidf, &st) != 0,
		"daemon: socket and pid file removed");
}

int main(void)
{
	const char *t = getenv("TOP");

	snprintf(top, sizeof(top), "%s", t ? t : ".");
	snprintf(dir, sizeof(dir), "/tmp/t_xenstore.XXXXXX");
	if (!mkdtemp(dir)) {
		T_CHECK(0, "mkdtemp");
		T_DONE();
	}
	snprintf(sock, sizeof(sock), "%s/xs.sock", dir);
	snprintf(pidf, sizeof(pidf), "%s/xs.pid", dir);
	snprintf(logf, sizeof(logf), "%s/xs.log", dir);
	signal(SIGPIPE, SIG_IGN);

	test_startup();
	test_bad_input();
	test_domain_sockets();
	test_attach();
	test_stop();
	if (hosttest_failures) {
		char cmd[256];

		snprintf(cmd, sizeof(cmd), "tail -40 %s | sed 's/^/    | /'",
			 logf);
		if (system(cmd))
			printf("# no daemon log\n");
	}
	if (daemon_pid() > 0)
		kill(daemon_pid(), SIGKILL);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd))
			printf("# could not remove %s\n", dir);
	}
	T_DONE();
}
