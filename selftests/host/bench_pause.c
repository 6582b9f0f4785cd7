// SPDX-License-Identifier: MIT
/*
 * Pause and unpause latency for `make bench`, as save and migration will
 * pay it: a running domain's control socket (argv[1], domain argv[2]),
 * 500 cycles of pausedomain (returns once every vCPU is parked with its
 * context saved), the 4 contexts read, unpausedomain.  Prints
 * "bench pause: <what> <value> us" lines: median, 90th percentile and
 * worst of each step.  Figures, not a pass or fail.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "tools/libs/ctrl/xc.h"

#define CYCLES	500

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *what, uint64_t *ns)
{
	qsort(ns, CYCLES, sizeof(*ns), cmp);
	printf("bench pause: %s median %.1f us, p90 %.1f us, worst %.1f us\n",
	       what, ns[CYCLES / 2] / 1e3, ns[CYCLES * 9 / 10] / 1e3,
	       ns[CYCLES - 1] / 1e3);
}

int main(int argc, char **argv)
{
	static uint64_t pause_ns[CYCLES], ctx_ns[CYCLES], unpause_ns[CYCLES];
	struct hv_domctl_getdomaininfo info;
	struct vcpu_guest_context c;
	xc_interface *x;
	unsigned int i, v, domid, errors = 0;
	uint64_t t;

	if (argc != 3 || !(x = xc_interface_open_socket(argv[1]))) {
		fprintf(stderr, "usage: bench_pause <control socket> <domid>\n");
		return 1;
	}
	domid = atoi(argv[2]);
	if (xc_domain_getinfo(x, domid, &info)) {
		fprintf(stderr, "bench_pause: no domain %u there\n", domid);
		return 1;
	}
	for (i = 0; i < CYCLES; i++) {
		t = now_ns();
		errors += xc_domain_pause(x, domid) != 0;
		pause_ns[i] = now_ns() - t;
		t = now_ns();
		for (v = 0; v <= info.max_vcpu_id; v++)
			errors += xc_vcpu_getcontext(x, domid, v, &c) != 0;
		ctx_ns[i] = now_ns() - t;
		t = now_ns();
		errors += xc_domain_unpause(x, domid) != 0;
		unpause_ns[i] = now_ns() - t;
		usleep(2000);
	}
	printf("bench pause: %u cycles on %u vCPUs, %u errors\n", CYCLES,
	       info.max_vcpu_id + 1, errors);
	report("pausedomain (all vCPUs parked)", pause_ns);
	report("getvcpucontext x all vCPUs", ctx_ns);
	report("unpausedomain", unpause_ns);
	xc_interface_close(x);
	return errors ? 1 : 0;
}
