// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the restore side of libxc's stream
 * (tools/libs/guest/xg_sr_restore*.c): each input is a stream, restored
 * through the domctls into a new domain of this process, as tern-xl
 * restore does in the domain's own process.  Every input must end one of
 * two ways:
 *
 *   - restored: then the hypervisor's PV MMU audit finds nothing wrong
 *     (reference counts, types, pins, the m2p against the p2m), and the
 *     domain, destroyed, gives every frame back;
 *   - refused: then the message names where (an offset), and no domain
 *     is left behind.
 *
 * FUZZ_RESTORE_VERBOSE=1 says which, for each input run.
 *
 * Anything else -- an audit failure, a leaked frame or domain, a refusal
 * without its place, a crash, a sanitizer report -- aborts (a finding).
 *
 * The seed is a stream written here (fuzz_restore --write-seed DIR), a
 * second writer of the format: a 16-page guest whose L4, L3, L2 and L1
 * map its pages at the bottom of the guest window (the tables read-only,
 * the L4 pinned), a p2m frame, start_info naming its xenstore and console
 * pages by pfn, shared_info, a TSC record and vCPU 0's context with
 * start_info's pfn in rdx.  It restores cleanly; the mutations take it
 * from there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "last_input.h"
#include "hv/common/private.h"
#include "tools/libs/guest/xg.h"
#include <xen/interface/migration.h>

#define DOMID		7
#define MAX_PAGES	64
#define SEED_PAGES	16
#define PAGE		4096

static void fail(const char *what, const char *why)
{
	fprintf(stderr, "fuzz_restore: %s: %s\n", what, why);
	abort();
}

/* ---- the seed ---- */

struct buf {
	uint8_t *p;
	size_t len;
};

static void put(struct buf *b, const void *p, size_t n)
{
	if (!n)
		return;
	b->p = realloc(b->p, b->len + n);
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void record(struct buf *b, uint32_t type, const void *p, size_t n)
{
	static const uint8_t zero[8];
	uint32_t h[2] = { type, (uint32_t)n };

	put(b, h, 8);
	put(b, p, n);
	put(b, zero, (8 - n % 8) % 8);
}

#define PT_P	0x001ULL
#define PT_RW	0x002ULL
#define PT_U	0x004ULL
#define PT_A	0x020ULL
#define PT_D	0x040ULL

static void seed_stream(struct buf *b)
{
	static uint8_t pages[SEED_PAGES][PAGE];
	struct xc_sr_ihdr ih = {
		.marker = XC_SR_IHDR_MARKER, .id = __builtin_bswap32(XC_SR_IHDR_ID),
		.version = __builtin_bswap32(3),
	};
	struct xc_sr_dhdr dh = { .type = XC_SR_DHDR_TYPE_X86_PV,
				 .page_shift = 12, .xen_major = 4, .xen_minor = 17 };
	struct xc_sr_rec_x86_pv_info info = { .guest_width = 8, .pt_levels = 4 };
	struct { uint32_t s, e; uint64_t pfn; } p2m = { 0, SEED_PAGES - 1, 4 };
	struct xc_sr_rec_x86_tsc_info tsc = { .khz = 2000000 };
	struct { uint32_t count, res; uint64_t pfn[SEED_PAGES]; } pd = {
		.count = SEED_PAGES,
	};
	struct { uint32_t id, res; struct vcpu_guest_context c; } vc = { 0 };
	static uint8_t shinfo[PAGE];
	struct start_info *si = (struct start_info *)pages[5];
	uint64_t *t, i, va = HV_GUEST_VA_START;

	t = (uint64_t *)pages[0];
	t[(va >> 39) & 511] = (1ULL << 12) | PT_P | PT_RW | PT_U | PT_A;
	t = (uint64_t *)pages[1];
	t[0] = (2ULL << 12) | PT_P | PT_RW | PT_U | PT_A;
	t = (uint64_t *)pages[2];
	t[0] = (3ULL << 12) | PT_P | PT_RW | PT_U | PT_A;
	t = (uint64_t *)pages[3];
	for (i = 0; i < SEED_PAGES; i++)
		t[i] = (i << 12) | PT_P | PT_U | PT_A |
		       (i < 4 ? 0 : PT_RW | PT_D);
	t = (uint64_t *)pages[4];
	for (i = 0; i < SEED_PAGES; i++)
		t[i] = 0x5000 + i;		/* the old host's frames */
	memcpy(si->magic, "xen-3.0-x86_64", 14);
	si->nr_pages = SEED_PAGES;
	si->store_mfn = 6;
	si->console.domU.mfn = 7;
	for (i = 8; i < SEED_PAGES; i++)
		memset(pages[i], (int)i, PAGE);
	for (i = 0; i < SEED_PAGES; i++)
		pd.pfn[i] = i | ((uint64_t)(i == 0 ? XEN_DOMCTL_PFINFO_L4TAB |
					    XEN_DOMCTL_PFINFO_LPINTAB :
					    i <= 3 ? (4 - i) << 28 : 0) << 32);
	((struct shared_info *)shinfo)->arch.max_pfn = SEED_PAGES;
	vc.c.flags = VGCF_in_kernel | VGCF_online;
	vc.c.user_regs.rip = va + 8 * PAGE;
	vc.c.user_regs.rsp = va + 10 * PAGE;
	vc.c.user_regs.rdx = 5;
	vc.c.user_regs.rflags = 0x202;
	vc.c.user_regs.cs = FLAT_KERNEL_CS;
	vc.c.user_regs.ss = FLAT_KERNEL_SS;
	vc.c.kernel_ss = FLAT_KERNEL_SS;
	vc.c.kernel_sp = vc.c.user_regs.rsp;
	vc.c.ctrlreg[3] = xen_pfn_to_cr3(0);

	put(b, &ih, sizeof(ih));
	put(b, &dh, sizeof(dh));
	record(b, XC_SR_REC_X86_PV_INFO, &info, sizeof(info));
	record(b, XC_SR_REC_STATIC_DATA_END, NULL, 0);
	record(b, XC_SR_REC_X86_PV_P2M_FRAMES, &p2m, sizeof(p2m));
	{
		uint32_t h[2] = { XC_SR_REC_PAGE_DATA, sizeof(pd) + sizeof(pages) };

		put(b, h, 8);
		put(b, &pd, sizeof(pd));
		put(b, pages, sizeof(pages));
	}
	record(b, XC_SR_REC_X86_TSC_INFO, &tsc, sizeof(tsc));
	record(b, XC_SR_REC_SHARED_INFO, shinfo, sizeof(shinfo));
	record(b, XC_SR_REC_X86_PV_VCPU_BASIC, &vc, sizeof(vc));
	record(b, XC_SR_REC_END, NULL, 0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct buf b = { 0 };
	char path[4200];
	FILE *f;

	if (*argc != 3 || strcmp((*argv)[1], "--write-seed"))
		return 0;
	seed_stream(&b);
	snprintf(path, sizeof(path), "%s/seed", (*argv)[2]);
	f = fopen(path, "w");
	if (!f || fwrite(b.p, 1, b.len, f) != b.len || fclose(f))
		fail("writing the seed", strerror(errno));
	exit(0);
}

/* ---- one input ---- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static xc_interface *xch;
	struct hv_domain *d;
	struct xg_restore r;
	struct xg_sr_in in;
	char err[1024], why[4096];
	uint64_t left;

	fuzz_keep_input(data, size);
	if (!xch)
		xch = xc_interface_open_local();
	xg_sr_in_init_mem(&in, data, size);
	xg_restore_init(&r);
	r.domid = DOMID;
	r.max_pages = MAX_PAGES;
	r.nr_vcpus = 2;
	r.seed = 1;
	if (xg_domain_restore(xch, &in, &r, err, sizeof(err))) {
		if (getenv("FUZZ_RESTORE_VERBOSE"))
			fprintf(stderr, "refused: %s\n", err);
		if (hv_domain_find(DOMID))
			fail("a refused stream left its domain", err);
		if (!strstr(err, "offset"))
			fail("a refusal that does not say where", err);
		return 0;
	}
	xg_restore_release(&r);
	if (getenv("FUZZ_RESTORE_VERBOSE"))
		fprintf(stderr, "restored: %lu pages, %lu pagetables\n",
			(unsigned long)r.stats.pages,
			(unsigned long)r.stats.pagetables);
	d = hv_domain_find(DOMID);
	if (!d)
		fail("restored", "no domain");
	if (hv_mmu_audit(d, why, sizeof(why)))
		fail("the restored domain fails the audit", why);
	left = hv_domain_destroy(d);
	if (left) {
		snprintf(why, sizeof(why), "%lu frames not given back",
			 (unsigned long)left);
		fail("destroying the restored domain", why);
	}
	return 0;
}
