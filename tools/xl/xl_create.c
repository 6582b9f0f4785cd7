// SPDX-License-Identifier: MIT
/*
 * tern-xl create.  The process that runs `create` becomes the domain's
 * hypervisor: with -c it stays in the foreground with the guest's console
 * on stdout and exits with a status that says how the guest ended; without
 * -c it forks, the child runs the domain in the background (console into
 * the run directory's log) and the parent returns once the guest runs.
 *
 * Exit status: 0 poweroff (or reboot with on_reboot=destroy), 1 error,
 * 2 crash, 3 destroyed, 4 suspended with nobody to save it, 5 watchdog.
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
#include "hv/hv.h"

struct runner {
	struct hv_config cfg;
	int console_fds[2];
	int notify_fd;			/* to the waiting parent, or -1 */
	pthread_mutex_t lock;
	pthread_cond_t stopped;		/* signalled when stop is set */
	struct hv_domain *d;		/* the domain running now */
	struct xl_control control;	/* <domid>.ctl for tern-xl stats */
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

/* SIGINT/SIGTERM/SIGHUP: destroy the domain (xl destroy comes this way). */
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
		if (r->d)
			hv_domain_destroy(r->d);
		pthread_mutex_unlock(&r->lock);
	}
	return NULL;
}

static enum hv_action action_for(const struct hv_config *cfg,
				 enum hv_outcome o)
{
	switch (o) {
	case HV_OUT_POWEROFF:
		return cfg->on_poweroff;
	case HV_OUT_REBOOT:
		return cfg->on_reboot;
	case HV_OUT_CRASH:
		return cfg->on_crash;
	case HV_OUT_WATCHDOG:
		return cfg->on_watchdog;
	default:
		return HV_ACTION_DESTROY;
	}
}

static int exit_status(enum hv_outcome o)
{
	switch (o) {
	case HV_OUT_POWEROFF:
	case HV_OUT_REBOOT:
		return XL_EXIT_OK;
	case HV_OUT_SUSPEND:
		return XL_EXIT_SUSPEND;
	case HV_OUT_WATCHDOG:
		return XL_EXIT_WATCHDOG;
	case HV_OUT_DESTROYED:
		return XL_EXIT_DESTROYED;
	default:
		return XL_EXIT_CRASH;
	}
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
static void hold_preserved(struct runner *r, struct hv_domain *d)
{
	console_line(r, "(tern-xl) domain %s preserved; tern-xl destroy %s removes it\n",
		     r->cfg.name, r->cfg.name);
	pthread_mutex_lock(&r->lock);
	while (!r->stop)
		pthread_cond_wait(&r->stopped, &r->lock);
	pthread_mutex_unlock(&r->lock);
}

/* Runs the domain, restarting it as on_reboot/on_crash say; returns status. */
static int run_domain(struct runner *r)
{
	char err[1024];
	enum hv_outcome o = HV_OUT_DESTROYED;
	enum hv_action act;
	struct hv_domain *d;

	for (;;) {
		d = hv_domain_create(&r->cfg, r->dom.domid, r->console_fds[0],
				     err, sizeof(err));
		if (!d) {
			fail(r, err);
			return XL_EXIT_ERROR;
		}
		if (r->console_fds[1] >= 0)
			hv_domain_add_console(d, r->console_fds[1]);
		/* Its nodes and its ring, before its first instruction. */
		if (xl_store_domain_up(&r->store, &r->cfg, r->dom.domid, d,
				       err, sizeof(err))) {
			hv_domain_free(d);
			fail(r, err);
			return XL_EXIT_ERROR;
		}
		pthread_mutex_lock(&r->lock);
		r->d = d;
		pthread_mutex_unlock(&r->lock);
		if (r->stop || hv_domain_start(d, err, sizeof(err))) {
			pthread_mutex_lock(&r->lock);
			r->d = NULL;
			pthread_mutex_unlock(&r->lock);
			xl_store_domain_down(&r->store);
			hv_domain_free(d);
			if (!r->stop)
				fail(r, err);
			return r->stop ? XL_EXIT_DESTROYED : XL_EXIT_ERROR;
		}
		r->dom.boot++;
		set_state(r, "running");
		notify(r, "ok");
		o = hv_domain_wait(d);
		if (o != HV_OUT_DESTROYED)
			xl_store_domain_shutdown(&r->store);
		act = action_for(&r->cfg, o);
		console_line(r, "(tern-xl) domain %s (id %u): %s, action %s\n",
			     r->cfg.name, r->dom.domid, hv_outcome_name(o),
			     o == HV_OUT_DESTROYED ? "destroy" : hv_action_name(act));
		if (act == HV_ACTION_PRESERVE && o != HV_OUT_DESTROYED) {
			set_state(r, hv_outcome_name(o));
			hold_preserved(r, d);
		}
		pthread_mutex_lock(&r->lock);
		r->d = NULL;
		pthread_mutex_unlock(&r->lock);
		xl_store_domain_down(&r->store);
		hv_domain_free(d);
		if (r->stop || o == HV_OUT_DESTROYED ||
		    (act != HV_ACTION_RESTART && act != HV_ACTION_RENAME_RESTART))
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
	if (hv_init(err, sizeof(err))) {
		fail(r, err);
		return XL_EXIT_ERROR;
	}
	pthread_create(&t, NULL, signal_thread, r);
	r->control.lock = &r->lock;
	r->control.domain = &r->d;
	if (xl_control_start(&r->control, r->dom.domid))
		fprintf(stderr, "tern-xl: no control socket (tern-xl stats will not work): %s\n",
			strerror(errno));
	status = run_domain(r);
	xl_control_stop(r->dom.domid);
	xl_dom_remove(r->dom.domid);
	return status;
}

static int parse_args(int argc, char **argv, struct hv_config *cfg,
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
	hv_config_init(cfg);
	if (hv_config_parse_file(cfg, argv[i], err, sizeof(err)))
		goto bad;
	for (i++; i < argc; i++)
		if (hv_config_set(cfg, argv[i], err, sizeof(err)))
			goto bad;
	if (hv_config_validate(cfg, err, sizeof(err)))
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
