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
 *
 * The xenstore ring is the one use of a guest frame outside the
 * hypervisor: tern-xenstored maps it.  The library calls back here to
 * freeze the daemon's ring before it copies the page and to move it
 * after (XS_CONTROL ring-freeze / ring-move / ring-thaw, on one
 * connection: if tern-xl dies between them the daemon thaws the ring
 * where it was); the domain's store/ring-ref node then names the new
 * frame, as a builder would have written it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xenstore.h>

#include "xl.h"
#include "xl_saverestore.h"
#include "xl_store.h"

#define DEFAULT_WAIT_S	60

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* The daemon end of the library's callbacks: one XS_CONTROL command. */
struct ring_mover {
	struct xs_handle *xs;
	unsigned int domid;
};

static int ring_command(struct ring_mover *r, const char *cmd,
			const char *arg, char *err, size_t errlen)
{
	char data[64], *reply;
	int len;

	len = snprintf(data, sizeof(data), "%u", r->domid) + 1;
	if (arg)
		len += snprintf(data + len, sizeof(data) - len, "%s", arg) + 1;
	reply = xs_control_command(r->xs, cmd, data, len);
	if (!reply) {
		snprintf(err, errlen, "tern-xenstored's %s: %s", cmd,
			 strerror(errno));
		return -1;
	}
	free(reply);
	return 0;
}

static int ring_freeze(void *data, char *err, size_t errlen)
{
	return ring_command(data, "ring-freeze", NULL, err, errlen);
}

static int ring_move(void *data, mfn_t mfn, char *err, size_t errlen)
{
	char arg[32];

	snprintf(arg, sizeof(arg), "%#lx", (unsigned long)mfn_x(mfn));
	return ring_command(data, "ring-move", arg, err, errlen);
}

static int ring_thaw(void *data, char *err, size_t errlen)
{
	return ring_command(data, "ring-thaw", NULL, err, errlen);
}

/* store/ring-ref names the ring's new frame (the builder wrote the old). */
static void update_ring_ref(struct ring_mover *r, mfn_t mfn)
{
	char path[64], v[32];

	snprintf(path, sizeof(path), "/local/domain/%u/store/ring-ref",
		 r->domid);
	snprintf(v, sizeof(v), "%lu", (unsigned long)mfn_x(mfn));
	if (!xs_write(r->xs, XBT_NULL, path, v, strlen(v)))
		fprintf(stderr, "tern-xl: %s: %s\n", path, strerror(errno));
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
	struct ring_mover mover = { 0 };
	struct xg_offline_callbacks cb = {
		.ring_freeze = ring_freeze,
		.ring_move = ring_move,
		.ring_thaw = ring_thaw,
		.data = &mover,
	};
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
			if (xl_parse_number("offline-page", "-t", optarg, 86400,
					    "seconds, ", &limit))
				return XL_EXIT_ERROR;
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
	    xc_domain_getinfo(xch, dom.domid, &info))
		goto fail;
	mover.domid = dom.domid;
	mover.xs = xl_store_open();	/* without it the xenstore ring is refused */
	was_running = !(info.flags & XEN_DOMINF_shutdown);
	if (was_running && !dom.suspend_cancel) {
		fprintf(stderr, "tern-xl: domain %s (id %u): its kernel has no SUSPEND_CANCEL note: it could not resume in place after the exchange\n",
			dom.name, dom.domid);
		goto fail;
	}
	/* Refused frames are refused before the guest is disturbed. */
	if (xg_offline_page_check(xch, dom.domid, mfn, mover.xs ? &cb : NULL,
				  err, sizeof(err))) {
		fprintf(stderr, "tern-xl: offlining mfn %#lx of domain %s (id %u): %s\n",
			(unsigned long)mfn_x(mfn), dom.name, dom.domid, err);
		goto fail;
	}
	t0 = now_s();
	rc = xl_suspend_domain(xch, &dom, limit, why, sizeof(why));
	if (rc) {
		fprintf(stderr, "tern-xl: domain %s (id %u): %s\n", dom.name,
			dom.domid, why);
		goto fail;
	}
	t1 = now_s();
	rc = xg_offline_page(xch, dom.domid, mfn, mover.xs ? &cb : NULL, &res,
			     err, sizeof(err));
	if (!rc && (res.held & HV_HOLD_STORE_RING))
		update_ring_ref(&mover, res.new_mfn);
	if (was_running && (!rc || !res.committed) &&
	    xl_resume_domain(xch, &dom, why, sizeof(why))) {
		fprintf(stderr, "tern-xl: domain %s (id %u) %s\n", dom.name,
			dom.domid, why);
		rc = -1;
	}
	t2 = now_s();
	xc_interface_close(xch);
	if (mover.xs)
		xs_close(mover.xs);
	if (rc) {
		fprintf(stderr, "tern-xl: offlining mfn %#lx of domain %s (id %u): %s\n",
			(unsigned long)mfn_x(mfn), dom.name, dom.domid, err);
		return XL_EXIT_ERROR;
	}
	printf("Offlined mfn %#lx of domain %s (id %u): pfn %#lx is now mfn %#lx (%s, %lu entries moved%s%s%s%s)\n",
	       (unsigned long)mfn_x(mfn), dom.name, dom.domid,
	       (unsigned long)pfn_x(res.pfn), (unsigned long)mfn_x(res.new_mfn),
	       res.level ? (const char *[]){ "", "L1", "L2", "L3", "L4" }[res.level] :
	       "data", (unsigned long)res.nr_mappings,
	       res.held & HV_HOLD_CONSOLE_RING ? ", the console ring" : "",
	       res.held & HV_HOLD_STORE_RING ? ", the xenstore ring" : "",
	       res.held & HV_HOLD_VCPU_INFO ? ", a vcpu_info" : "",
	       res.held & HV_HOLD_BASEPTR ? ", a vCPU's base pointer" : "");
	if (xl_verbose)
		fprintf(stderr, "(tern-xl) offline-page: suspend %.3f ms, exchange %.3f ms, resume %.3f ms, suspend to resume %.3f ms\n",
			(t1 - t0) * 1e3, res.ns / 1e6,
			(t2 - t1) * 1e3 - res.ns / 1e6, (t2 - t0) * 1e3);
	return XL_EXIT_OK;
fail:
	xc_interface_close(xch);
	if (mover.xs)
		xs_close(mover.xs);
	return XL_EXIT_ERROR;
}
