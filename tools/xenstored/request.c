// SPDX-License-Identifier: MIT
/*
 * Requests: one handler per xs_wire message type.
 *
 * Payload arguments are NUL-terminated strings; a request whose string
 * arguments are not all terminated inside the payload is answered
 * EINVAL, never read past (the framing code also puts a NUL after every
 * payload, as a second fence).  WRITE is the one exception Xen makes:
 * its value is the rest of the payload, any bytes.
 *
 * Tree requests carrying a tx_id work on that transaction's copy of the
 * tree, which records what they look at and change (tree.c,
 * transaction.c); the checks -- path syntax, permissions, quotas -- are
 * the same either way.
 * Errors travel as Xen's error names ("ENOENT").  Unknown message types,
 * and the types only the daemon may send (WATCH_EVENT, ERROR), get
 * EINVAL; the connection stays usable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

/* ---- replies -------------------------------------------------------- */

void reply(struct request *r, uint32_t type, const void *payload,
	   unsigned int len)
{
	conn_queue(r->c, type, r->hdr.req_id, r->hdr.tx_id, payload, len,
		   true);
}

void reply_str(struct request *r, const char *s)
{
	reply(r, r->hdr.type, s, strlen(s) + 1);
}

void reply_ok(struct request *r)
{
	reply_str(r, "OK");
}

const char *xsd_error_name(int xen_errno)
{
	unsigned int i;

	for (i = 0; i < XSD_NR_ERRORS; i++)
		if (xsd_errors[i].errnum == xen_errno)
			return xsd_errors[i].errstring;
	return "EINVAL";
}

void reply_error(struct request *r, int xen_errno)
{
	const char *name = xsd_error_name(xen_errno);

	xsd_dbg("conn %u: -> %s", r->c->id, name);
	reply(r, XS_ERROR, name, strlen(name) + 1);
}

/* ---- arguments ------------------------------------------------------ */

/*
 * Splits the payload into its first n NUL-terminated strings; returns
 * how many were found terminated within the payload.
 */
static unsigned int get_args(const struct request *r, const char **argv,
			     unsigned int n)
{
	unsigned int i, off = 0;
	const char *end;

	for (i = 0; i < n && off < r->hdr.len; i++) {
		end = memchr(r->payload + off, '\0', r->hdr.len - off);
		if (!end)
			break;
		argv[i] = r->payload + off;
		off = end - r->payload + 1;
	}
	return i;
}

int parse_domid(const char *s, unsigned int *domid)
{
	unsigned long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > 0xffff)
			return -1;
	}
	*domid = v;
	return 0;
}

static int get_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	bool neg = false;

	/* Xen's INTRODUCE sends frame numbers as signed decimal. */
	if (*s == '-') {
		neg = true;
		s++;
	}
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	*out = neg ? -v : v;
	return neg ? -1 : 0;
}

/* Reads one path argument, made absolute; 0 or a XEN_E* to reply. */
static int get_path(struct request *r, const char *arg, char *path,
		    bool special_ok)
{
	return path_canonical(r->c, arg, path, XENSTORE_ABS_PATH_MAX + 1,
			      special_ok);
}

/*
 * The request's first argument, canonicalised into path (a buffer of
 * XENSTORE_ABS_PATH_MAX + 1); *arg is the argument as sent, for what
 * follows it.  0, or the error to reply with.
 */
static int path_arg(struct request *r, char *path, const char **arg)
{
	if (get_args(r, arg, 1) < 1)
		return XEN_EINVAL;
	return get_path(r, *arg, path, false);
}

static bool can(struct request *r, const struct node *n, unsigned int access)
{
	return (perms_access(r->c, &n->perms) & access) == access;
}

/* ---- tree requests -------------------------------------------------- */

static void do_read(struct request *r)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	const char *arg;
	struct node *n;
	int err;

	err = path_arg(r, path, &arg);
	if (err)
		return reply_error(r, err);
	n = tree_lookup(r->tree, path);
	if (!n)
		return reply_error(r, XEN_ENOENT);
	if (!can(r, n, XS_PERM_READ))
		return reply_error(r, XEN_EACCES);
	reply(r, XS_READ, n->value, n->len);
}

/*
 * Checks that c may create path (write access to its nearest existing
 * ancestor, and room in its node quota): 0 or the error to reply.
 */
static int may_create(struct request *r, const char *path)
{
	struct node *parent = tree_nearest(r->tree, path);
	unsigned int missing = tree_missing(r->tree, path);

	if (!can(r, parent, XS_PERM_WRITE))
		return XEN_EACCES;
	if (!r->c->privileged &&
	    tree_owned(r->tree, r->c->domid) + missing > xsd_quota.nodes)
		return XEN_ENOSPC;
	return 0;
}

static void do_write(struct request *r)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	const char *arg;
	unsigned int vlen;
	struct node *n;
	int err;

	err = path_arg(r, path, &arg);
	if (err)
		return reply_error(r, err);
	vlen = r->hdr.len - (strlen(arg) + 1);
	if (!r->c->privileged && vlen > xsd_quota.entry_size)
		return reply_error(r, XEN_ENOSPC);
	n = tree_lookup(r->tree, path);
	if (n && !can(r, n, XS_PERM_WRITE))
		return reply_error(r, XEN_EACCES);
	if (!n) {
		err = may_create(r, path);
		if (err)
			return reply_error(r, err);
	}
	if (r->trans)
		trans_log(r->trans, XS_WRITE, path, arg + strlen(arg) + 1, vlen);
	tree_write(r->tree, path, arg + strlen(arg) + 1, vlen, r->c);
	reply_ok(r);
}

static void do_mkdir(struct request *r)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	const char *arg;
	int err;

	err = path_arg(r, path, &arg);
	if (err)
		return reply_error(r, err);
	if (tree_lookup(r->tree, path))
		return reply_ok(r);
	err = may_create(r, path);
	if (err)
		return reply_error(r, err);
	if (r->trans)
		trans_log(r->trans, XS_MKDIR, path, NULL, 0);
	tree_mkdir(r->tree, path, r->c);
	reply_ok(r);
}

static void do_rm(struct request *r)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	const char *arg;
	struct node *n;
	int err;

	err = path_arg(r, path, &arg);
	if (err)
		return reply_error(r, err);
	if (!strcmp(path, "/"))
		return reply_error(r, XEN_EINVAL);
	n = tree_lookup(r->tree, path);
	if (n && !can(r, n, XS_PERM_WRITE))
		return reply_error(r, XEN_EACCES);
	err = tree_rm(r->tree, path);
	if (err)
		return reply_error(r, err);
	if (r->trans && n)
		trans_log(r->trans, XS_RM, path, NULL, 0);
	reply_ok(r);
}

/* All child names of n, each NUL-terminated, in buf; returns the length. */
static unsigned int child_list(const struct node *n, char **buf)
{
	unsigned int i, len = 0, l;
	char *p;

	for (i = 0; i < n->nr_children; i++)
		len += strlen(n->children[i]->name) + 1;
	p = *buf = xsd_malloc(len + 1);
	for (i = 0; i < n->nr_children; i++) {
		l = strlen(n->children[i]->name) + 1;
		memcpy(p, n->children[i]->name, l);
		p += l;
	}
	return len;
}

static struct node *readable_node(struct request *r, int *err)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	const char *arg;
	struct node *n;

	*err = path_arg(r, path, &arg);
	if (*err)
		return NULL;
	n = tree_lookup(r->tree, path);
	*err = n ? (can(r, n, XS_PERM_READ) ? 0 : XEN_EACCES) : XEN_ENOENT;
	return *err ? NULL : n;
}

static void do_directory(struct request *r)
{
	unsigned int len;
	struct node *n;
	char *list;
	int err;

	n = readable_node(r, &err);
	if (!n)
		return reply_error(r, err);
	len = child_list(n, &list);
	if (len > XENSTORE_PAYLOAD_MAX)
		reply_error(r, XEN_E2BIG);	/* use DIRECTORY_PART */
	else
		reply(r, XS_DIRECTORY, list, len);
	free(list);
}

/*
 * DIRECTORY_PART: "<gen>\0" and then whole names from byte <offset> of
 * the full list, as many as fit; the piece that reaches the end of the
 * list carries one more NUL (an empty name), which is how the client
 * knows it has everything.
 */
static void do_directory_part(struct request *r)
{
	char out[XENSTORE_PAYLOAD_MAX];
	unsigned int len, off, glen, take, l;
	const char *argv[2];
	uint64_t offset;
	struct node *n;
	char *list;
	int err;

	if (get_args(r, argv, 2) < 2 || get_u64(argv[1], &offset))
		return reply_error(r, XEN_EINVAL);
	n = readable_node(r, &err);
	if (!n)
		return reply_error(r, err);
	len = child_list(n, &list);
	if (offset > len) {
		free(list);
		return reply_error(r, XEN_EINVAL);
	}
	glen = snprintf(out, sizeof(out), "%llu",
			(unsigned long long)n->gen) + 1;
	off = offset;
	take = 0;
	while (off + take < len) {
		l = strlen(list + off + take) + 1;
		if (glen + take + l + 1 > sizeof(out))
			break;
		take += l;
	}
	memcpy(out + glen, list + off, take);
	if (off + take == len)
		out[glen + take++] = '\0';
	free(list);
	reply(r, XS_DIRECTORY_PART, out, glen + take);
}

static void do_get_perms(struct request *r)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	unsigned int len;
	struct node *n;
	int err;

	n = readable_node(r, &err);
	if (!n)
		return reply_error(r, err);
	len = perms_format(&n->perms, buf, sizeof(buf));
	if (len > sizeof(buf))
		return reply_error(r, XEN_E2BIG);
	reply(r, XS_GET_PERMS, buf, len);
}

static void do_set_perms(struct request *r)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	struct xs_perms perms;
	unsigned int off;
	const char *arg;
	struct node *n;
	int err;

	err = path_arg(r, path, &arg);
	if (err)
		return reply_error(r, err);
	off = strlen(arg) + 1;
	err = perms_parse(&perms, r->payload + off, r->hdr.len - off);
	if (err)
		return reply_error(r, err);
	n = tree_lookup(r->tree, path);
	if (!n)
		err = XEN_ENOENT;
	else if (!perms_owner(r->c, &n->perms))
		err = XEN_EACCES;
	else if (!r->c->privileged && perms.num > xsd_quota.perms)
		err = XEN_ENOSPC;
	else if (!r->c->privileged &&
		 perms.p[0].domid != n->perms.p[0].domid)
		err = XEN_EPERM;	/* only the toolstack gives nodes away */
	if (!err) {
		if (r->trans)
			trans_log(r->trans, XS_SET_PERMS, path,
				  r->payload + off, r->hdr.len - off);
		tree_set_perms(r->tree, path, &perms);
	}
	perms_free(&perms);
	if (err)
		return reply_error(r, err);
	reply_ok(r);
}

/* ---- watches -------------------------------------------------------- */

static void do_watch(struct request *r)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	const char *argv[2];
	struct watch *w;
	int err;

	if (get_args(r, argv, 2) < 2)
		return reply_error(r, XEN_EINVAL);
	err = get_path(r, argv[0], path, true);
	if (!err)
		err = watch_add(r->c, path, argv[1],
				argv[0][0] != '/' && argv[0][0] != '@', &w);
	if (err)
		return reply_error(r, err);
	reply_ok(r);
	/* Xen fires every new watch once, straight away, on its own path. */
	watch_event(r->c, w, w->path);
}

static void do_unwatch(struct request *r)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	const char *argv[2];
	int err;

	if (get_args(r, argv, 2) < 2)
		return reply_error(r, XEN_EINVAL);
	err = get_path(r, argv[0], path, true);
	if (!err)
		err = watch_del(r->c, path, argv[1]);
	if (err)
		return reply_error(r, err);
	reply_ok(r);
}

static void do_reset_watches(struct request *r)
{
	watch_del_all(r->c);
	trans_del_all(r->c);
	reply_ok(r);
}

/* ---- transactions --------------------------------------------------- */

static void do_transaction_start(struct request *r)
{
	char buf[16];
	uint32_t id;
	int err;

	if (r->hdr.tx_id)
		return reply_error(r, XEN_EINVAL);
	err = trans_start(r->c, &id);
	if (err)
		return reply_error(r, err);
	snprintf(buf, sizeof(buf), "%u", id);
	/* The reply carries tx_id 0: the id is in the payload. */
	reply_str(r, buf);
}

static void do_transaction_end(struct request *r)
{
	const char *arg;
	int err;

	if (!r->trans)
		return reply_error(r, XEN_EINVAL);
	if (get_args(r, &arg, 1) < 1 || (strcmp(arg, "T") && strcmp(arg, "F")))
		return reply_error(r, XEN_EINVAL);
	err = trans_end(r->c, r->trans, arg[0] == 'T');
	r->trans = NULL;
	if (err)
		return reply_error(r, err);
	reply_ok(r);
}

/* ---- domains -------------------------------------------------------- */

static int one_domid(struct request *r, unsigned int *domid)
{
	const char *arg;

	if (get_args(r, &arg, 1) < 1 || parse_domid(arg, domid))
		return XEN_EINVAL;
	return 0;
}

static void do_get_domain_path(struct request *r)
{
	char buf[32];
	unsigned int domid;

	if (one_domid(r, &domid))
		return reply_error(r, XEN_EINVAL);
	snprintf(buf, sizeof(buf), XSD_DOMAIN_BASE "%u", domid);
	reply_str(r, buf);
}

static void do_is_domain_introduced(struct request *r)
{
	struct domain *d;
	unsigned int domid;

	if (one_domid(r, &domid))
		return reply_error(r, XEN_EINVAL);
	d = domain_find(domid);
	reply_str(r, !domid || (d && d->introduced) ? "T" : "F");
}

/* Real domains only: not dom0, not DOMID_FIRST_RESERVED and above. */
static bool real_domid(unsigned int domid)
{
	return domid && domid < 0x7ff0;
}

static void do_introduce(struct request *r)
{
	unsigned int domid, evtchn;
	const char *argv[3];
	struct domain *d;
	uint64_t mfn;
	int err;

	if (get_args(r, argv, 3) < 3 || parse_domid(argv[0], &domid) ||
	    !real_domid(domid) || get_u64(argv[1], &mfn) ||
	    parse_domid(argv[2], &evtchn))
		return reply_error(r, XEN_EINVAL);
	d = domain_find(domid);
	if (d && d->introduced)
		return reply_error(r, XEN_EEXIST);
	if (!r->c->introduce)
		return reply_error(r, XEN_ENOSYS);
	err = r->c->introduce(r->c, domid, mfn, evtchn);
	if (err)
		return reply_error(r, err);
	reply_ok(r);
}

/* RELEASE and RESUME: one real domid argument, then op on that domain. */
static void domid_request(struct request *r, int (*op)(unsigned int domid))
{
	unsigned int domid;
	int err;

	if (one_domid(r, &domid) || !real_domid(domid))
		return reply_error(r, XEN_EINVAL);
	err = op(domid);
	if (err)
		return reply_error(r, err);
	reply_ok(r);
}

static void do_release(struct request *r)
{
	domid_request(r, domain_release);
}

static void do_resume(struct request *r)
{
	domid_request(r, domain_resume);
}

static void do_set_target(struct request *r)
{
	unsigned int domid, target;
	const char *argv[2];

	if (get_args(r, argv, 2) < 2 || parse_domid(argv[0], &domid) ||
	    parse_domid(argv[1], &target) || !real_domid(domid))
		return reply_error(r, XEN_EINVAL);
	domain_set_target(domid, target);
	reply_ok(r);
}

/* ---- dispatch ------------------------------------------------------- */

#define H_TRANS		0x1	/* works inside a transaction */
#define H_PRIV		0x2	/* privileged connections only */

static const struct handler {
	const char *name;
	void (*fn)(struct request *r);
	unsigned int flags;
} handlers[XS_TYPE_COUNT] = {
	[XS_CONTROL] = { "CONTROL", control_handle, H_PRIV },
	[XS_DIRECTORY] = { "DIRECTORY", do_directory, H_TRANS },
	[XS_READ] = { "READ", do_read, H_TRANS },
	[XS_GET_PERMS] = { "GET_PERMS", do_get_perms, H_TRANS },
	[XS_WATCH] = { "WATCH", do_watch, 0 },
	[XS_UNWATCH] = { "UNWATCH", do_unwatch, 0 },
	[XS_TRANSACTION_START] = { "TRANSACTION_START",
				   do_transaction_start, 0 },
	[XS_TRANSACTION_END] = { "TRANSACTION_END", do_transaction_end,
				 H_TRANS },
	[XS_INTRODUCE] = { "INTRODUCE", do_introduce, H_PRIV },
	[XS_RELEASE] = { "RELEASE", do_release, H_PRIV },
	[XS_GET_DOMAIN_PATH] = { "GET_DOMAIN_PATH", do_get_domain_path, 0 },
	[XS_WRITE] = { "WRITE", do_write, H_TRANS },
	[XS_MKDIR] = { "MKDIR", do_mkdir, H_TRANS },
	[XS_RM] = { "RM", do_rm, H_TRANS },
	[XS_SET_PERMS] = { "SET_PERMS", do_set_perms, H_TRANS },
	[XS_WATCH_EVENT] = { "WATCH_EVENT", NULL, 0 },
	[XS_ERROR] = { "ERROR", NULL, 0 },
	[XS_IS_DOMAIN_INTRODUCED] = { "IS_DOMAIN_INTRODUCED",
				      do_is_domain_introduced, 0 },
	[XS_RESUME] = { "RESUME", do_resume, H_PRIV },
	[XS_SET_TARGET] = { "SET_TARGET", do_set_target, H_PRIV },
	[XS_RESET_WATCHES] = { "RESET_WATCHES", do_reset_watches, 0 },
	[XS_DIRECTORY_PART] = { "DIRECTORY_PART", do_directory_part,
				H_TRANS },
};

const char *xsd_type_name(uint32_t type)
{
	if (type < XS_TYPE_COUNT && handlers[type].name)
		return handlers[type].name;
	return "?";
}

/* Logs a request: its type and first argument, with unprintables escaped. */
static void log_request(const struct request *r)
{
	char arg[64];
	unsigned int i, o = 0;

	for (i = 0; i < r->hdr.len && o < sizeof(arg) - 5; i++) {
		unsigned char ch = r->payload[i];

		if (ch >= 0x20 && ch < 0x7f)
			arg[o++] = ch;
		else
			o += snprintf(arg + o, sizeof(arg) - o, "\\%o", ch);
	}
	arg[o] = '\0';
	xsd_dbg("conn %u: %s(%u) req %u tx %u len %u \"%s\"", r->c->id,
		xsd_type_name(r->hdr.type), r->hdr.type, r->hdr.req_id,
		r->hdr.tx_id, r->hdr.len, arg);
}

/* Answers one complete request (payload NUL-terminated after hdr->len). */
void request_handle(struct conn *c, struct xsd_sockmsg *hdr, char *payload)
{
	struct request r = {
		.c = c, .hdr = *hdr, .payload = payload, .tree = &xsd_tree,
	};
	const struct handler *h;

	if (xsd_verbose)
		log_request(&r);
	if (hdr->type >= XS_TYPE_COUNT || !handlers[hdr->type].fn)
		return reply_error(&r, XEN_EINVAL);
	h = &handlers[hdr->type];
	if ((h->flags & H_PRIV) && !c->privileged)
		return reply_error(&r, XEN_EACCES);
	if (hdr->tx_id && (h->flags & H_TRANS)) {
		r.trans = trans_find(c, hdr->tx_id);
		if (!r.trans)
			return reply_error(&r, XEN_ENOENT);
		r.tree = trans_tree(r.trans);
	}
	h->fn(&r);
}
