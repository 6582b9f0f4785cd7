// SPDX-License-Identifier: MIT
/*
 * bench_sr <control socket> <domid> <rounds> <file|->: the suspend-cancel
 * cycle, or with a file the checkpoint round trip, of a running guest,
 * from another process as tern-xl save -c works (the same libraries):
 *
 *   suspend  control/shutdown = "suspend" written, until the hypervisor
 *            has the domain suspended (the guest froze, parked its CPUs,
 *            wrote its record);
 *   copy     libxl's stream of the suspended domain into file (truncated
 *            first; a tmpfs file measures the toolstack, not a disk);
 *   resume   Xen's fast resume: vCPU 0's rax = 1, resumedomain.
 *
 * Prints the median of each over the rounds, and the cycle: the time
 * of request to resumed, and the rate of back-to-back rounds (each next
 * request waits for the guest to be back from its resume and watching).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xenstore.h>

#include "tools/libs/light/tl_sr.h"
#include <xen/interface/sched.h>

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp);
	return n ? v[n / 2] : 0;
}

static int suspended(xc_interface *x, domid_t id)
{
	struct hv_domctl_getdomaininfo i;

	if (xc_domain_getinfo(x, id, &i))
		return -1;
	return (i.flags & XEN_DOMINF_shutdown) &&
	       ((i.flags >> XEN_DOMINF_shutdownshift) & 255) == SHUTDOWN_suspend;
}

static int resume(xc_interface *x, domid_t id)
{
	struct vcpu_guest_context c;

	if (xc_vcpu_getcontext(x, id, 0, &c))
		return -1;
	c.user_regs.rax = 1;
	if (xc_vcpu_setcontext(x, id, 0, &c))
		return -1;
	return xc_domain_resume_domctl(x, id);
}

int main(int argc, char **argv)
{
	xc_interface *x;
	struct xs_handle *xs;
	domid_t id;
	int rounds, r, fd = -1, s;
	double *sus, *cp, *res, *cyc, t0, t1, t2, t3, start, limit;
	char path[128], err[1024];
	struct xg_sr_stats st;
	uint64_t bytes = 0;

	if (argc != 5) {
		fprintf(stderr, "usage: bench_sr <socket> <domid> <rounds> <file|->\n");
		return 2;
	}
	x = xc_interface_open_socket(argv[1]);
	xs = xs_open(0);
	id = atoi(argv[2]);
	rounds = atoi(argv[3]);
	if (strcmp(argv[4], "-"))
		fd = open(argv[4], O_RDWR | O_CREAT | O_TRUNC, 0600);
	sus = calloc(rounds, sizeof(double));
	cp = calloc(rounds, sizeof(double));
	res = calloc(rounds, sizeof(double));
	cyc = calloc(rounds, sizeof(double));
	if (!x || !xs || rounds < 1 || !sus || !cp || !res || !cyc ||
	    (strcmp(argv[4], "-") && fd < 0)) {
		fprintf(stderr, "bench_sr: cannot start: %s\n", strerror(errno));
		return 1;
	}
	snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", id);
	start = now_ms();
	for (r = 0; r < rounds; r++) {
		t0 = now_ms();
		if (!xs_write(xs, XBT_NULL, path, "suspend", 7))
			goto fail;
		limit = t0 + 30000;
		while (!(s = suspended(x, id)) && now_ms() < limit)
			sched_yield();
		if (s != 1)
			goto fail;
		t1 = now_ms();
		if (fd >= 0) {
			struct xg_sr_out o;

			if (ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET) ||
			    xg_sr_out_init(&o, fd) ||
			    tl_stream_write(x, &o, id, &st, err, sizeof(err))) {
				fprintf(stderr, "bench_sr: %s\n", err);
				goto fail;
			}
			xg_sr_out_free(&o);
			bytes = st.bytes;
		}
		t2 = now_ms();
		if (resume(x, id))
			goto fail;
		t3 = now_ms();
		sus[r] = t1 - t0;
		cp[r] = t2 - t1;
		res[r] = t3 - t2;
		cyc[r] = t3 - t0;
	}
	printf("bench sr: %s, %d rounds: suspend %.2f ms, %s%.2f ms, resume %.3f ms; round trip %.2f ms (medians); %.1f cycles/s overall\n",
	       fd >= 0 ? "checkpoint" : "suspend-cancel", rounds,
	       median(sus, rounds), fd >= 0 ? "copy " : "copy none ",
	       median(cp, rounds), median(res, rounds), median(cyc, rounds),
	       rounds / ((now_ms() - start) / 1e3));
	if (fd >= 0)
		printf("bench sr: checkpoint copy: %.0f MiB/s (%lu MiB)\n",
		       (bytes / 1048576.0) / (median(cp, rounds) / 1e3),
		       (unsigned long)(bytes >> 20));
	return 0;
fail:
	fprintf(stderr, "bench_sr: round %d failed\n", r);
	return 1;
}
