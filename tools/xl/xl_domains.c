// SPDX-License-Identifier: MIT
/*
 * The run directory: per domain, "<domid>.state", written by the domain's
 * own hypervisor process (its name, its process and that process's start
 * time, its state: building, running, suspended, or how it ended when
 * kept; what its kernel can do), "<domid>.json" (its configuration in
 * libxl's JSON, as libxl keeps it for each domain), "<domid>.ctl" (its
 * control socket) and "<domid>.console" (its console log).
 *
 * A domain whose process is gone without cleaning up -- SIGKILL, the OOM
 * killer -- left all of that behind, and its xenstore nodes.  Whoever
 * reads its state file next finds the process dead (gone, a zombie, or
 * its pid now someone else's: the start time tells) and reaps it: under
 * the run directory's lock, and only if the file still names that same
 * dead process, so a reaper never removes a domain that was created with
 * the same id meanwhile.  `list` and `create` therefore never show or
 * trip over a lost domain.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>

#include "tools/libs/store/xs_attach.h"
#include "xl.h"
#include "xl_store.h"

#define MAX_DOMID 32752

const char *xl_run_dir(void)
{
	static char dir[512];

	if (!dir[0]) {
		xs_run_dir(dir, sizeof(dir));
		mkdir(dir, 0700);
	}
	return dir;
}

static void dom_path(unsigned int domid, const char *ext, char *buf,
		     size_t len)
{
	snprintf(buf, len, "%s/%u.%s", xl_run_dir(), domid, ext);
}

void xl_console_path(unsigned int domid, char *buf, size_t len)
{
	dom_path(domid, "console", buf, len);
}

/* ---- processes ---- */

/*
 * A process's state letter and start time, from /proc/<pid>/stat (fields
 * 3 and 22, counted after the command name, which may hold anything).
 */
static int proc_stat(pid_t pid, char *state, unsigned long long *start)
{
	char path[64], buf[1024], *p;
	unsigned int field;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return -1;
	*state = p[2];
	for (field = 3, p += 2; field < 22 && p; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	*start = p ? strtoull(p, NULL, 10) : 0;
	return 0;
}

unsigned long long xl_proc_start(pid_t pid)
{
	unsigned long long start;
	char state;

	return proc_stat(pid, &state, &start) ? 0 : start;
}

bool xl_dom_alive(const struct xl_dom *dom)
{
	unsigned long long start;
	char state;

	if (dom->pid <= 0)
		return false;
	if (proc_stat(dom->pid, &state, &start)) {
		/* No /proc/<pid>: gone, unless there is no /proc to look in. */
		if (!access("/proc/self/stat", F_OK))
			return false;
		return kill(dom->pid, 0) == 0 || errno == EPERM;
	}
	/* A zombie has done all it will do; a new start time, another one. */
	if (state == 'Z' || state == 'X')
		return false;
	return !dom->pid_start || dom->pid_start == start;
}

/* ---- the run directory's lock (reentrant within this process) ---- */

static int lock_fd = -1;
static unsigned int lock_depth;

static int lock_run_dir(void)
{
	char path[600];

	if (lock_depth++)
		return 0;
	snprintf(path, sizeof(path), "%s/lock", xl_run_dir());
	lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lock_fd >= 0 && !flock(lock_fd, LOCK_EX))
		return 0;
	if (lock_fd >= 0)
		close(lock_fd);
	lock_fd = -1;
	lock_depth = 0;
	return -1;
}

static void unlock_run_dir(void)
{
	if (!lock_depth || --lock_depth)
		return;
	close(lock_fd);
	lock_fd = -1;
}

/* ---- state files ---- */

static int read_state(unsigned int domid, struct xl_dom *dom);

static int write_state(const struct xl_dom *dom, const char *name)
{
	char path[600], tmp[620];
	FILE *f;

	dom_path(dom->domid, "state", path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "name %s\ndomid %u\npid %d\npid_start %llu\nmemory %lu\nvcpus %u\nstate %s\nstarted %ld\nboot %u\nsuspend_cancel %d\n",
		name, dom->domid, (int)dom->pid, dom->pid_start,
		dom->memory_mb, dom->vcpus, dom->state, dom->started, dom->boot,
		dom->suspend_cancel);
	if (fclose(f))
		return -1;
	return rename(tmp, path);
}

/*
 * The domain's process writes its state; its name is the one in the file
 * while that process owns it, since a rename (migrate) may come from
 * another process.
 */
int xl_dom_write(const struct xl_dom *dom)
{
	struct xl_dom old;
	const char *name = dom->name;
	int rc;

	if (lock_run_dir())
		return -1;
	if (!read_state(dom->domid, &old) && old.pid == dom->pid &&
	    old.pid_start == dom->pid_start && old.name[0])
		name = old.name;
	rc = write_state(dom, name);
	unlock_run_dir();
	return rc;
}

int xl_dom_rename(unsigned int domid, const char *from, const char *to)
{
	struct xl_dom dom, other;
	int rc = 0;

	if (!to[0] || strlen(to) >= sizeof(dom.name) || strpbrk(to, " \t\n"))
		return -EINVAL;
	if (lock_run_dir())
		return -errno;
	if (read_state(domid, &dom) || !xl_dom_alive(&dom))
		rc = -ESRCH;
	else if (strcmp(dom.name, from))
		rc = -ESTALE;
	else if (!xl_dom_find(to, &other) && other.domid != domid)
		rc = -EEXIST;
	else if (write_state(&dom, to))
		rc = -errno;
	unlock_run_dir();
	if (!rc)
		xl_store_rename(domid, to);
	return rc;
}

/* The state file as written, whether or not its process lives. */
static int read_state(unsigned int domid, struct xl_dom *dom)
{
	char path[600], key[32], val[128];
	FILE *f;

	dom_path(domid, "state", path, sizeof(path));
	f = fopen(path, "r");
	if (!f)
		return -1;
	memset(dom, 0, sizeof(*dom));
	while (fscanf(f, "%31s %127s", key, val) == 2) {
		if (!strcmp(key, "name"))
			snprintf(dom->name, sizeof(dom->name), "%.63s", val);
		else if (!strcmp(key, "domid"))
			dom->domid = strtoul(val, NULL, 10);
		else if (!strcmp(key, "pid"))
			dom->pid = atoi(val);
		else if (!strcmp(key, "pid_start"))
			dom->pid_start = strtoull(val, NULL, 10);
		else if (!strcmp(key, "memory"))
			dom->memory_mb = strtoul(val, NULL, 10);
		else if (!strcmp(key, "vcpus"))
			dom->vcpus = strtoul(val, NULL, 10);
		else if (!strcmp(key, "state"))
			snprintf(dom->state, sizeof(dom->state), "%.15s", val);
		else if (!strcmp(key, "started"))
			dom->started = strtol(val, NULL, 10);
		else if (!strcmp(key, "boot"))
			dom->boot = strtoul(val, NULL, 10);
		else if (!strcmp(key, "suspend_cancel"))
			dom->suspend_cancel = atoi(val) != 0;
	}
	fclose(f);
	return 0;
}

void xl_dom_forget(unsigned int domid)
{
	static const char *const ext[] = { "ctl", "json", "state" };
	char path[600];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ext); i++) {
		dom_path(domid, ext[i], path, sizeof(path));
		unlink(path);
	}
}

/*
 * A domain whose process died without cleaning up: its xenstore ring and
 * nodes, its control socket, its JSON and its state file go, if the state
 * file still names that same dead process.
 */
static void reap(const struct xl_dom *dead)
{
	struct xl_dom now;

	if (lock_run_dir())
		return;
	if (!read_state(dead->domid, &now) && now.pid == dead->pid &&
	    now.pid_start == dead->pid_start && !xl_dom_alive(&now)) {
		xl_store_reap(dead->domid);
		xl_dom_forget(dead->domid);
	}
	unlock_run_dir();
}

int xl_dom_read(unsigned int domid, struct xl_dom *dom)
{
	if (read_state(domid, dom))
		return -1;
	if (!xl_dom_alive(dom)) {
		reap(dom);
		return -1;
	}
	return 0;
}

static int cmp_domid(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

/*
 * The run directory is read once, not probed for every possible id: a
 * rename during a migration's downtime looks every domain up.
 */
int xl_for_each_dom(int (*fn)(const struct xl_dom *, void *), void *arg)
{
	unsigned int *ids = NULL, n = 0, cap = 0, i, domid;
	DIR *d = opendir(xl_run_dir());
	struct dirent *e;
	struct xl_dom dom;
	char *end;
	int rc = 0;

	while (d && (e = readdir(d))) {
		domid = strtoul(e->d_name, &end, 10);
		if (end == e->d_name || strcmp(end, ".state") || !domid ||
		    domid >= MAX_DOMID)
			continue;
		if (n == cap) {
			unsigned int *more = realloc(ids, (cap ? cap * 2 : 64) *
						     sizeof(*ids));

			if (!more)
				break;
			ids = more;
			cap = cap ? cap * 2 : 64;
		}
		ids[n++] = domid;
	}
	if (d)
		closedir(d);
	if (n)
		qsort(ids, n, sizeof(*ids), cmp_domid);
	for (i = 0; i < n && !rc; i++)
		if (!xl_dom_read(ids[i], &dom))
			rc = fn(&dom, arg);
	free(ids);
	return rc;
}

struct find_arg {
	const char *key;
	struct xl_dom *out;
};

static int match(const struct xl_dom *dom, void *a)
{
	struct find_arg *fa = a;
	char id[16];

	snprintf(id, sizeof(id), "%u", dom->domid);
	if (strcmp(fa->key, dom->name) && strcmp(fa->key, id))
		return 0;
	*fa->out = *dom;
	return 1;
}

int xl_dom_find(const char *name_or_id, struct xl_dom *dom)
{
	struct find_arg fa = { name_or_id, dom };

	return xl_for_each_dom(match, &fa) == 1 ? 0 : -1;
}

int xl_parse_number(const char *verb, const char *opt, const char *arg,
		    unsigned long max, const char *unit, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(arg, &end, 10);
	if (errno || !*arg || *end || !*v || *v > max) {
		fprintf(stderr, "tern-xl: %s: %s takes %s1 to %lu, not '%s'\n",
			verb, opt, unit, max, arg);
		return -1;
	}
	return 0;
}

int xl_dom_arg(const char *verb, int argc, char **argv, struct xl_dom *dom)
{
	if (argc != 2) {
		fprintf(stderr, "usage: tern-xl %s <domain>\n", verb);
		return XL_EXIT_ERROR;
	}
	if (xl_dom_find(argv[1], dom)) {
		fprintf(stderr, "tern-xl: no domain '%s'\n", argv[1]);
		return XL_EXIT_ERROR;
	}
	return XL_EXIT_OK;
}

/* The lowest free domid, reserved by creating its state file under a lock. */
int xl_alloc_domid(const char *name, struct xl_dom *clash)
{
	char path[600];
	unsigned int domid;
	struct xl_dom dom;
	int got = -1;

	if (lock_run_dir())
		return -1;
	/* Under the lock: a second create of this name sees the first. */
	if (!xl_dom_find(name, clash)) {
		unlock_run_dir();
		return -2;
	}
	for (domid = 1; domid < MAX_DOMID && got < 0; domid++) {
		dom_path(domid, "state", path, sizeof(path));
		if (!access(path, F_OK) && !xl_dom_read(domid, &dom))
			continue;
		memset(&dom, 0, sizeof(dom));
		dom.domid = domid;
		dom.pid = getpid();
		dom.pid_start = xl_proc_start(dom.pid);
		snprintf(dom.state, sizeof(dom.state), "building");
		snprintf(dom.name, sizeof(dom.name), "%s", name);
		if (!xl_dom_write(&dom))
			got = domid;
	}
	unlock_run_dir();
	return got;
}

/* ---- the configuration, as libxl keeps it ---- */

int xl_dom_config_write(unsigned int domid, const struct tl_domain_config *c)
{
	char path[600], tmp[620], *json = tl_domain_config_to_json(c);
	FILE *f;
	int rc = -1;

	if (!json)
		return -1;
	dom_path(domid, "json", path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (f && fputs(json, f) >= 0 && !fclose(f))
		rc = rename(tmp, path);
	else if (f)
		fclose(f);
	free(json);
	return rc;
}

int xl_dom_config_read(unsigned int domid, struct tl_domain_config *c,
		       char *err, size_t errlen)
{
	char path[600], *text = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	dom_path(domid, "json", path, sizeof(path));
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = getdelim(&text, &len, '\0', f) < 0 ? -1 : 0;
	fclose(f);
	if (rc)
		snprintf(err, errlen, "%s: cannot read it", path);
	else if (tl_domain_config_from_json(c, text, err, errlen))
		rc = -1;
	free(text);
	return rc;
}

/* ---- tern-xl list ---- */

/*
 * xl's six state letters: r running, b blocked, p paused, s shut down
 * (suspended included), then how it shut down (-rscwS: poweroff, reboot,
 * suspend, crash, watchdog, soft reset), d dying.
 */
static void state_letters(uint32_t flags, char out[7])
{
	static const char reasons[] = "-rscwS";
	unsigned int reason = (flags >> XEN_DOMINF_shutdownshift) &
			      XEN_DOMINF_shutdownmask;
	bool down = flags & XEN_DOMINF_shutdown;

	out[0] = flags & XEN_DOMINF_running ? 'r' : '-';
	out[1] = flags & XEN_DOMINF_blocked ? 'b' : '-';
	out[2] = flags & XEN_DOMINF_paused ? 'p' : '-';
	out[3] = down ? 's' : '-';
	out[4] = !down ? '-' : reason < sizeof(reasons) - 1 ? reasons[reason] : '?';
	out[5] = flags & XEN_DOMINF_dying ? 'd' : '-';
	out[6] = '\0';
}

#define LIST_HEADER	"Name                                        ID   Mem VCPUs\tState\tTime(s)\n"
#define LIST_ROW	"%-40s %5u %5lu %5u     %s  %8.1f\n"

struct list {
	bool details;
	yajl_gen json;		/* list -l */
	int status;
};

/* One domain's line, from its hypervisor: 0, or -1 when it does not answer. */
static int list_row(const struct xl_dom *dom, char *why, size_t whylen)
{
	struct hv_domctl_getdomaininfo info;
	xc_interface *xch;
	char letters[7];
	int rc;

	/* Not created yet: what xl shows for a domain paused since birth. */
	if (!strcmp(dom->state, "building")) {
		printf(LIST_ROW, dom->name, dom->domid, dom->memory_mb,
		       dom->vcpus, "--p---", 0.0);
		return 0;
	}
	xch = xl_control_open(dom, why, whylen);
	if (!xch)
		return -1;
	rc = xc_domain_getinfo(xch, dom->domid, &info);
	xc_interface_close(xch);
	if (rc) {
		snprintf(why, whylen, "%s", strerror(-rc));
		return -1;
	}
	state_letters(info.flags, letters);
	printf(LIST_ROW, dom->name, dom->domid,
	       (unsigned long)(info.tot_pages >> 8), info.nr_online_vcpus,
	       letters, info.cpu_time / 1e9);
	return 0;
}

static void list_json(struct list *l, const struct xl_dom *dom)
{
	struct tl_domain_config c;
	char why[512];

	/* As xl: a domain whose configuration cannot be had is left out. */
	if (xl_dom_config_read(dom->domid, &c, why, sizeof(why)))
		return;
	yajl_gen_map_open(l->json);
	yajl_gen_string(l->json, (const unsigned char *)"domid", 5);
	yajl_gen_integer(l->json, dom->domid);
	yajl_gen_string(l->json, (const unsigned char *)"config", 6);
	tl_domain_config_gen_json(l->json, &c);
	yajl_gen_map_close(l->json);
}

static int list_one(const struct xl_dom *dom, void *arg)
{
	struct list *l = arg;
	struct xl_dom now;
	char why[512];

	if (l->details) {
		list_json(l, dom);
		return 0;
	}
	if (!list_row(dom, why, sizeof(why)))
		return 0;
	/* Gone while we asked: not ours to report. */
	if (xl_dom_read(dom->domid, &now))
		return 0;
	fflush(stdout);
	fprintf(stderr, "tern-xl: domain %s (id %u) does not answer on its control socket: %s\n",
		dom->name, dom->domid, why);
	l->status = XL_EXIT_ERROR;
	return 0;
}

/*
 * tern-xl list [-l] [<domain>...]: xl's columns (State as xl's letters,
 * Time(s) as CPU time), or with -l each domain's configuration as JSON,
 * as xl list -l prints it.  A domain named that does not exist is an
 * error (the others are still listed).
 */
int main_list(int argc, char **argv)
{
	struct list l = { .status = XL_EXIT_OK };
	struct xl_dom *doms = NULL;
	const unsigned char *buf;
	size_t len;
	int opt, i, n = 0;

	optind = 1;
	while ((opt = getopt(argc, argv, "+l")) != -1) {
		if (opt != 'l') {
			fprintf(stderr, "usage: tern-xl list [-l] [<domain>...]\n");
			return XL_EXIT_ERROR;
		}
		l.details = true;
	}
	if (optind < argc) {
		doms = calloc(argc - optind, sizeof(*doms));
		if (!doms)
			return XL_EXIT_ERROR;
		for (i = optind; i < argc; i++) {
			if (xl_dom_find(argv[i], &doms[n])) {
				fprintf(stderr, "tern-xl: no domain '%s'\n", argv[i]);
				l.status = XL_EXIT_ERROR;
				continue;
			}
			n++;
		}
	}
	if (l.details) {
		l.json = yajl_gen_alloc(NULL);
		if (!l.json) {
			free(doms);
			return XL_EXIT_ERROR;
		}
		yajl_gen_config(l.json, yajl_gen_beautify, 1);
		yajl_gen_array_open(l.json);
	} else {
		printf(LIST_HEADER);
	}
	if (optind == argc)
		xl_for_each_dom(list_one, &l);
	for (i = 0; i < n; i++)
		list_one(&doms[i], &l);
	if (l.details) {
		yajl_gen_array_close(l.json);
		if (yajl_gen_get_buf(l.json, &buf, &len) == yajl_gen_status_ok)
			puts((const char *)buf);
		else
			l.status = XL_EXIT_ERROR;
		yajl_gen_free(l.json);
	}
	free(doms);
	fflush(stdout);
	return l.status;
}

/* ---- tern-xl destroy ---- */

/* Waits up to ms for the process to end: true once it has. */
static bool wait_exit(const struct xl_dom *dom, int pidfd, int ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	struct timespec t0, t;

	if (pidfd >= 0)
		return poll(&p, 1, ms) > 0 || !xl_dom_alive(dom);
	/* No pidfd (an old kernel): look every 20 ms. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (xl_dom_alive(dom)) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000 >= ms)
			return false;
		poll(NULL, 0, 20);
	}
	return true;
}

/*
 * SIGTERM to the domain's process, whose signal thread destroys the
 * domain at once; the process's pidfd says when it has ended, so this
 * takes as long as the destruction itself.  One that has not ended after
 * 10 s is killed, and reaped.
 */
int main_destroy(int argc, char **argv)
{
	struct xl_dom dom;
	int rc = xl_dom_arg("destroy", argc, argv, &dom);

	if (rc)
		return rc;
	return xl_dom_destroy(&dom) ? XL_EXIT_ERROR : XL_EXIT_OK;
}

int xl_dom_destroy(struct xl_dom *d)
{
	struct xl_dom dom = *d;
	int pidfd;

	/* The pidfd first: then the pid cannot become another's under us. */
	pidfd = pidfd_open(dom.pid, 0);
	if (!xl_dom_alive(&dom))
		goto gone;
	if ((pidfd >= 0 ? pidfd_send_signal(pidfd, SIGTERM, NULL, 0) :
	     kill(dom.pid, SIGTERM)) && errno != ESRCH) {
		fprintf(stderr, "tern-xl: destroying %s: %s\n", dom.name,
			strerror(errno));
		if (pidfd >= 0)
			close(pidfd);
		return -1;
	}
	if (!wait_exit(&dom, pidfd, 10000)) {
		fprintf(stderr, "tern-xl: %s did not stop within 10 s; killed\n",
			dom.name);
		if (pidfd >= 0)
			pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
		else
			kill(dom.pid, SIGKILL);
		wait_exit(&dom, pidfd, 10000);
	}
gone:
	if (pidfd >= 0)
		close(pidfd);
	/* Whatever a killed process left behind. */
	xl_dom_read(dom.domid, &dom);
	return 0;
}
