// SPDX-License-Identifier: MIT
/*
 * Xen's own socket path (--xen-socket, --xen-socket-if-free).
 *
 * libxenstore, and so every one of Debian's xenstore-* clients, connects
 * to $XENSTORED_PATH if it is set, else to $XENSTORED_RUNDIR/socket,
 * else to /var/run/xenstored/socket, where Xen's xenstored listens.  To
 * let those clients work without XENSTORED_PATH, the daemon can listen
 * there too, as a second privileged socket next to its own.
 *
 * That path belongs to Xen's daemon whenever one runs, so it is taken
 * only when nobody has it, and never from anyone:
 *
 *   - something that accepts a connection there (xenstored, oxenstored,
 *     systemd's xenstored.socket, another tern-xenstored) means it is
 *     taken: EADDRINUSE;
 *   - anything there that is not a socket is left alone: EEXIST;
 *   - a socket nobody listens on is a dead daemon's, and is replaced
 *     (as Xen's xenstored itself does at start);
 *   - the directory is made if missing (0755, as Xen's start scripts
 *     make it) and removed again at exit if it was made here and is
 *     empty; the socket is removed at exit only if it is still the one
 *     bound here (conn_socket.c), so a real xenstored that started
 *     meanwhile and rebound the path keeps it.
 *
 * The check and the bind are not atomic: a real xenstored starting in the
 * same instant would unlink our socket and bind its own, which is the
 * outcome we want anyway.  $XENSTORED_RUNDIR moves the whole thing, the
 * same way it moves libxenstore's idea of the path; tests use it so they
 * never touch the machine's real one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

/* libxenstore's XEN_RUN_STORED as Debian builds it. */
#define XEN_RUN_STORED	"/var/run/xenstored"

static char rundir[512];
static bool made_rundir;
static int failed;		/* errno of the last xen_socket_listen() */

/* Where libxenstore looks when XENSTORED_PATH is not set (xs_daemon_socket). */
const char *xen_socket_path(void)
{
	static char path[600];
	const char *env = getenv("XENSTORED_RUNDIR");

	snprintf(rundir, sizeof(rundir), "%s",
		 env && *env ? env : XEN_RUN_STORED);
	snprintf(path, sizeof(path), "%s/socket", rundir);
	return path;
}

/*
 * Listens on Xen's socket path as the privileged socket: 0, or -1 with
 * errno (EADDRINUSE: a live daemon has it; EEXIST: something other than
 * a socket is there; else why the directory or socket could not be made).
 */
int xen_socket_listen(void)
{
	const char *path = xen_socket_path();
	int err;

	if (!mkdir(rundir, 0755))
		made_rundir = true;
	else if (errno != EEXIST)
		goto fail;
	if (!sock_listen(path, 0, true))
		return 0;
fail:
	err = errno;
	xen_socket_done();
	errno = failed = err;
	return -1;
}

/* Why the last xen_socket_listen() failed, in words. */
const char *xen_socket_why(void)
{
	switch (failed) {
	case EADDRINUSE:
		return "a running xenstore daemon answers there; not taking it";
	case EEXIST:
		return "something other than a socket is there; leaving it alone";
	default:
		return strerror(failed);
	}
}

/* After the socket is closed: removes the directory if it was made here. */
void xen_socket_done(void)
{
	if (made_rundir && rmdir(rundir) && errno != ENOTEMPTY)
		xsd_log("%s: %s", rundir, strerror(errno));
	made_rundir = false;
}
