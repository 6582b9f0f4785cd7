// SPDX-License-Identifier: MIT
/*
 * tern-xl create.  `create` forks: the child, in a session of its own,
 * becomes the domain's hypervisor (the runner below), with the guest's
 * console and its own stderr going into the run directory's console log.
 * Without -c the parent returns once the guest runs, as xl create does.
 * With -c the parent is the domain's console, as xl create -c runs xl
 * console: it follows the log on stdout, in raw mode on a terminal, and
 * returns the child's exit status, which says how the guest ended; Ctrl-]
 * detaches and leaves the guest running.  SIGTERM and SIGHUP to the
 * parent are passed to the child (a destroy); if the parent dies any
 * other way without detaching, the child notices (the watch pipe closes)
 * and destroys the domain, so a killed `create -c` leaves nothing behind.
 *
 * Before the fork, and so before anything is built, the memory asked for
 * is held to the kernel image's limits (xg_dom_check: start of day and
 * what the image states) and to what the host can give (MemAvailable,
 * less a sixteenth kept for the host): each a one-line error.
 *
 * The runner is toolstack code like any other: it builds the domain with
 * tools/libs/guest, reaches the hypervisor in this process through
 * tools/libs/ctrl only, and serves that hypervisor on the domain's control
 * socket for every other tern-xl.  It follows the domain's state as xl
 * does: a domain that suspends stays, suspended, until `tern-xl resume`
 * or `tern-xl destroy`; one that shuts down otherwise gets the action its
 * config names.  A destroy request (SIGTERM, SIGINT, SIGHUP) is carried
 * out by the signal thread itself with a destroydomain domctl, whatever
 * the runner is doing; the runner then finds the domain gone.
 *
 * Exit status: 0 poweroff (or reboot with on_reboot=destroy), 1 error,
 * 2 crash, 3 destroyed, 5 watchdog.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xl.h"
#include "xl_parse.h"
#include "xl_saverestore.h"
#include "xl_store.h"
#include "hv/include/hv/hv.h"
#include "tools/libs/ctrl/xc.h"
#include "tools/libs/guest/xg.h"
#include <xen/interface/sched.h>

bool xl_verbose;

/* How a domain's life ended, from its shutdown reason. */
enum xl_outcome {
	XL_OUT_POWEROFF,
	XL_OUT_REBOOT,
	XL_OUT_CRASH,
	XL_OUT_WATCHDOG,
	XL_OUT_SOFT_RESET,
	XL_OUT_DESTROYED,
};

struct runner {
	struct tl_domain_config cfg;
	int console_fds[2];
	int notify_fd;			/* to the waiting parent, or -1 */
	int parent_fd;			/* create -c: the console's watch pipe */
	xc_interface *xch;		/* this process's hypervisor */
	pthread_mutex_t lock;
	pthread_cond_t stopped;		/* signalled when stop is set */
	bool stop;			/* destroy requested */
	struct xl_dom dom;
	struct xl_store store;		/* the domain's xenstore */
	const char *restore_file;	/* the first life restores this save */
	struct xg_sr_in *restore_in;	/* or this stream (migrate-receive) */
	int go_fd;			/* migrate-receive's handshake, or -1 */
	char final_name[64];		/* the name it takes on "go" */
};

static void notify(struct runner *r, const char *msg)
{
	if (r->notify_fd < 0)
		return;
	(void)!write(r->notify_fd, msg, strlen(msg));
	close(r->notify_fd);
	r->notify_fd = -1;
}

/* A parent waiting for the outcome prints it; else it goes to stderr. */
static void fail(struct runner *r, const char *msg)
{
	if (r->notify_fd >= 0) {
		notify(r, msg);
	} else if (r->go_fd >= 0) {
		(void)!write(r->go_fd, msg, strlen(msg));
		close(r->go_fd);
		r->go_fd = -1;
	} else {
		fprintf(stderr, "tern-xl: %s\n", msg);
	}
}

/*
 * migrate-receive: the domain is restored, paused, under its incoming
 * name.  It may run, and take the guest's name, only when the receiver
 * passes on the sender's "go" (the source is renamed away by then); an
 * end of the channel instead means the sender gave up, and the domain
 * goes.
 */
static int wait_go(struct runner *r, char *err, size_t errlen)
{
	char c = 0, incoming[64];
	ssize_t n;
	int rc;

	notify(r, "ok");
	do
		n = read(r->go_fd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1 || c != 'g') {
		snprintf(err, errlen, "no permission to start from the sender: destroyed");
		return -1;
	}
	snprintf(incoming, sizeof(incoming), "%s", r->cfg.name);
	rc = xl_dom_rename(r->dom.domid, incoming, r->final_name);
	if (rc) {
		snprintf(err, errlen, "renaming %s to %s: %s", incoming,
			 r->final_name, strerror(-rc));
		return -1;
	}
	snprintf(r->cfg.name, sizeof(r->cfg.name), "%s", r->final_name);
	snprintf(r->dom.name, sizeof(r->dom.name), "%s", r->final_name);
	xl_dom_config_write(r->dom.domid, &r->cfg);
	return 0;
}

/*
 * SIGINT/SIGTERM/SIGHUP: destroy the domain (xl destroy comes this way),
 * at once, whatever state it is in; the runner finds it gone.
 */
static void *signal_thread(void *arg)
{
	struct runner *r = arg;
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	for (;;) {
		if (sigwait(&set, &sig))
			continue;
		pthread_mutex_lock(&r->lock);
		r->stop = true;
		pthread_cond_broadcast(&r->stopped);
		pthread_mutex_unlock(&r->lock);
		xc_domain_destroy(r->xch, r->dom.domid);
	}
	return NULL;
}

static enum tl_action action_for(const struct tl_domain_config *cfg,
				 enum xl_outcome o)
{
	switch (o) {
	case XL_OUT_POWEROFF:
		return cfg->on_poweroff;
	case XL_OUT_REBOOT:
		return cfg->on_reboot;
	case XL_OUT_CRASH:
		return cfg->on_crash;
	case XL_OUT_WATCHDOG:
		return cfg->on_watchdog;
	default:
		return TL_ACTION_DESTROY;
	}
}

static int exit_status(enum xl_outcome o)
{
	switch (o) {
	case XL_OUT_POWEROFF:
	case XL_OUT_REBOOT:
		return XL_EXIT_OK;
	case XL_OUT_WATCHDOG:
		return XL_EXIT_WATCHDOG;
	case XL_OUT_DESTROYED:
		return XL_EXIT_DESTROYED;
	default:
		return XL_EXIT_CRASH;
	}
}

static const char *outcome_name(enum xl_outcome o)
{
	static const char *const names[] = {
		[XL_OUT_POWEROFF] = "poweroff", [XL_OUT_REBOOT] = "reboot",
		[XL_OUT_CRASH] = "crash", [XL_OUT_WATCHDOG] = "watchdog",
		[XL_OUT_SOFT_RESET] = "soft_reset",
		[XL_OUT_DESTROYED] = "destroyed",
	};

	return names[o];
}

/* The guest's shutdown reason as an outcome; an unknown one is a crash. */
static enum xl_outcome outcome_of(unsigned int reason)
{
	switch (reason) {
	case SHUTDOWN_poweroff:
		return XL_OUT_POWEROFF;
	case SHUTDOWN_reboot:
		return XL_OUT_REBOOT;
	case SHUTDOWN_watchdog:
		return XL_OUT_WATCHDOG;
	case SHUTDOWN_soft_reset:
		return XL_OUT_SOFT_RESET;
	}
	return XL_OUT_CRASH;
}

static void console_line(struct runner *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void console_line(struct runner *r, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int i, n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (i = 0; i < 2; i++)
		if (r->console_fds[i] >= 0 && n > 0)
			(void)!write(r->console_fds[i], buf, n);
}

static void set_state(struct runner *r, const char *state)
{
	snprintf(r->dom.state, sizeof(r->dom.state), "%s", state);
	xl_dom_write(&r->dom);
}

/* Waits for a destroy request while a preserved domain is kept. */
static void hold_preserved(struct runner *r)
{
	console_line(r, "(tern-xl) domain %s preserved; tern-xl destroy %s removes it\n",
		     r->cfg.name, r->cfg.name);
	pthread_mutex_lock(&r->lock);
	while (!r->stop)
		pthread_cond_wait(&r->stopped, &r->lock);
	pthread_mutex_unlock(&r->lock);
}

/*
 * Follows the running domain until it shuts down for good or is gone.  A
 * suspend keeps it, shown as suspended in tern-xl list (xl's 's'), with
 * @releaseDomain fired as for any shutdown, until it resumes (RESUME
 * re-arms the watch) or is destroyed.
 */
static enum xl_outcome follow(struct runner *r)
{
	struct hv_domctl_getdomaininfo info;
	uint32_t flags = 0, reason;
	bool suspended = false;

	for (;;) {
		if (xc_domain_wait_change(r->xch, r->dom.domid, &flags, &info) ||
		    (flags & XEN_DOMINF_dying))
			return XL_OUT_DESTROYED;
		reason = (flags >> XEN_DOMINF_shutdownshift) &
			 XEN_DOMINF_shutdownmask;
		if ((flags & XEN_DOMINF_shutdown) && reason != SHUTDOWN_suspend)
			return outcome_of(reason);
		if ((flags & XEN_DOMINF_shutdown) && !suspended) {
			suspended = true;
			/* Listed first: whoever @releaseDomain wakes sees it. */
			set_state(r, "suspended");
			xl_store_domain_shutdown(&r->store);
			console_line(r, "(tern-xl) domain %s (id %u): suspended; tern-xl resume or destroy %s\n",
				     r->cfg.name, r->dom.domid, r->cfg.name);
		} else if (!(flags & XEN_DOMINF_shutdown) && suspended) {
			suspended = false;
			xl_store_domain_resume(&r->store);
			set_state(r, "running");
			console_line(r, "(tern-xl) domain %s (id %u): resumed\n",
				     r->cfg.name, r->dom.domid);
		}
	}
}

/* One life of the domain: built, started, followed to its end. */
static int one_life(struct runner *r, enum xl_outcome *o, char *err,
		    size_t errlen)
{
	struct xg_dom dom;
	int rc;

	xg_dom_init(&dom);
	dom.kernel = r->cfg.kernel;
	dom.cmdline = r->cfg.cmdline;
	dom.domid = r->dom.domid;
	dom.nr_pages = r->cfg.target_memkb >> (XG_PAGE_SHIFT - 10);
	dom.nr_vcpus = r->cfg.vcpus;
	dom.seed = xg_dom_seed();
	dom.console_fds[0] = r->console_fds[0];
	dom.console_fds[1] = r->console_fds[1];
	dom.verbose = xl_verbose;
	/*
	 * Its nodes first, as libxl's domain_make writes them: for a guest
	 * migrating in that is done while the source still runs, not in
	 * the downtime.
	 */
	if (xl_store_domain_make(&r->store, &r->cfg, r->dom.domid, err, errlen))
		return -1;
	if (r->restore_in)
		rc = xl_restore_build_in(r->xch, r->restore_in, "the migration stream",
					 false, &r->cfg, &dom, err, errlen);
	else if (r->restore_file)
		rc = xl_restore_build(r->xch, r->restore_file, &r->cfg, &dom,
				      err, errlen);
	else
		rc = xg_dom_build(r->xch, &dom, err, errlen);
	if (r->restore_in) {
		close(r->restore_in->fd);
		xg_sr_in_free(r->restore_in);
	}
	if (rc) {
		xl_store_domain_down(&r->store);
		return -1;
	}
	/* A reboot builds it afresh from its kernel, as xl does. */
	r->restore_file = NULL;
	r->restore_in = NULL;
	/* Its rings, before its first instruction. */
	rc = xl_store_domain_introduce(&r->store, r->xch, &dom, err, errlen);
	r->dom.suspend_cancel = dom.elf.suspend_cancel;
	if (rc)
		goto fail;
	if (r->go_fd >= 0 && wait_go(r, err, errlen)) {
		xl_store_domain_down(&r->store);
		goto fail;
	}
	rc = xc_domain_unpause(r->xch, r->dom.domid);
	if (rc) {
		snprintf(err, errlen, "starting vCPU 0: %s", strerror(-rc));
		xl_store_domain_down(&r->store);
		goto fail;
	}
	r->dom.boot++;
	set_state(r, "running");
	notify(r, "ok");
	if (r->go_fd >= 0) {
		(void)!write(r->go_fd, "ok", 2);
		close(r->go_fd);
		r->go_fd = -1;
	}
	/*
	 * The builder's mapping of the guest's memory goes only now: tearing
	 * down a large mapping takes tens of ms, which a migrated guest
	 * would otherwise wait for before it runs.
	 */
	xg_dom_release(&dom);
	*o = follow(r);
	return 0;
fail:
	xg_dom_release(&dom);
	xc_domain_destroy(r->xch, r->dom.domid);
	return -1;
}

/* Runs the domain, restarting it as on_reboot/on_crash say; returns status. */
static int run_domain(struct runner *r)
{
	char err[1024];
	enum xl_outcome o = XL_OUT_DESTROYED;
	enum tl_action act;

	for (;;) {
		if (r->stop)
			return XL_EXIT_DESTROYED;
		if (one_life(r, &o, err, sizeof(err))) {
			if (r->stop)
				return XL_EXIT_DESTROYED;
			fail(r, err);
			return XL_EXIT_ERROR;
		}
		if (o != XL_OUT_DESTROYED)
			xl_store_domain_shutdown(&r->store);
		act = action_for(&r->cfg, o);
		console_line(r, "(tern-xl) domain %s (id %u): %s, action %s\n",
			     r->cfg.name, r->dom.domid, outcome_name(o),
			     o == XL_OUT_DESTROYED ? "destroy" : tl_action_xl_name(act));
		if (act == TL_ACTION_PRESERVE && o != XL_OUT_DESTROYED) {
			set_state(r, outcome_name(o));
			hold_preserved(r);
		}
		xc_domain_destroy(r->xch, r->dom.domid);
		xl_store_domain_down(&r->store);
		if (r->stop || o == XL_OUT_DESTROYED ||
		    (act != TL_ACTION_RESTART && act != TL_ACTION_RESTART_RENAME))
			break;
	}
	return exit_status(o);
}

/*
 * create -c: the console holds the write end of this pipe.  It writes
 * 'd' before it detaches; an end of file without it means the console
 * died, and the domain goes with it, as with a foreground process.
 */
static void *parent_watch(void *arg)
{
	struct runner *r = arg;
	char c = 0;
	ssize_t n;

	do
		n = read(r->parent_fd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n <= 0 || c != 'd')
		kill(getpid(), SIGTERM);
	return NULL;
}

static int start_runner(struct runner *r)
{
	pthread_t t;
	sigset_t set;
	char err[512];
	int status;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->stopped, NULL);
	xl_store_init(&r->store);
	r->xch = xc_interface_open_local();
	if (!r->xch || hv_init(err, sizeof(err))) {
		fail(r, r->xch ? err : "out of memory");
		return XL_EXIT_ERROR;
	}
	pthread_create(&t, NULL, signal_thread, r);
	if (r->parent_fd >= 0)
		pthread_create(&t, NULL, parent_watch, r);
	if (xl_control_start(r->dom.domid))
		fprintf(stderr, "tern-xl: no control socket (tern-xl stats will not work): %s\n",
			strerror(errno));
	status = run_domain(r);
	xl_control_stop(r->dom.domid);
	xl_dom_forget(r->dom.domid);
	return status;
}

/*
 * xl create's arguments: options, the config file, then overrides, each
 * one "key=value" (anything else is refused, as xl refuses a second
 * file name).
 */
static int parse_args(int argc, char **argv, struct tl_domain_config *cfg,
		      bool *console)
{
	char err[1024];
	int i = 1, k;

	*console = false;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-c")) {
			*console = true;
		} else {
			fprintf(stderr, "tern-xl: create: unknown option '%s'\n", argv[i]);
			return -1;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "usage: tern-xl create [-c] <config> [key=value ...]\n");
		return -1;
	}
	for (k = i + 1; k < argc; k++)
		if (!strchr(argv[k], '=')) {
			fprintf(stderr, "tern-xl: create: '%s' after the config file is not key=value\n",
				argv[k]);
			return -1;
		}
	if (xl_parse_config_file(cfg, argv[i], argv + i + 1, argc - i - 1,
				 err, sizeof(err))) {
		fprintf(stderr, "tern-xl: %s\n", err);
		return -1;
	}
	return 0;
}

/* MemAvailable in KiB, or 0 if /proc/meminfo does not say. */
static uint64_t mem_available_kb(void)
{
	char line[128];
	uint64_t kb = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %" SCNu64 " kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/*
 * The limits on memory, before anything is built: the kernel image's
 * (xg_dom_check), then the host's.  A sixteenth of what is available
 * stays with the host and the hypervisor's own tables.
 */
static int check_memory(const struct tl_domain_config *cfg, bool restore)
{
	uint64_t avail = mem_available_kb(), mb = cfg->target_memkb >> 10;
	struct xg_elf_info info;
	char err[1024];

	/* A restore needs no kernel image: its memory is in the file. */
	if (!restore && xg_dom_check(cfg->kernel, cfg->target_memkb >> (XG_PAGE_SHIFT - 10),
			 &info, err, sizeof(err))) {
		fprintf(stderr, "tern-xl: %s\n", err);
		return -1;
	}
	if (avail && cfg->target_memkb > avail - avail / 16) {
		fprintf(stderr, "tern-xl: memory = %" PRIu64 " MiB is more than this host can give: %" PRIu64 " MiB (MemAvailable %" PRIu64 " MiB, less a sixteenth kept for the host)\n",
			mb, (avail - avail / 16) >> 10, avail >> 10);
		return -1;
	}
	return 0;
}

static int open_console_log(unsigned int domid)
{
	char path[600];

	xl_console_path(domid, path, sizeof(path));
	return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC,
		    0600);
}

static int prepare(struct runner *r)
{
	struct xl_dom other;
	int domid;

	domid = xl_alloc_domid(r->cfg.name, &other);
	if (domid == -2) {
		fprintf(stderr, "tern-xl: domain '%s' already exists (id %u)\n",
			r->cfg.name, other.domid);
		return -1;
	}
	if (domid < 0) {
		fprintf(stderr, "tern-xl: cannot allocate a domain id in %s: %s\n",
			xl_run_dir(), strerror(errno));
		return -1;
	}
	if (!r->cfg.uuid[0])
		tl_uuid_generate(r->cfg.uuid);
	memset(&r->dom, 0, sizeof(r->dom));
	snprintf(r->dom.name, sizeof(r->dom.name), "%s", r->cfg.name);
	r->dom.domid = domid;
	r->dom.pid = getpid();
	r->dom.pid_start = xl_proc_start(r->dom.pid);
	r->dom.memory_mb = r->cfg.target_memkb >> 10;
	r->dom.vcpus = r->cfg.vcpus;
	r->dom.started = time(NULL);
	snprintf(r->dom.state, sizeof(r->dom.state), "building");
	xl_dom_write(&r->dom);
	if (xl_dom_config_write(domid, &r->cfg))
		fprintf(stderr, "tern-xl: writing %s/%d.json: %s (list -l will not show it)\n",
			xl_run_dir(), domid, strerror(errno));
	r->console_fds[0] = open_console_log(domid);
	if (r->console_fds[0] < 0) {
		fprintf(stderr, "tern-xl: the console log in %s: %s\n",
			xl_run_dir(), strerror(errno));
		xl_dom_forget(domid);
		return -1;
	}
	return 0;
}

/* The parent's side of a background create: wait for "ok" or an error. */
static int wait_for_child(struct runner *r, int fd, pid_t child)
{
	char msg[1100];
	ssize_t n = read(fd, msg, sizeof(msg) - 1);

	close(fd);
	if (n == 2 && !memcmp(msg, "ok", 2)) {
		printf("%s domain %s (id=%u)\n",
		       r->restore_file ? "Restored" : "Started", r->cfg.name,
		       r->dom.domid);
		return XL_EXIT_OK;
	}
	if (n <= 0)
		fprintf(stderr, "tern-xl: the domain process %d died while building\n",
			(int)child);
	else
		fprintf(stderr, "tern-xl: %.*s\n", (int)n, msg);
	/* It cleans up after itself: only then is nothing of it left. */
	waitpid(child, NULL, 0);
	xl_dom_forget(r->dom.domid);
	return XL_EXIT_ERROR;
}

/* ---- create -c: the parent is the domain's console ---- */

struct console_parent {
	pid_t child;
	int notify_fd;		/* "ok" or why building failed, from the child */
	int status;		/* the child's, once it has ended */
	bool ended;
};

static volatile sig_atomic_t forward_sig;

static void on_forward(int sig)
{
	forward_sig = sig;
}

/* Whether the child has ended; passes a destroy on, reads its news. */
static bool child_ended(void *arg)
{
	struct console_parent *cp = arg;
	struct pollfd p = { .fd = cp->notify_fd, .events = POLLIN };
	char msg[1100];
	ssize_t n;
	int st;

	if (forward_sig) {
		kill(cp->child, SIGTERM);
		forward_sig = 0;
	}
	if (cp->notify_fd >= 0 && poll(&p, 1, 0) > 0) {
		n = read(cp->notify_fd, msg, sizeof(msg) - 1);
		/* Building failed: the reason goes to stderr, on a line of its own. */
		if (n > 0 && (n != 2 || memcmp(msg, "ok", 2))) {
			xl_console_restore();
			fprintf(stderr, "tern-xl: %.*s\n", (int)n, msg);
		}
		close(cp->notify_fd);
		cp->notify_fd = -1;
	}
	if (waitpid(cp->child, &st, WNOHANG) != cp->child)
		return false;
	cp->status = WIFEXITED(st) ? WEXITSTATUS(st) : XL_EXIT_ERROR;
	cp->ended = true;
	return true;
}

static int console_parent(struct runner *r, int notify_fd, int watch_fd,
			  pid_t child)
{
	struct console_parent cp = { .child = child, .notify_fd = notify_fd };
	struct sigaction sa = { .sa_handler = on_forward };
	enum xl_console_end end;
	char path[600];
	int log;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* Ctrl-C is the guest's, never a way to end it. */
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	xl_console_path(r->dom.domid, path, sizeof(path));
	log = open(path, O_RDONLY | O_CLOEXEC);
	if (log < 0) {
		fprintf(stderr, "tern-xl: %s: %s\n", path, strerror(errno));
		kill(child, SIGTERM);
		waitpid(child, NULL, 0);
		return XL_EXIT_ERROR;
	}
	end = xl_console_follow(log, child_ended, &cp);
	close(log);
	if (end == XL_CONSOLE_DETACHED) {
		(void)!write(watch_fd, "d", 1);
		fprintf(stderr, "\n(tern-xl) detached from %s (id %u), which runs on: tern-xl console %s\n",
			r->cfg.name, r->dom.domid, r->cfg.name);
		return XL_EXIT_OK;
	}
	/* stdout failed: the domain goes, as with a foreground process. */
	if (!cp.ended) {
		kill(child, SIGTERM);
		while (!child_ended(&cp))
			poll(NULL, 0, 50);
	}
	return cp.status;
}

int main_create(int argc, char **argv)
{
	struct tl_domain_config cfg;
	bool console;

	if (parse_args(argc, argv, &cfg, &console))
		return XL_EXIT_ERROR;
	return xl_create_domain(&cfg, console, NULL);
}

/*
 * In the forked child: a session of its own, its pid in the run dir as
 * the domain's process, stdin and stdout closed and stderr into the
 * console log; notify_fd tells the parent when the guest runs.
 */
static void become_domain_process(struct runner *r, int notify_fd)
{
	setsid();
	r->notify_fd = notify_fd;
	r->dom.pid = getpid();
	r->dom.pid_start = xl_proc_start(r->dom.pid);
	xl_dom_write(&r->dom);
	freopen("/dev/null", "r", stdin);
	freopen("/dev/null", "w", stdout);
	dup2(r->console_fds[0], 2);
}

int xl_create_domain(const struct tl_domain_config *cfg, bool console,
		     const char *restore_file)
{
	static struct runner r;
	int pfd[2], wfd[2] = { -1, -1 };
	pid_t pid;

	r.cfg = *cfg;
	r.restore_file = restore_file;
	r.console_fds[0] = r.console_fds[1] = -1;
	r.notify_fd = -1;
	r.parent_fd = -1;
	r.go_fd = -1;
	if (check_memory(&r.cfg, restore_file) || prepare(&r))
		return XL_EXIT_ERROR;
	if (pipe2(pfd, O_CLOEXEC) || (console && pipe2(wfd, O_CLOEXEC))) {
		perror("tern-xl: pipe");
		xl_dom_forget(r.dom.domid);
		return XL_EXIT_ERROR;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("tern-xl: fork");
		xl_dom_forget(r.dom.domid);
		return XL_EXIT_ERROR;
	}
	if (pid > 0) {
		close(pfd[1]);
		close(r.console_fds[0]);
		if (!console)
			return wait_for_child(&r, pfd[0], pid);
		close(wfd[0]);
		return console_parent(&r, pfd[0], wfd[1], pid);
	}
	close(pfd[0]);
	if (console) {
		close(wfd[1]);
		r.parent_fd = wfd[0];
	}
	become_domain_process(&r, pfd[1]);
	return start_runner(&r);
}

/* ---- migrate-receive: a domain restored from a stream, started on "go" ---- */

int xl_receive_domain(const struct tl_domain_config *cfg,
		      const char *final_name, struct xg_sr_in *in, int chan,
		      struct xl_incoming *inc)
{
	static struct runner r;
	int pfd[2], sv[2];
	char msg[1100];
	ssize_t n;
	pid_t pid;

	memset(inc, 0, sizeof(*inc));
	inc->sock = -1;
	r.cfg = *cfg;
	r.restore_in = in;
	snprintf(r.final_name, sizeof(r.final_name), "%s", final_name);
	r.console_fds[0] = r.console_fds[1] = -1;
	r.notify_fd = -1;
	r.parent_fd = -1;
	r.go_fd = -1;
	if (check_memory(&r.cfg, true) || prepare(&r))
		return -1;
	if (pipe2(pfd, O_CLOEXEC) ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		perror("tern-xl: pipe");
		xl_dom_forget(r.dom.domid);
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		perror("tern-xl: fork");
		xl_dom_forget(r.dom.domid);
		return -1;
	}
	if (pid == 0) {
		close(pfd[0]);
		close(sv[0]);
		if (chan > 2)
			close(chan);
		r.go_fd = sv[1];
		become_domain_process(&r, pfd[1]);
		exit(start_runner(&r));
	}
	close(pfd[1]);
	close(sv[1]);
	close(r.console_fds[0]);
	inc->pid = pid;
	inc->domid = r.dom.domid;
	inc->sock = sv[0];
	do
		n = read(pfd[0], msg, sizeof(msg) - 1);
	while (n < 0 && errno == EINTR);
	close(pfd[0]);
	if (n == 2 && !memcmp(msg, "ok", 2))
		return 0;
	if (n <= 0)
		fprintf(stderr, "tern-xl: the domain process %d died while restoring\n",
			(int)pid);
	else
		fprintf(stderr, "tern-xl: %.*s\n", (int)n, msg);
	xl_incoming_abort(inc);
	return -1;
}

int xl_incoming_go(struct xl_incoming *inc, char *err, size_t errlen)
{
	char msg[1100];
	ssize_t n;

	if (write(inc->sock, "g", 1) != 1) {
		snprintf(err, errlen, "the domain process is gone: %s",
			 strerror(errno));
		return -1;
	}
	do
		n = read(inc->sock, msg, sizeof(msg) - 1);
	while (n < 0 && errno == EINTR);
	if (n == 2 && !memcmp(msg, "ok", 2))
		return 0;
	snprintf(err, errlen, "%.*s", n > 0 ? (int)n : 0,
		 n > 0 ? msg : "");
	if (n <= 0)
		snprintf(err, errlen, "the domain process died while starting the domain");
	return -1;
}

void xl_incoming_abort(struct xl_incoming *inc)
{
	if (inc->sock >= 0)
		close(inc->sock);
	inc->sock = -1;
	if (inc->pid > 0) {
		/* It destroys its domain and cleans up, then ends. */
		waitpid(inc->pid, NULL, 0);
		xl_dom_forget(inc->domid);
	}
	inc->pid = 0;
}
