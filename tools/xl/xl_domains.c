// SPDX-License-Identifier: MIT
/*
 * The run directory: one "<domid>.state" file per domain, written by the
 * domain's own hypervisor process (its state: building, running,
 * suspended, or how it ended when kept; and what its kernel can do),
 * one "<domid>.console" log and one "<domid>.ctl" control socket.  A state
 * file whose process is gone is stale and ignored (and cleaned up), so a
 * killed hypervisor never leaves a phantom domain in `list`.
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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tools/libs/store/xs_attach.h"
#include "xl.h"

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

static void state_path(unsigned int domid, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%u.state", xl_run_dir(), domid);
}

void xl_console_path(unsigned int domid, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%u.console", xl_run_dir(), domid);
}

int xl_dom_write(const struct xl_dom *dom)
{
	char path[600], tmp[620];
	FILE *f;

	state_path(dom->domid, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "name %s\ndomid %u\npid %d\nmemory %lu\nvcpus %u\nstate %s\nstarted %ld\nboot %u\nsuspend_cancel %d\n",
		dom->name, dom->domid, (int)dom->pid, dom->memory_mb,
		dom->vcpus, dom->state, dom->started, dom->boot,
		dom->suspend_cancel);
	if (fclose(f))
		return -1;
	return rename(tmp, path);
}

static bool alive(pid_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

int xl_dom_read(unsigned int domid, struct xl_dom *dom)
{
	char path[600], key[32], val[128];
	FILE *f;
	int pid = 0;

	state_path(domid, path, sizeof(path));
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
			pid = atoi(val);
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
	dom->pid = pid;
	if (!alive(pid)) {
		xl_dom_remove(domid);
		return -1;
	}
	return 0;
}

void xl_dom_remove(unsigned int domid)
{
	char path[600];

	state_path(domid, path, sizeof(path));
	unlink(path);
}

int xl_for_each_dom(int (*fn)(const struct xl_dom *, void *), void *arg)
{
	unsigned int domid;
	struct xl_dom dom;
	int rc;

	for (domid = 1; domid < MAX_DOMID; domid++) {
		char path[600];

		state_path(domid, path, sizeof(path));
		if (access(path, F_OK))
			continue;
		if (xl_dom_read(domid, &dom))
			continue;
		rc = fn(&dom, arg);
		if (rc)
			return rc;
	}
	return 0;
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

/* The lowest free domid, reserved by creating its state file under a lock. */
int xl_alloc_domid(const char *name, struct xl_dom *clash)
{
	char lock[600], path[600];
	unsigned int domid;
	struct xl_dom dom;
	int fd, got = -1;

	snprintf(lock, sizeof(lock), "%s/lock", xl_run_dir());
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* Under the lock: a second create of this name sees the first. */
	if (!xl_dom_find(name, clash)) {
		close(fd);
		return -2;
	}
	for (domid = 1; domid < MAX_DOMID && got < 0; domid++) {
		state_path(domid, path, sizeof(path));
		if (!access(path, F_OK) && !xl_dom_read(domid, &dom))
			continue;
		memset(&dom, 0, sizeof(dom));
		dom.domid = domid;
		dom.pid = getpid();
		snprintf(dom.state, sizeof(dom.state), "building");
		snprintf(dom.name, sizeof(dom.name), "%s", name);
		if (!xl_dom_write(&dom))
			got = domid;
	}
	close(fd);
	return got;
}

static int print_dom(const struct xl_dom *dom, void *arg)
{
	printf("%-32s %5u %7lu %5u %-10s %9ld\n", dom->name, dom->domid,
	       dom->memory_mb, dom->vcpus, dom->state,
	       (long)(time(NULL) - dom->started));
	return 0;
}

int main_list(int argc, char **argv)
{
	printf("%-32s %5s %7s %5s %-10s %9s\n", "Name", "ID", "Mem", "VCPUs",
	       "State", "Time(s)");
	xl_for_each_dom(print_dom, NULL);
	return XL_EXIT_OK;
}

/* Copies the console log to stdout and follows it until the domain ends. */
int main_console(int argc, char **argv)
{
	struct xl_dom dom;
	char path[600], buf[4096];
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: tern-xl console <domain>\n");
		return XL_EXIT_ERROR;
	}
	if (xl_dom_find(argv[1], &dom)) {
		fprintf(stderr, "tern-xl: no domain '%s'\n", argv[1]);
		return XL_EXIT_ERROR;
	}
	xl_console_path(dom.domid, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "tern-xl: %s: %s\n", path, strerror(errno));
		return XL_EXIT_ERROR;
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n > 0) {
			if (write(1, buf, n) != n)
				break;
			continue;
		}
		if (!alive(dom.pid))
			break;
		poll(NULL, 0, 100);
	}
	close(fd);
	return XL_EXIT_OK;
}

int main_destroy(int argc, char **argv)
{
	struct xl_dom dom;
	int i;

	if (argc != 2) {
		fprintf(stderr, "usage: tern-xl destroy <domain>\n");
		return XL_EXIT_ERROR;
	}
	if (xl_dom_find(argv[1], &dom)) {
		fprintf(stderr, "tern-xl: no domain '%s'\n", argv[1]);
		return XL_EXIT_ERROR;
	}
	if (kill(dom.pid, SIGTERM)) {
		fprintf(stderr, "tern-xl: destroying %s: %s\n", dom.name,
			strerror(errno));
		return XL_EXIT_ERROR;
	}
	for (i = 0; i < 200 && alive(dom.pid); i++)
		poll(NULL, 0, 50);
	if (alive(dom.pid)) {
		fprintf(stderr, "tern-xl: %s did not stop within 10 s; killed\n",
			dom.name);
		kill(dom.pid, SIGKILL);
		xl_dom_remove(dom.domid);
	}
	return XL_EXIT_OK;
}
