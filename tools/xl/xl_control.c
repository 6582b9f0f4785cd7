// SPDX-License-Identifier: MIT
/*
 * The domain process's control socket, "<run dir>/<domid>.ctl", and the
 * verbs that ask a running domain's hypervisor something only it knows:
 * stats, vcpu-list, debug-keys, resume.  The socket speaks the domctl
 * protocol of hv/include/hv/control.h, served by the hypervisor itself
 * (hv_control_serve()); these verbs are its clients, through
 * tools/libs/ctrl over the socket, as Xen's xl is a client of libxenctrl.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/sysinfo.h>
#include <sys/un.h>
#include <unistd.h>

#include "xl.h"
#include "xl_store.h"
#include "hv/include/hv/control.h"
#include "tools/libs/ctrl/xc.h"
#include <xen/interface/sched.h>

void xl_control_path(unsigned int domid, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%u.ctl", xl_run_dir(), domid);
}

int xl_control_start(unsigned int domid)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char path[600];
	int fd, err;

	xl_control_path(domid, path, sizeof(path));
	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 16))
		goto fail;
	err = hv_control_serve(fd);
	if (!err)
		return 0;
	errno = -err;
fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

void xl_control_stop(unsigned int domid)
{
	char path[600];

	xl_control_path(domid, path, sizeof(path));
	unlink(path);
}

xc_interface *xl_control_open(const struct xl_dom *dom, char *why,
			      size_t whylen)
{
	char path[600];
	xc_interface *xch;

	xl_control_path(dom->domid, path, sizeof(path));
	xch = xc_interface_open_socket(path);
	if (!xch)
		snprintf(why, whylen, "does not answer on its control socket: %s",
			 strerror(errno));
	return xch;
}

/* The domain named by argv[1], and a handle on it; exit status on failure. */
static int open_named(const char *verb, int argc, char **argv,
		      struct xl_dom *dom, xc_interface **xch)
{
	char why[512];

	if (xl_dom_arg(verb, argc, argv, dom))
		return XL_EXIT_ERROR;
	*xch = xl_control_open(dom, why, sizeof(why));
	if (!*xch) {
		fprintf(stderr, "tern-xl: domain %s %s\n", dom->name, why);
		return XL_EXIT_ERROR;
	}
	return XL_EXIT_OK;
}

/* tern-xl stats <domain>: the running domain's hypervisor counters. */
int main_stats(int argc, char **argv)
{
	struct xl_dom dom;
	xc_interface *xch;
	char *text;
	int rc = open_named("stats", argc, argv, &dom, &xch);

	if (rc)
		return rc;
	rc = xc_domain_stats(xch, dom.domid, &text);
	xc_interface_close(xch);
	if (rc) {
		fprintf(stderr, "tern-xl: domain %s: %s\n", dom.name,
			strerror(-rc));
		return XL_EXIT_ERROR;
	}
	fputs(text, stdout);
	free(text);
	return XL_EXIT_OK;
}

/* ---- tern-xl vcpu-list [<domain>] ---- */

#define VCPU_HEADER_FMT	"%-32s %5s %5s %5s %5s %9s  %s\n"
#define VCPU_ROW_FMT	"%-32s %5u %5u %5s %5s %9.1f  %s\n"

/* xl's state letters: running, blocked, paused (offline too). */
static const char *vcpu_state_letters(const struct hv_domctl_getvcpuinfo *i)
{
	if (!i->online || i->paused)
		return "--p";
	return i->blocked ? "-b-" : "r--";
}

/* "all" when map holds every online host CPU, else a list like "0-3,6". */
static void format_affinity(const uint8_t *map, size_t len, char *buf,
			    size_t buflen)
{
	int cpu, first = -1, nr = (int)len * 8, count = 0;
	size_t n = 0;

	for (cpu = 0; cpu < nr; cpu++)
		count += (map[cpu / 8] >> (cpu % 8)) & 1;
	if (len && count >= get_nprocs()) {
		snprintf(buf, buflen, "all");
		return;
	}
	buf[0] = '\0';
	for (cpu = 0; cpu <= nr && n < buflen; cpu++) {
		bool in = cpu < nr && ((map[cpu / 8] >> (cpu % 8)) & 1);

		if (in && first < 0)
			first = cpu;
		if (in || first < 0)
			continue;
		if (first == cpu - 1)
			n += snprintf(buf + n, buflen - n, "%s%d", n ? "," : "",
				      first);
		else
			n += snprintf(buf + n, buflen - n, "%s%d-%d",
				      n ? "," : "", first, cpu - 1);
		first = -1;
	}
	if (!buf[0])
		snprintf(buf, buflen, "-");
}

/*
 * Asks dom's hypervisor for its vCPUs and formats them as table rows in
 * *rows (to free); -1 with why set when it gives none or an error.
 */
static int vcpu_rows(const struct xl_dom *dom, char **rows, char *why,
		     size_t whylen)
{
	struct hv_domctl_getdomaininfo info;
	struct hv_domctl_getvcpuinfo vi;
	char cpu[16], affinity[4096];
	uint8_t map[CPU_SETSIZE / 8];
	xc_interface *xch;
	unsigned int v;
	size_t size;
	long n;
	FILE *out;
	int rc;

	*rows = NULL;
	xch = xl_control_open(dom, why, whylen);
	if (!xch)
		return -1;
	rc = xc_domain_getinfo(xch, dom->domid, &info);
	out = open_memstream(rows, &size);
	for (v = 0; !rc && out && v <= info.max_vcpu_id; v++) {
		rc = xc_vcpu_getinfo(xch, dom->domid, v, &vi);
		n = rc ? rc : xc_vcpu_getaffinity(xch, dom->domid, v, map,
						  sizeof(map));
		if (n < 0) {
			rc = n;
			break;
		}
		if (vi.cpu == HV_VCPUINFO_NO_CPU || !vi.online)
			snprintf(cpu, sizeof(cpu), "-");
		else
			snprintf(cpu, sizeof(cpu), "%u", vi.cpu);
		format_affinity(map, n, affinity, sizeof(affinity));
		fprintf(out, VCPU_ROW_FMT, dom->name, dom->domid, v, cpu,
			vcpu_state_letters(&vi), vi.cpu_time / 1e9, affinity);
	}
	xc_interface_close(xch);
	if (out)
		fclose(out);
	if (!out || rc) {
		snprintf(why, whylen, "%s", strerror(out ? -rc : errno));
		free(*rows);
		*rows = NULL;
		return -1;
	}
	return 0;
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
	char key[2];
	int status;
};

static int send_debug_key(const struct xl_dom *dom, void *arg)
{
	struct debug_keys *dk = arg;
	struct xl_dom now;
	xc_interface *xch;
	char why[512], *text, *line, *save;
	int rc;

	if (!strcmp(dom->state, "building"))
		return 0;
	xch = xl_control_open(dom, why, sizeof(why));
	rc = xch ? xc_debug_keys(xch, dom->domid, dk->key, &text) : -EIO;
	xc_interface_close(xch);
	if (rc) {
		/* Gone while we asked: nothing to notify. */
		if (xl_dom_read(dom->domid, &now))
			return 0;
		fprintf(stderr, "tern-xl: domain %s (id %u) %s\n", dom->name,
			dom->domid, xch ? strerror(-rc) : why);
		dk->status = XL_EXIT_ERROR;
		return 0;
	}
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		printf("%s (id %u): %s\n", dom->name, dom->domid, line);
	free(text);
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
		dk.key[0] = *k;
		xl_for_each_dom(send_debug_key, &dk);
	}
	fflush(stdout);
	return dk.status;
}

/* ---- tern-xl resume <domain> ---- */

/*
 * Xen's fast resume (xc_domain_resume's cooperative path): the guest's
 * SCHEDOP_shutdown(SHUTDOWN_suspend) returns 1 -- "cancelled, go on
 * where you were" -- because vCPU 0's rax says so, and resumedomain lets
 * every vCPU run on from its context.  Only a kernel whose SUSPEND_CANCEL
 * note says it understands that return may get it.
 */
int xl_fast_resume(xc_interface *xch, const struct xl_dom *dom,
		   char *why, size_t whylen)
{
	struct hv_domctl_getdomaininfo info;
	struct vcpu_guest_context *c;
	int rc;

	rc = xc_domain_getinfo(xch, dom->domid, &info);
	if (!rc && (!(info.flags & XEN_DOMINF_shutdown) ||
		    ((info.flags >> XEN_DOMINF_shutdownshift) &
		     XEN_DOMINF_shutdownmask) != SHUTDOWN_suspend)) {
		snprintf(why, whylen, "is not suspended");
		return -EINVAL;
	}
	c = malloc(sizeof(*c));
	if (!rc && !c)
		rc = -ENOMEM;
	if (!rc)
		rc = xc_vcpu_getcontext(xch, dom->domid, 0, c);
	if (!rc) {
		c->user_regs.rax = 1;
		rc = xc_vcpu_setcontext(xch, dom->domid, 0, c);
	}
	if (!rc)
		rc = xc_domain_resume_domctl(xch, dom->domid);
	free(c);
	if (rc)
		snprintf(why, whylen, "cannot be resumed: %s", strerror(-rc));
	return rc;
}

int main_resume(int argc, char **argv)
{
	struct xl_dom dom;
	xc_interface *xch;
	char why[512];
	int rc = open_named("resume", argc, argv, &dom, &xch);

	if (rc)
		return rc;
	if (!dom.suspend_cancel) {
		fprintf(stderr, "tern-xl: domain %s (id %u): its kernel has no SUSPEND_CANCEL note: it cannot be resumed in place\n",
			dom.name, dom.domid);
		xc_interface_close(xch);
		return XL_EXIT_ERROR;
	}
	rc = xl_fast_resume(xch, &dom, why, sizeof(why));
	xc_interface_close(xch);
	if (rc) {
		fprintf(stderr, "tern-xl: domain %s (id %u) %s\n", dom.name,
			dom.domid, why);
		return XL_EXIT_ERROR;
	}
	printf("Resumed domain %s (id %u)\n", dom.name, dom.domid);
	return XL_EXIT_OK;
}
