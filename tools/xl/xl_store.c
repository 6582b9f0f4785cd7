// SPDX-License-Identifier: MIT
/*
 * A domain's xenstore, from the toolstack.
 *
 * The client is Debian's libxenstore, as xl's: xs_open() on the socket
 * XENSTORED_PATH names, which tern-xl sets to its run directory's socket
 * before anything else happens (xl_store_setenv()), so that it talks to
 * the daemon it starts and attaches rings to, whatever the caller had set.
 *
 * The daemon.  tern-xl create finds tern-xenstored on the run directory's
 * socket, or starts one (detached, with its pid file and log in the run
 * directory) and lets it outlive the domain, as xenstored outlives guests
 * on a Xen host.  Two creates racing to start it are fine: the second
 * daemon finds the first answering and exits, and both creates connect
 * to the one that won.  Only the machine-wide daemon -- root, no
 * TERN_RUN_DIR, so /run/tern -- is also asked to serve on Xen's default
 * socket path, and only if that is free (--xen-socket-if-free: a real
 * xenstored's path is never taken), so that Debian's clients find it with
 * no XENSTORED_PATH; a daemon of a private run directory (the tests',
 * any user's) never is.  Whoever finds the daemon names dom0 as
 * xen-init-dom0 does on a Xen host (/local/domain/0/name = "Domain-0").
 *
 * The nodes.  Before the domain runs, the nodes libxl writes for a PV
 * guest are written in one transaction, with libxl's permissions: the
 * domain's home and most directories are dom0's and readable by the
 * domain ("n0 r<domid>"); the nodes the guest must write (control/shutdown
 * and control/feature-*, data, device/suspend/event-channel, ...) are the
 * domain's own ("n<domid>"), which is also what lets the guest clear
 * control/shutdown to acknowledge a request.  The store and console
 * rings are described where a guest and xenconsoled look for them.
 *
 * The ring.  xs_attach_domain_ring() hands the daemon the domain's memfd
 * (from the builder's foreign mapping) and the store page's frame; the
 * socket then becomes the domain's link (tools/libs/store/xs_attach.h).
 * The hypervisor gets the link too, as the toolstack end of the guest's
 * store port (evtchn_bind_fd): the guest's sends on the port become 'k'
 * bytes, and the daemon's 'n' bytes raise the port.
 *
 * The end.  A guest that shuts down gets 's' (@releaseDomain fires); one
 * that resumes after a suspend gets RESUME, so that its next shutdown
 * fires again.  When the domain goes (destroyed, or before a restart
 * builds it anew with the same domid), RELEASE drops the ring, the nodes
 * are removed, and the link is closed.  RELEASE comes first so a
 * restart's INTRODUCE never finds the old ring still attached.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xenstore.h>

#include "tools/libs/store/xs_attach.h"
#include "xl.h"
#include "xl_store.h"

/* The rings start of day set up, as the nodes describe them. */
struct xl_rings {
	mfn_t store_mfn, console_mfn;
	uint32_t store_port, console_port;
};

#define TX_RETRIES	20

void xl_store_socket(char *buf, size_t len)
{
	/* Same directory as xl_run_dir(), which also creates it. */
	snprintf(buf, len, "%s/xenstored.sock", xl_run_dir());
}

int xl_store_setenv(void)
{
	char sock[600];

	xl_store_socket(sock, sizeof(sock));
	return setenv("XENSTORED_PATH", sock, 1);
}

struct xs_handle *xl_store_open(void)
{
	return xs_open(XS_OPEN_SOCKETONLY);
}

/* tern-xenstored: $TERN_XENSTORED, else next to the running tern-xl. */
static void daemon_path(char *buf, size_t len)
{
	const char *env = getenv("TERN_XENSTORED");
	char self[PATH_MAX];
	ssize_t n;
	char *slash;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0) {
		snprintf(buf, len, "tern-xenstored");
		return;
	}
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		slash[1] = '\0';
	/* Room for the name is kept: a longer directory is cut short. */
	snprintf(buf, len, "%.*stern-xenstored", (int)(len > 16 ? len - 16 : 0),
		 slash ? self : "");
}

bool xl_store_machine_wide(void)
{
	const char *env = getenv("TERN_RUN_DIR");

	return geteuid() == 0 && (!env || !*env);
}

/* Runs the daemon, which detaches once it serves; its exit status. */
static int spawn_daemon(const char *prog, const char *sock)
{
	char pid_file[600], log_file[600];
	int status, fd;
	pid_t pid;

	snprintf(pid_file, sizeof(pid_file), "%s/xenstored.pid", xl_run_dir());
	snprintf(log_file, sizeof(log_file), "%s/xenstored.log", xl_run_dir());
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		sigset_t none;

		/* Nothing of ours may stay with a long-lived daemon: not our
		 * files, not the signals our runner blocks for its own use. */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
		}
		for (fd = 3; fd < 1024; fd++)
			close(fd);
		if (xl_store_machine_wide())
			execl(prog, "tern-xenstored", "--socket", sock,
			      "--pid-file", pid_file, "--log-file", log_file,
			      "--xen-socket-if-free", (char *)NULL);
		else
			execl(prog, "tern-xenstored", "--socket", sock,
			      "--pid-file", pid_file, "--log-file", log_file,
			      (char *)NULL);
		fprintf(stderr, "tern-xl: cannot run %s: %s\n", prog,
			strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/*
 * Two creates may find no daemon at the same moment: whoever holds this
 * lock checks and starts, the other then finds the daemon running.
 */
static int lock_daemon_start(void)
{
	char path[600];
	int fd;

	snprintf(path, sizeof(path), "%s/xenstored.start.lock", xl_run_dir());
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0 && flock(fd, LOCK_EX)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/*
 * dom0's name and id, as xen-init-dom0 writes them when a Xen host
 * boots: what xl and Debian's clients expect to find.
 */
static int name_dom0(struct xs_handle *xs)
{
	unsigned int len;
	char *name = xs_read(xs, XBT_NULL, "/local/domain/0/name", &len);

	if (name) {
		free(name);
		return 0;
	}
	if (errno != ENOENT ||
	    !xs_write(xs, XBT_NULL, "/local/domain/0/name", "Domain-0", 8) ||
	    !xs_write(xs, XBT_NULL, "/local/domain/0/domid", "0", 1))
		return -1;
	return 0;
}

static int ensure_daemon_locked(char *err, size_t errlen)
{
	char sock[600], prog[PATH_MAX];
	struct xs_handle *xs;
	int status;

	xl_store_socket(sock, sizeof(sock));
	xs = xl_store_open();
	if (!xs) {
		daemon_path(prog, sizeof(prog));
		if (access(prog, X_OK)) {
			snprintf(err, errlen, "no xenstore daemon on %s, and cannot start one: %s: %s (set TERN_XENSTORED)",
				 sock, prog, strerror(errno));
			return -1;
		}
		status = spawn_daemon(prog, sock);
		xs = xl_store_open();
		if (!xs) {
			snprintf(err, errlen, "%s did not start (exit status %d): %s: %s",
				 prog, status, sock, strerror(errno));
			return -1;
		}
	}
	if (name_dom0(xs)) {
		snprintf(err, errlen, "xenstore daemon %s: writing /local/domain/0/name: %s",
			 sock, strerror(errno));
		xs_close(xs);
		return -1;
	}
	xs_close(xs);
	return 0;
}

int xl_store_ensure_daemon(char *err, size_t errlen)
{
	int lock = lock_daemon_start();
	int rc = ensure_daemon_locked(err, errlen);

	if (lock >= 0)
		close(lock);
	return rc;
}

void xl_store_init(struct xl_store *s)
{
	memset(s, 0, sizeof(*s));
	s->link = -1;
}

/* ---- writing the nodes ---- */

struct writer {
	struct xs_handle *xs;
	xs_transaction_t tx;
	int rc;				/* first error, -errno */
	char what[200];			/* the node it happened on */
};

static void note(struct writer *w, bool ok, const char *path)
{
	if (!ok && !w->rc) {
		w->rc = -errno;
		snprintf(w->what, sizeof(w->what), "%.199s", path);
	}
}

static void put(struct writer *w, const char *value, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void put(struct writer *w, const char *value, const char *fmt, ...)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (!w->rc)
		note(w, xs_write(w->xs, w->tx, path, value, strlen(value)), path);
}

/* libxl's mknod: the node (empty if new) with exactly these permissions. */
static void mknod(struct writer *w, struct xs_permissions *perms,
		  unsigned int n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void mknod(struct writer *w, struct xs_permissions *perms,
		  unsigned int n, const char *fmt, ...)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (!w->rc)
		note(w, xs_mkdir(w->xs, w->tx, path), path);
	if (!w->rc)
		note(w, xs_set_permissions(w->xs, w->tx, path, perms, n), path);
}

/* Removes a subtree; one that is not there is fine. */
static void rm(struct writer *w, const char *path)
{
	if (!w->rc && !xs_rm(w->xs, w->tx, path) && errno != ENOENT)
		note(w, false, path);
}

/*
 * What libxl's domain_make writes for a PV guest, before it is built:
 * everything but the rings' frames and ports (ring_nodes()).
 */
static void write_nodes(struct writer *w, const struct tl_domain_config *cfg,
			unsigned int domid)
{
	char dp[64], vm[64], v[128];
	/* dom0's, the domain reads; the domain's own; a frontend dom0 reads */
	struct xs_permissions roperm[2] = { { 0, XS_PERM_NONE },
					    { domid, XS_PERM_READ } };
	struct xs_permissions rwperm[1] = { { domid, XS_PERM_NONE } };
	struct xs_permissions feperm[2] = { { domid, XS_PERM_NONE },
					    { 0, XS_PERM_READ } };
	static const char *const guest_nodes[] = {
		"control/shutdown", "control/feature-poweroff",
		"control/feature-reboot", "control/feature-suspend",
		"control/sysrq", "data", "drivers", "feature", "attr", "error",
		"device/suspend/event-channel",
	};
	struct timeval now;
	unsigned int i;

	snprintf(dp, sizeof(dp), "/local/domain/%u", domid);
	snprintf(vm, sizeof(vm), "/vm/%s", cfg->uuid);

	rm(w, dp);
	mknod(w, roperm, 2, "%s", dp);
	mknod(w, roperm, 2, "%s", vm);
	put(w, vm, "%s/vm", dp);
	put(w, cfg->name, "%s/name", dp);
	put(w, cfg->uuid, "%s/uuid", vm);
	put(w, cfg->name, "%s/name", vm);
	for (i = 0; i < ARRAY_SIZE(guest_nodes); i++) {
		const char *slash = strchr(guest_nodes[i], '/');

		/* The parents are dom0's, readable by the domain. */
		if (slash)
			mknod(w, roperm, 2, "%s/%.*s", dp,
			      (int)(slash - guest_nodes[i]), guest_nodes[i]);
		mknod(w, rwperm, 1, "%s/%s", dp, guest_nodes[i]);
	}
	mknod(w, roperm, 2, "%s/cpu", dp);
	mknod(w, roperm, 2, "%s/memory", dp);
	put(w, "1", "%s/control/platform-feature-multiprocessor-suspend", dp);
	put(w, "1", "%s/control/platform-feature-xs_reset_watches", dp);

	snprintf(v, sizeof(v), "%" PRIu64, cfg->max_memkb);
	put(w, v, "%s/memory/static-max", dp);
	snprintf(v, sizeof(v), "%" PRIu64, cfg->target_memkb);
	put(w, v, "%s/memory/target", dp);
	put(w, "0", "%s/memory/videoram", dp);
	snprintf(v, sizeof(v), "%u", domid);
	put(w, v, "%s/domid", dp);
	for (i = 0; i < cfg->max_vcpus; i++)
		put(w, i < cfg->vcpus ? "online" : "offline",
		    "%s/cpu/%u/availability", dp, i);

	gettimeofday(&now, NULL);
	snprintf(v, sizeof(v), "%ld.%02ld", (long)now.tv_sec,
		 (long)now.tv_usec / 10000);
	put(w, v, "%s/start_time", vm);
	put(w, "linux", "%s/image/ostype", vm);
	put(w, cfg->kernel, "%s/image/kernel", vm);
	if (cfg->cmdline[0])
		put(w, cfg->cmdline, "%s/image/cmdline", vm);

	/* The console: frontend in the domain's home, backend under dom0. */
	mknod(w, feperm, 2, "%s/console", dp);
	put(w, "0", "%s/console/backend-id", dp);
	snprintf(v, sizeof(v), "/local/domain/0/backend/console/%u/0", domid);
	put(w, v, "%s/console/backend", dp);
	mknod(w, roperm, 2, "%s/console/limit", dp);
	put(w, "1048576", "%s/console/limit", dp);
	mknod(w, roperm, 2, "%s/console/type", dp);
	put(w, "xenconsoled", "%s/console/type", dp);
	mknod(w, roperm, 2, "%s/console/output", dp);
	put(w, "pty", "%s/console/output", dp);
	mknod(w, roperm, 2, "%s/console/tty", dp);
	mknod(w, roperm, 2, "%s/console/port", dp);
	mknod(w, roperm, 2, "%s/console/ring-ref", dp);
	mknod(w, roperm, 2, "/local/domain/0/backend/console/%u/0", domid);
	snprintf(v, sizeof(v), "%s/console", dp);
	put(w, v, "/local/domain/0/backend/console/%u/0/frontend", domid);
	snprintf(v, sizeof(v), "%u", domid);
	put(w, v, "/local/domain/0/backend/console/%u/0/frontend-id", domid);
	put(w, "1", "/local/domain/0/backend/console/%u/0/online", domid);
	put(w, "1", "/local/domain/0/backend/console/%u/0/state", domid);
	put(w, "x86_64-abi", "/local/domain/0/backend/console/%u/0/protocol",
	    domid);
}

/* What libxl's build_post adds once the domain is built: its rings. */
static void ring_nodes(struct writer *w, unsigned int domid,
		       const struct xl_rings *rings)
{
	char v[32];

	snprintf(v, sizeof(v), "%u", rings->store_port);
	put(w, v, "/local/domain/%u/store/port", domid);
	snprintf(v, sizeof(v), "%" PRIu64, mfn_x(rings->store_mfn));
	put(w, v, "/local/domain/%u/store/ring-ref", domid);
	snprintf(v, sizeof(v), "%u", rings->console_port);
	put(w, v, "/local/domain/%u/console/port", domid);
	snprintf(v, sizeof(v), "%" PRIu64, mfn_x(rings->console_mfn));
	put(w, v, "/local/domain/%u/console/ring-ref", domid);
}

/* Runs fn in a transaction until it commits: 0 or the first error. */
static int in_transaction(struct xs_handle *xs,
			  void (*fn)(struct writer *, void *), void *arg,
			  char *what, size_t whatlen)
{
	struct writer w = { .xs = xs };
	int i;

	for (i = 0; i < TX_RETRIES; i++) {
		w.rc = 0;
		w.what[0] = '\0';
		w.tx = xs_transaction_start(xs);
		if (w.tx == XBT_NULL) {
			snprintf(what, whatlen, "starting a transaction");
			return -errno;
		}
		fn(&w, arg);
		if (w.rc) {
			xs_transaction_end(xs, w.tx, true);
			snprintf(what, whatlen, "%s", w.what);
			return w.rc;
		}
		if (xs_transaction_end(xs, w.tx, false))
			return 0;
		if (errno != EAGAIN) {
			snprintf(what, whatlen, "committing the transaction");
			return -errno;
		}
	}
	snprintf(what, whatlen, "committing the transaction %d times", TX_RETRIES);
	return -EAGAIN;
}

struct up_args {
	const struct tl_domain_config *cfg;
	unsigned int domid;
	const struct xl_rings *rings;
};

static void make_tx(struct writer *w, void *arg)
{
	struct up_args *a = arg;

	write_nodes(w, a->cfg, a->domid);
}

static void rings_tx(struct writer *w, void *arg)
{
	struct up_args *a = arg;

	ring_nodes(w, a->domid, a->rings);
}

/*
 * Whether another domain's home names the /vm entry vm: the two ends of
 * a migration to this same host share the guest's UUID, and the source
 * going must not take the destination's entry with it.
 */
static bool vm_shared(struct writer *w, unsigned int domid, const char *vm)
{
	unsigned int n, i, len;
	char **doms = xs_directory(w->xs, w->tx, "/local/domain", &n);
	char path[128], *other;
	bool shared = false;

	for (i = 0; doms && i < n && !shared; i++) {
		if (strtoul(doms[i], NULL, 10) == domid)
			continue;
		snprintf(path, sizeof(path), "/local/domain/%.32s/vm", doms[i]);
		other = xs_read(w->xs, w->tx, path, &len);
		shared = other && !strcmp(other, vm);
		free(other);
	}
	free(doms);
	return shared;
}

/* What a domain leaves: its home, its /vm entry, its console backend. */
static void down_tx(struct writer *w, void *arg)
{
	const unsigned int *domid = arg;
	char path[128], *vm;
	unsigned int len;

	snprintf(path, sizeof(path), "/local/domain/%u/vm", *domid);
	vm = xs_read(w->xs, w->tx, path, &len);
	/* Only a /vm entry this domain's home names, and only one of ours. */
	if (vm && !strncmp(vm, "/vm/", 4) && !strchr(vm + 4, '/') &&
	    !vm_shared(w, *domid, vm))
		rm(w, vm);
	free(vm);
	snprintf(path, sizeof(path), "/local/domain/%u", *domid);
	rm(w, path);
	snprintf(path, sizeof(path), "/local/domain/0/backend/console/%u",
		 *domid);
	rm(w, path);
}

struct rename_arg {
	unsigned int domid;
	const char *name;
};

static void rename_tx(struct writer *w, void *arg)
{
	const struct rename_arg *a = arg;
	char path[128], *vm;
	unsigned int len;

	snprintf(path, sizeof(path), "/local/domain/%u/vm", a->domid);
	vm = xs_read(w->xs, w->tx, path, &len);
	put(w, a->name, "/local/domain/%u/name", a->domid);
	if (vm && !strncmp(vm, "/vm/", 4) && !strchr(vm + 4, '/'))
		put(w, a->name, "%s/name", vm);
	free(vm);
}

void xl_store_rename(unsigned int domid, const char *name)
{
	struct rename_arg a = { domid, name };
	struct xs_handle *xs = xl_store_open();
	char what[200];
	char path[64], *home;
	unsigned int len;
	int rc;

	if (!xs)
		return;
	/* A domain not up yet has no nodes to rename. */
	snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
	home = xs_read(xs, XBT_NULL, path, &len);
	if (home) {
		rc = in_transaction(xs, rename_tx, &a, what, sizeof(what));
		if (rc)
			fprintf(stderr, "tern-xl: domain %u: renaming in xenstore: %s: %s\n",
				domid, what, strerror(-rc));
	}
	free(home);
	xs_close(xs);
}

/*
 * The domain is gone: its ring released (if the daemon still has it) and
 * its nodes removed; a message on stderr for what could not be done.
 */
static void forget_domain(struct xs_handle *xs, unsigned int domid)
{
	char what[200];
	int rc;

	if (!xs_release_domain(xs, domid) && errno != ENOENT)
		fprintf(stderr, "tern-xl: domain %u: xenstore RELEASE: %s\n",
			domid, strerror(errno));
	rc = in_transaction(xs, down_tx, &domid, what, sizeof(what));
	if (rc)
		fprintf(stderr, "tern-xl: domain %u: removing its xenstore nodes: %s: %s\n",
			domid, what, strerror(-rc));
}

/* ---- the link ---- */

int xl_store_domain_make(struct xl_store *s, const struct tl_domain_config *cfg,
			 unsigned int domid, char *err, size_t errlen)
{
	struct up_args a = { cfg, domid, NULL };
	char sock[600], what[200];
	int rc;

	s->domid = domid;
	if (xl_store_ensure_daemon(err, errlen))
		return -1;
	xl_store_socket(sock, sizeof(sock));
	s->xs = xl_store_open();
	if (!s->xs) {
		snprintf(err, errlen, "xenstore daemon %s: %s", sock, strerror(errno));
		return -1;
	}
	rc = in_transaction(s->xs, make_tx, &a, what, sizeof(what));
	if (rc) {
		snprintf(err, errlen, "writing the domain's xenstore nodes: %s: %s",
			 what, strerror(-rc));
		xl_store_domain_down(s);
		return -1;
	}
	return 0;
}

int xl_store_domain_introduce(struct xl_store *s, xc_interface *xch,
			      const struct xg_dom *dom, char *err,
			      size_t errlen)
{
	struct xl_rings rings = {
		.store_mfn = dom->store_mfn,
		.store_port = dom->store_evtchn,
		.console_mfn = dom->console_mfn,
		.console_port = dom->console_evtchn,
	};
	struct up_args a = { NULL, dom->domid, &rings };
	char sock[600], what[200];
	int rc;

	xl_store_socket(sock, sizeof(sock));
	rc = in_transaction(s->xs, rings_tx, &a, what, sizeof(what));
	if (rc) {
		snprintf(err, errlen, "writing the domain's ring nodes: %s: %s",
			 what, strerror(-rc));
		goto fail;
	}
	s->link = xs_attach_domain_ring(sock, dom->domid, dom->mem.memfd,
					mfn_x(rings.store_mfn),
					rings.store_port);
	if (s->link < 0) {
		rc = s->link;
		s->link = -1;
		snprintf(err, errlen, "attaching domain %u's xenstore ring: %s%s",
			 dom->domid, strerror(-rc), rc == -EEXIST ?
			 " (the daemon already serves a domain with this id)" : "");
		goto fail;
	}
	rc = xc_evtchn_bind_fd(xch, dom->domid, rings.store_port, s->link,
			       XS_LINK_KICK, XS_LINK_NOTIFY);
	if (rc) {
		snprintf(err, errlen, "binding the xenstore port to the daemon: %s",
			 strerror(-rc));
		goto fail;
	}
	return 0;
fail:
	xl_store_domain_down(s);
	return -1;
}

void xl_store_domain_shutdown(struct xl_store *s)
{
	if (s->link >= 0)
		xs_link_shutdown(s->link);
}

void xl_store_domain_resume(struct xl_store *s)
{
	if (s->xs && !xs_resume_domain(s->xs, s->domid))
		fprintf(stderr, "tern-xl: domain %u: xenstore RESUME: %s\n",
			s->domid, strerror(errno));
}

void xl_store_domain_down(struct xl_store *s)
{
	if (s->xs) {
		forget_domain(s->xs, s->domid);
		xs_close(s->xs);
		s->xs = NULL;
	}
	if (s->link >= 0)
		close(s->link);
	s->link = -1;
}

int xl_store_reap(unsigned int domid)
{
	struct xs_handle *xs = xl_store_open();

	/* No daemon: nothing of the domain's can be there. */
	if (!xs)
		return 0;
	forget_domain(xs, domid);
	xs_close(xs);
	return 0;
}
