// SPDX-License-Identifier: MIT
/*
 * tern-xl save and restore, as xl's: the file is xl's save file (its
 * header and the domain's configuration as libxl's JSON, libxl's stream,
 * libxc's stream inside), so Xen's own tools read it.
 *
 * save [-c] [-p] [-t SECONDS] <domain> <file>.  The guest is asked to
 * suspend the way libxl asks a PV guest: control/shutdown = "suspend",
 * written only if it advertised control/feature-suspend; it acknowledges
 * by clearing the node, then suspends (SHUTDOWN_suspend).  Both within
 * the time limit, or the save fails: a request never acknowledged is
 * withdrawn, so it cannot fire later, and the guest runs on as before; a
 * guest that acknowledged but suspends only after the limit is resumed
 * if it does so within a few more seconds.  The suspended domain is then
 * read through its control socket and foreign mapping and written to a
 * file beside the target, synced, and renamed over it, with the
 * directory synced too: the target is either the old file or the whole
 * new one, never a part.  Then the domain is destroyed; with -c it goes
 * on in place (a checkpoint, rc 1 to the guest); with -p it stays
 * suspended.  A save that fails after the suspend resumes the guest in
 * place and leaves the target as it was.  SIGINT, SIGTERM and SIGHUP wait
 * until the guest is saved or back; SIGXFSZ (a file size limit) becomes
 * an error like any other write error.
 *
 * restore [-c] [-n] <file>.  The header and configuration are read here,
 * so a file that is not a save file, or whose configuration tern cannot
 * honour, is refused before anything exists.  Then create's machinery
 * takes over: a new process becomes the domain's hypervisor and restores
 * the stream into a new domain (xl_restore_build, in place of the
 * builder) on frames of its own scramble, under the saved name and UUID,
 * writes its xenstore nodes again, and lets it run.  A refused stream
 * leaves no process, no domain and no xenstore nodes.  -n reads and
 * checks the whole file and says what it holds, building nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <xenstore.h>

#include "xl.h"
#include "xl_saverestore.h"
#include "xl_store.h"
#include "tools/libs/light/tl_sr.h"
#include <xen/interface/sched.h>

#define DEFAULT_WAIT_S	60
#define LATE_GRACE_S	5	/* an acknowledged suspend may still come */
#define WATCH_TOKEN	"tern-xl-save"

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Whether the hypervisor has the domain shut down for suspend. */
static int suspended(xc_interface *xch, unsigned int domid, bool *yes)
{
	struct hv_domctl_getdomaininfo info;
	int rc = xc_domain_getinfo(xch, domid, &info);

	*yes = !rc && (info.flags & XEN_DOMINF_shutdown) &&
	       ((info.flags >> XEN_DOMINF_shutdownshift) &
		XEN_DOMINF_shutdownmask) == SHUTDOWN_suspend;
	if (!rc && (info.flags & XEN_DOMINF_shutdown) && !*yes)
		return -ESHUTDOWN;
	return rc;
}

/* ---- asking the guest to suspend ---- */

struct suspend {
	struct xs_handle *xs;
	xc_interface *xch;
	const struct xl_dom *dom;
	unsigned long limit;
	char path[128];			/* control/shutdown */
};

/* Sleeps until a watch fires or ms pass, and drains what fired. */
static void wait_watch(struct suspend *s, int ms)
{
	struct pollfd p = { .fd = xs_fileno(s->xs), .events = POLLIN };
	char **ev;

	if (poll(&p, 1, ms) <= 0)
		return;
	while ((ev = xs_check_watch(s->xs)))
		free(ev);
}

static bool acknowledged(struct suspend *s)
{
	unsigned int len;
	char *val = xs_read(s->xs, XBT_NULL, s->path, &len);
	bool acked = !val || strcmp(val, "suspend");

	free(val);
	return acked;
}

/* Until suspended, or the deadline; 0, or -ETIMEDOUT / -errno. */
static int wait_suspended(struct suspend *s, double deadline, bool *acked)
{
	bool yes;
	int rc;

	for (;;) {
		rc = suspended(s->xch, s->dom->domid, &yes);
		if (rc || yes)
			return rc;
		if (!*acked)
			*acked = acknowledged(s);
		if (now_s() >= deadline)
			return -ETIMEDOUT;
		/* A missed watch costs at most 10 ms. */
		wait_watch(s, 10);
	}
}

static int request_suspend(struct suspend *s, char *why, size_t whylen)
{
	char feature[128], *val;
	unsigned int len;
	bool acked = false;
	int rc;

	snprintf(feature, sizeof(feature),
		 "/local/domain/%u/control/feature-suspend", s->dom->domid);
	val = xs_read(s->xs, XBT_NULL, feature, &len);
	if (!val || strcmp(val, "1")) {
		snprintf(why, whylen, "the guest has not advertised control/feature-suspend (%s): it would not act on a suspend request",
			 val ? "not \"1\"" : strerror(errno));
		free(val);
		return -EOPNOTSUPP;
	}
	free(val);
	snprintf(s->path, sizeof(s->path), "/local/domain/%u/control/shutdown",
		 s->dom->domid);
	if (!xs_watch(s->xs, s->path, WATCH_TOKEN) ||
	    !xs_watch(s->xs, "@releaseDomain", WATCH_TOKEN)) {
		snprintf(why, whylen, "watching xenstore: %s", strerror(errno));
		return -errno;
	}
	if (xl_pvcontrol_write(s->xs, s->dom->domid, "suspend", why, whylen))
		return -EIO;
	rc = wait_suspended(s, now_s() + s->limit, &acked);
	if (rc != -ETIMEDOUT) {
		if (rc)
			snprintf(why, whylen, "%s", rc == -ESHUTDOWN ?
				 "it shut down instead of suspending" :
				 strerror(-rc));
		return rc;
	}
	if (!acked && xl_pvcontrol_withdraw(s->xs, s->dom->domid, "suspend")) {
		snprintf(why, whylen, "the guest did not acknowledge the suspend request within %lu s; request withdrawn, it runs on",
			 s->limit);
		return rc;
	}
	/* Acknowledged (or taken just now): it may still suspend; then it goes on. */
	rc = wait_suspended(s, now_s() + LATE_GRACE_S, &acked);
	if (!rc && !xl_fast_resume(s->xch, s->dom, why, whylen)) {
		snprintf(why, whylen, "the guest suspended only after the %lu s limit; resumed, it runs on",
			 s->limit);
		return -ETIMEDOUT;
	}
	snprintf(why, whylen, "the guest acknowledged the suspend request but has not suspended within %lu s",
		 s->limit);
	return -ETIMEDOUT;
}

void xl_wait_running(const struct xl_dom *dom)
{
	double end = now_s() + 10;
	struct xl_dom now;

	while (now_s() < end && !xl_dom_read(dom->domid, &now) &&
	       !strcmp(now.state, "suspended"))
		poll(NULL, 0, 5);
}

/*
 * Suspends a running domain as save does (control/shutdown, within limit
 * seconds): 0, or -errno with why; a domain suspended already is left so.
 * For other verbs that need the guest still (offline-page).
 */
int xl_suspend_domain(xc_interface *xch, const struct xl_dom *dom,
		      unsigned long limit, char *why, size_t whylen)
{
	struct suspend sp = { .xch = xch, .dom = dom, .limit = limit };
	bool yes;
	int rc;

	rc = suspended(xch, dom->domid, &yes);
	if (rc || yes) {
		if (rc)
			snprintf(why, whylen, "%s", rc == -ESHUTDOWN ?
				 "it has shut down" : strerror(-rc));
		return rc;
	}
	sp.xs = xl_store_open();
	if (!sp.xs) {
		snprintf(why, whylen, "no xenstore daemon: %s", strerror(errno));
		return -errno;
	}
	rc = request_suspend(&sp, why, whylen);
	xs_close(sp.xs);
	return rc;
}

/* Resumes in place (rc 1 to the guest) and waits until list says so. */
int xl_resume_domain(xc_interface *xch, const struct xl_dom *dom, char *why,
		     size_t whylen)
{
	int rc = xl_fast_resume(xch, dom, why, whylen);

	if (!rc)
		xl_wait_running(dom);
	return rc;
}

/* ---- the file ---- */

/* A new file beside path, for writing; its name into tmp. */
static int open_aside(const char *path, char *tmp, size_t len)
{
	char *copy = strdup(path), *dir, *base;
	mode_t mask = umask(0);
	int fd;

	umask(mask);
	if (!copy)
		return -1;
	dir = dirname(copy);
	base = basename((char *)path);
	snprintf(tmp, len, "%s/.%s.tern-save-XXXXXX", dir, base);
	free(copy);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd >= 0)
		fchmod(fd, 0644 & ~mask);
	return fd;
}

/* The new file in place of path: renamed, then the directory synced. */
static int put_in_place(const char *tmp, const char *path)
{
	char *copy = strdup(path);
	int dfd, rc;

	if (!copy)
		return -ENOMEM;
	if (rename(tmp, path)) {
		rc = -errno;
		free(copy);
		return rc;
	}
	dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

static int write_file(xc_interface *xch, int fd, const struct xl_dom *dom,
		      const struct tl_domain_config *cfg,
		      struct xg_sr_stats *st, char *err, size_t errlen)
{
	struct xg_sr_out o;
	int rc;

	if (xg_sr_out_init(&o, fd)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = tl_save_file_write_header(&o, cfg, err, errlen);
	if (!rc)
		rc = tl_stream_write(xch, &o, dom->domid, st, err, errlen);
	xg_sr_out_free(&o);
	if (!rc && fsync(fd)) {
		snprintf(err, errlen, "syncing the file: %s", strerror(errno));
		rc = -1;
	}
	return rc;
}

static int save_usage(void)
{
	fprintf(stderr, "usage: tern-xl save [-c] [-p] [-t SECONDS] <domain> <file>\n");
	return -1;
}

struct save {
	struct xl_dom dom;
	const char *file;
	bool checkpoint, leave_suspended;
	unsigned long limit;
	xc_interface *xch;
	struct tl_domain_config cfg;
	char tmp[4200];
	int fd;
	bool was_running;
};

static int save_args(struct save *s, int argc, char **argv)
{
	int opt;

	s->limit = DEFAULT_WAIT_S;
	optind = 1;
	while ((opt = getopt(argc, argv, "+cpt:")) != -1) {
		switch (opt) {
		case 'c':
			s->checkpoint = true;
			break;
		case 'p':
			s->leave_suspended = true;
			break;
		case 't':
			if (xl_parse_number("save", "-t", optarg, 86400,
					    "seconds, ", &s->limit))
				return -1;
			break;
		default:
			return save_usage();
		}
	}
	if (argc - optind != 2)
		return save_usage();
	if (s->checkpoint && s->leave_suspended) {
		fprintf(stderr, "tern-xl: save: -c resumes the guest, -p leaves it suspended: one of them\n");
		return -1;
	}
	s->file = argv[optind + 1];
	if (xl_dom_find(argv[optind], &s->dom)) {
		fprintf(stderr, "tern-xl: no domain '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

/* What can be checked before the guest is touched. */
static int save_prepare(struct save *s)
{
	char why[1024];
	bool yes;
	int rc;

	if (xl_dom_config_read(s->dom.domid, &s->cfg, why, sizeof(why))) {
		fprintf(stderr, "tern-xl: domain %s (id %u): its configuration: %s\n",
			s->dom.name, s->dom.domid, why);
		return -1;
	}
	if (s->checkpoint && !s->dom.suspend_cancel) {
		fprintf(stderr, "tern-xl: domain %s (id %u): its kernel has no SUSPEND_CANCEL note: it cannot go on in place after a checkpoint (save without -c)\n",
			s->dom.name, s->dom.domid);
		return -1;
	}
	s->xch = xl_control_open(&s->dom, why, sizeof(why));
	if (!s->xch) {
		fprintf(stderr, "tern-xl: domain %s %s\n", s->dom.name, why);
		return -1;
	}
	rc = suspended(s->xch, s->dom.domid, &yes);
	if (rc) {
		fprintf(stderr, "tern-xl: domain %s (id %u): %s\n", s->dom.name,
			s->dom.domid, rc == -ESHUTDOWN ? "it has shut down" :
			strerror(-rc));
		return -1;
	}
	s->was_running = !yes;
	s->fd = open_aside(s->file, s->tmp, sizeof(s->tmp));
	if (s->fd < 0) {
		fprintf(stderr, "tern-xl: cannot write beside %s: %s\n", s->file,
			strerror(errno));
		return -1;
	}
	return 0;
}

int xl_suspend_guest(xc_interface *xch, const struct xl_dom *dom,
		     unsigned long limit, char *why, size_t whylen)
{
	struct suspend sp = { .xch = xch, .dom = dom, .limit = limit };
	int rc;

	sp.xs = xl_store_open();
	if (!sp.xs) {
		snprintf(why, whylen, "no xenstore daemon: %s", strerror(errno));
		return -1;
	}
	rc = request_suspend(&sp, why, whylen);
	xs_close(sp.xs);
	return rc ? -1 : 0;
}

static int save_suspend(struct save *s)
{
	char why[1024];

	if (!s->was_running)
		return 0;
	if (xl_suspend_guest(s->xch, &s->dom, s->limit, why, sizeof(why))) {
		fprintf(stderr, "tern-xl: domain %s (id %u): %s\n", s->dom.name,
			s->dom.domid, why);
		return -1;
	}
	return 0;
}

/* The guest goes on in place, as it was before the save. */
static int resume_in_place(struct save *s, const char *after)
{
	char why[512];

	if (!s->dom.suspend_cancel) {
		fprintf(stderr, "tern-xl: domain %s (id %u) %s; its kernel cannot resume in place (no SUSPEND_CANCEL): it stays suspended\n",
			s->dom.name, s->dom.domid, after);
		return -1;
	}
	if (xl_fast_resume(s->xch, &s->dom, why, sizeof(why))) {
		fprintf(stderr, "tern-xl: domain %s (id %u) %s, and then %s\n",
			s->dom.name, s->dom.domid, after, why);
		return -1;
	}
	xl_wait_running(&s->dom);
	return 0;
}

int main_save(int argc, char **argv)
{
	struct save s = { .fd = -1 };
	struct xg_sr_stats st;
	sigset_t block, old;
	char err[1024];
	int status = XL_EXIT_OK, rc;

	if (save_args(&s, argc, argv) || save_prepare(&s)) {
		if (s.xch)
			xc_interface_close(s.xch);
		return XL_EXIT_ERROR;
	}
	/* From here the guest is ours to bring back: no signal stops us midway. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	signal(SIGXFSZ, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	if (save_suspend(&s)) {
		status = XL_EXIT_ERROR;
		goto out;
	}
	fprintf(stderr, "Saving to %s new xl format\n", s.file);
	rc = write_file(s.xch, s.fd, &s.dom, &s.cfg, &st, err, sizeof(err));
	if (!rc && (rc = put_in_place(s.tmp, s.file)))
		snprintf(err, sizeof(err), "renaming into %s: %s", s.file,
			 strerror(-rc));
	if (rc) {
		fprintf(stderr, "tern-xl: saving domain %s (id %u) failed: %s\n",
			s.dom.name, s.dom.domid, err);
		unlink(s.tmp);
		if (s.was_running && !resume_in_place(&s, "was not saved"))
			fprintf(stderr, "tern-xl: domain %s (id %u) resumed; %s is as it was\n",
				s.dom.name, s.dom.domid, s.file);
		status = XL_EXIT_ERROR;
		goto out;
	}
	if (xl_verbose)
		fprintf(stderr, "(tern-xl) saved %lu MiB in %.3f s: %lu pages, %lu pagetables (%lu entries made canonical in %.3f ms), %u vCPUs\n",
			(unsigned long)(st.bytes >> 20), st.total_ns / 1e9,
			(unsigned long)st.pages, (unsigned long)st.pagetables,
			(unsigned long)st.ptes, st.pt_ns / 1e6, st.vcpus);
	if (s.checkpoint) {
		if (resume_in_place(&s, "was saved"))
			status = XL_EXIT_ERROR;
		else
			printf("Checkpointed domain %s (id %u) to %s\n",
			       s.dom.name, s.dom.domid, s.file);
	} else if (s.leave_suspended) {
		printf("Saved domain %s (id %u) to %s; it stays suspended (tern-xl resume or destroy)\n",
		       s.dom.name, s.dom.domid, s.file);
	} else if (xl_dom_destroy(&s.dom)) {
		status = XL_EXIT_ERROR;
	} else {
		printf("Saved domain %s (id %u) to %s\n", s.dom.name,
		       s.dom.domid, s.file);
	}
out:
	if (s.fd >= 0)
		close(s.fd);
	if (status && access(s.tmp, F_OK) == 0)
		unlink(s.tmp);
	xc_interface_close(s.xch);
	fflush(stdout);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return status;
}

/* ---- restore ---- */

int xl_restore_build_in(xc_interface *xch, struct xg_sr_in *in,
			const char *source, bool whole_file,
			const struct tl_domain_config *cfg, struct xg_dom *dom,
			char *err, size_t errlen)
{
	struct xg_elf_info elf;
	struct xg_restore r;
	char why[1024];
	int rc, i;

	xg_restore_init(&r);
	r.domid = dom->domid;
	r.max_pages = cfg->target_memkb >> (XG_PAGE_SHIFT - 10);
	r.nr_vcpus = cfg->vcpus;
	if (getrandom(&r.seed, sizeof(r.seed), 0) != sizeof(r.seed))
		r.seed = (uint32_t)getpid() * 2654435761u ^ (uint32_t)time(NULL);
	for (i = 0; i < HV_CONSOLE_OUTPUTS; i++)
		r.console_fds[i] = dom->console_fds[i];
	r.source = source;
	r.audit = true;
	/* TERN_RESTORE_PREFILL=0: without it, for make bench's comparison. */
	r.prefill = !getenv("TERN_RESTORE_PREFILL") ||
		    strcmp(getenv("TERN_RESTORE_PREFILL"), "0");
	rc = tl_stream_read(xch, in, &r, why, sizeof(why));
	/* A file ends with the stream; a migration's channel goes on. */
	if (!rc && whole_file && (rc = xg_sr_in_at_end(in)) != 1) {
		snprintf(why, sizeof(why), "%s after the libxl END record at offset %lu",
			 rc < 0 ? strerror(-rc) : "more data", (unsigned long)in->offset);
		xg_restore_release(&r);
		xc_domain_destroy(xch, r.domid);
		rc = -1;
	} else if (rc == 1) {
		rc = 0;
	}
	if (rc) {
		snprintf(err, errlen, "%s: %s", source, why);
		return -1;
	}
	dom->mem = r.mem;
	dom->nr_pages = r.nr_pages;
	dom->store_mfn = r.store_mfn;
	dom->console_mfn = r.console_mfn;
	dom->store_evtchn = r.store_evtchn;
	dom->console_evtchn = r.console_evtchn;
	/* What the kernel can do is in its image, as when it was created. */
	if (!xg_dom_check(cfg->kernel, r.nr_pages, &elf, why, sizeof(why)))
		dom->elf = elf;
	if (xl_verbose)
		fprintf(stderr, "(hv) restored %lu MiB in %.3f s: %lu pages, %lu pagetables (%lu entries made local in %.3f ms), %u vCPUs, store_mfn %#lx store_evtchn %u console_mfn %#lx console_evtchn %u\n",
			(unsigned long)(r.stats.bytes >> 20),
			r.stats.total_ns / 1e9, (unsigned long)r.stats.pages,
			(unsigned long)r.stats.pagetables,
			(unsigned long)r.stats.ptes, r.stats.pt_ns / 1e6,
			r.stats.vcpus, (unsigned long)mfn_x(r.store_mfn),
			r.store_evtchn, (unsigned long)mfn_x(r.console_mfn),
			r.console_evtchn);
	return 0;
}

int xl_restore_build(xc_interface *xch, const char *file,
		     const struct tl_domain_config *cfg, struct xg_dom *dom,
		     char *err, size_t errlen)
{
	struct tl_domain_config saved;
	struct xg_sr_in in;
	char why[1024];
	bool have;
	int fd, rc;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || xg_sr_in_init_fd(&in, fd)) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	rc = tl_save_file_read_header(&in, &saved, &have, why, sizeof(why));
	if (rc)
		snprintf(err, errlen, "%s: %s", file, why);
	else
		rc = xl_restore_build_in(xch, &in, file, true, cfg, dom, err,
					 errlen);
	xg_sr_in_free(&in);
	close(fd);
	return rc;
}

/* restore -n: the whole file read and checked; what it holds, on stdout. */
static int dry_run(const char *file, struct xg_sr_in *in)
{
	struct xg_restore r;
	char err[1024];
	int rc;

	xg_restore_init(&r);
	r.dry_run = true;
	r.report = stdout;
	r.source = file;
	rc = tl_stream_read(NULL, in, &r, err, sizeof(err));
	if (!rc && (rc = xg_sr_in_at_end(in)) != 1) {
		snprintf(err, sizeof(err), "%s after the libxl END record at offset %lu",
			 rc < 0 ? strerror(-rc) : "more data",
			 (unsigned long)in->offset);
		rc = -1;
	} else if (rc == 1) {
		rc = 0;
	}
	if (rc) {
		fflush(stdout);
		fprintf(stderr, "tern-xl: %s: %s\n", file, err);
		return XL_EXIT_ERROR;
	}
	printf("%s: %lu pages (%lu pagetables, %lu entries), %u vCPUs, %lu bytes: every record read and checked\n",
	       file, (unsigned long)r.stats.pages,
	       (unsigned long)r.stats.pagetables, (unsigned long)r.stats.ptes,
	       r.stats.vcpus, (unsigned long)in->offset);
	return XL_EXIT_OK;
}

int main_restore(int argc, char **argv)
{
	struct tl_domain_config cfg;
	bool console = false, check = false, have;
	struct xg_sr_in in;
	const char *file;
	char err[1024];
	int opt, fd, status;

	optind = 1;
	while ((opt = getopt(argc, argv, "+cn")) != -1) {
		if (opt == 'c')
			console = true;
		else if (opt == 'n')
			check = true;
		else
			goto usage;
	}
	if (argc - optind != 1)
		goto usage;
	file = argv[optind];
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || xg_sr_in_init_fd(&in, fd)) {
		fprintf(stderr, "tern-xl: %s: %s\n", file, strerror(errno));
		if (fd >= 0)
			close(fd);
		return XL_EXIT_ERROR;
	}
	tl_domain_config_init(&cfg);
	if (tl_save_file_read_header(&in, &cfg, &have, err, sizeof(err))) {
		fprintf(stderr, "tern-xl: %s: %s\n", file, err);
		status = XL_EXIT_ERROR;
	} else if (!have) {
		fprintf(stderr, "tern-xl: %s: the file holds no configuration to build the domain from\n",
			file);
		status = XL_EXIT_ERROR;
	} else if (check) {
		printf("%s: xl save file; domain %s, %lu MiB, %u vCPUs\n",
		       file, cfg.name, (unsigned long)(cfg.target_memkb >> 10),
		       cfg.vcpus);
		status = dry_run(file, &in);
	} else {
		status = -1;
	}
	xg_sr_in_free(&in);
	close(fd);
	if (status >= 0)
		return status;
	return xl_create_domain(&cfg, console, file);
usage:
	fprintf(stderr, "usage: tern-xl restore [-c] [-n] <file>\n");
	return XL_EXIT_ERROR;
}
