// SPDX-License-Identifier: MIT
/*
 * The domain process's control socket, "<run dir>/<domid>.ctl": how other
 * tern-xl invocations ask a running domain things only its hypervisor
 * knows.  One request per connection, a command line in, text out, then
 * the connection closes.  Today: "stats" (hypercall counts and outcomes,
 * PV MMU counters), "vcpus" (one line per vCPU, hv_domain_print_vcpus())
 * and "debug-key <k>" (hv_domain_debug_key()).
 * The listener is a thread of the domain process and reads the current
 * domain under the runner's lock, which keeps it from being freed.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "xl.h"
#include "hv/hv.h"

void xl_control_path(unsigned int domid, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%u.ctl", xl_run_dir(), domid);
}

static int sock_addr(unsigned int domid, struct sockaddr_un *sa)
{
	char path[600];

	xl_control_path(domid, path, sizeof(path));
	if (strlen(path) >= sizeof(sa->sun_path))
		return -1;
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path, path, strlen(path) + 1);
	return 0;
}

/* Answers one request on conn. */
static void serve(struct xl_control *c, int conn)
{
	char cmd[64] = "";
	ssize_t n = read(conn, cmd, sizeof(cmd) - 1);
	FILE *f;

	if (n <= 0)
		return;
	cmd[n] = '\0';
	cmd[strcspn(cmd, "\r\n")] = '\0';
	f = fdopen(dup(conn), "w");
	if (!f)
		return;
	if (!strcmp(cmd, "stats") || !strcmp(cmd, "vcpus") ||
	    !strncmp(cmd, "debug-key ", 10)) {
		pthread_mutex_lock(c->lock);
		if (!*c->domain)
			fprintf(f, "error: the domain is between lives (restarting)\n");
		else if (!strcmp(cmd, "stats"))
			hv_domain_print_stats(*c->domain, f);
		else if (!strcmp(cmd, "vcpus"))
			hv_domain_print_vcpus(*c->domain, f);
		else if (strlen(cmd) != 11 ||
			 hv_domain_debug_key(*c->domain, cmd[10], f))
			fprintf(f, "error: unknown debug key '%s'\n", cmd + 10);
		pthread_mutex_unlock(c->lock);
	} else {
		fprintf(f, "error: unknown control command '%s'\n", cmd);
	}
	fclose(f);
}

static void *control_main(void *arg)
{
	struct xl_control *c = arg;

	for (;;) {
		int conn = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC);

		if (conn < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			break;
		}
		serve(c, conn);
		close(conn);
	}
	return NULL;
}

int xl_control_start(struct xl_control *c, unsigned int domid)
{
	struct sockaddr_un sa;
	pthread_t t;

	if (sock_addr(domid, &sa))
		return -1;
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -1;
	unlink(sa.sun_path);
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(c->fd, 8) ||
	    pthread_create(&t, NULL, control_main, c)) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	pthread_detach(t);
	return 0;
}

void xl_control_stop(unsigned int domid)
{
	char path[600];

	xl_control_path(domid, path, sizeof(path));
	unlink(path);
}

/* Sends cmd to domid's control socket: the connection, or -1 with errno. */
static int control_ask(unsigned int domid, const char *cmd)
{
	size_t len = strlen(cmd);
	struct sockaddr_un sa;
	int fd, err;

	if (sock_addr(domid, &sa)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    write(fd, cmd, len) != (ssize_t)len) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* tern-xl stats <domain>: the running domain's hypervisor counters. */
int main_stats(int argc, char **argv)
{
	struct xl_dom dom;
	char buf[4096];
	ssize_t n;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: tern-xl stats <domain>\n");
		return XL_EXIT_ERROR;
	}
	if (xl_dom_find(argv[1], &dom)) {
		fprintf(stderr, "tern-xl: no domain '%s'\n", argv[1]);
		return XL_EXIT_ERROR;
	}
	fd = control_ask(dom.domid, "stats\n");
	if (fd < 0) {
		fprintf(stderr, "tern-xl: domain %s does not answer on its control socket: %s\n",
			dom.name, strerror(errno));
		return XL_EXIT_ERROR;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, n) != n)
			break;
	close(fd);
	return XL_EXIT_OK;
}

/* ---- tern-xl vcpu-list [<domain>] ---- */

#define VCPU_HEADER_FMT	"%-32s %5s %5s %5s %5s %9s  %s\n"
#define VCPU_ROW_FMT	"%-32s %5u %5u %5s %5s %9.1f  %s\n"

/* hv's state word as xl shows it: running, blocked, paused (offline too). */
static const char *vcpu_state_letters(const char *state)
{
	if (!strcmp(state, "running"))
		return "r--";
	if (!strcmp(state, "blocked"))
		return "-b-";
	if (!strcmp(state, "offline"))
		return "--p";
	return "?";
}

/*
 * Asks dom's hypervisor for its vCPUs and formats them as table rows in
 * *rows (to free); -1 with why set when it gives none or an error.
 */
static int vcpu_rows(const struct xl_dom *dom, char **rows, char *why,
		     size_t whylen)
{
	char line[4200], state[16], cpu[16], affinity[4096];
	unsigned int id, n = 0;
	unsigned long long ns;
	size_t size;
	FILE *in, *out;
	int fd, rc = 0;

	*rows = NULL;
	fd = control_ask(dom->domid, "vcpus\n");
	if (fd < 0) {
		snprintf(why, whylen, "does not answer on its control socket: %s",
			 strerror(errno));
		return -1;
	}
	in = fdopen(fd, "r");
	out = open_memstream(rows, &size);
	if (!in || !out) {
		snprintf(why, whylen, "%s", strerror(errno));
		if (in)
			fclose(in);
		else
			close(fd);
		if (out)
			fclose(out);
		free(*rows);
		*rows = NULL;
		return -1;
	}
	while (!rc && fgets(line, sizeof(line), in)) {
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%u %15s %15s %llu %4095s", &id, state, cpu,
			   &ns, affinity) == 5) {
			fprintf(out, VCPU_ROW_FMT, dom->name, dom->domid, id, cpu,
				vcpu_state_letters(state), ns / 1e9, affinity);
			n++;
		} else if (!strncmp(line, "error: ", 7)) {
			snprintf(why, whylen, "%.400s", line + 7);
			rc = -1;
		} else {
			snprintf(why, whylen, "unexpected answer '%.200s'", line);
			rc = -1;
		}
	}
	if (!rc && !n) {
		snprintf(why, whylen, "gave no vCPUs");
		rc = -1;
	}
	fclose(in);
	fclose(out);
	if (rc) {
		free(*rows);
		*rows = NULL;
	}
	return rc;
}

struct vcpu_list {
	bool all;		/* every domain, not one named */
	bool header;		/* printed */
	int status;
};

static void vcpu_header(struct vcpu_list *vl)
{
	if (!vl->header)
		printf(VCPU_HEADER_FMT, "Name", "ID", "VCPU", "CPU", "State",
		       "Time(s)", "Affinity");
	vl->header = true;
}

static int list_dom_vcpus(const struct xl_dom *dom, void *arg)
{
	struct vcpu_list *vl = arg;
	struct xl_dom now;
	char why[512], *rows;

	/* Not ours to report: being built, or gone while we asked. */
	if (vl->all && !strcmp(dom->state, "building"))
		return 0;
	if (vcpu_rows(dom, &rows, why, sizeof(why))) {
		if (vl->all && xl_dom_read(dom->domid, &now))
			return 0;
		fflush(stdout);
		fprintf(stderr, "tern-xl: domain %s (id %u) %s\n", dom->name,
			dom->domid, why);
		vl->status = XL_EXIT_ERROR;
		return 0;
	}
	vcpu_header(vl);
	fputs(rows, stdout);
	free(rows);
	return 0;
}

/* tern-xl vcpu-list [<domain>]: each vCPU's state, host CPU and time. */
int main_vcpu_list(int argc, char **argv)
{
	struct vcpu_list vl = { .all = argc == 1, .status = XL_EXIT_OK };
	struct xl_dom dom;

	if (argc > 2) {
		fprintf(stderr, "usage: tern-xl vcpu-list [<domain>]\n");
		return XL_EXIT_ERROR;
	}
	if (vl.all) {
		vcpu_header(&vl);
		xl_for_each_dom(list_dom_vcpus, &vl);
		return vl.status;
	}
	if (xl_dom_find(argv[1], &dom)) {
		fprintf(stderr, "tern-xl: no domain '%s'\n", argv[1]);
		return XL_EXIT_ERROR;
	}
	list_dom_vcpus(&dom, &vl);
	return vl.status;
}

/* ---- tern-xl debug-keys <keys> ---- */

/* The keys hv knows, with what each does (as Xen's 'h' would list). */
static const char *const debug_keys[] = {
	"q  dump domain (and guest debug) info: VIRQ_DEBUG to every vCPU",
};

struct debug_keys {
	char key;
	int status;
};

static int send_debug_key(const struct xl_dom *dom, void *arg)
{
	struct debug_keys *dk = arg;
	char cmd[16], line[256];
	struct xl_dom now;
	FILE *in;
	int fd;

	if (!strcmp(dom->state, "building"))
		return 0;
	snprintf(cmd, sizeof(cmd), "debug-key %c\n", dk->key);
	fd = control_ask(dom->domid, cmd);
	if (fd < 0) {
		/* Gone while we asked: nothing to notify. */
		if (xl_dom_read(dom->domid, &now))
			return 0;
		fprintf(stderr, "tern-xl: domain %s (id %u) does not answer on its control socket: %s\n",
			dom->name, dom->domid, strerror(errno));
		dk->status = XL_EXIT_ERROR;
		return 0;
	}
	in = fdopen(fd, "r");
	if (!in) {
		close(fd);
		return 0;
	}
	while (fgets(line, sizeof(line), in)) {
		if (!strncmp(line, "error: ", 7)) {
			fprintf(stderr, "tern-xl: domain %s (id %u): %s", dom->name,
				dom->domid, line + 7);
			dk->status = XL_EXIT_ERROR;
		} else {
			printf("%s (id %u): %s", dom->name, dom->domid, line);
		}
	}
	fclose(in);
	return 0;
}

/*
 * tern-xl debug-keys <keys>: like xl debug-keys, each key goes to every
 * running domain's hypervisor (one hv per domain here, where Xen has one
 * for all).  Every key is checked before any is sent.
 */
int main_debug_keys(int argc, char **argv)
{
	struct debug_keys dk = { .status = XL_EXIT_OK };
	const char *k;
	size_t i;

	if (argc != 2 || !argv[1][0]) {
		fprintf(stderr, "usage: tern-xl debug-keys <keys>\n");
		return XL_EXIT_ERROR;
	}
	for (k = argv[1]; *k; k++) {
		for (i = 0; i < ARRAY_SIZE(debug_keys); i++)
			if (debug_keys[i][0] == *k)
				break;
		if (i == ARRAY_SIZE(debug_keys)) {
			fprintf(stderr, "tern-xl: unknown debug key '%c'; known keys:\n", *k);
			for (i = 0; i < ARRAY_SIZE(debug_keys); i++)
				fprintf(stderr, "  %s\n", debug_keys[i]);
			return XL_EXIT_ERROR;
		}
	}
	for (k = argv[1]; *k; k++) {
		dk.key = *k;
		xl_for_each_dom(send_debug_key, &dk);
	}
	return dk.status;
}
