// SPDX-License-Identifier: MIT
/*
 * tern-xl create.  The process that runs `create` becomes the domain's
 * hypervisor: with -c it stays in the foreground with the guest's console
 * on stdout and exits with a status that says how the guest ended; without
 * -c it forks, the child runs the domain in the background (console into
 * the run directory's log) and the parent returns once the guest runs.
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
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xl.h"
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
	struct xlu_config cfg;
	int console_fds[2];
	int notify_fd;			/* to the waiting parent, or -1 */
	xc_interface *xch;		/* this process's hypervisor */
	pthread_mutex_t lock;
	pthread_cond_t stopped;		/* signalled when stop is set */
	bool stop;			/* destroy requested */
	struct xl_dom dom;
	struct xl_store store;		/* the domain's xenstore */
};

static void notify(struct runner *r, const char *msg)
{
	if (r->notify_fd < 0)
		return;
	(void)!write(r->notify_fd, msg, strlen(msg));
	close(r->notify_fd);
	r->notify_fd = -1;
}

static void fail(struct runner *r, const char *msg)
{
	fprintf(stderr, "tern-xl: %s\n", msg);
	notify(r, msg);
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

static enum xlu_action action_for(const struct xlu_config *cfg,
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
		return XLU_ACTION_DESTROY;
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
	dom.nr_pages = (uint64_t)r->cfg.memory_mb << (20 - XG_PAGE_SHIFT);
	dom.nr_vcpus = r->cfg.vcpus;
	dom.seed = xg_dom_seed();
	dom.console_fds[0] = r->console_fds[0];
	dom.console_fds[1] = r->console_fds[1];
	dom.verbose = xl_verbose;
	if (xg_dom_build(r->xch, &dom, err, errlen))
		return -1;
	/* Its nodes and its ring, before its first instruction. */
	rc = xl_store_domain_up(&r->store, &r->cfg, r->xch, &dom, err, errlen);
	r->dom.suspend_cancel = dom.elf.suspend_cancel;
	xg_dom_release(&dom);
	if (rc)
		goto fail;
	rc = xc_domain_unpause(r->xch, r->dom.domid);
	if (rc) {
		snprintf(err, errlen, "starting vCPU 0: %s", strerror(-rc));
		xl_store_domain_down(&r->store);
		goto fail;
	}
	r->dom.boot++;
	set_state(r, "running");
	notify(r, "ok");
	*o = follow(r);
	return 0;
fail:
	xc_domain_destroy(r->xch, r->dom.domid);
	return -1;
}

/* Runs the domain, restarting it as on_reboot/on_crash say; returns status. */
static int run_domain(struct runner *r)
{
	char err[1024];
	enum xl_outcome o = XL_OUT_DESTROYED;
	enum xlu_action act;

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
			     o == XL_OUT_DESTROYED ? "destroy" : xlu_action_name(act));
		if (act == XLU_ACTION_PRESERVE && o != XL_OUT_DESTROYED) {
			set_state(r, outcome_name(o));
			hold_preserved(r);
		}
		xc_domain_destroy(r->xch, r->dom.domid);
		xl_store_domain_down(&r->store);
		if (r->stop || o == XL_OUT_DESTROYED ||
		    (act != XLU_ACTION_RESTART && act != XLU_ACTION_RENAME_RESTART))
			break;
	}
	return exit_status(o);
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
	if (xl_control_start(r->dom.domid))
		fprintf(stderr, "tern-xl: no control socket (tern-xl stats will not work): %s\n",
			strerror(errno));
	status = run_domain(r);
	xl_control_stop(r->dom.domid);
	xl_dom_remove(r->dom.domid);
	return status;
}

static int parse_args(int argc, char **argv, struct xlu_config *cfg,
		      bool *console)
{
	char err[1024];
	int i = 1;

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
	xlu_config_init(cfg);
	if (xlu_config_parse_file(cfg, argv[i], err, sizeof(err)))
		goto bad;
	for (i++; i < argc; i++)
		if (xlu_config_set(cfg, argv[i], err, sizeof(err)))
			goto bad;
	if (xlu_config_validate(cfg, err, sizeof(err)))
		goto bad;
	return 0;
bad:
	fprintf(stderr, "tern-xl: %s\n", err);
	return -1;
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
	memset(&r->dom, 0, sizeof(r->dom));
	snprintf(r->dom.name, sizeof(r->dom.name), "%s", r->cfg.name);
	r->dom.domid = domid;
	r->dom.pid = getpid();
	r->dom.memory_mb = r->cfg.memory_mb;
	r->dom.vcpus = r->cfg.vcpus;
	r->dom.started = time(NULL);
	snprintf(r->dom.state, sizeof(r->dom.state), "building");
	xl_dom_write(&r->dom);
	r->console_fds[1] = open_console_log(domid);
	return 0;
}

/* The parent's side of a background create: wait for "ok" or an error. */
static int wait_for_child(struct runner *r, int fd, pid_t child)
{
	char msg[1100];
	ssize_t n = read(fd, msg, sizeof(msg) - 1);

	close(fd);
	if (n == 2 && !memcmp(msg, "ok", 2)) {
		printf("Started domain %s (id=%u)\n", r->cfg.name, r->dom.domid);
		return XL_EXIT_OK;
	}
	if (n <= 0)
		fprintf(stderr, "tern-xl: the domain process %d died while building\n",
			(int)child);
	else
		fprintf(stderr, "tern-xl: %.*s\n", (int)n, msg);
	xl_dom_remove(r->dom.domid);
	return XL_EXIT_ERROR;
}

int main_create(int argc, char **argv)
{
	static struct runner r;
	bool console;
	int pfd[2];
	pid_t pid;

	r.console_fds[0] = r.console_fds[1] = -1;
	r.notify_fd = -1;
	if (parse_args(argc, argv, &r.cfg, &console) || prepare(&r))
		return XL_EXIT_ERROR;
	if (console) {
		r.console_fds[0] = 1;
		return start_runner(&r);
	}
	if (pipe(pfd))
		return XL_EXIT_ERROR;
	pid = fork();
	if (pid < 0)
		return XL_EXIT_ERROR;
	if (pid > 0) {
		close(pfd[1]);
		return wait_for_child(&r, pfd[0], pid);
	}
	close(pfd[0]);
	setsid();
	r.notify_fd = pfd[1];
	r.dom.pid = getpid();
	xl_dom_write(&r.dom);
	r.console_fds[0] = r.console_fds[1];
	r.console_fds[1] = -1;
	freopen("/dev/null", "r", stdin);
	freopen("/dev/null", "w", stdout);
	dup2(r.console_fds[0], 2);
	return start_runner(&r);
}
