// SPDX-License-Identifier: MIT
/*
 * tern-xl shutdown / reboot [-a] [-w] [-F] [-t SECONDS] [<domain>]: ask a
 * guest, through xenstore, as xl does for a PV guest.
 *
 * The request is the value of /local/domain/<id>/control/shutdown, and it
 * is written whether or not the guest has advertised control/feature-*
 * yet, as libxl writes it for any PV guest: a guest still booting reads
 * it when it sets its watch on the node (a new watch fires at once), so
 * `create && shutdown` works whenever it is run.  The write is one
 * transaction that first makes sure the node exists (the toolstack made
 * it with the domain), so a domain going away is never left a stray node.
 *
 * Without -w the verb returns once the request is written, as xl's does.
 * With -w it waits until every domain asked has shut down, watching
 * @releaseDomain as xl does, and reads how each ended from its state
 * file, which its own process keeps: gone, built again (on_reboot =
 * "restart" keeps the process and counts the boot), or kept as it ended
 * ("preserve").  -t bounds the wait (a tern addition; 60 s by default); a
 * guest that never even cleared its request (its acknowledgement) by then
 * has the request withdrawn, so that it cannot fire long after the user
 * gave up.  -a asks every running domain; -F (xl's fallback to an ACPI
 * power event for an HVM guest without PV drivers) changes nothing for a
 * PV guest and is accepted.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xenstore.h>

#include "xl.h"
#include "xl_store.h"

#define DEFAULT_WAIT_S	60
#define TX_RETRIES	20
#define WATCH_TOKEN	"tern-xl"

struct request {
	const char *verb;		/* "shutdown" or "reboot" */
	const char *value;		/* what goes into control/shutdown */
};

struct target {
	struct xl_dom dom;
	bool waiting;
};

struct run {
	const struct request *rq;
	struct xs_handle *xs;
	struct target *t;
	unsigned int n, cap;
	bool all, wait;
	unsigned long limit;
	int status;
};

static void shutdown_path(char *buf, size_t len, unsigned int domid)
{
	snprintf(buf, len, "/local/domain/%u/control/shutdown", domid);
}

/* Writes the request if the node is there, in one transaction. */
int xl_pvcontrol_write(struct xs_handle *xs, unsigned int domid,
		       const char *value, char *why, size_t whylen)
{
	char path[128], *val;
	xs_transaction_t tx;
	unsigned int len;
	int tries;

	shutdown_path(path, sizeof(path), domid);
	for (tries = 0; tries < TX_RETRIES; tries++) {
		tx = xs_transaction_start(xs);
		if (tx == XBT_NULL) {
			snprintf(why, whylen, "starting a xenstore transaction: %s",
				 strerror(errno));
			return -1;
		}
		val = xs_read(xs, tx, path, &len);
		if (!val) {
			snprintf(why, whylen, "%s: %s", path,
				 errno == ENOENT ? "not there (the domain is going away)" :
				 strerror(errno));
			xs_transaction_end(xs, tx, true);
			return -1;
		}
		free(val);
		if (!xs_write(xs, tx, path, value, strlen(value))) {
			snprintf(why, whylen, "writing %s: %s", path, strerror(errno));
			xs_transaction_end(xs, tx, true);
			return -1;
		}
		if (xs_transaction_end(xs, tx, false))
			return 0;
		if (errno != EAGAIN)
			break;
	}
	snprintf(why, whylen, "committing the request: %s", strerror(errno));
	return -1;
}

/*
 * Withdraws the request if the guest never took it; returns true if it
 * was still there.
 */
bool xl_pvcontrol_withdraw(struct xs_handle *xs, unsigned int domid,
			   const char *value)
{
	bool pending = false;
	xs_transaction_t tx;
	unsigned int len;
	char path[128], *val;
	int tries;

	shutdown_path(path, sizeof(path), domid);
	for (tries = 0; tries < TX_RETRIES; tries++) {
		tx = xs_transaction_start(xs);
		if (tx == XBT_NULL)
			return false;
		val = xs_read(xs, tx, path, &len);
		pending = val && !strcmp(val, value);
		free(val);
		if (pending)
			xs_write(xs, tx, path, "", 0);
		if (xs_transaction_end(xs, tx, !pending) || errno != EAGAIN)
			break;
	}
	return pending;
}

enum ending { STILL_RUNNING, GONE, RESTARTED, KEPT };

static enum ending how_it_ended(const struct xl_dom *before, struct xl_dom *now)
{
	if (xl_dom_read(before->domid, now) || now->pid != before->pid)
		return GONE;
	if (now->boot != before->boot)
		return RESTARTED;
	if (strcmp(now->state, "running"))
		return KEPT;
	return STILL_RUNNING;
}

static int usage(const struct request *rq)
{
	fprintf(stderr, "usage: tern-xl %s [-w] [-F] [-t SECONDS] <domain>\n"
		"       tern-xl %s -a [-w] [-F] [-t SECONDS]\n", rq->verb,
		rq->verb);
	return XL_EXIT_ERROR;
}

static int add_target(struct run *r, const struct xl_dom *dom)
{
	if (r->n == r->cap) {
		unsigned int cap = r->cap ? r->cap * 2 : 8;
		struct target *t = realloc(r->t, cap * sizeof(*t));

		if (!t)
			return -1;
		r->t = t;
		r->cap = cap;
	}
	r->t[r->n].dom = *dom;
	r->t[r->n++].waiting = false;
	return 0;
}

/* -a: every domain that runs (one being built or kept is not asked). */
static int add_running(const struct xl_dom *dom, void *arg)
{
	struct run *r = arg;

	if (strcmp(dom->state, "running"))
		return 0;
	return add_target(r, dom);
}

static void ask(struct run *r, struct target *t)
{
	char why[400];

	if (strcmp(t->dom.state, "running")) {
		fprintf(stderr, "tern-xl: domain %s (id %u) is not running (state %s)\n",
			t->dom.name, t->dom.domid, t->dom.state);
		r->status = XL_EXIT_ERROR;
		return;
	}
	if (xl_pvcontrol_write(r->xs, t->dom.domid, r->rq->value, why,
			       sizeof(why))) {
		fprintf(stderr, "tern-xl: %s %s (id %u): %s\n", r->rq->verb,
			t->dom.name, t->dom.domid, why);
		r->status = XL_EXIT_ERROR;
		return;
	}
	printf("%s domain %s (id %u)\n",
	       !strcmp(r->rq->value, "reboot") ? "Rebooting" : "Shutting down",
	       t->dom.name, t->dom.domid);
	fflush(stdout);
	t->waiting = r->wait;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 +
	       (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* One domain asked: has it shut down?  Says so when it has. */
static bool settled(struct target *t)
{
	struct xl_dom now;
	enum ending e = how_it_ended(&t->dom, &now);

	switch (e) {
	case STILL_RUNNING:
		return false;
	case GONE:
		/* Its state file goes a moment before the process itself. */
		if (xl_dom_alive(&t->dom))
			return false;
		printf("Domain %s (id %u) has shut down\n", t->dom.name,
		       t->dom.domid);
		break;
	case RESTARTED:
		printf("Domain %s (id %u) has shut down and was started again\n",
		       t->dom.name, t->dom.domid);
		break;
	case KEPT:
		printf("Domain %s (id %u) has shut down (%s); it is kept until tern-xl destroy\n",
		       t->dom.name, t->dom.domid, now.state);
		break;
	}
	fflush(stdout);
	t->waiting = false;
	return true;
}

/*
 * xl's -w: until every domain asked has shut down or the time is up.
 * @releaseDomain wakes us; the state files say who it was for.  The poll
 * also wakes every second, since a restart (one process, a new boot)
 * is seen only in the state file.
 */
static void wait_all(struct run *r)
{
	struct pollfd pfd = { .events = POLLIN };
	unsigned int i, left;
	struct timespec t0;
	char **ev;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!xs_watch(r->xs, "@releaseDomain", WATCH_TOKEN))
		fprintf(stderr, "tern-xl: watching @releaseDomain: %s (polling)\n",
			strerror(errno));
	pfd.fd = xs_fileno(r->xs);
	for (;;) {
		for (i = 0, left = 0; i < r->n; i++)
			left += r->t[i].waiting && !settled(&r->t[i]);
		ms = (long)r->limit * 1000 - elapsed_ms(&t0);
		if (!left || ms <= 0)
			break;
		if (poll(&pfd, pfd.fd >= 0, ms < 1000 ? ms : 1000) > 0)
			while ((ev = xs_check_watch(r->xs)))
				free(ev);
	}
	for (i = 0; i < r->n; i++) {
		const struct xl_dom *d = &r->t[i].dom;

		if (!r->t[i].waiting)
			continue;
		if (xl_pvcontrol_withdraw(r->xs, d->domid, r->rq->value))
			fprintf(stderr, "tern-xl: domain %s (id %u) did not take the %s request within %lu s; request withdrawn\n",
				d->name, d->domid, r->rq->value, r->limit);
		else
			fprintf(stderr, "tern-xl: domain %s (id %u) took the %s request but is still running after %lu s\n",
				d->name, d->domid, r->rq->value, r->limit);
		r->status = XL_EXIT_ERROR;
	}
}

static int run(int argc, char **argv, const struct request *rq)
{
	struct run r = { .rq = rq, .limit = DEFAULT_WAIT_S,
			 .status = XL_EXIT_OK };
	struct xl_dom dom;
	char sock[600];
	unsigned int i;
	int opt;

	optind = 1;
	while ((opt = getopt(argc, argv, "+awFt:")) != -1) {
		switch (opt) {
		case 'a':
			r.all = true;
			break;
		case 'w':
			r.wait = true;
			break;
		case 'F':
			break;	/* an HVM fallback; a PV guest is always asked */
		case 't':
			if (xl_parse_number(rq->verb, "-t", optarg, 86400,
					    "seconds, ", &r.limit))
				return XL_EXIT_ERROR;
			break;
		default:
			return usage(rq);
		}
	}
	if (r.all ? optind != argc : optind != argc - 1)
		return usage(rq);
	if (!r.all && xl_dom_find(argv[optind], &dom)) {
		fprintf(stderr, "tern-xl: no domain '%s'\n", argv[optind]);
		return XL_EXIT_ERROR;
	}
	if (r.all ? xl_for_each_dom(add_running, &r) : add_target(&r, &dom)) {
		fprintf(stderr, "tern-xl: out of memory\n");
		return XL_EXIT_ERROR;
	}
	if (!r.n)
		return XL_EXIT_OK;
	r.xs = xl_store_open();
	if (!r.xs) {
		xl_store_socket(sock, sizeof(sock));
		fprintf(stderr, "tern-xl: no xenstore daemon on %s: %s\n", sock,
			strerror(errno));
		free(r.t);
		return XL_EXIT_ERROR;
	}
	for (i = 0; i < r.n; i++)
		ask(&r, &r.t[i]);
	if (r.wait)
		wait_all(&r);
	xs_close(r.xs);
	free(r.t);
	return r.status;
}

int main_shutdown(int argc, char **argv)
{
	static const struct request rq = { "shutdown", "poweroff" };

	return run(argc, argv, &rq);
}

int main_reboot(int argc, char **argv)
{
	static const struct request rq = { "reboot", "reboot" };

	return run(argc, argv, &rq);
}
