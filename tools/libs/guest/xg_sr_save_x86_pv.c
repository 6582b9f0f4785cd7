// SPDX-License-Identifier: MIT
/*
 * Saving an x86 PV guest (Xen's xg_sr_save_x86_pv.c): what only a PV
 * guest has, read through the domctls and the foreign mapping while it is
 * suspended.
 *
 * The p2m.  A PV guest keeps its own pfn -> mfn table in its memory, and
 * publishes where in shared_info: max_pfn entries, reached through a
 * three-level tree of frames (pfn_to_mfn_frame_list_list names the frames
 * of the frame list, which name the frames of the p2m).  Nothing the
 * guest wrote is trusted: every frame of the tree must lie in the
 * machine, every p2m entry must name a frame whose m2p entry (the
 * hypervisor's, mapped read-only) names that pfn back, and the whole p2m
 * must equal what the hypervisor itself gave each pfn (getmemlist).  A
 * p2m that lies is an error that names the pfn, never a stream that
 * silently restores the wrong memory.
 *
 * Canonical pagetables.  Each present entry of a page typed L1..L4 holds
 * a frame; it becomes that frame's pfn only if the frame is the guest's
 * own, m2p and p2m agreeing.  The hypervisor's L4 slots go out empty.
 * Anything else -- a frame of another domain, of the hypervisor, one
 * beyond the machine, a superpage -- is an error naming the table's pfn,
 * the entry and its value: the guest left a frame number where the
 * toolstack cannot translate it, so the image would not restore.
 *
 * The vCPUs.  Every vCPU that is up goes as X86_PV_VCPU_BASIC, its frames
 * turned into pfns: the L4s of ctrlreg[3] and ctrlreg[1] and, on vCPU 0,
 * rdx, where the guest put its start_info frame for SHUTDOWN_suspend.
 * This hypervisor keeps the FPU in the FXSAVE image of the basic context
 * and no extended state, XSAVE area or MSRs, so EXTENDED, XSAVE and MSRS
 * records would be empty, and the specification says to leave empty
 * records out.  No CPUID or MSR policy either: the guest runs on the
 * host's CPUID, and a stream without them lets the restoring side keep
 * its default policy.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xg_sr_common.h"

#define PV (&ctx->save.pv)

static bool in_machine(struct xg_sr_ctx *ctx, mfn_t mfn)
{
	return mfn_x(mfn) < PV->mem.nr_frames &&
	       mfn_x(mfn) < PV->m2p.nr_frames;
}

/* The guest's frame for pfn per its p2m, the m2p agreeing. */
static bool own_frame(struct xg_sr_ctx *ctx, mfn_t mfn, pfn_t *pfn)
{
	pfn_t p;

	if (!in_machine(ctx, mfn))
		return false;
	p = xc_m2p_lookup(&PV->m2p, mfn);
	if (pfn_x(p) >= PV->p2m_size || !mfn_eq(PV->p2m[pfn_x(p)], mfn))
		return false;
	*pfn = p;
	return true;
}

/* A frame of the p2m's tree: in the machine, checked again once read. */
static const uint64_t *tree_frame(struct xg_sr_ctx *ctx, uint64_t raw,
				  const char *what, uint64_t i)
{
	if (!raw || raw == INVALID_MFN_RAW || !in_machine(ctx, _mfn(raw))) {
		xg_sr_fail(ctx, "the guest's p2m tree is broken: %s entry %lu names mfn %#lx, not a frame of this machine",
			   what, (unsigned long)i, (unsigned long)raw);
		return NULL;
	}
	return xc_foreign_frame(&PV->mem, _mfn(raw));
}

/* Copies the p2m through the frame list the guest published. */
static int read_p2m(struct xg_sr_ctx *ctx, uint64_t max_pages)
{
	const struct arch_shared_info *as = &PV->shinfo->arch;
	uint64_t size = __atomic_load_n(&as->max_pfn, __ATOMIC_ACQUIRE);
	uint64_t fll_raw = __atomic_load_n(&as->pfn_to_mfn_frame_list_list,
					   __ATOMIC_ACQUIRE);
	uint64_t nr_fl, i, j;
	const uint64_t *fll;

	if (!size || size > max_pages)
		return xg_sr_fail(ctx, "shared_info says the p2m has %lu entries; the domain has at most %lu pages",
				  (unsigned long)size, (unsigned long)max_pages);
	PV->p2m_size = size;
	PV->nr_p2m_frames = (size + XG_SR_FPP - 1) / XG_SR_FPP;
	nr_fl = (PV->nr_p2m_frames + XG_SR_FPP - 1) / XG_SR_FPP;
	if (nr_fl > XG_SR_FPP)
		return xg_sr_fail(ctx, "a p2m of %lu entries is too large for the frame list tree",
				  (unsigned long)size);
	PV->p2m = malloc(size * sizeof(*PV->p2m));
	PV->p2m_frames = malloc(PV->nr_p2m_frames * sizeof(*PV->p2m_frames));
	if (!PV->p2m || !PV->p2m_frames)
		return xg_sr_fail(ctx, "out of memory for a p2m of %lu entries",
				  (unsigned long)size);
	fll = tree_frame(ctx, fll_raw, "shared_info's frame list list", 0);
	if (!fll)
		return -1;
	for (i = 0; i < nr_fl; i++) {
		const uint64_t *fl = tree_frame(ctx, fll[i], "frame list list", i);

		if (!fl)
			return -1;
		for (j = 0; j < XG_SR_FPP && i * XG_SR_FPP + j < PV->nr_p2m_frames; j++) {
			uint64_t k = i * XG_SR_FPP + j;
			const uint64_t *page = tree_frame(ctx, fl[j], "frame list", k);
			uint64_t n = size - k * XG_SR_FPP;

			if (!page)
				return -1;
			PV->p2m_frames[k] = _mfn(fl[j]);
			memcpy(PV->p2m + k * XG_SR_FPP, page,
			       (n < XG_SR_FPP ? n : XG_SR_FPP) * sizeof(uint64_t));
		}
	}
	return 0;
}

/*
 * The guest's p2m entry *mfn for pfn against the hypervisor's record hv
 * and the m2p: 0, or -1 with the error set.  Not strict (the guest runs),
 * a guest caught moving the page (exchanged, its own p2m not yet
 * written, or the frame given back since getmemlist) is no error: the
 * entry takes the hypervisor's record, or an m2p that moved on is let be,
 * and the guest's p2m write that follows dirties the leaf for the next
 * round_check.
 */
static int check_p2m_entry(struct xg_sr_ctx *ctx, uint64_t pfn, mfn_t *mfn,
			   mfn_t hv, bool strict)
{
	pfn_t back;

	if (!mfn_eq(*mfn, hv) && !strict)
		*mfn = hv;
	if (!mfn_eq(*mfn, hv))
		return xg_sr_fail(ctx, "the guest's p2m gives pfn %#lx mfn %#lx, the hypervisor gave it mfn %#lx",
				  (unsigned long)pfn, (unsigned long)mfn_x(*mfn),
				  (unsigned long)mfn_x(hv));
	if (!mfn_valid_raw(*mfn))
		return 0;
	back = in_machine(ctx, *mfn) ? xc_m2p_lookup(&PV->m2p, *mfn) :
	       INVALID_PFN;
	if (pfn_x(back) != pfn && (strict || !in_machine(ctx, *mfn)))
		return xg_sr_fail(ctx, "the guest's p2m gives pfn %#lx mfn %#lx, whose m2p entry is %#lx",
				  (unsigned long)pfn, (unsigned long)mfn_x(*mfn),
				  (unsigned long)pfn_x(back));
	return 0;
}

/*
 * Every p2m entry against the m2p and the hypervisor's own record
 * (check_p2m_entry(), strict unless the guest runs), and the tree's
 * frames against the p2m.
 */
static int check_p2m(struct xg_sr_ctx *ctx)
{
	const struct arch_shared_info *as = &PV->shinfo->arch;
	mfn_t *hv = malloc(PV->p2m_size * sizeof(*hv));
	uint64_t pfn, i;
	pfn_t back;
	int rc;

	if (!hv)
		return xg_sr_fail(ctx, "out of memory");
	rc = xc_get_memlist(ctx->xch, ctx->domid, _pfn(0), PV->p2m_size, hv);
	if (rc) {
		free(hv);
		return xg_sr_fail(ctx, "getmemlist: %s", strerror(-rc));
	}
	for (pfn = 0; pfn < PV->p2m_size; pfn++)
		if (check_p2m_entry(ctx, pfn, &PV->p2m[pfn], hv[pfn],
				    !ctx->save.live)) {
			free(hv);
			return -1;
		}
	free(hv);
	if (!own_frame(ctx, _mfn(as->pfn_to_mfn_frame_list_list), &back))
		return xg_sr_fail(ctx, "the p2m frame list list (mfn %#lx) is not one of the guest's frames",
				  (unsigned long)as->pfn_to_mfn_frame_list_list);
	for (i = 0; i < PV->nr_p2m_frames; i++)
		if (!own_frame(ctx, PV->p2m_frames[i], &back))
			return xg_sr_fail(ctx, "p2m frame %lu (mfn %#lx) is not one of the guest's frames",
					  (unsigned long)i,
					  (unsigned long)mfn_x(PV->p2m_frames[i]));
	return 0;
}

static int read_types(struct xg_sr_ctx *ctx)
{
	pfn_t *pfns = malloc(PV->p2m_size * sizeof(*pfns));
	uint64_t pfn;
	int rc;

	PV->types = malloc(PV->p2m_size * sizeof(*PV->types));
	if (!pfns || !PV->types) {
		free(pfns);
		return xg_sr_fail(ctx, "out of memory");
	}
	for (pfn = 0; pfn < PV->p2m_size; pfn++)
		pfns[pfn] = _pfn(pfn);
	rc = xc_get_pfn_type_batch(ctx->xch, ctx->domid, PV->p2m_size, pfns,
				   PV->types);
	free(pfns);
	return rc ? xg_sr_fail(ctx, "getpageframeinfo3: %s", strerror(-rc)) : 0;
}

static int x86_pv_setup(struct xg_sr_ctx *ctx)
{
	struct hv_domctl_getdomaininfo info;
	unsigned int reason;
	int rc;

	rc = xc_domain_getinfo(ctx->xch, ctx->domid, &info);
	if (rc)
		return xg_sr_fail(ctx, "domain %u: %s", ctx->domid, strerror(-rc));
	reason = (info.flags >> XEN_DOMINF_shutdownshift) &
		 XEN_DOMINF_shutdownmask;
	if (info.flags & XEN_DOMINF_dying)
		return xg_sr_fail(ctx, "domain %u is dying", ctx->domid);
	if (ctx->save.live && (info.flags & XEN_DOMINF_shutdown))
		return xg_sr_fail(ctx, "domain %u has shut down: a live save takes a running guest",
				  ctx->domid);
	if (!ctx->save.live && (!(info.flags & XEN_DOMINF_shutdown) ||
				reason != SHUTDOWN_suspend))
		return xg_sr_fail(ctx, "domain %u is not suspended", ctx->domid);
	PV->max_vcpu_id = info.max_vcpu_id;
	rc = xc_map_foreign(ctx->xch, ctx->domid, &PV->mem);
	if (!rc) {
		rc = xc_map_m2p(ctx->xch, ctx->domid, &PV->m2p);
		if (rc)
			xc_unmap_foreign(&PV->mem);
	}
	if (rc)
		return xg_sr_fail(ctx, "mapping the domain's memory and m2p: %s",
				  strerror(-rc));
	PV->shinfo = xc_foreign_frame(&PV->mem, _mfn(info.shared_info_frame));
	if (!PV->shinfo)
		return xg_sr_fail(ctx, "shared_info (mfn %#lx) is outside the machine",
				  (unsigned long)info.shared_info_frame);
	if (read_p2m(ctx, info.max_pages) || check_p2m(ctx))
		return -1;
	xg_sr_prefault(&PV->mem, PV->p2m, PV->p2m_size, false);
	return read_types(ctx);
}

static int x86_pv_static_data(struct xg_sr_ctx *ctx)
{
	struct xc_sr_rec_x86_pv_info info = { .guest_width = 8, .pt_levels = 4 };

	ctx->stats->records++;
	return xg_sr_out_record(ctx->save.out, XC_SR_REC_X86_PV_INFO, &info,
				sizeof(info), NULL, 0);
}

static int x86_pv_start_of_stream(struct xg_sr_ctx *ctx)
{
	struct xc_sr_rec_x86_pv_p2m_frames hdr = {
		.start_pfn = 0,
		.end_pfn = PV->p2m_size - 1,
	};
	uint64_t *pfns = malloc(PV->nr_p2m_frames * sizeof(*pfns)), i;
	int rc;

	if (!pfns)
		return xg_sr_fail(ctx, "out of memory");
	for (i = 0; i < PV->nr_p2m_frames; i++)
		pfns[i] = pfn_x(xc_m2p_lookup(&PV->m2p, PV->p2m_frames[i]));
	rc = xg_sr_out_record(ctx->save.out, XC_SR_REC_X86_PV_P2M_FRAMES, &hdr,
			      sizeof(hdr), pfns,
			      PV->nr_p2m_frames * sizeof(*pfns));
	ctx->stats->records++;
	free(pfns);
	return rc;
}

static uint64_t x86_pv_nr_pfns(struct xg_sr_ctx *ctx)
{
	return PV->p2m_size;
}

/*
 * Xen's normalise_pagetable(): frames to pfns, the hypervisor's slots
 * empty.  The fast path is one m2p and one p2m load per entry; anything
 * odd goes to the checks that say what is wrong.
 */
static int normalise(struct xg_sr_ctx *ctx, uint64_t pfn, unsigned int level,
		     const uint64_t *src, uint64_t *dst)
{
	const pfn_t *m2p = PV->m2p.m2p;
	const mfn_t *p2m = PV->p2m;
	uint64_t frames = PV->m2p.nr_frames < PV->mem.nr_frames ?
			  PV->m2p.nr_frames : PV->mem.nr_frames;
	uint64_t size = PV->p2m_size, n = 0, bad = level > 1 ? XG_PTE_PSE : 0;
	unsigned int i;

	for (i = 0; i < XG_SR_PTES; i++) {
		uint64_t pte = src[i], mfn, to;

		if (!(pte & XG_PTE_PRESENT)) {
			dst[i] = pte;
			continue;
		}
		mfn = (pte & XG_PTE_ADDR) >> XG_PAGE_SHIFT;
		to = mfn < frames ? pfn_x(m2p[mfn]) : INVALID_PFN_RAW;
		if ((pte & bad) || to >= size || mfn_x(p2m[to]) != mfn)
			break;
		dst[i] = (pte & ~XG_PTE_ADDR) | (to << XG_PAGE_SHIFT);
		n++;
	}
	ctx->stats->ptes += n;
	if (i < XG_SR_PTES) {
		uint64_t pte = src[i];
		mfn_t mfn = maddr_to_mfn(pte & XG_PTE_ADDR);

		if (level == 4 && xg_sr_l4_slot_reserved(i))
			return xg_sr_fail(ctx, "L4 table at pfn %#lx fills slot %u (%#lx), which belongs to the hypervisor",
					  (unsigned long)pfn, i,
					  (unsigned long)pte);
		if (pte & bad)
			return xg_sr_fail(ctx, "L%u table at pfn %#lx, entry %u (%#lx): a superpage, which a PV guest cannot map",
					  level, (unsigned long)pfn, i,
					  (unsigned long)pte);
		return xg_sr_fail(ctx, "L%u table at pfn %#lx, entry %u (%#lx): mfn %#lx is not one of the guest's frames (its m2p entry is %#lx)",
				  level, (unsigned long)pfn, i,
				  (unsigned long)pte,
				  (unsigned long)mfn_x(mfn),
				  (unsigned long)pfn_x(in_machine(ctx, mfn) ?
					xc_m2p_lookup(&PV->m2p, mfn) :
					INVALID_PFN));
	}
	/* Xen fills its slots (and hv its m2p slot) in every L4 itself. */
	if (level == 4)
		for (i = 0; i < XG_SR_PTES; i++)
			if (xg_sr_l4_slot_reserved(i))
				dst[i] = 0;
	return 0;
}

static int x86_pv_page(struct xg_sr_ctx *ctx, uint64_t pfn, uint32_t *type,
		       const void **data, void *scratch)
{
	mfn_t mfn = PV->p2m[pfn];
	unsigned int level;
	uint64_t t0;
	int rc;

	*data = NULL;
	if (!mfn_valid_raw(mfn)) {
		*type = XEN_DOMCTL_PFINFO_XTAB;
		return 0;
	}
	*type = PV->types[pfn];
	if (!xg_sr_type_has_data(*type))
		return 0;
	level = xg_sr_pt_level(*type);
	if (level > 4)
		return xg_sr_fail(ctx, "pfn %#lx has frame type %#x, which the stream cannot carry",
				  (unsigned long)pfn, *type);
	if (!level) {
		*data = xc_foreign_frame(&PV->mem, mfn);
		return 0;
	}
	t0 = xg_sr_now_ns();
	rc = normalise(ctx, pfn, level, xc_foreign_frame(&PV->mem, mfn), scratch);
	ctx->stats->pt_ns += xg_sr_now_ns() - t0;
	/*
	 * While the guest runs, a table may be read half-way through a
	 * change, or name a frame the p2m copy does not know yet: Xen
	 * defers it to the last round, when it must be right.
	 */
	if (rc && ctx->save.live && !ctx->save.final)
		return 1;
	ctx->stats->pagetables++;
	*data = scratch;
	return rc;
}

static int write_tsc(struct xg_sr_ctx *ctx)
{
	struct hv_domctl_tsc_info t;
	struct xc_sr_rec_x86_tsc_info rec = { 0 };
	int rc = xc_domain_get_tsc_info(ctx->xch, ctx->domid, &t);

	if (rc)
		return xg_sr_fail(ctx, "gettscinfo: %s", strerror(-rc));
	rec.mode = t.tsc_mode;
	rec.khz = t.gtsc_khz;
	rec.nsec = t.elapsed_nsec;
	rec.incarnation = t.incarnation;
	ctx->stats->records++;
	return xg_sr_out_record(ctx->save.out, XC_SR_REC_X86_TSC_INFO, &rec,
				sizeof(rec), NULL, 0);
}

/* A frame of a vCPU's context as a pfn; what names it, for messages. */
static int context_pfn(struct xg_sr_ctx *ctx, unsigned int vcpu,
		       const char *what, uint64_t raw, uint64_t *pfn)
{
	pfn_t p;

	if (!own_frame(ctx, _mfn(raw), &p))
		return xg_sr_fail(ctx, "vCPU %u's %s (mfn %#lx) is not one of the guest's frames",
				  vcpu, what, (unsigned long)raw);
	*pfn = pfn_x(p);
	return 0;
}

static int write_vcpu(struct xg_sr_ctx *ctx, unsigned int id,
		      struct vcpu_guest_context *c)
{
	struct xc_sr_rec_x86_pv_vcpu_hdr hdr = { .vcpu_id = id };
	uint64_t pfn = 0, i;
	int rc = xc_vcpu_getcontext(ctx->xch, ctx->domid, id, c);

	if (rc)
		return xg_sr_fail(ctx, "vCPU %u's context: %s", id, strerror(-rc));
	/* vCPU 0 passed its start_info frame to SHUTDOWN_suspend in rdx. */
	if (id == 0) {
		if (context_pfn(ctx, id, "start_info frame in rdx",
				c->user_regs.rdx, &pfn))
			return -1;
		c->user_regs.rdx = pfn;
	}
	if (c->gdt_ents > 8192)
		return xg_sr_fail(ctx, "vCPU %u has %lu GDT entries", id,
				  (unsigned long)c->gdt_ents);
	for (i = 0; i < (c->gdt_ents + 511) / 512; i++) {
		if (context_pfn(ctx, id, "GDT frame", c->gdt_frames[i], &pfn))
			return -1;
		c->gdt_frames[i] = pfn;
	}
	if (context_pfn(ctx, id, "L4 (ctrlreg[3])",
			xen_cr3_to_pfn(c->ctrlreg[3]), &pfn))
		return -1;
	c->ctrlreg[3] = xen_pfn_to_cr3(pfn);
	/* Xen marks a translated user L4 with bit 0. */
	if (c->ctrlreg[1]) {
		if (context_pfn(ctx, id, "user L4 (ctrlreg[1])",
				xen_cr3_to_pfn(c->ctrlreg[1]), &pfn))
			return -1;
		c->ctrlreg[1] = 1 | xen_pfn_to_cr3(pfn);
	}
	ctx->stats->records++;
	ctx->stats->vcpus++;
	return xg_sr_out_record(ctx->save.out, XC_SR_REC_X86_PV_VCPU_BASIC, &hdr,
				sizeof(hdr), c, sizeof(*c));
}

static int x86_pv_end_of_stream(struct xg_sr_ctx *ctx)
{
	struct vcpu_guest_context *c = malloc(sizeof(*c));
	struct hv_domctl_getvcpuinfo vi;
	unsigned int id;
	int rc = c ? write_tsc(ctx) : xg_sr_fail(ctx, "out of memory");

	if (!rc) {
		ctx->stats->records++;
		rc = xg_sr_out_record(ctx->save.out, XC_SR_REC_SHARED_INFO,
				      PV->shinfo, XG_PAGE_SIZE, NULL, 0);
	}
	for (id = 0; !rc && id <= PV->max_vcpu_id; id++) {
		rc = xc_vcpu_getinfo(ctx->xch, ctx->domid, id, &vi);
		if (rc) {
			rc = xg_sr_fail(ctx, "vCPU %u: %s", id, strerror(-rc));
			break;
		}
		if (vi.online)
			rc = write_vcpu(ctx, id, c);
		else if (id == 0)
			rc = xg_sr_fail(ctx, "vCPU 0 is not up");
	}
	free(c);
	return rc;
}

/* Live: the types of a batch, as getpageframeinfo3 gives them now. */
static int x86_pv_refresh_types(struct xg_sr_ctx *ctx, const uint64_t *pfns,
				unsigned int n)
{
	pfn_t want[XG_SR_BATCH];
	uint32_t got[XG_SR_BATCH];
	unsigned int i;
	int rc;

	if (!n || n > XG_SR_BATCH)
		return 0;
	for (i = 0; i < n; i++)
		want[i] = _pfn(pfns[i]);
	rc = xc_get_pfn_type_batch(ctx->xch, ctx->domid, n, want, got);
	if (rc)
		return xg_sr_fail(ctx, "getpageframeinfo3: %s", strerror(-rc));
	for (i = 0; i < n; i++) {
		/* The last round: a page going again because it was retyped. */
		if (ctx->save.final && PV->types[pfns[i]] != got[i])
			ctx->save.live->retyped++;
		PV->types[pfns[i]] = got[i];
	}
	return 0;
}

static bool any_dirty(const uint8_t *dirty, struct xg_sr_ctx *ctx,
		      const mfn_t *mfns, uint64_t n)
{
	uint64_t i;
	pfn_t pfn;

	for (i = 0; i < n; i++) {
		if (!own_frame(ctx, mfns[i], &pfn))
			return true;
		if (dirty[pfn_x(pfn) / 8] & (1U << (pfn_x(pfn) % 8)))
			return true;
	}
	return false;
}

static void mark(uint8_t *map, uint64_t pfn)
{
	map[pfn / 8] |= 1U << (pfn % 8);
}

/*
 * The p2m's leaf frames as the guest's tree names them now: the same as
 * when X86_PV_P2M_FRAMES went (the frame lists themselves may have been
 * rewritten: the guest's suspend does), or the migration fails.
 */
static int same_p2m_frames(struct xg_sr_ctx *ctx)
{
	const struct arch_shared_info *as = &PV->shinfo->arch;
	uint64_t size = __atomic_load_n(&as->max_pfn, __ATOMIC_ACQUIRE);
	uint64_t nr_fl = (PV->nr_p2m_frames + XG_SR_FPP - 1) / XG_SR_FPP, i, j;
	const uint64_t *fll, *fl;

	if (size != PV->p2m_size)
		goto moved;
	fll = tree_frame(ctx, __atomic_load_n(&as->pfn_to_mfn_frame_list_list,
					      __ATOMIC_ACQUIRE),
			 "shared_info's frame list list", 0);
	if (!fll)
		return -1;
	for (i = 0; i < nr_fl; i++) {
		fl = tree_frame(ctx, fll[i], "frame list list", i);
		if (!fl)
			return -1;
		for (j = 0; j < XG_SR_FPP && i * XG_SR_FPP + j < PV->nr_p2m_frames; j++)
			if (fl[j] != mfn_x(PV->p2m_frames[i * XG_SR_FPP + j]))
				goto moved;
	}
	return 0;
moved:
	return xg_sr_fail(ctx, "the guest's p2m moved or changed size during the migration (%lu entries in %lu frames when it began)",
			  (unsigned long)PV->p2m_size,
			  (unsigned long)PV->nr_p2m_frames);
}

/*
 * The entries of leaf frame k read again; each that differs from the
 * copy or from the hypervisor's record is checked (check_p2m_entry()),
 * and a pfn whose frame changed is marked, to go again on its new frame.
 */
static int recheck_p2m_frame(struct xg_sr_ctx *ctx, uint64_t k, uint8_t *map,
			     bool strict)
{
	uint64_t first = k * XG_SR_FPP, n = PV->p2m_size - first, i;
	mfn_t now[XG_SR_FPP], hv[XG_SR_FPP];
	const uint64_t *page;
	int rc;

	if (n > XG_SR_FPP)
		n = XG_SR_FPP;
	page = tree_frame(ctx, mfn_x(PV->p2m_frames[k]), "frame list", k);
	if (!page)
		return -1;
	memcpy(now, page, n * sizeof(*now));
	rc = xc_get_memlist(ctx->xch, ctx->domid, _pfn(first), n, hv);
	if (rc)
		return xg_sr_fail(ctx, "getmemlist: %s", strerror(-rc));
	for (i = 0; i < n; i++) {
		uint64_t pfn = first + i;

		/* Unchanged and agreed on: checked when it was read. */
		if (mfn_eq(now[i], PV->p2m[pfn]) && mfn_eq(now[i], hv[i]))
			continue;
		if (check_p2m_entry(ctx, pfn, &now[i], hv[i], strict))
			return -1;
		if (mfn_eq(now[i], PV->p2m[pfn]))
			continue;
		PV->p2m[pfn] = now[i];
		mark(map, pfn);
		ctx->save.live->p2m_changed++;
	}
	return 0;
}

/*
 * A running guest may move its pages to other frames (XENMEM_exchange,
 * a balloon): its p2m changes under the migration.  The pages are read
 * through the p2m copy taken at the start, so that copy must follow:
 * after each CLEAN (log-dirty is on before that copy is taken, so the
 * first CLEAN has every leaf written since) the p2m leaves the guest
 * wrote are read again, and
 * each pfn whose frame changed goes in the next round on its new frame;
 * an entry caught mid-change takes the hypervisor's record, and the
 * guest's write that follows dirties the leaf again.  In the last round,
 * the guest suspended, the same check is strict.  The tree must still
 * name the same leaf frames (X86_PV_P2M_FRAMES went first: a moved tree
 * fails the migration).  Only the leaves written are read: the whole
 * p2m cost 0.9 ms of a 256 MiB guest's downtime, 3.5 of 1 GiB's.
 *
 * The types need no check of their own: the hypervisor dirties a page
 * whose type changes (Xen's validate_page does; hv does on every change
 * getpageframeinfo3 shows -- validated, devalidated, pinned, unpinned --
 * and t_logdirty holds it to that), so such a page is in the next CLEAN's
 * set and goes again with the type its batch reads.  Reading every pfn's
 * type again in the last round cost 3 ms of a 256 MiB guest's downtime,
 * 11 of 1 GiB's.
 */
/* The p2m leaves written (per dirty) read and checked again. */
static int recheck_p2m(struct xg_sr_ctx *ctx, const uint8_t *dirty,
		       uint8_t *map, bool strict)
{
	const struct arch_shared_info *as = &PV->shinfo->arch;
	mfn_t fll = _mfn(as->pfn_to_mfn_frame_list_list);
	uint64_t k;
	pfn_t pfn;

	if (!any_dirty(dirty, ctx, PV->p2m_frames, PV->nr_p2m_frames) &&
	    !any_dirty(dirty, ctx, &fll, 1))
		return 0;
	if (same_p2m_frames(ctx))
		return -1;
	for (k = 0; k < PV->nr_p2m_frames; k++)
		if (!own_frame(ctx, PV->p2m_frames[k], &pfn) ||
		    (dirty[pfn_x(pfn) / 8] & (1U << (pfn_x(pfn) % 8))))
			if (recheck_p2m_frame(ctx, k, map, strict))
				return -1;
	return 0;
}

static int x86_pv_round_check(struct xg_sr_ctx *ctx, const uint8_t *dirty,
			      uint8_t *map)
{
	return recheck_p2m(ctx, dirty, map, false);
}

static int x86_pv_final_check(struct xg_sr_ctx *ctx, const uint8_t *dirty,
			      uint8_t *map)
{
	return recheck_p2m(ctx, dirty, map, true);
}

static void x86_pv_cleanup(struct xg_sr_ctx *ctx)
{
	/* Live: the caller unmaps it, after the downtime (struct xg_live). */
	if (ctx->save.live)
		ctx->save.live->mem = PV->mem;
	else
		xc_unmap_foreign(&PV->mem);
	xc_unmap_m2p(&PV->m2p);
	free(PV->p2m);
	free(PV->p2m_frames);
	free(PV->types);
	memset(PV, 0, sizeof(*PV));
	PV->mem.memfd = -1;
}

const struct xg_sr_save_ops xg_sr_save_ops_x86_pv = {
	.setup = x86_pv_setup,
	.static_data = x86_pv_static_data,
	.start_of_stream = x86_pv_start_of_stream,
	.nr_pfns = x86_pv_nr_pfns,
	.page = x86_pv_page,
	.refresh_types = x86_pv_refresh_types,
	.round_check = x86_pv_round_check,
	.final_check = x86_pv_final_check,
	.end_of_stream = x86_pv_end_of_stream,
	.cleanup = x86_pv_cleanup,
};
