// SPDX-License-Identifier: MIT
/*
 * tern-xl shutdown / reboot: ask the guest, through xenstore, the way xl
 * does for a PV guest, and wait until it has done it (xl's -w).
 *
 * The request is the value of /local/domain/<id>/control/shutdown.  It is
 * written only if the guest has said, with control/feature-poweroff or
 * control/feature-reboot = "1", that it will act on it: otherwise nobody
 * would ever answer, so we say so at once instead of waiting (a guest
 * still booting has not said it yet).  The check and the write are one
 * transaction, which also makes sure the domain's home still exists: a
 * plain write to a domain that just went would create a stray node.
 *
 * Waiting uses the domain's state file, which its own process keeps: the
 * domain shut down when the process is gone, when it rebuilt the domain
 * (on_reboot = "restart" keeps the process and counts the boot), or when
 * it keeps the domain as it ended ("preserve").  A guest that does not
 * act within the time limit makes this fail; if it never even cleared
 * the request (its acknowledgement), the request is withdrawn, so that it
 * cannot fire long after the user gave up on it.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xl.h"
#include "xl_store.h"

#define DEFAULT_WAIT_S	60

struct request {
	const char *verb;		/* "shutdown" or "reboot" */
	const char *value;		/* what goes into control/shutdown */
	const char *feature;		/* the node that says it is supported */
};

/* Checks the feature and writes the request, in one transaction. */
static int send_request(struct xsc *xs, unsigned int domid,
			const struct request *rq, char *why, size_t whylen)
{
	char path[128], val[64];
	uint32_t tx;
	int rc, tries;

	for (tries = 0; tries < 20; tries++) {
		rc = xsc_tx_start(xs, &tx);
		if (rc) {
			snprintf(why, whylen, "starting a xenstore transaction: %s",
				 strerror(-rc));
			return rc;
		}
		snprintf(path, sizeof(path), "/local/domain/%u/control/%s",
			 domid, rq->feature);
		rc = xsc_read(xs, tx, path, val, sizeof(val));
		if (rc < 0 || strcmp(val, "1")) {
			xsc_tx_end(xs, tx, false);
			snprintf(why, whylen, "the guest has not advertised control/%s (%s): it would not act on the request%s",
				 rq->feature, rc == -ENOENT ? "no such node" :
				 rc < 0 ? strerror(-rc) : "not \"1\"",
				 "; tern-xl destroy stops it at once");
			return -EOPNOTSUPP;
		}
		snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown",
			 domid);
		rc = xsc_write(xs, tx, path, rq->value);
		if (rc) {
			xsc_tx_end(xs, tx, false);
			snprintf(why, whylen, "writing %s: %s", path, strerror(-rc));
			return rc;
		}
		rc = xsc_tx_end(xs, tx, true);
		if (rc != -EAGAIN)
			break;
	}
	if (rc)
		snprintf(why, whylen, "committing the request: %s", strerror(-rc));
	return rc;
}

/*
 * Withdraws the request if the guest never took it; returns true if it
 * was still there.
 */
static bool withdraw(struct xsc *xs, unsigned int domid,
		     const struct request *rq)
{
	char path[128], val[64];
	bool pending = false;
	uint32_t tx;
	int tries;

	snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", domid);
	for (tries = 0; tries < 20; tries++) {
		if (xsc_tx_start(xs, &tx))
			return false;
		pending = xsc_read(xs, tx, path, val, sizeof(val)) >= 0 &&
			  !strcmp(val, rq->value);
		if (pending)
			xsc_write(xs, tx, path, "");
		if (xsc_tx_end(xs, tx, pending) != -EAGAIN)
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
	fprintf(stderr, "usage: tern-xl %s [-w] [-t SECONDS] <domain>\n",
		rq->verb);
	return XL_EXIT_ERROR;
}

static int run(int argc, char **argv, const struct request *rq)
{
	unsigned long limit = DEFAULT_WAIT_S;
	struct xl_dom dom, now;
	struct xsc xs;
	enum ending e = STILL_RUNNING;
	char sock[600], why[400], *end;
	struct timespec t0, t;
	int i, rc;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-w"))
			continue;	/* xl's "wait": we always do */
		if (strcmp(argv[i], "-t") || i + 1 >= argc)
			return usage(rq);
		errno = 0;
		limit = strtoul(argv[++i], &end, 10);
		if (errno || !*argv[i] || *end || !limit || limit > 86400) {
			fprintf(stderr, "tern-xl: %s: -t takes seconds, 1 to 86400, not '%s'\n",
				rq->verb, argv[i]);
			return XL_EXIT_ERROR;
		}
	}
	if (i != argc - 1)
		return usage(rq);
	if (xl_dom_find(argv[i], &dom)) {
		fprintf(stderr, "tern-xl: no domain '%s'\n", argv[i]);
		return XL_EXIT_ERROR;
	}
	if (strcmp(dom.state, "running")) {
		fprintf(stderr, "tern-xl: domain %s (id %u) is not running (state %s)\n",
			dom.name, dom.domid, dom.state);
		return XL_EXIT_ERROR;
	}
	xl_store_socket(sock, sizeof(sock));
	rc = xsc_open(&xs, sock);
	if (rc) {
		fprintf(stderr, "tern-xl: no xenstore daemon on %s: %s\n", sock,
			strerror(-rc));
		return XL_EXIT_ERROR;
	}
	if (send_request(&xs, dom.domid, rq, why, sizeof(why))) {
		fprintf(stderr, "tern-xl: %s %s (id %u): %s\n", rq->verb,
			dom.name, dom.domid, why);
		xsc_close(&xs);
		return XL_EXIT_ERROR;
	}
	printf("%s domain %s (id %u)\n",
	       !strcmp(rq->value, "reboot") ? "Rebooting" : "Shutting down",
	       dom.name, dom.domid);
	fflush(stdout);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		e = how_it_ended(&dom, &now);
		if (e != STILL_RUNNING)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((unsigned long)(t.tv_sec - t0.tv_sec) >= limit)
			break;
		poll(NULL, 0, 50);
	}
	/* Its state file goes a moment before the process itself. */
	while (e == GONE && !kill(dom.pid, 0)) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((unsigned long)(t.tv_sec - t0.tv_sec) >= limit)
			break;
		poll(NULL, 0, 20);
	}
	switch (e) {
	case GONE:
		printf("Domain %s (id %u) has shut down\n", dom.name, dom.domid);
		break;
	case RESTARTED:
		printf("Domain %s (id %u) has shut down and was started again\n",
		       dom.name, dom.domid);
		break;
	case KEPT:
		printf("Domain %s (id %u) has shut down (%s); it is kept until tern-xl destroy\n",
		       dom.name, dom.domid, now.state);
		break;
	case STILL_RUNNING:
		if (withdraw(&xs, dom.domid, rq))
			fprintf(stderr, "tern-xl: domain %s (id %u) did not take the %s request within %lu s; request withdrawn\n",
				dom.name, dom.domid, rq->value, limit);
		else
			fprintf(stderr, "tern-xl: domain %s (id %u) took the %s request but is still running after %lu s\n",
				dom.name, dom.domid, rq->value, limit);
		xsc_close(&xs);
		return XL_EXIT_ERROR;
	}
	xsc_close(&xs);
	return XL_EXIT_OK;
}

int main_shutdown(int argc, char **argv)
{
	static const struct request rq = { "shutdown", "poweroff",
					   "feature-poweroff" };

	return run(argc, argv, &rq);
}

int main_reboot(int argc, char **argv)
{
	static const struct request rq = { "reboot", "reboot",
					   "feature-reboot" };

	return run(argc, argv, &rq);
}
