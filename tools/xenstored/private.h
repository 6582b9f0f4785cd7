/* SPDX-License-Identifier: MIT */
#ifndef _TOOLS_XENSTORED_PRIVATE_H
#define _TOOLS_XENSTORED_PRIVATE_H

/*
 * tern-xenstored internals.
 *
 * The daemon is one thread around one poll loop.  Everything it knows
 * lives in a few global structures:
 *
 *   - the tree (tree.c): nodes with a value, a permission list and a
 *     generation number that changes whenever the node does;
 *   - connections (protocol.c): a client speaking xs_wire, reached
 *     through a transport behind struct conn_ops -- a unix socket
 *     (conn_socket.c) or a shared xenstore ring page (conn_ring.c) --
 *     so that framing, requests, replies and watch events are written
 *     once for both;
 *   - per-connection watches (watch.c) and transactions
 *     (transaction.c);
 *   - domains (domain.c): who is introduced, per-domain accounting for
 *     the quotas, SET_TARGET.
 *
 * Requests are handled to completion as soon as they have arrived whole,
 * so nothing ever waits inside the daemon; a reply or an event that the
 * peer has no room for yet stays queued on its connection.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/interface/io/xs_wire.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* ---- a minimal intrusive doubly linked list ------------------------- */

struct xsd_list {
	struct xsd_list *next, *prev;
};

#define XSD_LIST_INIT(name)	{ &(name), &(name) }

static inline void xsd_list_init(struct xsd_list *l)
{
	l->next = l;
	l->prev = l;
}

static inline bool xsd_list_empty(const struct xsd_list *l)
{
	return l->next == l;
}

static inline void xsd_list_add_tail(struct xsd_list *n, struct xsd_list *head)
{
	n->prev = head->prev;
	n->next = head;
	head->prev->next = n;
	head->prev = n;
}

static inline void xsd_list_del(struct xsd_list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	xsd_list_init(n);
}

#define xsd_list_entry(ptr, type, member) container_of(ptr, type, member)

#define xsd_list_for_each_entry(pos, head, member)			\
	for (pos = xsd_list_entry((head)->next, __typeof__(*pos), member); \
	     &pos->member != (head);					\
	     pos = xsd_list_entry(pos->member.next, __typeof__(*pos), member))

#define xsd_list_for_each_entry_safe(pos, n, head, member)		\
	for (pos = xsd_list_entry((head)->next, __typeof__(*pos), member), \
	     n = xsd_list_entry(pos->member.next, __typeof__(*pos), member); \
	     &pos->member != (head);					\
	     pos = n, n = xsd_list_entry(n->member.next, __typeof__(*n), member))

/* ---- logging and allocation (main.c / util.c) ------------------------ */

extern int xsd_verbose;

void xsd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void xsd_dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Allocators that never return NULL: the daemon aborts when out of memory. */
void *xsd_malloc(size_t size);
void *xsd_zalloc(size_t size);
void *xsd_realloc(void *p, size_t size);
char *xsd_strdup(const char *s);
void *xsd_memdup(const void *p, size_t size);

/* ---- quotas --------------------------------------------------------- */

/*
 * Limits on what an unprivileged domain may hold; privileged connections
 * (dom0, the toolstack) are never limited.  The defaults are the values
 * Xen's documentation gives for its own daemon.
 */
struct xsd_quota {
	unsigned int nodes;		/* nodes a domain may own */
	unsigned int entry_size;	/* bytes in one node's value */
	unsigned int watches;		/* watches a domain may hold */
	unsigned int transactions;	/* open transactions of a domain */
	unsigned int outstanding;	/* replies not yet taken by the peer */
	unsigned int perms;		/* entries in one permission list */
};

extern struct xsd_quota xsd_quota;

/* Sets quota "name" (nodes, entry-size, ...) to value; -1 if no such name. */
int xsd_quota_set(const char *name, unsigned int value);
const char *xsd_quota_names(void);

/* ---- permissions (perms.c) ------------------------------------------ */

#define XS_PERM_NONE	0x0
#define XS_PERM_READ	0x1
#define XS_PERM_WRITE	0x2
#define XS_PERM_BOTH	(XS_PERM_READ | XS_PERM_WRITE)

struct xs_perm {
	unsigned int domid;
	unsigned int access;		/* XS_PERM_* */
};

/*
 * A node's permission list: entry 0 names the owner, and its access is
 * what every domain not listed later gets; later entries grant one
 * domain its own access.
 */
struct xs_perms {
	unsigned int num;
	struct xs_perm *p;
};

struct conn;

int perms_parse(struct xs_perms *out, const char *strs, unsigned int len);
unsigned int perms_format(const struct xs_perms *perms, char *buf,
			  unsigned int size);
void perms_copy(struct xs_perms *dst, const struct xs_perms *src);
void perms_free(struct xs_perms *perms);
unsigned int perms_access(const struct conn *c, const struct xs_perms *perms);
bool perms_owner(const struct conn *c, const struct xs_perms *perms);

/* ---- the tree (tree.c) ---------------------------------------------- */

struct node {
	char *name;			/* leaf name; "" for the root */
	struct node *parent;
	struct node **children;		/* in creation order */
	unsigned int nr_children, max_children;
	char *value;
	unsigned int len;
	struct xs_perms perms;
	uint64_t gen;			/* changes with value, perms, children */
};

/* Nodes owned by one domain, for the node quota. */
struct owner_count {
	unsigned int domid;
	unsigned int count;
};

/*
 * A whole tree: the live one, or a transaction's private copy.  Only
 * changes to the live tree fire watches.
 */
struct tree {
	struct node *root;
	struct owner_count *owners;
	unsigned int nr_owners;
	bool live;
	/*
	 * A transaction's copy only: told of every path an operation is
	 * about to look at or change, with the node there now (NULL if
	 * none), before it does (see transaction.c).
	 */
	void (*access)(struct tree *t, const char *path, const struct node *n);
};

extern struct tree xsd_tree;

void tree_init(struct tree *t);
void tree_destroy(struct tree *t);
void tree_clone(struct tree *dst, const struct tree *src);
struct node *tree_lookup(struct tree *t, const char *path);
struct node *tree_nearest(struct tree *t, const char *path);
unsigned int tree_missing(struct tree *t, const char *path);
unsigned int tree_owned(const struct tree *t, unsigned int domid);
uint64_t tree_next_gen(void);
int tree_write(struct tree *t, const char *path, const void *val,
	       unsigned int len, const struct conn *who);
int tree_mkdir(struct tree *t, const char *path, const struct conn *who);
int tree_rm(struct tree *t, const char *path);
int tree_set_perms(struct tree *t, const char *path,
		   const struct xs_perms *perms);

/* ---- paths (tree.c) ------------------------------------------------- */

#define XSD_DOMAIN_BASE	"/local/domain/"

int path_canonical(const struct conn *c, const char *in, char *out,
		   unsigned int size, bool special_ok);
bool path_is_child(const char *child, const char *parent);

/* ---- connections (protocol.c) --------------------------------------- */

/*
 * What a transport provides.  read and write move raw bytes and never
 * block: they return how many bytes moved, 0 when nothing can move now,
 * or -1 when the connection is broken.  notify tells the peer that bytes
 * moved (a ring's event channel; nothing for a socket).  fail reports a
 * fatal protocol error to the peer where the transport has a way to
 * (the ring's error field), before the connection is dropped.
 */
struct conn_ops {
	const char *kind;
	int (*read)(struct conn *c, void *buf, unsigned int len);
	int (*write)(struct conn *c, const void *buf, unsigned int len);
	void (*notify)(struct conn *c);
	void (*fail)(struct conn *c, unsigned int xs_error);
	void (*destroy)(struct conn *c);
};

struct out_msg {
	struct xsd_list list;
	bool reply;			/* counts towards outstanding */
	unsigned int size, done;	/* bytes in data, bytes written */
	char data[];			/* header, then payload */
};

struct conn {
	struct xsd_list list;		/* in xsd_conns */
	const struct conn_ops *ops;
	void *priv;			/* the transport's */
	unsigned int id;		/* for log lines */
	unsigned int domid;
	bool privileged;		/* dom0/toolstack: all access, no quota */
	bool dead;			/* to be freed by conn_reap() */
	bool stalled;			/* ring error: ignored until reconnect */
	bool moved;			/* bytes moved since last notify */

	/* Input: a header, then its payload, as they trickle in. */
	struct xsd_sockmsg in_hdr;
	unsigned int in_have;
	char in_buf[XENSTORE_PAYLOAD_MAX + 1];

	struct xsd_list out;		/* struct out_msg */
	unsigned int nr_replies;	/* queued replies (not events) */
	unsigned int nr_events;		/* queued watch events */

	struct xsd_list watches;	/* struct watch */
	struct xsd_list transactions;	/* struct transaction */

	/*
	 * INTRODUCE: attach domid's ring page.  Only a transport that can
	 * carry the page (a unix socket passing a memfd) sets this.
	 */
	int (*introduce)(struct conn *c, unsigned int domid, uint64_t mfn,
			 unsigned int evtchn);
};

extern struct xsd_list xsd_conns;

struct conn *conn_new(const struct conn_ops *ops, void *priv,
		      unsigned int domid, bool privileged);
void conn_process(struct conn *c);
void conn_flush(struct conn *c);
void conn_kill(struct conn *c, unsigned int xs_error);
void conn_reset(struct conn *c);
void conn_reap(void);
void conn_flush_all(void);
bool conn_blocked(const struct conn *c);
void conn_queue(struct conn *c, uint32_t type, uint32_t req_id,
		uint32_t tx_id, const void *payload, unsigned int len,
		bool reply);

/* ---- requests (request.c) ------------------------------------------- */

/* One request being answered. */
struct request {
	struct conn *c;
	struct xsd_sockmsg hdr;
	char *payload;			/* NUL added after len bytes */
	struct transaction *trans;	/* NULL outside a transaction */
	struct tree *tree;		/* trans's copy, or the live tree */
};

void request_handle(struct conn *c, struct xsd_sockmsg *hdr, char *payload);
void reply(struct request *r, uint32_t type, const void *payload,
	   unsigned int len);
void reply_ok(struct request *r);
void reply_str(struct request *r, const char *s);
void reply_error(struct request *r, int xen_errno);
const char *xsd_error_name(int xen_errno);
const char *xsd_type_name(uint32_t type);
int parse_domid(const char *s, unsigned int *domid);

/* ---- watches (watch.c) ---------------------------------------------- */

struct watch {
	struct xsd_list list;		/* in conn->watches */
	char *path;			/* absolute, or "@special" */
	char *token;
	unsigned int rel_off;		/* chars to strip for relative events */
};

int watch_add(struct conn *c, const char *path, const char *token,
	      bool relative, struct watch **out);
int watch_del(struct conn *c, const char *path, const char *token);
void watch_del_all(struct conn *c);
void watch_fire(const char *path, const struct xs_perms *perms,
		bool removed);
void watch_fire_special(const char *name);
void watch_event(struct conn *c, struct watch *w, const char *path);

/* ---- transactions (transaction.c) ----------------------------------- */

struct transaction;

int trans_start(struct conn *c, uint32_t *id);
struct transaction *trans_find(struct conn *c, uint32_t id);
struct tree *trans_tree(struct transaction *t);
void trans_log(struct transaction *t, uint32_t type, const char *path,
	       const void *val, unsigned int len);
int trans_end(struct conn *c, struct transaction *t, bool commit);
void trans_del_all(struct conn *c);

/* ---- domains (domain.c) --------------------------------------------- */

struct domain {
	struct xsd_list list;
	unsigned int domid;
	bool introduced;		/* has a ring (INTRODUCE) */
	bool released_fired;		/* @releaseDomain sent since RESUME */
	bool has_target;
	unsigned int target;		/* SET_TARGET: acts for this domain */
	unsigned int nr_watches;
	unsigned int nr_trans;
	struct conn *ring;		/* the introduced ring connection */
	unsigned int frozen_by;		/* ring-freeze: that conn's id, or 0 */
};

struct domain *domain_get(unsigned int domid);
struct domain *domain_find(unsigned int domid);
void domain_introduced(unsigned int domid, struct conn *ring);
int domain_release(unsigned int domid);
void domain_gone(struct conn *ring);
void domain_shutdown(unsigned int domid);
int domain_resume(unsigned int domid);
int domain_set_target(unsigned int domid, unsigned int target);
bool domain_target(unsigned int domid, unsigned int *target);
int domain_ring_freeze(unsigned int domid, const struct conn *by);
int domain_ring_move(unsigned int domid, const struct conn *by, uint64_t mfn);
int domain_ring_thaw(unsigned int domid, const struct conn *by);
void domain_conn_gone(const struct conn *c);

/* ---- transports ----------------------------------------------------- */

/* conn_ring.c: a connection served on a xenstore page. */
struct conn *ring_conn_new(struct xenstore_domain_interface *intf,
			   unsigned int domid,
			   void (*notify)(void *opaque), void *opaque,
			   void (*release)(void *opaque));
void ring_conn_kick(struct conn *c);
void ring_conn_freeze(struct conn *c, bool frozen);
void ring_conn_remap(struct conn *c, struct xenstore_domain_interface *intf);

/* conn_socket.c: unix sockets and the poll loop. */
int sock_listen(const char *path, int domid, bool privileged);
void sock_close_all(void);
int sock_loop(volatile int *stop);
int sock_domain_socket(unsigned int domid, const char *path);
int sock_ring_move(const struct conn *ring, uint64_t mfn);

/* xen_socket.c: also listening where libxenstore looks by default. */
const char *xen_socket_path(void);
int xen_socket_listen(void);
const char *xen_socket_why(void);
void xen_socket_done(void);

/* control.c: XS_CONTROL. */
void control_handle(struct request *r);

#endif
