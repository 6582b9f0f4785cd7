// SPDX-License-Identifier: MIT
/*
 * offline_tool: what the page offline tests need that a shell cannot do,
 * on a suspended domain, through its control socket.
 *
 *   offline_tool pick <control socket> <domid> <kind> <seed>
 *       one mfn of that kind, chosen by seed among all of them: l1, l2,
 *       l3, l4 (pagetables by getpageframeinfo3), data (not a pagetable),
 *       p2m (a page of the published p2m), framelist (a frame list page),
 *       fll (the frame list list), start_info (vCPU 0's suspend
 *       argument), store, console (the rings start_info names), stack
 *       (the page under a vCPU's stack pointer), shinfo (the
 *       hypervisor's shared_info), selfmap (an L1 with an entry that
 *       maps its own frame), pinned (a pinned L1..L3), free (a
 *       frame nobody owns); exit 2 if none
 *   offline_tool state <control socket> <domid>
 *       every pfn's frame, type (with the pin), counts and a hash of its
 *       contents, one line each, then every vCPU's context hash: two
 *       states compare equal exactly when the guest is as it was
 *   offline_tool alias <control socket> <domid> <mfn> <n>
 *       maps the frame read-only in up to n empty entries of the
 *       domain's L1 tables in use (the benchmark's extra mappings: how
 *       the offline time grows with the entries that map a frame);
 *       prints how many it made
 *   offline_tool pin|unpin <control socket> <domid> <mfn> [level]
 *       pins the table at that level, or unpins it, on the domain's
 *       behalf (the fault tests' pinned table)
 *   offline_tool audit <control socket> <domid>
 *       the hypervisor's PV MMU audit now: "clean", or what it found
 *   offline_tool status <control socket> <domid> <mfn>
 *       the frame's offline status and owner (PG_OFFLINE_STATUS_*)
 *
 * The tree walks here are its own, not the library's: what they find is
 * a second reading, not the code under test reading itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/libs/ctrl/xc.h"
#include <xen/interface/xen.h>

#define FPP	512UL
#define ADDR	0x000ffffffffff000UL

struct dom {
	xc_interface *x;
	domid_t id;
	struct hv_domctl_getdomaininfo info;
	struct xc_foreign_map mem;
	mfn_t *mfns;
	uint32_t *types;
	uint64_t n;
};

static int open_dom(struct dom *d, const char *sock, const char *id)
{
	pfn_t *pfns;
	uint64_t i;

	d->x = xc_interface_open_socket(sock);
	d->id = atoi(id);
	if (!d->x || xc_domain_getinfo(d->x, d->id, &d->info) ||
	    xc_map_foreign(d->x, d->id, &d->mem)) {
		fprintf(stderr, "offline_tool: cannot reach domain %s at %s\n",
			id, sock);
		return -1;
	}
	d->n = d->info.max_pages;
	d->mfns = malloc(d->n * sizeof(*d->mfns));
	d->types = malloc(d->n * sizeof(*d->types));
	pfns = malloc(d->n * sizeof(*pfns));
	for (i = 0; i < d->n; i++)
		pfns[i] = _pfn(i);
	if (xc_get_memlist(d->x, d->id, _pfn(0), d->n, d->mfns) ||
	    xc_get_pfn_type_batch(d->x, d->id, d->n, pfns, d->types)) {
		fprintf(stderr, "offline_tool: memlist or types failed\n");
		return -1;
	}
	free(pfns);
	return 0;
}

static uint64_t *page(struct dom *d, uint64_t mfn)
{
	return xc_foreign_frame(&d->mem, _mfn(mfn));
}

static unsigned int level(uint32_t type)
{
	uint32_t t = type & XEN_DOMCTL_PFINFO_LTAB_MASK;

	if (t == XEN_DOMCTL_PFINFO_XTAB)
		return 0;
	return (t & XEN_DOMCTL_PFINFO_LTABTYPE_MASK) >>
	       XEN_DOMCTL_PFINFO_LTAB_SHIFT;
}

static uint64_t hash(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint64_t h = 1469598103934665603ULL;

	while (len--)
		h = (h ^ *b++) * 1099511628211ULL;
	return h;
}

/* The mfn a va maps to in the L4 at l4, or 0. */
static uint64_t walk(struct dom *d, uint64_t l4, uint64_t va)
{
	uint64_t mfn = l4;
	int lv;

	for (lv = 3; lv >= 0; lv--) {
		uint64_t *t = page(d, mfn), e;

		if (!t)
			return 0;
		e = t[(va >> (12 + 9 * lv)) & 511];
		if (!(e & 1))
			return 0;
		mfn = (e & ADDR) >> 12;
	}
	return mfn;
}

static int pick(struct dom *d, const char *kind, unsigned long seed)
{
	struct shared_info *si = (void *)page(d, d->info.shared_info_frame);
	uint64_t *cand = malloc((d->n + 64) * sizeof(*cand)), nc = 0, i;
	struct vcpu_guest_context c;

	if (!strcmp(kind, "data") || kind[0] == 'l') {
		unsigned int want = kind[0] == 'l' ? kind[1] - '0' : 0;

		for (i = 0; i < d->n; i++)
			if (mfn_valid_raw(d->mfns[i]) &&
			    (d->types[i] & XEN_DOMCTL_PFINFO_LTAB_MASK) !=
			    XEN_DOMCTL_PFINFO_XTAB &&
			    level(d->types[i]) == want)
				cand[nc++] = mfn_x(d->mfns[i]);
	} else if (!strcmp(kind, "selfmap")) {
		for (i = 0; i < d->n; i++) {
			uint64_t *t = mfn_valid_raw(d->mfns[i]) ?
				      page(d, mfn_x(d->mfns[i])) : NULL;
			unsigned int j;

			for (j = 0; t && level(d->types[i]) == 1 && j < 512; j++)
				if ((t[j] & 1) &&
				    (t[j] & ADDR) >> 12 == mfn_x(d->mfns[i])) {
					cand[nc++] = mfn_x(d->mfns[i]);
					break;
				}
		}
	} else if (!strcmp(kind, "pinned")) {
		for (i = 0; i < d->n; i++)
			if ((d->types[i] & XEN_DOMCTL_PFINFO_LPINTAB) &&
			    level(d->types[i]) && level(d->types[i]) < 4)
				cand[nc++] = mfn_x(d->mfns[i]);
	} else if (!strcmp(kind, "free")) {
		struct hv_domctl_frame_state fs;

		for (i = 1; i < d->mem.nr_frames && !nc; i++)
			if (!xc_frame_state(d->x, d->id, _mfn(i), &fs) &&
			    fs.owner == DOMID_INVALID &&
			    !(fs.flags & (HV_FRAME_XENHEAP | HV_FRAME_OFFLINED)))
				cand[nc++] = i;
	} else if (!strcmp(kind, "shinfo")) {
		cand[nc++] = d->info.shared_info_frame;
	} else if (!strcmp(kind, "fll")) {
		cand[nc++] = si->arch.pfn_to_mfn_frame_list_list;
	} else if (!strcmp(kind, "framelist") || !strcmp(kind, "p2m")) {
		uint64_t *fll = page(d, si->arch.pfn_to_mfn_frame_list_list);
		uint64_t pages = (si->arch.max_pfn + FPP - 1) / FPP, j;

		for (i = 0; fll && i < (pages + FPP - 1) / FPP; i++) {
			uint64_t *fl = page(d, fll[i]);

			if (kind[0] == 'f') {
				cand[nc++] = fll[i];
				continue;
			}
			for (j = 0; fl && j < FPP && i * FPP + j < pages; j++)
				cand[nc++] = fl[j];
		}
	} else if (!strcmp(kind, "start_info") || !strcmp(kind, "store") ||
		   !strcmp(kind, "console")) {
		struct start_info *s;

		if (xc_vcpu_getcontext(d->x, d->id, 0, &c))
			return 1;
		s = (void *)page(d, c.user_regs.rdx);
		if (!strcmp(kind, "start_info"))
			cand[nc++] = c.user_regs.rdx;
		else if (s && !strcmp(kind, "store") && s->store_mfn < d->n)
			/* While suspended start_info holds pfns. */
			cand[nc++] = mfn_x(d->mfns[s->store_mfn]);
		else if (s && s->console.domU.mfn < d->n)
			cand[nc++] = mfn_x(d->mfns[s->console.domU.mfn]);
	} else if (!strcmp(kind, "stack")) {
		for (i = 0; i < d->info.max_vcpu_id + 1; i++) {
			uint64_t m;

			if (xc_vcpu_getcontext(d->x, d->id, i, &c) ||
			    !(c.flags & VGCF_online))
				continue;
			m = walk(d, xen_cr3_to_pfn(c.ctrlreg[3]),
				 c.user_regs.rsp);
			if (m)
				cand[nc++] = m;
		}
	} else {
		fprintf(stderr, "offline_tool: no kind '%s'\n", kind);
		return 1;
	}
	if (!nc)
		return 2;
	printf("%#lx\n", (unsigned long)cand[seed % nc]);
	return 0;
}

static int state(struct dom *d)
{
	struct vcpu_guest_context c;
	uint64_t i;

	for (i = 0; i < d->n; i++) {
		struct hv_domctl_frame_state fs = { 0 };
		const void *p = mfn_valid_raw(d->mfns[i]) ?
				page(d, mfn_x(d->mfns[i])) : NULL;

		if (p && level(d->types[i]))
			xc_frame_state(d->x, d->id, d->mfns[i], &fs);
		printf("%#lx %#lx %#x %u %u %#x %016lx\n", (unsigned long)i,
		       (unsigned long)mfn_x(d->mfns[i]), d->types[i], fs.count,
		       fs.type_count, fs.flags,
		       p ? (unsigned long)hash(p, 4096) : 0UL);
	}
	for (i = 0; i <= d->info.max_vcpu_id; i++)
		if (!xc_vcpu_getcontext(d->x, d->id, i, &c))
			printf("vcpu %lu %016lx\n", (unsigned long)i,
			       (unsigned long)hash(&c, sizeof(c)));
	printf("tot_pages %lu\n", (unsigned long)d->info.tot_pages);
	return 0;
}

static int alias(struct dom *d, uint64_t mfn, uint64_t want)
{
	uint64_t made = 0, i;
	unsigned int j;

	for (i = 0; i < d->n && made < want; i++) {
		struct hv_domctl_frame_state fs;
		uint64_t *t;

		if (level(d->types[i]) != 1 || !mfn_valid_raw(d->mfns[i]) ||
		    xc_frame_state(d->x, d->id, d->mfns[i], &fs) ||
		    !fs.type_count)
			continue;
		t = page(d, mfn_x(d->mfns[i]));
		for (j = 0; j < 512 && made < want; j++) {
			struct mmu_update u = {
				.ptr = (mfn_x(d->mfns[i]) << 12) + j * 8 +
				       MMU_NORMAL_PT_UPDATE,
				.val = (mfn << 12) | 0x21,	/* P, A */
			};

			if (t[j])
				continue;
			if (xc_mmu_update(d->x, d->id, &u, 1, NULL))
				break;
			made++;
		}
	}
	printf("%lu\n", (unsigned long)made);
	return 0;
}

int main(int argc, char **argv)
{
	struct dom d = { 0 };

	if (argc < 4)
		goto usage;
	if (open_dom(&d, argv[2], argv[3]))
		return 1;
	if (argc == 6 && !strcmp(argv[1], "pick"))
		return pick(&d, argv[4], strtoul(argv[5], NULL, 0));
	if (argc == 6 && !strcmp(argv[1], "alias"))
		return alias(&d, strtoull(argv[4], NULL, 0),
			     strtoull(argv[5], NULL, 0));
	if ((argc == 6 && !strcmp(argv[1], "pin")) ||
	    (argc == 5 && !strcmp(argv[1], "unpin")))
		return xc_mmuext_pin(d.x, d.id, argc == 6 ? atoi(argv[5]) : 0,
				     _mfn(strtoull(argv[4], NULL, 0))) ? 1 : 0;
	if (argc == 4 && !strcmp(argv[1], "state"))
		return state(&d);
	if (argc == 4 && !strcmp(argv[1], "audit")) {
		char *why = NULL;
		int rc = xc_domain_audit(d.x, d.id, &why);

		printf("%s\n", rc ? (why ? why : strerror(-rc)) : "clean");
		free(why);
		return rc ? 1 : 0;
	}
	if (argc == 5 && !strcmp(argv[1], "status")) {
		uint32_t st = 0;
		int rc = xc_page_offline_op(d.x, d.id, HV_PAGE_QUERY,
					    _mfn(strtoull(argv[4], NULL, 0)),
					    &st);

		printf("%s\n", rc ? strerror(-rc) :
		       st & PG_OFFLINE_STATUS_OFFLINED ? "offlined" :
		       st & PG_OFFLINE_STATUS_OFFLINE_PENDING ? "pending" :
		       "online");
		return rc ? 1 : 0;
	}
usage:
	fprintf(stderr, "usage: offline_tool pick|state|status <control socket> <domid> ...\n");
	return 1;
}
