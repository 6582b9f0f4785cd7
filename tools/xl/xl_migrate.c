// SPDX-License-Identifier: MIT
/*
 * tern-xl migrate and migrate-receive, as xl's (tools/xl/xl_migrate.c in
 * Xen): the sender runs the receiver through a command (ssh by default)
 * or reaches it over TCP, and the two follow xl's handshake, in xl's
 * order, with xl's messages, so that a failure at each step is handled
 * as xl handles it:
 *
 *   receiver -> "xl migration receiver ready, send binary domain data.\n"
 *   sender   -> xl's save-file header and the configuration, then libxl's
 *               stream (live: pre-copy rounds while the guest runs, the
 *               suspend, the last round, the vCPUs, END)
 *   receiver    restores it into a paused domain called <name>--incoming
 *   receiver -> "domain received, ready to unpause\0"
 *   sender      renames its domain <name>--migratedaway
 *   sender   -> "domain is yours, you are cleared to unpause\0"
 *   receiver    renames its domain <name> and unpauses it
 *   receiver -> "my copy unpause results are as follows\0" and one byte,
 *               0 when the domain runs
 *   sender      destroys its domain (or, on a non-zero byte, waits for
 *               the receiver's own "domain is yours" once its copy is
 *               gone, renames back and resumes)
 *
 * The rule that keeps the guest in exactly one place: until the sender
 * has written "go", the source is the guest -- any failure before then
 * (the receiver killed, a connection refused or reset, the destination
 * out of memory or refusing the stream) resumes it in place (rc 1 to the
 * guest, it checks itself) and the receiver, which never got "go",
 * destroys what it built when its channel ends.  The destination never
 * runs, nor takes the name, before "go", and the source is renamed away
 * first.  Once "go" is written and the answer is lost, neither side can
 * know whether the other runs: as xl does, the source is left suspended
 * and renamed away, and both ends are reported -- never two copies
 * running.
 *
 * Progress: on a terminal (stderr), a line per round -- pages sent, the
 * send and dirty rates, the predicted downtime; a summary line at the end
 * either way.  The downtime measured here is from the moment the guest is
 * suspended to the moment the destination reports it unpaused.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xl.h"
#include "xl_migrate.h"
#include "xl_saverestore.h"
#include "tools/libs/light/tl_sr.h"

static const char banner[] =
	"xl migration receiver ready, send binary domain data.\n";
static const char ready[] = "domain received, ready to unpause";
static const char permission[] = "domain is yours, you are cleared to unpause";
static const char report[] = "my copy unpause results are as follows";

#define SUSPEND_LIMIT_S	60

/* The clock xg_domain_save_live stamps suspended_at_ns with. */
static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ULL + t.tv_nsec;
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t w = write(fd, c, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= w;
	}
	return 0;
}

static int read_all(int fd, void *p, size_t n)
{
	char *c = p;

	while (n) {
		ssize_t r = read(fd, c, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c += r;
		n -= r;
	}
	return 0;
}

/* xl's migrate_read_fixedmessage: exactly msg (n bytes), or a message. */
static int expect(int fd, const char *msg, size_t n, const char *what,
		  const char *who)
{
	char buf[128];

	if (read_all(fd, buf, n)) {
		fprintf(stderr, "%s: the other end closed the channel before the %s\n",
			who, what);
		return -1;
	}
	if (memcmp(buf, msg, n)) {
		fprintf(stderr, "%s: the channel held unexpected data instead of the %s\n",
			who, what);
		return -1;
	}
	return 0;
}

/* ---- the sender ---- */

struct sender {
	struct xl_dom dom;
	struct tl_domain_config cfg;
	xc_interface *xch;
	const char *host;
	const char *ssh;		/* NULL: ssh */
	const char *port;		/* TCP instead of a command */
	struct xg_live live;
	bool tty;
	int send_fd, recv_fd;
	pid_t child;
	char away[64];
	bool renamed;
	uint64_t t_ready, t_go;		/* when "ready" came, "go" went */
};

static void progress(void *arg, const struct xg_live_round *r)
{
	struct sender *s = arg;

	if (!s->tty)
		return;
	fprintf(stderr, "migration sender: round %u%s: %lu pages in %.1f ms (%.0f MiB/s), %lu dirtied (%.0f MiB/s), next round %.2f ms\n",
		r->round, r->last ? " (last, suspended)" : "",
		(unsigned long)r->sent, r->ns / 1e6,
		r->send_rate * XG_PAGE_SIZE / (1 << 20), (unsigned long)r->dirty,
		r->dirty_rate * XG_PAGE_SIZE / (1 << 20), r->predicted_ns / 1e6);
}

static int suspend_cb(void *arg)
{
	struct sender *s = arg;
	char why[1024];

	if (xl_suspend_guest(s->xch, &s->dom, SUSPEND_LIMIT_S, why, sizeof(why))) {
		fprintf(stderr, "migration sender: domain %s (id %u): %s\n",
			s->dom.name, s->dom.domid, why);
		return -1;
	}
	return 0;
}

/* The receiver through a command: its stdin and stdout are the channel. */
static int run_receiver(struct sender *s)
{
	int to[2], from[2];
	char *rune;

	if (s->ssh && !s->ssh[0]) {
		rune = strdup(s->host);		/* xl: -s "" runs <host> itself */
	} else if (asprintf(&rune, "exec %s %s tern-xl migrate-receive",
			    s->ssh ? s->ssh : "ssh", s->host) < 0) {
		rune = NULL;
	}
	if (!rune || pipe2(to, O_CLOEXEC) || pipe2(from, O_CLOEXEC)) {
		perror("migration sender: pipe");
		free(rune);
		return -1;
	}
	s->child = fork();
	if (s->child < 0) {
		perror("migration sender: fork");
		free(rune);
		return -1;
	}
	if (!s->child) {
		dup2(to[0], 0);
		dup2(from[1], 1);
		execl("/bin/sh", "sh", "-c", rune, (char *)NULL);
		perror("migration sender: /bin/sh");
		_exit(127);
	}
	free(rune);
	close(to[0]);
	close(from[1]);
	s->send_fd = to[1];
	s->recv_fd = from[0];
	return 0;
}

static int connect_receiver(struct sender *s)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	int rc, fd = -1;

	rc = getaddrinfo(s->host, s->port, &hints, &res);
	if (rc) {
		fprintf(stderr, "migration sender: %s port %s: %s\n", s->host,
			s->port, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd >= 0 && !connect(fd, ai->ai_addr, ai->ai_addrlen))
			break;
		rc = errno;
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		fprintf(stderr, "migration sender: connecting to %s port %s: %s\n",
			s->host, s->port, strerror(rc));
		return -1;
	}
	s->send_fd = fd;
	s->recv_fd = dup(fd);
	return s->recv_fd < 0 ? -1 : 0;
}

/* xl's migration_child_report: the receiver's command, ended. */
static void reap_receiver(struct sender *s)
{
	int st;

	if (s->send_fd >= 0)
		close(s->send_fd);
	s->send_fd = -1;
	if (s->child > 0 && waitpid(s->child, &st, 0) == s->child &&
	    (!WIFEXITED(st) || WEXITSTATUS(st)))
		fprintf(stderr, "migration sender: the receiver's command (%d) %s %d\n",
			(int)s->child, WIFEXITED(st) ? "exited with status" :
			"was killed by signal",
			WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	s->child = 0;
	if (s->recv_fd >= 0)
		close(s->recv_fd);
	s->recv_fd = -1;
}

/* The source goes on in place: rename back, resume (rc 1 to the guest). */
static int resume_source(struct sender *s)
{
	char why[512];

	if (s->renamed && xl_dom_rename(s->dom.domid, s->away, s->dom.name))
		fprintf(stderr, "migration sender: could not rename %s back to %s\n",
			s->away, s->dom.name);
	s->renamed = false;
	if (!s->live.suspended_at_ns)
		return 0;
	if (xl_fast_resume(s->xch, &s->dom, why, sizeof(why))) {
		fprintf(stderr, "migration sender: resuming domain %s: %s\n",
			s->dom.name, why);
		return -1;
	}
	xl_wait_running(&s->dom);
	fprintf(stderr, "migration sender: Resumed OK.\n");
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: tern-xl migrate [-s CMD] [-p PORT] [--max-rounds N] [--threshold PAGES] [--max-downtime MS] <domain> <host>\n");
	return -1;
}

static int parse(struct sender *s, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "max-rounds", required_argument, NULL, 'r' },
		{ "threshold", required_argument, NULL, 'T' },
		{ "max-downtime", required_argument, NULL, 'D' },
		{ 0 },
	};
	unsigned long v;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+s:p:", longs, NULL)) != -1) {
		switch (opt) {
		case 's':
			s->ssh = optarg;
			break;
		case 'p':
			if (xl_parse_number("migrate", "-p", optarg,
					    65535, "", &v))
				return -1;
			s->port = optarg;
			break;
		case 'r':
			if (xl_parse_number("migrate", "--max-rounds", optarg,
					    XG_LIVE_MAX_ROUNDS, "", &v))
				return -1;
			s->live.max_rounds = v;
			break;
		case 'T':
			if (xl_parse_number("migrate", "--threshold", optarg,
					    1UL << 30, "", &v))
				return -1;
			s->live.threshold = v;
			break;
		case 'D':
			if (xl_parse_number("migrate", "--max-downtime", optarg,
					    3600000, "", &v))
				return -1;
			s->live.max_downtime_ns = v * 1000000ULL;
			break;
		default:
			return usage();
		}
	}
	if (argc - optind != 2)
		return usage();
	if (s->port && s->ssh) {
		fprintf(stderr, "tern-xl: migrate: -s runs the receiver, -p connects to one: one of them\n");
		return -1;
	}
	s->host = argv[optind + 1];
	if (xl_dom_find(argv[optind], &s->dom)) {
		fprintf(stderr, "tern-xl: no domain '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

static int prepare(struct sender *s)
{
	char why[1024];

	if (xl_dom_config_read(s->dom.domid, &s->cfg, why, sizeof(why))) {
		fprintf(stderr, "tern-xl: domain %s (id %u): its configuration: %s\n",
			s->dom.name, s->dom.domid, why);
		return -1;
	}
	if (strcmp(s->dom.state, "running")) {
		fprintf(stderr, "tern-xl: domain %s (id %u) is %s: migrate takes a running guest\n",
			s->dom.name, s->dom.domid, s->dom.state);
		return -1;
	}
	if (!s->dom.suspend_cancel) {
		fprintf(stderr, "tern-xl: domain %s (id %u): its kernel has no SUSPEND_CANCEL note: a failed migration could not resume it in place\n",
			s->dom.name, s->dom.domid);
		return -1;
	}
	if (strlen(s->dom.name) + sizeof("--migratedaway") > sizeof(s->away)) {
		fprintf(stderr, "tern-xl: domain %s: the name is too long to be renamed away\n",
			s->dom.name);
		return -1;
	}
	snprintf(s->away, sizeof(s->away), "%.49s--migratedaway", s->dom.name);
	s->xch = xl_control_open(&s->dom, why, sizeof(why));
	if (!s->xch) {
		fprintf(stderr, "tern-xl: domain %s %s\n", s->dom.name, why);
		return -1;
	}
	return 0;
}

/* The stream: xl's header and the configuration, then libxl's, live. */
static int send_domain(struct sender *s, struct xg_sr_stats *st)
{
	struct xg_sr_out o;
	char err[1024];
	int rc;

	if (xg_sr_out_init(&o, s->send_fd)) {
		fprintf(stderr, "migration sender: out of memory\n");
		return -1;
	}
	s->live.suspend = suspend_cb;
	s->live.progress = progress;
	s->live.arg = s;
	rc = tl_save_file_write_header(&o, &s->cfg, err, sizeof(err));
	if (!rc)
		rc = tl_stream_write_live(s->xch, &o, s->dom.domid, &s->live, st,
					  err, sizeof(err));
	xg_sr_out_free(&o);
	if (rc)
		fprintf(stderr, "migration sender: sending domain %s (id %u): %s\n",
			s->dom.name, s->dom.domid, err);
	return rc;
}

static void summary(struct sender *s, const struct xg_sr_stats *st,
		    uint64_t t0, uint64_t t_end)
{
	unsigned int i;

	printf("migrated %s: %u rounds, %lu pages (", s->dom.name,
	       s->live.rounds, (unsigned long)st->pages);
	for (i = 0; i < s->live.rounds && i <= XG_LIVE_MAX_ROUNDS; i++)
		printf("%s%lu", i ? " " : "",
		       (unsigned long)s->live.round_pages[i]);
	printf("), total %.1f ms, downtime %.2f ms (last round %.2f ms)\n",
	       (t_end - t0) / 1e6, (t_end - s->live.suspended_at_ns) / 1e6,
	       s->live.last_round_ns / 1e6);
	if (xl_verbose)
		printf("(tern-xl) downtime: last round %.2f ms, the receiver's restore to \"ready\" %.2f ms, rename and \"go\" %.2f ms, its start to the report %.2f ms\n",
		       s->live.last_round_ns / 1e6,
		       (s->t_ready - s->live.suspended_at_ns - s->live.last_round_ns) / 1e6,
		       (s->t_go - s->t_ready) / 1e6, (t_end - s->t_go) / 1e6);
	if (xl_verbose)
		printf("(tern-xl) %lu bytes, %lu pagetables (%lu entries made canonical), %lu deferred, %lu retyped, %lu pfns on new frames\n",
		       (unsigned long)st->bytes, (unsigned long)st->pagetables,
		       (unsigned long)st->ptes, (unsigned long)s->live.deferred,
		       (unsigned long)s->live.retyped,
		       (unsigned long)s->live.p2m_changed);
}

static int failed_resume(struct sender *s)
{
	reap_receiver(s);
	if (s->live.suspended_at_ns) {
		fprintf(stderr, "Migration failed, resuming at sender.\n");
		resume_source(s);
	} else {
		resume_source(s);
		fprintf(stderr, "Migration failed before the guest was suspended: domain %s runs on here.\n",
			s->dom.name);
	}
	return XL_EXIT_ERROR;
}

static int failed_badly(struct sender *s)
{
	fprintf(stderr,
		"** Migration failed during final handshake **\n"
		"Domain %s (id %u) stays suspended at the sender as %s: the receiver may\n"
		"have started its copy.  Check the receiving host for a running %s before\n"
		"resuming (tern-xl resume) or destroying this one: never run both.\n",
		s->dom.name, s->dom.domid, s->away, s->dom.name);
	reap_receiver(s);
	return XL_EXIT_ERROR;
}

int main_migrate(int argc, char **argv)
{
	struct sender s = {
		.send_fd = -1, .recv_fd = -1, .live.mem.memfd = -1,
	};
	struct xg_sr_stats st;
	sigset_t block, old;
	uint64_t t0;
	char rc_buf;
	int status, rc;

	if (parse(&s, argc, argv) || prepare(&s)) {
		if (s.xch)
			xc_interface_close(s.xch);
		return XL_EXIT_ERROR;
	}
	s.tty = isatty(2);
	/* From here the guest is ours to bring back: no signal stops us midway. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	signal(SIGPIPE, SIG_IGN);
	t0 = now_ns();
	rc = s.port ? connect_receiver(&s) : run_receiver(&s);
	if (rc || expect(s.recv_fd, banner, sizeof(banner) - 1, "banner",
			 "migration sender")) {
		reap_receiver(&s);
		fprintf(stderr, "Migration failed: no receiver; domain %s runs on here.\n",
			s.dom.name);
		status = XL_EXIT_ERROR;
		goto out;
	}
	if (send_domain(&s, &st)) {
		status = failed_resume(&s);
		goto out;
	}
	if (expect(s.recv_fd, ready, sizeof(ready), "ready message",
		   "migration sender")) {
		status = failed_resume(&s);
		goto out;
	}
	s.t_ready = now_ns();
	if (s.tty)
		fprintf(stderr, "migration sender: Target has acknowledged transfer.\n");
	rc = xl_dom_rename(s.dom.domid, s.dom.name, s.away);
	if (rc) {
		fprintf(stderr, "migration sender: renaming %s to %s: %s\n",
			s.dom.name, s.away, strerror(-rc));
		status = failed_resume(&s);
		goto out;
	}
	s.renamed = true;
	/*
	 * A write that fails delivered nothing the receiver can act on: it
	 * starts only on the whole message, so the source is still the guest.
	 */
	if (write_all(s.send_fd, permission, sizeof(permission))) {
		status = failed_resume(&s);
		goto out;
	}
	s.t_go = now_ns();
	if (expect(s.recv_fd, report, sizeof(report), "report",
		   "migration sender") || read_all(s.recv_fd, &rc_buf, 1)) {
		status = failed_badly(&s);
		goto out;
	}
	if (rc_buf) {
		fprintf(stderr, "migration sender: Target reports startup failure (status code %d).\n",
			rc_buf);
		if (expect(s.recv_fd, permission, sizeof(permission),
			   "permission to resume", "migration sender")) {
			status = failed_badly(&s);
			goto out;
		}
		reap_receiver(&s);
		resume_source(&s);
		fprintf(stderr, "Migration failed due to problems at target.\n");
		status = XL_EXIT_ERROR;
		goto out;
	}
	summary(&s, &st, t0, now_ns());
	if (s.tty)
		fprintf(stderr, "migration sender: Target reports successful startup.\n");
	/* Who the domain is to destroy is its id; the name is for messages. */
	snprintf(s.dom.name, sizeof(s.dom.name), "%.63s", s.away);
	status = xl_dom_destroy(&s.dom) ? XL_EXIT_ERROR : XL_EXIT_OK;
	reap_receiver(&s);
	if (!status && s.tty)
		fprintf(stderr, "Migration successful.\n");
out:
	/* The guest's memory, kept mapped through the downtime. */
	xc_unmap_foreign(&s.live.mem);
	xc_interface_close(s.xch);
	fflush(stdout);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return status;
}

/* ---- the receiver ---- */

/* -l [ADDR:]PORT: one connection on a TCP port (127.0.0.1 by default). */
static int listen_once(const char *spec)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE }, *res;
	char host[256] = "127.0.0.1";
	const char *port = spec, *colon = strrchr(spec, ':');
	int fd, conn, one = 1, rc;

	if (colon) {
		snprintf(host, sizeof(host), "%.*s", (int)(colon - spec), spec);
		port = colon + 1;
	}
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc) {
		fprintf(stderr, "migration target: %s: %s\n", spec, gai_strerror(rc));
		return -1;
	}
	fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, res->ai_addr, res->ai_addrlen) || listen(fd, 1)) {
		fprintf(stderr, "migration target: listening on %s: %s\n", spec,
			strerror(errno));
		freeaddrinfo(res);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	freeaddrinfo(res);
	fprintf(stderr, "migration target: listening on %s port %s\n", host, port);
	do
		conn = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
	while (conn < 0 && errno == EINTR);
	close(fd);
	return conn;
}

/* After a failure before the domain runs: xl's report, and the permission back. */
static void refuse(int out, struct xl_incoming *inc)
{
	char one = 1;

	xl_incoming_abort(inc);
	if (!write_all(out, report, sizeof(report)) && !write_all(out, &one, 1))
		write_all(out, permission, sizeof(permission));
}

int main_migrate_receive(int argc, char **argv)
{
	struct tl_domain_config cfg;
	struct xl_incoming inc = { .sock = -1 };
	const char *listen_on = NULL;
	char final[64], err[1024], zero = 0;
	int in_fd = 0, out_fd = 1, sfd, opt;
	struct xg_sr_in in;
	bool have;

	optind = 1;
	while ((opt = getopt(argc, argv, "+l:")) != -1) {
		if (opt != 'l') {
			fprintf(stderr, "usage: tern-xl migrate-receive [-l [ADDR:]PORT]\n");
			return XL_EXIT_ERROR;
		}
		listen_on = optarg;
	}
	if (argc != optind) {
		fprintf(stderr, "usage: tern-xl migrate-receive [-l [ADDR:]PORT]\n");
		return XL_EXIT_ERROR;
	}
	signal(SIGPIPE, SIG_IGN);
	if (listen_on) {
		in_fd = out_fd = listen_once(listen_on);
		if (in_fd < 0)
			return XL_EXIT_ERROR;
	}
	if (write_all(out_fd, banner, sizeof(banner) - 1)) {
		fprintf(stderr, "migration target: writing the banner: %s\n",
			strerror(errno));
		return XL_EXIT_ERROR;
	}
	/* The domain's process reads the stream through its own descriptor. */
	sfd = dup(in_fd);
	if (sfd < 0 || xg_sr_in_init_fd(&in, sfd)) {
		perror("migration target");
		return XL_EXIT_ERROR;
	}
	tl_domain_config_init(&cfg);
	if (tl_save_file_read_header(&in, &cfg, &have, err, sizeof(err)) || !have) {
		fprintf(stderr, "migration target: the stream's header: %s\n",
			have ? err : "no configuration in it");
		return XL_EXIT_ERROR;
	}
	snprintf(final, sizeof(final), "%s", cfg.name);
	if (strlen(final) + sizeof("--incoming") > sizeof(cfg.name)) {
		fprintf(stderr, "migration target: the name %s is too long\n", final);
		return XL_EXIT_ERROR;
	}
	snprintf(cfg.name, sizeof(cfg.name), "%s--incoming", final);
	if (xl_receive_domain(&cfg, final, &in, in_fd, &inc)) {
		fprintf(stderr, "migration target: Domain creation failed.\n");
		return XL_EXIT_ERROR;
	}
	close(sfd);
	xg_sr_in_free(&in);
	if (write_all(out_fd, ready, sizeof(ready))) {
		xl_incoming_abort(&inc);
		fprintf(stderr, "migration target: the sender is gone; our copy destroyed\n");
		return XL_EXIT_ERROR;
	}
	if (expect(in_fd, permission, sizeof(permission), "GO message",
		   "migration target")) {
		refuse(out_fd, &inc);
		fprintf(stderr, "migration target: no permission to start; our copy destroyed\n");
		return XL_EXIT_ERROR;
	}
	if (xl_incoming_go(&inc, err, sizeof(err))) {
		fprintf(stderr, "migration target: starting the domain: %s\n", err);
		refuse(out_fd, &inc);
		fprintf(stderr, "migration target: Failure, our copy destroyed; the sender may resume\n");
		return XL_EXIT_ERROR;
	}
	close(inc.sock);
	if (write_all(out_fd, report, sizeof(report)) ||
	    write_all(out_fd, &zero, 1))
		fprintf(stderr, "migration target: the sender is gone before the report; domain %s runs here\n",
			final);
	return XL_EXIT_OK;
}
