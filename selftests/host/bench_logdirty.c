// SPDX-License-Identifier: MIT
/*
 * Log-dirty's costs for `make bench`, each mechanism measured in the same
 * run so that the ratios mean something on a shared, noisy machine.
 *
 * Without arguments, in-process, on flat test domains of 256 MiB and
 * 1 GiB whose every page is mapped and written first (the test's thread
 * plays the guest, as in t_logdirty): ENABLE, the first touch of every
 * page after it, the first write of a round to an already mapped page
 * (against a write with log-dirty off), CLEAN and PEEK with every page
 * dirty, with one page in seven dirty, with none, and OFF.
 *
 * With "live <control socket> <domid> <console log>": a running guest
 * under ptstress; its pagetable updates per second with log-dirty off,
 * then on with a CLEAN every 100 ms, then off again, read from the
 * guest's own counters (debug key 'q').
 *
 * Prints "bench logdirty: ..." lines; never fails on a number.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hv/arch/x86/private.h"
#include "hv/arch/x86/mm/private.h"
#include "hv/testing.h"
#include "tools/libs/ctrl/xc.h"

static xc_interface *xch;
static uint8_t bm[HV_DOMCTL_MAX_PAYLOAD];
static struct hv_vcpu *guest_vcpu;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* A shadow miss of the "guest" (this thread): the vCPU handler's job. */
static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	uint64_t ec;

	if (hv_shadow_fault(guest_vcpu, (uint64_t)si->si_addr, UC_REG(uc, ERR),
			    &ec) != HV_SHADOW_RETRY)
		_exit(3);
}

static long ld(unsigned int op, unsigned int mode, uint8_t *b, uint64_t pages,
	       xc_shadow_op_stats_t *st)
{
	return xc_logdirty_control(xch, HV_TEST_DOMID, op, b, pages, mode, st);
}

/* ns per page to write one word into every step-th page of [0, n). */
static double write_pages(uint64_t n, uint64_t step, uint64_t val)
{
	uint64_t t = now_ns(), i, count = 0;

	for (i = 0; i < n; i += step, count++)
		*(volatile uint64_t *)(HV_TEST_VA + i * HV_PAGE_SIZE + 64) = val;
	return (double)(now_ns() - t) / count;
}

static double timed_ms(unsigned int op, uint64_t pages, uint64_t *dirty)
{
	xc_shadow_op_stats_t st = { 0 };
	uint64_t t = now_ns();

	ld(op, 0, op == XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY ||
		  op == XEN_DOMCTL_SHADOW_OP_OFF ? NULL : bm, pages, &st);
	t = now_ns() - t;
	if (dirty)
		*dirty = st.dirty_count;
	return t / 1e6;
}

static void one(const char *env, const char *mech, uint64_t nr, double *first)
{
	uint64_t data = nr - hv_test_flat_tables(nr), dirty;
	double off_ns, touch, enable, c_all, p_all, c_7, c_0, off;
	struct hv_domain *d;
	char err[256];

	setenv("TERN_HV_LOGDIRTY", env, 1);
	d = hv_test_domain_flat(nr, 1, err, sizeof(err));
	if (!d) {
		printf("bench logdirty: %s\n", err);
		return;
	}
	guest_vcpu = &d->vcpus[0];
	write_pages(data, 1, 1);
	off_ns = write_pages(data, 1, 2);
	enable = timed_ms(XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, 0, NULL);
	touch = write_pages(data, 1, 3);
	timed_ms(XEN_DOMCTL_SHADOW_OP_CLEAN, nr, NULL);
	*first = write_pages(data, 1, 4);
	p_all = timed_ms(XEN_DOMCTL_SHADOW_OP_PEEK, nr, NULL);
	c_all = timed_ms(XEN_DOMCTL_SHADOW_OP_CLEAN, nr, &dirty);
	write_pages(data, 7, 5);
	c_7 = timed_ms(XEN_DOMCTL_SHADOW_OP_CLEAN, nr, &dirty);
	c_0 = timed_ms(XEN_DOMCTL_SHADOW_OP_CLEAN, nr, NULL);
	off = timed_ms(XEN_DOMCTL_SHADOW_OP_OFF, 0, NULL);
	printf("bench logdirty: %s %lu MiB: enable %.2f ms, then first touch %.2f us/page\n",
	       mech, (unsigned long)(nr >> 8), enable, touch / 1e3);
	printf("bench logdirty: %s %lu MiB: first write of a round %.2f us/page (%.1f ns with log-dirty off: x%.0f)\n",
	       mech, (unsigned long)(nr >> 8), *first / 1e3, off_ns, *first / off_ns);
	printf("bench logdirty: %s %lu MiB: clean %.2f ms all %lu dirty (%.0f ns/page), peek %.2f ms; clean %.2f ms with %lu dirty, %.2f ms with none; off %.2f ms\n",
	       mech, (unsigned long)(nr >> 8), c_all, (unsigned long)data,
	       c_all * 1e6 / data, p_all, c_7, (unsigned long)dirty, c_0, off);
	hv_test_domain_free(d);
}

static int in_process(void)
{
	static const char *const mechs[][2] = {
		{ "uffd", "uffd-wp-async" }, { "ro", "read-only-shadow" },
	};
	static const uint64_t sizes[] = { 65536, 262144 };
	double first[2][2] = { { 0 } };
	struct sigaction sa;
	unsigned int m, s;
	char err[256];

	if (hv_shadow_reserve(err, sizeof(err))) {
		printf("bench logdirty: %s\n", err);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	xch = xc_interface_open_local();
	for (s = 0; s < 2; s++)
		for (m = 0; m < 2; m++)
			one(mechs[m][0], mechs[m][1], sizes[s], &first[m][s]);
	for (s = 0; s < 2; s++)
		if (first[0][s] > 0)
			printf("ratio: first write of a round, read-only-shadow / uffd-wp-async, %lu MiB = %.1f\n",
			       (unsigned long)(sizes[s] >> 8),
			       first[1][s] / first[0][s]);
	return 0;
}

/* ---- a live guest's ptstress ---- */

/* ptstress's updates so far, from the guest's answer to debug key 'q'. */
static int64_t updates(xc_interface *x, unsigned int domid, const char *log)
{
	static long seen;
	unsigned long long r, u = 0, mm, e;
	char line[512], *text = NULL;
	unsigned int tries;
	long n;

	xc_debug_keys(x, domid, "q", &text);
	free(text);
	for (tries = 0; tries < 200; tries++) {
		FILE *f = fopen(log, "r");
		bool got = false;

		n = 0;
		while (f && fgets(line, sizeof(line), f)) {
			char *p = strstr(line, "debug: ptstress: ");

			if (p && ++n > seen &&
			    sscanf(p, "debug: ptstress: %llu rounds, %llu updates, %llu mismatches, %llu errors",
				   &r, &u, &mm, &e) == 4)
				got = true;
		}
		if (f)
			fclose(f);
		if (got) {
			seen = n;
			return u;
		}
		usleep(10 * 1000);
	}
	return -1;
}

static double rate(xc_interface *x, unsigned int domid, const char *log,
		   uint64_t pages, uint64_t *cleans, double *clean_ms,
		   uint64_t *dirty)
{
	uint64_t t0 = now_ns(), t, end;
	int64_t u0 = updates(x, domid, log), u1;
	xc_shadow_op_stats_t st;

	end = t0 + 2000000000ULL;
	while ((t = now_ns()) < end) {
		if (!pages) {
			usleep(100 * 1000);
			continue;
		}
		xc_logdirty_control(x, domid, XEN_DOMCTL_SHADOW_OP_CLEAN, bm,
				    pages, 0, &st);
		*clean_ms += (now_ns() - t) / 1e6;
		*dirty += st.dirty_count;
		(*cleans)++;
		usleep(100 * 1000);
	}
	u1 = updates(x, domid, log);
	if (u0 < 0 || u1 < 0)
		return 0;
	return (u1 - u0) * 1e9 / (now_ns() - t0);
}

static int live(const char *sock, unsigned int domid, const char *log,
		const char *mech)
{
	uint64_t cleans = 0, dirty = 0, none = 0;
	double off1, on[2], off2[2], clean_ms = 0, dummy = 0;
	unsigned int i;
	xc_interface *x = xc_interface_open_socket(sock);
	struct hv_domctl_getdomaininfo info;

	if (!x || xc_domain_getinfo(x, domid, &info)) {
		printf("bench logdirty: no domain %u at %s\n", domid, sock);
		return 1;
	}
	/* Off and on twice each, 2 s a phase: the machine's noise shows. */
	off1 = rate(x, domid, log, 0, &none, &dummy, &none);
	for (i = 0; i < 2; i++) {
		xc_logdirty_control(x, domid, XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY,
				    NULL, 0, 0, NULL);
		on[i] = rate(x, domid, log, info.max_pages, &cleans, &clean_ms,
			     &dirty);
		xc_logdirty_control(x, domid, XEN_DOMCTL_SHADOW_OP_OFF, NULL, 0,
				    0, NULL);
		off2[i] = rate(x, domid, log, 0, &none, &dummy, &none);
	}
	xc_interface_close(x);
	printf("bench logdirty: %s ptstress on 4 vCPUs, updates/s: off %.0f, on %.0f, off %.0f, on %.0f, off %.0f (a CLEAN every 100 ms while on: %lu of them, %.2f ms and %lu dirty pages each)\n",
	       mech, off1, on[0], off2[0], on[1], off2[1], (unsigned long)cleans,
	       cleans ? clean_ms / cleans : 0,
	       (unsigned long)(cleans ? dirty / cleans : 0));
	if (off1 + off2[0] + off2[1] > 0)
		printf("ratio: ptstress updates/s, %s log-dirty on / off = %.2f\n",
		       mech, (on[0] + on[1]) / 2 /
		       ((off1 + off2[0] + off2[1]) / 3));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 1)
		return in_process();
	if (argc == 6 && !strcmp(argv[1], "live"))
		return live(argv[2], atoi(argv[3]), argv[4], argv[5]);
	fprintf(stderr, "usage: bench_logdirty [live <control socket> <domid> <console log> <mechanism>]\n");
	return 1;
}
