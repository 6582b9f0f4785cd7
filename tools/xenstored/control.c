// SPDX-License-Identifier: MIT
/*
 * XS_CONTROL: commands for the daemon itself ("<command>\0<arg>\0...").
 * Xen leaves the set to each implementation; Debian's xenstore-control
 * sends them.  Privileged connections only.
 *
 *   help                          the list below
 *   print <text>                  write text to the daemon's log
 *   log on|off                    verbose logging
 *   quota [<name> <value>]        show the quotas, or set one
 *   check                         recount node owners against the tree
 *   domain-socket <domid> <path>  listen on <path>; whoever connects
 *                                 there is domain <domid>, unprivileged
 *                                 (how host tests and tools act as a
 *                                 guest without a ring)
 *   ring-freeze <domid>           stop reading, writing and notifying
 *                                 domid's ring (replies and events wait)
 *                                 until this connection says ring-move or
 *                                 ring-thaw, or closes
 *   ring-move <domid> <mfn>       serve the frozen ring from machine frame
 *                                 <mfn> of the domain's memory (the
 *                                 caller copied it there), and thaw it
 *   ring-thaw <domid>             serve the frozen ring where it was
 *
 * The ring commands are page exchange's (Documentation/page-exchange.rst):
 * the toolstack freezes the ring before it copies the page, so the copy
 * is the ring's last state.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

static const char help_text[] =
	"help\n"
	"print <text>\n"
	"log on|off\n"
	"quota [<name> <value>]\n"
	"check\n"
	"domain-socket <domid> <path>\n"
	"ring-freeze <domid>\n"
	"ring-move <domid> <mfn>\n"
	"ring-thaw <domid>\n";

/* Counts nodes per owner below n, into a scratch tree's owner table. */
static void recount(struct tree *scratch, const struct node *n)
{
	unsigned int i, d = n->perms.p[0].domid;

	for (i = 0; i < scratch->nr_owners; i++)
		if (scratch->owners[i].domid == d)
			break;
	if (i == scratch->nr_owners) {
		scratch->owners = xsd_realloc(scratch->owners,
					      (i + 1) * sizeof(*scratch->owners));
		scratch->owners[i].domid = d;
		scratch->owners[i].count = 0;
		scratch->nr_owners++;
	}
	scratch->owners[i].count++;
	for (i = 0; i < n->nr_children; i++)
		recount(scratch, n->children[i]);
}

static bool tree_consistent(void)
{
	struct tree scratch = { 0 };
	unsigned int i;
	bool ok = true;

	recount(&scratch, xsd_tree.root);
	for (i = 0; i < scratch.nr_owners; i++)
		if (tree_owned(&xsd_tree, scratch.owners[i].domid) !=
		    scratch.owners[i].count)
			ok = false;
	for (i = 0; i < xsd_tree.nr_owners; i++)
		if (xsd_tree.owners[i].count &&
		    !tree_owned(&scratch, xsd_tree.owners[i].domid))
			ok = false;
	free(scratch.owners);
	return ok;
}

/* ring-freeze (mfn NULL), ring-thaw (mfn ""), ring-move. */
static void control_ring(struct request *r, const char *dom, const char *mfn)
{
	unsigned int domid;
	unsigned long long v = 0;
	char *endp;
	int rc;

	if (parse_domid(dom, &domid))
		return reply_error(r, XEN_EINVAL);
	if (mfn && *mfn) {
		errno = 0;
		v = strtoull(mfn, &endp, 0);
		if (errno || *endp || *mfn == '-')
			return reply_error(r, XEN_EINVAL);
	}
	rc = !mfn ? domain_ring_freeze(domid, r->c) :
	     !*mfn ? domain_ring_thaw(domid, r->c) :
	     domain_ring_move(domid, r->c, v);
	if (rc)
		return reply_error(r, rc);
	reply_ok(r);
}

void control_handle(struct request *r)
{
	const char *argv[4] = { "" };
	unsigned int n = 0, off = 0, domid;
	unsigned long v;
	char buf[512], *endp;
	const char *end;

	while (n < ARRAY_SIZE(argv) && off < r->hdr.len) {
		end = memchr(r->payload + off, '\0', r->hdr.len - off);
		if (!end)
			break;
		argv[n++] = r->payload + off;
		off = end - r->payload + 1;
	}
	if (!n)
		return reply_error(r, XEN_EINVAL);
	if (!strcmp(argv[0], "help")) {
		reply_str(r, help_text);
	} else if (!strcmp(argv[0], "print") && n == 2) {
		xsd_log("%s", argv[1]);
		reply_ok(r);
	} else if (!strcmp(argv[0], "log") && n == 2 &&
		   (!strcmp(argv[1], "on") || !strcmp(argv[1], "off"))) {
		xsd_verbose = !strcmp(argv[1], "on");
		reply_ok(r);
	} else if (!strcmp(argv[0], "quota") && n == 1) {
		snprintf(buf, sizeof(buf),
			 "nodes %u\nentry-size %u\nwatches %u\n"
			 "transactions %u\noutstanding %u\nperms %u\n",
			 xsd_quota.nodes, xsd_quota.entry_size,
			 xsd_quota.watches, xsd_quota.transactions,
			 xsd_quota.outstanding, xsd_quota.perms);
		reply_str(r, buf);
	} else if (!strcmp(argv[0], "quota") && n == 3) {
		errno = 0;
		v = strtoul(argv[2], &endp, 10);
		if (errno || !*argv[2] || *endp || v > UINT32_MAX ||
		    xsd_quota_set(argv[1], v))
			return reply_error(r, XEN_EINVAL);
		reply_ok(r);
	} else if (!strcmp(argv[0], "check") && n == 1) {
		if (!tree_consistent())
			return reply_error(r, XEN_EIO);
		reply_ok(r);
	} else if (!strcmp(argv[0], "domain-socket") && n == 3) {
		if (parse_domid(argv[1], &domid))
			return reply_error(r, XEN_EINVAL);
		if (sock_domain_socket(domid, argv[2]))
			return reply_error(r, XEN_EIO);
		reply_ok(r);
	} else if (!strcmp(argv[0], "ring-freeze") && n == 2) {
		control_ring(r, argv[1], NULL);
	} else if (!strcmp(argv[0], "ring-move") && n == 3) {
		control_ring(r, argv[1], argv[2]);
	} else if (!strcmp(argv[0], "ring-thaw") && n == 2) {
		control_ring(r, argv[1], "");
	} else {
		reply_error(r, XEN_EINVAL);
	}
}
