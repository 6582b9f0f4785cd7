// SPDX-License-Identifier: MIT
/*
 * Restoring an x86 PV guest (Xen's xg_sr_restore_x86_pv.c): the records
 * only a PV guest has, and what the new domain needs before it may run.
 *
 * Memory.  X86_PV_P2M_FRAMES says how many pfns the guest has and which of
 * them hold its p2m.  PAGE_DATA populates each pfn it names the first time
 * (in runs, so the hypervisor hands out neighbouring frames), and its
 * pages go straight into their new frames; a pagetable is then made local
 * in place, every present entry's pfn turned into the pfn's new frame (a
 * pfn no PAGE_DATA has sent yet is populated then, as Xen does: it stays a
 * zero page unless data follows).  An entry naming a pfn beyond the guest,
 * a superpage, or an L4 entry in a slot the hypervisor keeps is refused
 * with the table's pfn and the entry.
 *
 * The end (stream_complete), in this order: start_info, found through vCPU
 * 0's rdx, gets the rings' new frames (each set up as a ring, which gives
 * it its port), the ports, nr_pages, the new shared_info and flags 0;
 * shared_info gets the saved vcpu_info and arch parts with the frame list
 * cleared, every port masked and nothing pending (what Xen gives a
 * restored guest); the TSC record; the guest's p2m frames get the new
 * frames; every table the stream says was pinned is pinned, which makes
 * the hypervisor validate it and all below it; each vCPU gets its context
 * with its frames local again.  An optional audit by the hypervisor ends
 * it.  Any refusal by the hypervisor is reported with what it refused.
 *
 * EXTENDED, XSAVE and MSRS records (Xen writes them) are read and checked
 * for shape and vCPU, and their content is not used: this hypervisor has
 * no extended vCPU state, and the FPU state travels in the basic record's
 * FXSAVE image.  CPUID and MSR policies are read the same way: the guest
 * runs on this host's CPUID.
 *
 * A dry run reads and checks the same, without a domain: pages land in a
 * scratch buffer, pagetables are checked entry by entry, and the end
 * checks what it can without memory (the start_info and p2m pfns were
 * sent as normal pages, each vCPU's L4 as an L4).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xg_sr_common.h"

#define PV (&ctx->restore.pv)
#define R (ctx->restore.r)

/* Bodies larger than any Xen writes for these. */
#define EXT_MAX		4096U
#define XSAVE_MAX	(64U * 1024)
#define MSRS_MAX	(64U * 1024)
#define POLICY_MAX	(64U * 1024)

struct cpuid_leaf { uint32_t leaf, subleaf, a, b, c, d; };
struct msr_entry { uint32_t idx, flags; uint64_t val; };

static bool populated(struct xg_sr_ctx *ctx, uint64_t pfn)
{
	return mfn_valid_raw(PV->p2m[pfn]);
}

static int x86_pv_setup(struct xg_sr_ctx *ctx)
{
	struct hv_domctl_getdomaininfo info;
	int rc;

	PV->vcpus = calloc(R->dry_run ? HV_MAX_VCPUS : R->nr_vcpus,
			   sizeof(*PV->vcpus));
	PV->vcpu_seen = calloc(HV_MAX_VCPUS, sizeof(*PV->vcpu_seen));
	if (!PV->vcpus || !PV->vcpu_seen)
		return xg_sr_fail(ctx, "out of memory");
	if (R->dry_run)
		return 0;
	rc = xc_domain_getinfo(ctx->xch, ctx->domid, &info);
	if (rc)
		return xg_sr_fail(ctx, "domain %u: %s", ctx->domid, strerror(-rc));
	PV->shared_info_mfn = _mfn(info.shared_info_frame);
	return 0;
}

static unsigned int vcpu_limit(struct xg_sr_ctx *ctx)
{
	return R->dry_run ? HV_MAX_VCPUS : R->nr_vcpus;
}

static uint64_t x86_pv_max_length(struct xg_sr_ctx *ctx, uint32_t type)
{
	/* The p2m's real bound is checked with a better message than this. */
	uint64_t pages = 1ULL << 28;
	size_t vhdr = sizeof(struct xc_sr_rec_x86_pv_vcpu_hdr);

	switch (type) {
	case XC_SR_REC_X86_PV_INFO:
		return sizeof(struct xc_sr_rec_x86_pv_info);
	case XC_SR_REC_X86_PV_P2M_FRAMES:
		return sizeof(struct xc_sr_rec_x86_pv_p2m_frames) +
		       ((pages + XG_SR_FPP - 1) / XG_SR_FPP) * 8;
	case XC_SR_REC_X86_PV_VCPU_BASIC:
		return vhdr + sizeof(struct vcpu_guest_context);
	case XC_SR_REC_X86_PV_VCPU_EXTENDED:
		return vhdr + EXT_MAX;
	case XC_SR_REC_X86_PV_VCPU_XSAVE:
		return vhdr + XSAVE_MAX;
	case XC_SR_REC_X86_PV_VCPU_MSRS:
		return vhdr + MSRS_MAX;
	case XC_SR_REC_SHARED_INFO:
		return XG_PAGE_SIZE;
	case XC_SR_REC_X86_TSC_INFO:
		return sizeof(struct xc_sr_rec_x86_tsc_info);
	case XC_SR_REC_X86_CPUID_POLICY:
	case XC_SR_REC_X86_MSR_POLICY:
		return POLICY_MAX;
	}
	return 0;
}

static int pv_info(struct xg_sr_ctx *ctx, const struct xg_sr_record *rec)
{
	const struct xc_sr_rec_x86_pv_info *info = rec->data;

	if (rec->length != sizeof(*info))
		return xg_sr_fail(ctx, "length %u, not %zu", rec->length,
				  sizeof(*info));
	if (PV->seen_pv_info)
		return xg_sr_fail(ctx, "a second X86_PV_INFO");
	if (info->guest_width != 8)
		return xg_sr_fail(ctx, "guest width %u bytes: only 64-bit PV guests (8) run here",
				  info->guest_width);
	if (info->pt_levels != 4)
		return xg_sr_fail(ctx, "%u pagetable levels: a 64-bit PV guest has 4",
				  info->pt_levels);
	PV->seen_pv_info = true;
	if (R->report)
		fprintf(R->report, "guest: 64-bit PV, 4 pagetable levels\n");
	return 0;
}

static int p2m_frames(struct xg_sr_ctx *ctx, const struct xg_sr_record *rec)
{
	const struct xc_sr_rec_x86_pv_p2m_frames *f = rec->data;
	uint64_t size, nr, i, limit = R->dry_run ? (1ULL << 28) : R->max_pages;

	if (!PV->seen_pv_info)
		return xg_sr_fail(ctx, "before X86_PV_INFO");
	if (PV->p2m_size)
		return xg_sr_fail(ctx, "a second X86_PV_P2M_FRAMES: the p2m may not change size here");
	if (rec->length < sizeof(*f))
		return xg_sr_fail(ctx, "length %u: shorter than its header",
				  rec->length);
	if (f->start_pfn)
		return xg_sr_fail(ctx, "start_pfn %#x: this reader takes the whole p2m in one record, from pfn 0",
				  f->start_pfn);
	size = (uint64_t)f->end_pfn + 1;
	if (size > limit)
		return xg_sr_fail(ctx, "the guest has %lu pages; the domain may have at most %lu",
				  (unsigned long)size, (unsigned long)limit);
	nr = (size + XG_SR_FPP - 1) / XG_SR_FPP;
	if (rec->length != sizeof(*f) + nr * 8)
		return xg_sr_fail(ctx, "length %u, but pfns 0..%#x have their p2m in %lu frames (%lu bytes)",
				  rec->length, f->end_pfn, (unsigned long)nr,
				  (unsigned long)(sizeof(*f) + nr * 8));
	PV->p2m = malloc(size * sizeof(*PV->p2m));
	PV->types = malloc(size * sizeof(*PV->types));
	PV->p2m_pfns = malloc(nr * sizeof(*PV->p2m_pfns));
	if (!PV->p2m || !PV->types || !PV->p2m_pfns)
		return xg_sr_fail(ctx, "out of memory for %lu pfns",
				  (unsigned long)size);
	for (i = 0; i < size; i++) {
		PV->p2m[i] = INVALID_MFN;
		PV->types[i] = XG_SR_TYPE_NONE;
	}
	for (i = 0; i < nr; i++) {
		if (f->p2m_pfns[i] >= size)
			return xg_sr_fail(ctx, "p2m frame %lu is pfn %#lx, beyond the guest's %lu pages",
					  (unsigned long)i,
					  (unsigned long)f->p2m_pfns[i],
					  (unsigned long)size);
		PV->p2m_pfns[i] = _pfn(f->p2m_pfns[i]);
	}
	PV->nr_p2m_pfns = nr;
	PV->p2m_size = size;
	R->nr_pages = size;
	if (R->report)
		fprintf(R->report, "p2m: %lu pfns, in %lu frames\n",
			(unsigned long)size, (unsigned long)nr);
	return 0;
}

/* The header of the four vCPU records: the vCPU, in range. */
static int vcpu_hdr(struct xg_sr_ctx *ctx, const struct xg_sr_record *rec,
		    unsigned int *id)
{
	const struct xc_sr_rec_x86_pv_vcpu_hdr *h = rec->data;

	if (rec->length < sizeof(*h))
		return xg_sr_fail(ctx, "length %u: shorter than its header",
				  rec->length);
	if (h->vcpu_id >= vcpu_limit(ctx))
		return xg_sr_fail(ctx, "vCPU %u, but the domain has %u",
				  h->vcpu_id, vcpu_limit(ctx));
	*id = h->vcpu_id;
	return 0;
}

static int vcpu_basic(struct xg_sr_ctx *ctx, const struct xg_sr_record *rec)
{
	const struct xc_sr_rec_x86_pv_vcpu_hdr *h = rec->data;
	unsigned int id;

	if (vcpu_hdr(ctx, rec, &id))
		return -1;
	if (rec->length != sizeof(*h) + sizeof(struct vcpu_guest_context))
		return xg_sr_fail(ctx, "length %u, not %zu (a 64-bit vcpu_guest_context)",
				  rec->length,
				  sizeof(*h) + sizeof(struct vcpu_guest_context));
	if (PV->vcpu_seen[id])
		return xg_sr_fail(ctx, "a second context for vCPU %u", id);
	memcpy(&PV->vcpus[id], h->context, sizeof(PV->vcpus[id]));
	PV->vcpu_seen[id] = true;
	ctx->stats->vcpus++;
	return 0;
}

/* EXTENDED, XSAVE, MSRS: checked for shape; nothing here to load them into. */
static int vcpu_other(struct xg_sr_ctx *ctx, const struct xg_sr_record *rec)
{
	size_t body;
	unsigned int id;

	if (vcpu_hdr(ctx, rec, &id))
		return -1;
	body = rec->length - sizeof(struct xc_sr_rec_x86_pv_vcpu_hdr);
	if (rec->type == XC_SR_REC_X86_PV_VCPU_MSRS &&
	    body % sizeof(struct msr_entry))
		return xg_sr_fail(ctx, "%zu bytes of MSRs: not whole 16-byte entries",
				  body);
	PV->ext_records++;
	return 0;
}

static int shared_info(struct xg_sr_ctx *ctx, const struct xg_sr_record *rec)
{
	if (rec->length != XG_PAGE_SIZE)
		return xg_sr_fail(ctx, "length %u, not a page", rec->length);
	if (PV->seen_shinfo)
		return xg_sr_fail(ctx, "a second SHARED_INFO");
	memcpy(PV->shinfo, rec->data, XG_PAGE_SIZE);
	PV->seen_shinfo = true;
	return 0;
}

static int tsc_info(struct xg_sr_ctx *ctx, const struct xg_sr_record *rec)
{
	const struct xc_sr_rec_x86_tsc_info *t = rec->data;

	if (rec->length != sizeof(*t))
		return xg_sr_fail(ctx, "length %u, not %zu", rec->length,
				  sizeof(*t));
	if (PV->seen_tsc)
		return xg_sr_fail(ctx, "a second X86_TSC_INFO");
	if (t->mode > XC_SR_TSC_MODE_NEVER_EMULATE)
		return xg_sr_fail(ctx, "TSC mode %u, which Xen does not have",
				  t->mode);
	R->tsc = (struct hv_domctl_tsc_info){
		.tsc_mode = t->mode, .gtsc_khz = t->khz,
		.incarnation = t->incarnation, .elapsed_nsec = t->nsec,
	};
	R->have_tsc = true;
	PV->seen_tsc = true;
	if (R->report)
		fprintf(R->report, "TSC: mode %u, %u kHz, %lu ns, incarnation %u\n",
			t->mode, t->khz, (unsigned long)t->nsec, t->incarnation);
	return 0;
}

static int policy(struct xg_sr_ctx *ctx, const struct xg_sr_record *rec)
{
	size_t unit = rec->type == XC_SR_REC_X86_CPUID_POLICY ?
		      sizeof(struct cpuid_leaf) : sizeof(struct msr_entry);

	if (!rec->length || rec->length % unit)
		return xg_sr_fail(ctx, "length %u: not whole %zu-byte entries",
				  rec->length, unit);
	return 0;
}

static int x86_pv_process_record(struct xg_sr_ctx *ctx,
				 struct xg_sr_record *rec)
{
	switch (rec->type) {
	case XC_SR_REC_X86_PV_INFO:
		return pv_info(ctx, rec);
	case XC_SR_REC_X86_PV_P2M_FRAMES:
		return p2m_frames(ctx, rec);
	case XC_SR_REC_X86_CPUID_POLICY:
	case XC_SR_REC_X86_MSR_POLICY:
		return policy(ctx, rec);
	}
	/* The end-of-stream records: no PAGE_DATA may follow them. */
	ctx->restore.seen_context = true;
	switch (rec->type) {
	case XC_SR_REC_X86_PV_VCPU_BASIC:
		return vcpu_basic(ctx, rec);
	case XC_SR_REC_X86_PV_VCPU_EXTENDED:
	case XC_SR_REC_X86_PV_VCPU_XSAVE:
	case XC_SR_REC_X86_PV_VCPU_MSRS:
		return vcpu_other(ctx, rec);
	case XC_SR_REC_SHARED_INFO:
		return shared_info(ctx, rec);
	case XC_SR_REC_X86_TSC_INFO:
		return tsc_info(ctx, rec);
	}
	return -2;
}

static int x86_pv_static_data_complete(struct xg_sr_ctx *ctx)
{
	if (!PV->seen_pv_info)
		return xg_sr_fail(ctx, "the static data ends without X86_PV_INFO");
	return 0;
}

/* Frames for the pfns marked INVALID-but-wanted, in runs of neighbours. */
static int populate(struct xg_sr_ctx *ctx, const uint64_t *pfns,
		    unsigned int n)
{
	unsigned int i = 0;
	int rc;

	if (R->dry_run) {
		/* Any valid-looking frame: the dry run only tracks presence. */
		for (i = 0; i < n; i++)
			PV->p2m[pfns[i]] = _mfn(0);
		return 0;
	}
	while (i < n) {
		unsigned int j = i + 1;

		while (j < n && pfns[j] == pfns[j - 1] + 1)
			j++;
		rc = xc_domain_populate_physmap(ctx->xch, ctx->domid,
						_pfn(pfns[i]), j - i,
						PV->p2m + pfns[i]);
		if (rc)
			return xg_sr_fail(ctx, "populating pfns %#lx..%#lx: %s",
					  (unsigned long)pfns[i],
					  (unsigned long)pfns[j - 1],
					  strerror(-rc));
		xg_sr_prefault(&R->mem, PV->p2m + pfns[i], j - i, true);
		i = j;
	}
	return 0;
}

/* Frames for each pfn of want[0..n) that has none; want is reused. */
static int populate_missing(struct xg_sr_ctx *ctx, uint64_t *want,
			    unsigned int n)
{
	unsigned int i, k = 0;

	for (i = 0; i < n; i++) {
		uint64_t pfn = want[i];

		if (populated(ctx, pfn))
			continue;
		/* Mark it, so a pfn named twice is asked for once. */
		PV->p2m[pfn] = _mfn(INVALID_MFN_RAW - 1);
		want[k++] = pfn;
	}
	for (i = 0; i < k; i++)
		PV->p2m[want[i]] = INVALID_MFN;
	return populate(ctx, want, k);
}

static int x86_pv_pages_begin(struct xg_sr_ctx *ctx, unsigned int count,
			      const uint64_t *pfns, const uint32_t *types,
			      void **pages)
{
	uint64_t *want = malloc(count * sizeof(*want));
	unsigned int i, n = 0;
	int rc;

	if (!PV->p2m_size) {
		free(want);
		return xg_sr_fail(ctx, "before X86_PV_P2M_FRAMES");
	}
	if (ctx->restore.seen_context) {
		free(want);
		return xg_sr_fail(ctx, "after the vCPU, TSC or shared_info records, which end a stream");
	}
	if (!want)
		return xg_sr_fail(ctx, "out of memory");
	for (i = 0; i < count; i++) {
		uint32_t t = types[i] & XEN_DOMCTL_PFINFO_LTAB_MASK;

		if (pfns[i] >= PV->p2m_size) {
			free(want);
			return xg_sr_fail(ctx, "pfn[%u] = %#lx is beyond the guest's %lu pages",
					  i, (unsigned long)pfns[i],
					  (unsigned long)PV->p2m_size);
		}
		if (t != XEN_DOMCTL_PFINFO_XTAB && t != XEN_DOMCTL_PFINFO_BROKEN)
			want[n++] = pfns[i];
	}
	rc = populate_missing(ctx, want, n);
	free(want);
	if (rc)
		return rc;
	if (R->dry_run) {
		uint8_t *s = realloc(PV->scratch, (size_t)count * XG_PAGE_SIZE);

		if (!s)
			return xg_sr_fail(ctx, "out of memory");
		PV->scratch = s;
	}
	for (i = 0, n = 0; i < count; i++) {
		PV->types[pfns[i]] = types[i];
		if (!xg_sr_type_has_data(types[i]))
			continue;
		pages[n] = R->dry_run ? PV->scratch + (size_t)n * XG_PAGE_SIZE :
			   xc_foreign_frame(&R->mem, PV->p2m[pfns[i]]);
		if (!pages[n])
			return xg_sr_fail(ctx, "pfn %#lx got mfn %#lx, outside the mapping",
					  (unsigned long)pfns[i],
					  (unsigned long)mfn_x(PV->p2m[pfns[i]]));
		n++;
	}
	return 0;
}

/*
 * Xen's x86_pv_localise_page(): pfns back into frames, in place, in one
 * pass; entries naming a pfn with no frame yet wait for one populate.
 */
static int localise(struct xg_sr_ctx *ctx, uint64_t pfn, unsigned int level,
		    uint64_t *table)
{
	const mfn_t *p2m = PV->p2m;
	uint64_t size = PV->p2m_size, want[XG_SR_PTES];
	uint16_t at[XG_SR_PTES];
	unsigned int i, n = 0, k;
	uint64_t present = 0;
	int rc;

	for (i = 0; i < XG_SR_PTES; i++) {
		uint64_t pte = table[i], to;

		if (!(pte & XG_PTE_PRESENT))
			continue;
		present++;
		if (level == 4 && xg_sr_l4_slot_reserved(i))
			return xg_sr_fail(ctx, "L4 table at pfn %#lx fills slot %u (%#lx), which this hypervisor keeps for itself",
					  (unsigned long)pfn, i,
					  (unsigned long)pte);
		if (level > 1 && (pte & XG_PTE_PSE))
			return xg_sr_fail(ctx, "L%u table at pfn %#lx, entry %u (%#lx): a superpage, which a PV guest cannot map",
					  level, (unsigned long)pfn, i,
					  (unsigned long)pte);
		to = (pte & XG_PTE_ADDR) >> XG_PAGE_SHIFT;
		if (to >= size)
			return xg_sr_fail(ctx, "L%u table at pfn %#lx, entry %u (%#lx): pfn %#lx is beyond the guest's %lu pages",
					  level, (unsigned long)pfn, i,
					  (unsigned long)pte, (unsigned long)to,
					  (unsigned long)size);
		if (!mfn_valid_raw(p2m[to])) {
			at[n] = i;
			want[n++] = to;
		} else if (!R->dry_run) {
			table[i] = (pte & ~XG_PTE_ADDR) | mfn_to_maddr(p2m[to]);
		}
	}
	ctx->stats->ptes += present;
	if (!n)
		return 0;
	rc = populate_missing(ctx, want, n);
	if (rc || R->dry_run)
		return rc;
	for (k = 0; k < n; k++) {
		uint64_t pte = table[at[k]];

		table[at[k]] = (pte & ~XG_PTE_ADDR) |
			       mfn_to_maddr(p2m[(pte & XG_PTE_ADDR) >> XG_PAGE_SHIFT]);
	}
	return 0;
}

static int x86_pv_pages_end(struct xg_sr_ctx *ctx, unsigned int count,
			    const uint64_t *pfns, const uint32_t *types,
			    void **pages)
{
	unsigned int i, n = 0, level;
	uint64_t t0 = xg_sr_now_ns();
	int rc = 0;

	for (i = 0; !rc && i < count; i++) {
		if (!xg_sr_type_has_data(types[i]))
			continue;
		level = xg_sr_pt_level(types[i]);
		if (level) {
			rc = localise(ctx, pfns[i], level, pages[n]);
			ctx->stats->pagetables++;
		}
		n++;
	}
	ctx->stats->pt_ns += xg_sr_now_ns() - t0;
	return rc;
}

/* A pfn the end needs: sent, and of the type wanted (level 0: normal). */
static int want_pfn(struct xg_sr_ctx *ctx, uint64_t pfn, unsigned int level,
		    const char *what)
{
	uint32_t t;

	if (pfn >= PV->p2m_size)
		return xg_sr_fail(ctx, "%s is pfn %#lx, beyond the guest's %lu pages",
				  what, (unsigned long)pfn,
				  (unsigned long)PV->p2m_size);
	t = PV->types[pfn];
	if (t == XG_SR_TYPE_NONE || !xg_sr_type_has_data(t))
		return xg_sr_fail(ctx, "%s is pfn %#lx, which the stream never sent",
				  what, (unsigned long)pfn);
	if (xg_sr_pt_level(t) != level)
		return xg_sr_fail(ctx, "%s is pfn %#lx, sent as %s",
				  what, (unsigned long)pfn, xg_sr_type_name(t));
	return 0;
}

/* What the end needs, checked before anything is changed. */
static int check_complete(struct xg_sr_ctx *ctx)
{
	char what[64];
	unsigned int id;
	uint64_t i;

	if (!PV->p2m_size)
		return xg_sr_fail(ctx, "the stream ends without X86_PV_P2M_FRAMES");
	if (!ctx->restore.seen_page_data)
		return xg_sr_fail(ctx, "the stream ends without PAGE_DATA");
	if (!PV->seen_shinfo)
		return xg_sr_fail(ctx, "the stream ends without SHARED_INFO");
	if (!PV->vcpu_seen[0])
		return xg_sr_fail(ctx, "the stream ends without X86_PV_VCPU_BASIC for vCPU 0");
	for (i = 0; i < PV->nr_p2m_pfns; i++) {
		snprintf(what, sizeof(what), "p2m frame %lu", (unsigned long)i);
		if (want_pfn(ctx, pfn_x(PV->p2m_pfns[i]), 0, what))
			return -1;
	}
	if (want_pfn(ctx, PV->vcpus[0].user_regs.rdx, 0,
		     "start_info (vCPU 0's rdx)"))
		return -1;
	for (id = 0; id < vcpu_limit(ctx); id++) {
		const struct vcpu_guest_context *c = &PV->vcpus[id];

		if (!PV->vcpu_seen[id])
			continue;
		snprintf(what, sizeof(what), "vCPU %u's L4 (ctrlreg[3])", id);
		if (want_pfn(ctx, xen_cr3_to_pfn(c->ctrlreg[3]), 4, what))
			return -1;
		snprintf(what, sizeof(what), "vCPU %u's user L4 (ctrlreg[1])", id);
		if ((c->ctrlreg[1] & 1) &&
		    want_pfn(ctx, xen_cr3_to_pfn(c->ctrlreg[1]), 4, what))
			return -1;
		if (c->gdt_ents > 8192)
			return xg_sr_fail(ctx, "vCPU %u has %lu GDT entries", id,
					  (unsigned long)c->gdt_ents);
		for (i = 0; i < (c->gdt_ents + 511) / 512; i++) {
			snprintf(what, sizeof(what), "vCPU %u's GDT frame %lu",
				 id, (unsigned long)i);
			if (want_pfn(ctx, c->gdt_frames[i], 0, what))
				return -1;
		}
	}
	return 0;
}

static void *frame(struct xg_sr_ctx *ctx, uint64_t pfn)
{
	return xc_foreign_frame(&R->mem, PV->p2m[pfn]);
}

/* A ring page of start_info: a normal page of the guest, set up as a ring. */
static int ring(struct xg_sr_ctx *ctx, unsigned int kind, uint64_t pfn,
		const char *what, mfn_t *mfn, uint32_t *port)
{
	int rc = want_pfn(ctx, pfn, 0, what);

	if (rc)
		return rc;
	*mfn = PV->p2m[pfn];
	rc = xc_ring_setup(ctx->xch, ctx->domid, kind, *mfn, port);
	if (rc)
		return xg_sr_fail(ctx, "%s (pfn %#lx): the hypervisor refuses it as a ring: %s",
				  what, (unsigned long)pfn, strerror(-rc));
	return 0;
}

/* Xen's process_start_info(). */
static int fix_start_info(struct xg_sr_ctx *ctx)
{
	uint64_t pfn = PV->vcpus[0].user_regs.rdx;
	struct start_info *si = frame(ctx, pfn);

	if (memcmp(si->magic, "xen-3.0-x86_64", 14))
		return xg_sr_fail(ctx, "start_info (pfn %#lx, vCPU 0's rdx) does not begin with \"xen-3.0-x86_64\"",
				  (unsigned long)pfn);
	if (si->store_mfn == si->console.domU.mfn)
		return xg_sr_fail(ctx, "start_info gives the xenstore and the console ring one page (pfn %#lx)",
				  (unsigned long)si->store_mfn);
	if (ring(ctx, HV_RING_STORE, si->store_mfn, "start_info's xenstore ring",
		 &R->store_mfn, &R->store_evtchn) ||
	    ring(ctx, HV_RING_CONSOLE, si->console.domU.mfn,
		 "start_info's console ring", &R->console_mfn,
		 &R->console_evtchn))
		return -1;
	si->store_mfn = mfn_x(R->store_mfn);
	si->store_evtchn = R->store_evtchn;
	si->console.domU.mfn = mfn_x(R->console_mfn);
	si->console.domU.evtchn = R->console_evtchn;
	si->nr_pages = PV->p2m_size;
	si->shared_info = mfn_to_maddr(PV->shared_info_mfn);
	si->flags = 0;
	PV->vcpus[0].user_regs.rdx = mfn_x(PV->p2m[pfn]);
	return 0;
}

/* Xen's handle_shared_info(), into the new domain's page. */
static int fix_shared_info(struct xg_sr_ctx *ctx)
{
	const struct shared_info *old = (const void *)PV->shinfo;
	struct shared_info *s = xc_foreign_frame(&R->mem, PV->shared_info_mfn);
	unsigned int i;

	if (!s)
		return xg_sr_fail(ctx, "the new shared_info (mfn %#lx) is outside the mapping",
				  (unsigned long)mfn_x(PV->shared_info_mfn));

	memcpy(s->vcpu_info, old->vcpu_info, sizeof(s->vcpu_info));
	memcpy(&s->arch, &old->arch, sizeof(s->arch));
	s->arch.pfn_to_mfn_frame_list_list = 0;
	memset(s->evtchn_pending, 0, sizeof(s->evtchn_pending));
	memset(s->evtchn_mask, 0xff, sizeof(s->evtchn_mask));
	for (i = 0; i < XEN_LEGACY_MAX_VCPUS; i++) {
		s->vcpu_info[i].evtchn_pending_sel = 0;
		s->vcpu_info[i].evtchn_upcall_pending = 0;
	}
	return 0;
}

/* Xen's update_guest_p2m(): the guest's own list gets the new frames. */
static void fix_guest_p2m(struct xg_sr_ctx *ctx)
{
	uint64_t i, n;

	for (i = 0; i < PV->nr_p2m_pfns; i++) {
		uint64_t *page = frame(ctx, pfn_x(PV->p2m_pfns[i]));
		uint64_t first = i * XG_SR_FPP;

		n = PV->p2m_size - first < XG_SR_FPP ? PV->p2m_size - first :
			XG_SR_FPP;
		memcpy(page, PV->p2m + first, n * sizeof(uint64_t));
	}
}

static int pin_tables(struct xg_sr_ctx *ctx)
{
	uint64_t pfn;
	int rc;

	for (pfn = 0; pfn < PV->p2m_size; pfn++) {
		uint32_t t = PV->types[pfn];
		unsigned int level;

		if (t == XG_SR_TYPE_NONE || !(t & XEN_DOMCTL_PFINFO_LPINTAB))
			continue;
		level = xg_sr_pt_level(t);
		rc = xc_mmuext_pin(ctx->xch, ctx->domid, level, PV->p2m[pfn]);
		if (rc)
			return xg_sr_fail(ctx, "pfn %#lx, a pinned L%u table in the stream: the hypervisor refuses to pin it (%s): an entry does not validate",
					  (unsigned long)pfn, level, strerror(-rc));
	}
	return 0;
}

static int set_contexts(struct xg_sr_ctx *ctx)
{
	unsigned int id;
	uint64_t i;
	int rc;

	for (id = 0; id < R->nr_vcpus; id++) {
		struct vcpu_guest_context *c = &PV->vcpus[id];

		if (!PV->vcpu_seen[id])
			continue;
		c->ctrlreg[3] = xen_pfn_to_cr3(mfn_x(PV->p2m[xen_cr3_to_pfn(c->ctrlreg[3])]));
		if (c->ctrlreg[1] & 1)
			c->ctrlreg[1] = 1 | xen_pfn_to_cr3(mfn_x(PV->p2m[xen_cr3_to_pfn(c->ctrlreg[1])]));
		for (i = 0; i < (c->gdt_ents + 511) / 512; i++)
			c->gdt_frames[i] = mfn_x(PV->p2m[c->gdt_frames[i]]);
		rc = xc_vcpu_setcontext(ctx->xch, ctx->domid, id, c);
		if (rc)
			return xg_sr_fail(ctx, "vCPU %u's context: the hypervisor refuses it (%s)",
					  id, strerror(-rc));
	}
	return 0;
}

static int x86_pv_stream_complete(struct xg_sr_ctx *ctx)
{
	char *why = NULL;
	int rc;

	if (check_complete(ctx))
		return -1;
	if (R->report)
		fprintf(R->report, "vCPUs: %u with a context; %lu EXTENDED, XSAVE or MSRS records (not used here)\n",
			ctx->stats->vcpus, (unsigned long)PV->ext_records);
	if (R->dry_run)
		return 0;
	if (fix_start_info(ctx) || fix_shared_info(ctx))
		return -1;
	if (R->have_tsc) {
		rc = xc_domain_set_tsc_info(ctx->xch, ctx->domid, &R->tsc);
		if (rc)
			return xg_sr_fail(ctx, "X86_TSC_INFO (mode %u): the hypervisor refuses it (%s)",
					  R->tsc.tsc_mode, strerror(-rc));
	}
	fix_guest_p2m(ctx);
	if (pin_tables(ctx) || set_contexts(ctx))
		return -1;
	if (R->audit) {
		rc = xc_domain_audit(ctx->xch, ctx->domid, &why);
		if (rc) {
			xg_sr_fail(ctx, "the restored domain fails the hypervisor's audit: %s",
				   why ? why : strerror(-rc));
			free(why);
			return -1;
		}
	}
	return 0;
}

static void x86_pv_cleanup(struct xg_sr_ctx *ctx)
{
	free(PV->p2m);
	free(PV->types);
	free(PV->p2m_pfns);
	free(PV->vcpus);
	free(PV->vcpu_seen);
	free(PV->scratch);
	memset(PV, 0, sizeof(*PV));
}

const struct xg_sr_restore_ops xg_sr_restore_ops_x86_pv = {
	.setup = x86_pv_setup,
	.process_record = x86_pv_process_record,
	.max_length = x86_pv_max_length,
	.static_data_complete = x86_pv_static_data_complete,
	.pages_begin = x86_pv_pages_begin,
	.pages_end = x86_pv_pages_end,
	.stream_complete = x86_pv_stream_complete,
	.cleanup = x86_pv_cleanup,
};
