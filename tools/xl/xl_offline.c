// SPDX-License-Identifier: MIT
/*
 * tern-xl offline-page [--pfn] [-t SECONDS] <domain> <frame>: takes a
 * machine frame (or the frame of a pfn) away from a PV guest, as Xen's
 * xl/xen-hptool do with xc_exchange_page: the guest is suspended as a
 * save suspends it (unless it is suspended already), the library moves
 * it off the frame (tools/libs/guest/xg_offline_page.c), and it resumes
 * in place -- the cancelled-suspend return, after which the guest
 * re-derives every frame number it keeps from its p2m
 * (Documentation/page-exchange.rst says why that is enough).  A frame
 * that must be refused is refused before the guest is suspended; a
 * failure rolled back resumes the guest as it was.  Both exit 1.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xl.h"
#include "xl_saverestore.h"

#define DEFAULT_WAIT_S	60

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr, "usage: tern-xl offline-page [--pfn] [-t SECONDS] <domain> <mfn|pfn>\n");
	return XL_EXIT_ERROR;
}

/* The frame the arguments name: an mfn, or with --pfn the pfn's. */
static int frame_arg(xc_interface *xch, const struct xl_dom *dom,
		     const char *arg, bool by_pfn, mfn_t *mfn)
{
	char *end;
	uint64_t n;

	errno = 0;
	n = strtoull(arg, &end, 0);
	if (errno || !*arg || *end) {
		fprintf(stderr, "tern-xl: '%s' is not a frame number\n", arg);
		return -1;
	}
	if (!by_pfn) {
		*mfn = _mfn(n);
		return 0;
	}
	if (xc_get_memlist(xch, dom->domid, _pfn(n), 1, mfn) ||
	    !mfn_valid_raw(*mfn)) {
		fprintf(stderr, "tern-xl: domain %s (id %u) has no pfn %#lx\n",
			dom->name, dom->domid, (unsigned long)n);
		return -1;
	}
	return 0;
}

int main_offline_page(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pfn", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	struct xg_offline_result res;
	unsigned long limit = DEFAULT_WAIT_S;
	bool by_pfn = false, was_running;
	struct hv_domctl_getdomaininfo info;
	xc_interface *xch;
	struct xl_dom dom;
	char why[1024], err[1024];
	double t0, t1, t2;
	mfn_t mfn;
	int opt, rc;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+t:", longopts, NULL)) != -1) {
		if (opt == 'p') {
			by_pfn = true;
		} else if (opt == 't') {
			limit = strtoul(optarg, NULL, 10);
			if (!limit || limit > 86400)
				return usage();
		} else {
			return usage();
		}
	}
	if (argc - optind != 2)
		return usage();
	if (xl_dom_find(argv[optind], &dom)) {
		fprintf(stderr, "tern-xl: no domain '%s'\n", argv[optind]);
		return XL_EXIT_ERROR;
	}
	xch = xl_control_open(&dom, why, sizeof(why));
	if (!xch) {
		fprintf(stderr, "tern-xl: domain %s %s\n", dom.name, why);
		return XL_EXIT_ERROR;
	}
	if (frame_arg(xch, &dom, argv[optind + 1], by_pfn, &mfn) ||
	    xc_domain_getinfo(xch, dom.domid, &info)) {
		xc_interface_close(xch);
		return XL_EXIT_ERROR;
	}
	was_running = !(info.flags & XEN_DOMINF_shutdown);
	if (was_running && !dom.suspend_cancel) {
		fprintf(stderr, "tern-xl: domain %s (id %u): its kernel has no SUSPEND_CANCEL note: it could not resume in place after the exchange\n",
			dom.name, dom.domid);
		xc_interface_close(xch);
		return XL_EXIT_ERROR;
	}
	/* Refused frames are refused before the guest is disturbed. */
	if (xg_offline_page_check(xch, dom.domid, mfn, err, sizeof(err))) {
		fprintf(stderr, "tern-xl: offlining mfn %#lx of domain %s (id %u): %s\n",
			(unsigned long)mfn_x(mfn), dom.name, dom.domid, err);
		xc_interface_close(xch);
		return XL_EXIT_ERROR;
	}
	t0 = now_s();
	rc = xl_suspend_domain(xch, &dom, limit, why, sizeof(why));
	if (rc) {
		fprintf(stderr, "tern-xl: domain %s (id %u): %s\n", dom.name,
			dom.domid, why);
		xc_interface_close(xch);
		return XL_EXIT_ERROR;
	}
	t1 = now_s();
	rc = xg_offline_page(xch, dom.domid, mfn, &res, err, sizeof(err));
	if (was_running && (!rc || !res.committed) &&
	    xl_resume_domain(xch, &dom, why, sizeof(why))) {
		fprintf(stderr, "tern-xl: domain %s (id %u) %s\n", dom.name,
			dom.domid, why);
		rc = -1;
	}
	t2 = now_s();
	xc_interface_close(xch);
	if (rc) {
		fprintf(stderr, "tern-xl: offlining mfn %#lx of domain %s (id %u): %s\n",
			(unsigned long)mfn_x(mfn), dom.name, dom.domid, err);
		return XL_EXIT_ERROR;
	}
	printf("Offlined mfn %#lx of domain %s (id %u): pfn %#lx is now mfn %#lx (%s, %lu entries moved)\n",
	       (unsigned long)mfn_x(mfn), dom.name, dom.domid,
	       (unsigned long)pfn_x(res.pfn), (unsigned long)mfn_x(res.new_mfn),
	       res.level ? (const char *[]){ "", "L1", "L2", "L3", "L4" }[res.level] :
	       "data", (unsigned long)res.nr_mappings);
	if (xl_verbose)
		fprintf(stderr, "(tern-xl) offline-page: suspend %.3f ms, exchange %.3f ms, resume %.3f ms, suspend to resume %.3f ms\n",
			(t1 - t0) * 1e3, res.ns / 1e6,
			(t2 - t1) * 1e3 - res.ns / 1e6, (t2 - t0) * 1e3);
	return XL_EXIT_OK;
}
