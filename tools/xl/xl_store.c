// SPDX-License-Identifier: MIT
/*
 * A domain's xenstore, from the toolstack.
 *
 * The daemon.  tern-xl create finds tern-xenstored on the run directory's
 * socket, or starts one (detached, with its pid file and log in the run
 * directory) and lets it outlive the domain, as xenstored outlives guests
 * on a Xen host.  Two creates racing to start it are fine: the second
 * daemon finds the first answering and exits, and both creates connect
 * to the one that won.
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
#include <sys/file.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xen/interface/io/xs_wire.h>

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
		execl(prog, "tern-xenstored", "--socket", sock, "--pid-file",
		      pid_file, "--log-file", log_file, (char *)NULL);
		fprintf(stderr, "tern-xl: cannot run %s: %s\n", prog,
			strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int ensure_daemon_locked(char *err, size_t errlen);

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

int xl_store_ensure_daemon(char *err, size_t errlen)
{
	int lock = lock_daemon_start();
	int rc = ensure_daemon_locked(err, errlen);

	if (lock >= 0)
		close(lock);
	return rc;
}

static int ensure_daemon_locked(char *err, size_t errlen)
{
	char sock[600], prog[PATH_MAX];
	struct xsc xs;
	int rc, status;

	xl_store_socket(sock, sizeof(sock));
	if (!xsc_open(&xs, sock)) {
		xsc_close(&xs);
		return 0;
	}
	daemon_path(prog, sizeof(prog));
	if (access(prog, X_OK)) {
		snprintf(err, errlen, "no xenstore daemon on %s, and cannot start one: %s: %s (set TERN_XENSTORED)",
			 sock, prog, strerror(errno));
		return -1;
	}
	status = spawn_daemon(prog, sock);
	rc = xsc_open(&xs, sock);
	if (rc) {
		snprintf(err, errlen, "%s did not start (exit status %d): %s: %s",
			 prog, status, sock, strerror(-rc));
		return -1;
	}
	xsc_close(&xs);
	return 0;
}

void xl_store_init(struct xl_store *s)
{
	memset(s, 0, sizeof(*s));
	s->xs.fd = -1;
	s->link = -1;
}

/* ---- writing the nodes ---- */

struct writer {
	struct xsc *xs;
	uint32_t tx;
	int rc;				/* first error */
	char what[200];			/* the node it happened on */
};

static void note(struct writer *w, int rc, const char *path)
{
	if (rc && !w->rc) {
		w->rc = rc;
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
		note(w, xsc_write(w->xs, w->tx, path, value), path);
}

/* libxl's mknod: the node (empty if new) with exactly these permissions. */
static void mknod(struct writer *w, const char *const *perms, unsigned int n,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void mknod(struct writer *w, const char *const *perms, unsigned int n,
		  const char *fmt, ...)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (!w->rc)
		note(w, xsc_mkdir(w->xs, w->tx, path), path);
	if (!w->rc)
		note(w, xsc_set_perms(w->xs, w->tx, path, perms, n), path);
}

/* Everything libxl's domain_make and build_post write for a PV guest. */
static void write_nodes(struct writer *w, const struct tl_domain_config *cfg,
			unsigned int domid, const char *uuid,
			const struct xl_rings *rings)
{
	char own[16], ro[16], dp[64], vm[64], v[128];
	const char *roperm[2] = { "n0", ro };	/* dom0's, domain reads */
	const char *rwperm[1] = { own };	/* the domain's own */
	const char *feperm[2] = { own, "r0" };	/* frontend: dom0 reads */
	static const char *const guest_nodes[] = {
		"control/shutdown", "control/feature-poweroff",
		"control/feature-reboot", "control/feature-suspend",
		"control/sysrq", "data", "drivers", "feature", "attr", "error",
		"device/suspend/event-channel",
	};
	struct timeval now;
	unsigned int i;

	snprintf(own, sizeof(own), "n%u", domid);
	snprintf(ro, sizeof(ro), "r%u", domid);
	snprintf(dp, sizeof(dp), "/local/domain/%u", domid);
	snprintf(vm, sizeof(vm), "/vm/%s", uuid);

	note(w, xsc_rm(w->xs, w->tx, dp), dp);
	if (w->rc == -ENOENT)
		w->rc = 0;
	mknod(w, roperm, 2, "%s", dp);
	mknod(w, roperm, 2, "%s", vm);
	put(w, vm, "%s/vm", dp);
	put(w, cfg->name, "%s/name", dp);
	put(w, uuid, "%s/uuid", vm);
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
	snprintf(v, sizeof(v), "%u", rings->store_port);
	put(w, v, "%s/store/port", dp);
	snprintf(v, sizeof(v), "%" PRIu64, mfn_x(rings->store_mfn));
	put(w, v, "%s/store/ring-ref", dp);
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
	snprintf(v, sizeof(v), "%u", rings->console_port);
	put(w, v, "%s/console/port", dp);
	mknod(w, roperm, 2, "%s/console/ring-ref", dp);
	snprintf(v, sizeof(v), "%" PRIu64, mfn_x(rings->console_mfn));
	put(w, v, "%s/console/ring-ref", dp);
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

/* Runs fn in a transaction until it commits: 0 or the first error. */
static int in_transaction(struct xsc *xs, void (*fn)(struct writer *, void *),
			  void *arg, char *what, size_t whatlen)
{
	struct writer w = { .xs = xs };
	int i, rc;

	for (i = 0; i < TX_RETRIES; i++) {
		w.rc = 0;
		w.what[0] = '\0';
		rc = xsc_tx_start(xs, &w.tx);
		if (rc) {
			snprintf(what, whatlen, "starting a transaction");
			return rc;
		}
		fn(&w, arg);
		rc = xsc_tx_end(xs, w.tx, !w.rc);
		if (w.rc) {
			snprintf(what, whatlen, "%s", w.what);
			return w.rc;
		}
		if (rc != -EAGAIN) {
			snprintf(what, whatlen, "committing the transaction");
			return rc;
		}
	}
	snprintf(what, whatlen, "committing the transaction %d times", TX_RETRIES);
	return -EAGAIN;
}

struct up_args {
	const struct tl_domain_config *cfg;
	unsigned int domid;
	const char *uuid;
	const struct xl_rings *rings;
};

static void up_tx(struct writer *w, void *arg)
{
	struct up_args *a = arg;

	write_nodes(w, a->cfg, a->domid, a->uuid, a->rings);
}

static void down_tx(struct writer *w, void *arg)
{
	struct xl_store *s = arg;
	char path[128];
	int rc;

	snprintf(path, sizeof(path), "/local/domain/%u", s->domid);
	rc = xsc_rm(w->xs, w->tx, path);
	note(w, rc == -ENOENT ? 0 : rc, path);
	snprintf(path, sizeof(path), "/vm/%s", s->uuid);
	rc = xsc_rm(w->xs, w->tx, path);
	note(w, rc == -ENOENT ? 0 : rc, path);
	snprintf(path, sizeof(path), "/local/domain/0/backend/console/%u",
		 s->domid);
	rc = xsc_rm(w->xs, w->tx, path);
	note(w, rc == -ENOENT ? 0 : rc, path);
}

/* ---- the link ---- */

int xl_store_domain_up(struct xl_store *s, const struct tl_domain_config *cfg,
		       xc_interface *xch, const struct xg_dom *dom,
		       char *err, size_t errlen)
{
	struct xl_rings rings = {
		.store_mfn = dom->store_mfn,
		.store_port = dom->store_evtchn,
		.console_mfn = dom->console_mfn,
		.console_port = dom->console_evtchn,
	};
	char sock[600], what[200];
	struct up_args a;
	int rc;

	s->domid = dom->domid;
	snprintf(s->uuid, sizeof(s->uuid), "%s", cfg->uuid);
	if (xl_store_ensure_daemon(err, errlen))
		return -1;
	xl_store_socket(sock, sizeof(sock));
	rc = xsc_open(&s->xs, sock);
	if (rc) {
		snprintf(err, errlen, "xenstore daemon %s: %s", sock, strerror(-rc));
		return -1;
	}
	a = (struct up_args){ cfg, dom->domid, s->uuid, &rings };
	rc = in_transaction(&s->xs, up_tx, &a, what, sizeof(what));
	if (rc) {
		snprintf(err, errlen, "writing the domain's xenstore nodes: %s: %s",
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
	int rc = s->xs.fd >= 0 ? xsc_resume(&s->xs, s->domid) : 0;

	if (rc)
		fprintf(stderr, "tern-xl: domain %u: xenstore RESUME: %s\n",
			s->domid, strerror(-rc));
}

void xl_store_domain_down(struct xl_store *s)
{
	char what[200];
	int rc;

	if (s->xs.fd >= 0) {
		rc = xsc_release(&s->xs, s->domid);
		if (rc && rc != -ENOENT)
			fprintf(stderr, "tern-xl: domain %u: xenstore RELEASE: %s\n",
				s->domid, strerror(-rc));
		rc = in_transaction(&s->xs, down_tx, s, what, sizeof(what));
		if (rc)
			fprintf(stderr, "tern-xl: domain %u: removing its xenstore nodes: %s: %s\n",
				s->domid, what, strerror(-rc));
		xsc_close(&s->xs);
	}
	if (s->link >= 0)
		close(s->link);
	s->link = -1;
}
