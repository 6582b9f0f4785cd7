/* SPDX-License-Identifier: MIT */
#ifndef _TOOLS_LIBS_STORE_XS_ATTACH_H
#define _TOOLS_LIBS_STORE_XS_ATTACH_H

/*
 * Client side of attaching a domain's xenstore ring to tern-xenstored,
 * for the process that runs the domain (see Documentation/xenstore.rst,
 * "Attaching a domain's ring").  Self-contained (libc only), so a
 * domain process can link xs_attach.o alone.
 *
 *	link = xs_attach_domain_ring(sock, domid, memfd, store_mfn, port);
 *	...guest kicks its xenstore event channel:	xs_link_kick(link);
 *	...link readable:	if (xs_link_read(link) > 0) raise port in guest;
 *	...guest shut down:	xs_link_shutdown(link);
 *	...domain destroyed:	close(link);
 */

#include <stddef.h>
#include <stdint.h>

/* One byte each on the link. */
#define XS_LINK_KICK		'k'	/* domain -> daemon: guest kicked */
#define XS_LINK_SHUTDOWN	's'	/* domain -> daemon: guest shut down */
#define XS_LINK_NOTIFY		'n'	/* daemon -> domain: ring updated */

/*
 * Connects to the daemon at sock_path and hands it domain domid's
 * xenstore page, machine frame mfn of memfd (byte offset mfn * 4096),
 * with event channel port evtchn.  Returns the link fd, or -errno
 * (-EEXIST: domid already has a ring; -EACCES: not a privileged socket).
 */
int xs_attach_domain_ring(const char *sock_path, unsigned int domid,
			  int memfd, uint64_t mfn, unsigned int evtchn);

/* Tells the daemon the guest kicked its event channel: 0 or -errno. */
int xs_link_kick(int link);

/* Tells the daemon the guest shut down (@releaseDomain): 0 or -errno. */
int xs_link_shutdown(int link);

/*
 * Consumes pending notifications without blocking: how many there were
 * (raise the guest's event channel if > 0), 0 if none, -EPIPE if the
 * daemon closed the link (RELEASE, or it exited), -EPROTO on a byte it
 * does not know.
 */
int xs_link_read(int link);

/*
 * The run directory tern-xl and tern-xenstored share: $TERN_RUN_DIR, else
 * /run/tern for root, else /tmp/tern-<uid>.  Not created here.
 */
void xs_run_dir(char *buf, size_t len);

/* Maps an XS_ERROR name to -errno (Xen's numbers are Linux's on x86). */
int xs_error_errno(const char *name);

#endif
