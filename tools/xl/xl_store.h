/* SPDX-License-Identifier: MIT */
#ifndef _TOOLS_XL_STORE_H
#define _TOOLS_XL_STORE_H

/*
 * The toolstack's side of xenstore (tools/xl/xl_store.c): making sure a
 * tern-xenstored runs, writing a domain's nodes as a Xen toolstack does,
 * attaching the domain's ring to the daemon and its port to the link, and
 * cleaning up when the domain goes.  See Documentation/xenstore.rst.
 */
#include <stdbool.h>

#include "tools/libs/ctrl/xc.h"
#include "tools/libs/guest/xg.h"
#include "tools/libs/light/tl.h"

struct xs_handle;

struct xl_store {
	struct xs_handle *xs;		/* the toolstack's connection */
	int link;			/* the domain's link, or -1 */
	unsigned int domid;
};

/* The daemon's socket, as tern-xenstored picks it. */
void xl_store_socket(char *buf, size_t len);
/*
 * Points XENSTORED_PATH at that socket, for libxenstore's xs_open(): once,
 * before tern-xl starts any thread.  0 or -1 with errno.
 */
int xl_store_setenv(void);
/* xs_open() on it (NULL with errno when no daemon answers). */
struct xs_handle *xl_store_open(void);
/*
 * Whether this is the machine-wide daemon's run directory (root, no
 * TERN_RUN_DIR): only that daemon also serves Xen's default socket path.
 */
bool xl_store_machine_wide(void);

/*
 * Connects to tern-xenstored, starting one if none answers: the program
 * $TERN_XENSTORED, else tern-xenstored next to this tern-xl.  0 or -1
 * with the reason in err.
 */
int xl_store_ensure_daemon(char *err, size_t errlen);

void xl_store_init(struct xl_store *s);

/*
 * Before the domain dom is built (libxl's domain_make): its nodes, in one
 * transaction.  0, or -1 with err set and nothing left behind.
 */
int xl_store_domain_make(struct xl_store *s, const struct tl_domain_config *cfg,
			 unsigned int domid, char *err, size_t errlen);
/*
 * Once it is built, before it first runs (libxl's build_post and
 * xs_introduce_domain): its rings' nodes, its ring attached to the
 * daemon, and the daemon's link made the store port's other end.  0, or
 * -1 with err set and everything xl_store_domain_make did undone.
 */
int xl_store_domain_introduce(struct xl_store *s, xc_interface *xch,
			      const struct xg_dom *dom, char *err,
			      size_t errlen);
/* The domain's name nodes (its home's and its /vm entry's) say name. */
void xl_store_rename(unsigned int domid, const char *name);
/* The guest shut down (not destroyed): @releaseDomain for watchers. */
void xl_store_domain_shutdown(struct xl_store *s);
/* A suspended guest runs on: RESUME re-arms @releaseDomain. */
void xl_store_domain_resume(struct xl_store *s);
/* The domain is going: release it, remove its nodes, close the link. */
void xl_store_domain_down(struct xl_store *s);
/*
 * A domain whose process died without cleaning up (SIGKILL, the OOM
 * killer): its ring released and its nodes removed, as domain_down would
 * have.  0 (nothing to do without a daemon).
 */
int xl_store_reap(unsigned int domid);

/*
 * control/shutdown, as libxl's pvcontrol writes it: value written in one
 * transaction if the node is there (0, or -1 with why); withdrawn (set
 * empty) if it still holds value, which says whether it did.
 */
int xl_pvcontrol_write(struct xs_handle *xs, unsigned int domid,
		       const char *value, char *why, size_t whylen);
bool xl_pvcontrol_withdraw(struct xs_handle *xs, unsigned int domid,
			   const char *value);

#endif
