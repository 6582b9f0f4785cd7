// SPDX-License-Identifier: MIT
/*
 * The restore side of libxc's stream, common to every guest type (Xen's
 * xg_sr_restore.c): the headers, the records one by one up to END, and
 * the rules of their order; the guest type's ops do the rest.
 *
 * Nothing in a stream is trusted.  Every length is checked against what
 * its record type may hold before anything is allocated for it, every
 * pfn against the guest's size, every frame type against the list; a
 * record in the wrong place, a second one where one is allowed, a
 * mandatory record this reader does not know, a stream that ends early:
 * each is refused with one line that names the record (its number and
 * type) and the offset where it starts.  The domain is created first and
 * destroyed on any refusal, so a bad stream leaves nothing behind.
 *
 * The order enforced, from the specification: X86_PV_INFO and the other
 * static records, then STATIC_DATA_END (a v2 stream has none: its place
 * is taken to be just before the first X86_PV_P2M_FRAMES or PAGE_DATA,
 * as the specification says), X86_PV_P2M_FRAMES before any PAGE_DATA,
 * and no PAGE_DATA after the end-of-stream records (X86_TSC_INFO,
 * SHARED_INFO, the vCPUs): a stream that is not checkpointed sends each
 * page before the state that depends on it.  CHECKPOINT records (Remus,
 * COLO) and VERIFY are refused.
 *
 * Reserved fields are ignored, as the specification says a restore must;
 * padding is skipped unread for the same reason.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xg_sr_common.h"

#define MAX_PAGE_DATA_COUNT	4096U	/* pfns in one PAGE_DATA (Xen sends 1024) */
#define RESTORE (&ctx->restore)

/* A failed read, as a message: truncation or an I/O error. */
static int read_fail(struct xg_sr_ctx *ctx, int rc, const char *what)
{
	if (rc == -ENODATA)
		return xg_sr_fail(ctx, "the stream ends in the middle of %s (offset %lu): truncated",
				  what, (unsigned long)RESTORE->in->offset);
	return xg_sr_fail(ctx, "reading %s: %s", what, strerror(-rc));
}

static int read_headers(struct xg_sr_ctx *ctx)
{
	struct xc_sr_ihdr ihdr;
	struct xc_sr_dhdr dhdr;
	uint64_t at = RESTORE->in->offset;
	uint16_t options;
	int rc;

	rc = xg_sr_in_read(RESTORE->in, &ihdr, sizeof(ihdr));
	if (rc)
		return read_fail(ctx, rc, "the libxc image header");
	ihdr.id = ntohl(ihdr.id);
	ihdr.version = ntohl(ihdr.version);
	options = ntohs(ihdr.options);
	if (ihdr.marker != XC_SR_IHDR_MARKER)
		return xg_sr_fail(ctx, "libxc image header at offset %lu: marker %#llx, not %#llx: not a libxc v2 stream (a legacy image?)",
				  (unsigned long)at, (unsigned long long)ihdr.marker,
				  (unsigned long long)XC_SR_IHDR_MARKER);
	if (ihdr.id != XC_SR_IHDR_ID)
		return xg_sr_fail(ctx, "libxc image header at offset %lu: id %#x, not %#x (\"XENF\")",
				  (unsigned long)at, ihdr.id, XC_SR_IHDR_ID);
	if (ihdr.version != XC_SR_VERSION_2 && ihdr.version != XC_SR_VERSION_3)
		return xg_sr_fail(ctx, "libxc image header at offset %lu: version %u; this reader takes versions 2 and 3",
				  (unsigned long)at, ihdr.version);
	if (options & XC_SR_IHDR_OPT_BIG_ENDIAN)
		return xg_sr_fail(ctx, "libxc image header at offset %lu: a big-endian stream; only little-endian ones restore here",
				  (unsigned long)at);
	RESTORE->version = ihdr.version;
	at = RESTORE->in->offset;
	rc = xg_sr_in_read(RESTORE->in, &dhdr, sizeof(dhdr));
	if (rc)
		return read_fail(ctx, rc, "the libxc domain header");
	if (dhdr.type != XC_SR_DHDR_TYPE_X86_PV)
		return xg_sr_fail(ctx, "libxc domain header at offset %lu: domain type %#x; this hypervisor restores x86 PV guests (type %#x) only",
				  (unsigned long)at, dhdr.type, XC_SR_DHDR_TYPE_X86_PV);
	if (dhdr.page_shift != XG_PAGE_SHIFT)
		return xg_sr_fail(ctx, "libxc domain header at offset %lu: page shift %u, not %u",
				  (unsigned long)at, dhdr.page_shift, (unsigned int)XG_PAGE_SHIFT);
	if (RESTORE->r->report)
		fprintf(RESTORE->r->report,
			"libxc stream: version %u, x86 PV, saved on Xen %u.%u%s\n",
			ihdr.version, dhdr.xen_major, dhdr.xen_minor,
			dhdr.xen_major ? "" : " (converted from a legacy image)");
	return 0;
}

static int static_data_end(struct xg_sr_ctx *ctx)
{
	RESTORE->seen_static_data_end = true;
	return RESTORE->ops->static_data_complete(ctx);
}

/* Records that may only come before STATIC_DATA_END, and what must follow it. */
static int check_order(struct xg_sr_ctx *ctx, const struct xg_sr_record *rec)
{
	switch (rec->type) {
	case XC_SR_REC_X86_PV_INFO:
	case XC_SR_REC_X86_CPUID_POLICY:
	case XC_SR_REC_X86_MSR_POLICY:
		if (RESTORE->seen_static_data_end)
			return xg_sr_fail(ctx, "a static record after STATIC_DATA_END");
		return 0;
	case XC_SR_REC_STATIC_DATA_END:
		if (RESTORE->version < XC_SR_VERSION_3)
			return xg_sr_fail(ctx, "STATIC_DATA_END in a version 2 stream");
		if (RESTORE->seen_static_data_end)
			return xg_sr_fail(ctx, "a second STATIC_DATA_END");
		return 0;
	case XC_SR_REC_X86_PV_P2M_FRAMES:
	case XC_SR_REC_PAGE_DATA:
		if (RESTORE->seen_static_data_end)
			return 0;
		if (RESTORE->version >= XC_SR_VERSION_3)
			return xg_sr_fail(ctx, "before STATIC_DATA_END, which a version 3 stream must send first");
		return static_data_end(ctx);
	case XC_SR_REC_CHECKPOINT:
		return xg_sr_fail(ctx, "a checkpointed stream (Remus, COLO): not supported here");
	case XC_SR_REC_VERIFY:
		return xg_sr_fail(ctx, "a verification stream: not supported here");
	}
	return 0;
}

/* PAGE_DATA, read as it comes: pfns and types first, then the pages in place. */
static int page_data(struct xg_sr_ctx *ctx, struct xg_sr_record *rec)
{
	struct xc_sr_rec_page_data_header hdr;
	uint64_t *pfns = NULL;
	uint32_t *types = NULL;
	void **pages = NULL;
	unsigned int i, nr_data = 0;
	int rc;

	if (rec->length < sizeof(hdr))
		return xg_sr_fail(ctx, "length %u: shorter than its own header",
				  rec->length);
	rc = xg_sr_in_read(RESTORE->in, &hdr, sizeof(hdr));
	if (rc)
		return read_fail(ctx, rc, "a PAGE_DATA header");
	if (!hdr.count)
		return xg_sr_fail(ctx, "count 0: a PAGE_DATA record names at least one pfn");
	if (hdr.count > MAX_PAGE_DATA_COUNT)
		return xg_sr_fail(ctx, "count %u: more than the %u pfns this reader takes in one record",
				  hdr.count, MAX_PAGE_DATA_COUNT);
	if (rec->length < sizeof(hdr) + (uint64_t)hdr.count * 8)
		return xg_sr_fail(ctx, "length %u: too short for %u pfns",
				  rec->length, hdr.count);
	pfns = malloc(hdr.count * sizeof(*pfns));
	types = malloc(hdr.count * sizeof(*types));
	pages = calloc(hdr.count, sizeof(*pages));
	if (!pfns || !types || !pages) {
		rc = xg_sr_fail(ctx, "out of memory");
		goto out;
	}
	rc = xg_sr_in_read(RESTORE->in, pfns, hdr.count * sizeof(*pfns));
	if (rc) {
		rc = read_fail(ctx, rc, "a PAGE_DATA pfn list");
		goto out;
	}
	for (i = 0; i < hdr.count; i++) {
		uint32_t type = (pfns[i] >> XC_SR_PAGE_DATA_TYPE_SHIFT) &
				XEN_DOMCTL_PFINFO_LTAB_MASK;
		unsigned int level = xg_sr_pt_level(type);

		if (level > 4 || type == XEN_DOMCTL_PFINFO_LPINTAB) {
			rc = xg_sr_fail(ctx, "pfn[%u] (%#lx) has type %#x, which the specification reserves",
					i, (unsigned long)pfns[i],
					type >> XEN_DOMCTL_PFINFO_LTAB_SHIFT);
			goto out;
		}
		types[i] = type;
		pfns[i] &= XC_SR_PAGE_DATA_PFN_MASK;
		nr_data += xg_sr_type_has_data(type);
	}
	if (rec->length != sizeof(hdr) + (uint64_t)hdr.count * 8 +
			   (uint64_t)nr_data * XG_PAGE_SIZE) {
		rc = xg_sr_fail(ctx, "length %u, but %u pfns with %u pages of data take %lu",
				rec->length, hdr.count, nr_data,
				(unsigned long)(sizeof(hdr) + hdr.count * 8UL +
						nr_data * XG_PAGE_SIZE));
		goto out;
	}
	rc = RESTORE->ops->pages_begin(ctx, hdr.count, pfns, types, pages);
	if (rc)
		goto out;
	rc = xg_sr_in_pages(RESTORE->in, pages, nr_data);
	if (rc) {
		rc = read_fail(ctx, rc, "PAGE_DATA's pages");
		goto out;
	}
	rc = RESTORE->ops->pages_end(ctx, hdr.count, pfns, types, pages);
	ctx->stats->pages += nr_data;
	RESTORE->seen_page_data = true;
out:
	free(pfns);
	free(types);
	free(pages);
	return rc;
}

/* Any other record: its body, checked for size before it is read. */
static int other_record(struct xg_sr_ctx *ctx, struct xg_sr_record *rec)
{
	uint64_t max = RESTORE->ops->max_length(ctx, rec->type);
	size_t padded = ((size_t)rec->length + 7) & ~(size_t)7;
	int rc;

	if (rec->length > max)
		return xg_sr_fail(ctx, "length %u: a record of this type holds at most %lu bytes",
				  rec->length, (unsigned long)max);
	rec->data = malloc(padded ? padded : 1);
	if (!rec->data)
		return xg_sr_fail(ctx, "out of memory for %u bytes", rec->length);
	rc = xg_sr_in_read(RESTORE->in, rec->data, padded);
	if (rc)
		rc = read_fail(ctx, rc, "a record's body");
	else
		rc = RESTORE->ops->process_record(ctx, rec);
	if (rc == -2)
		rc = xg_sr_fail(ctx, "not a record of an x86 PV stream");
	free(rec->data);
	rec->data = NULL;
	return rc;
}

/* Skips an optional record this reader does not know. */
static int skip_record(struct xg_sr_ctx *ctx, struct xg_sr_record *rec)
{
	uint64_t left = ((uint64_t)rec->length + 7) & ~7ULL;
	uint8_t buf[4096];
	int rc = 0;

	while (!rc && left) {
		size_t n = left < sizeof(buf) ? left : sizeof(buf);

		rc = xg_sr_in_read(RESTORE->in, buf, n);
		left -= n;
	}
	return rc ? read_fail(ctx, rc, "an optional record") : 0;
}

/* One record; 1 after END. */
static int one_record(struct xg_sr_ctx *ctx, struct xg_sr_record *rec)
{
	struct xc_sr_rhdr rh;
	int rc;

	rec->offset = RESTORE->in->offset;
	rec->index++;
	rec->data = NULL;
	ctx->rec = NULL;
	rc = xg_sr_in_read(RESTORE->in, &rh, sizeof(rh));
	if (rc == -ENODATA)
		return xg_sr_fail(ctx, "the libxc stream ends at offset %lu without its END record: truncated",
				  (unsigned long)RESTORE->in->offset);
	if (rc)
		return read_fail(ctx, rc, "a record header");
	rec->type = rh.type;
	rec->length = rh.length;
	ctx->rec = rec;
	ctx->stats->records++;
	if (rh.length > XC_SR_REC_LENGTH_MAX)
		return xg_sr_fail(ctx, "length %u: more than the %u bytes a record may have",
				  rh.length, XC_SR_REC_LENGTH_MAX);
	if (!xg_sr_rec_name(rh.type)) {
		if (rh.type & XC_SR_REC_OPTIONAL)
			return skip_record(ctx, rec);
		return xg_sr_fail(ctx, "a mandatory record type this reader does not know");
	}
	RESTORE->counts[rh.type]++;
	rc = check_order(ctx, rec);
	if (rc)
		return rc;
	switch (rh.type) {
	case XC_SR_REC_END:
		if (rh.length)
			return xg_sr_fail(ctx, "length %u: END has no body", rh.length);
		rc = RESTORE->ops->stream_complete(ctx);
		return rc ? rc : 1;
	case XC_SR_REC_PAGE_DATA:
		return page_data(ctx, rec);
	case XC_SR_REC_STATIC_DATA_END:
		if (rh.length)
			return xg_sr_fail(ctx, "length %u: STATIC_DATA_END has no body",
					  rh.length);
		return static_data_end(ctx);
	}
	return other_record(ctx, rec);
}

static void report_counts(struct xg_sr_ctx *ctx)
{
	FILE *f = RESTORE->r->report;
	uint32_t t;

	if (!f)
		return;
	fprintf(f, "libxc records:");
	for (t = 0; t <= XC_SR_REC_X86_MSR_POLICY; t++)
		if (RESTORE->counts[t])
			fprintf(f, " %s %lu", xg_sr_rec_name(t),
				(unsigned long)RESTORE->counts[t]);
	fprintf(f, "\n");
}

void xg_restore_init(struct xg_restore *r)
{
	unsigned int i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < HV_CONSOLE_OUTPUTS; i++)
		r->console_fds[i] = -1;
	r->mem.memfd = -1;
	r->source = "the stream";
}

void xg_restore_release(struct xg_restore *r)
{
	xc_unmap_foreign(&r->mem);
}

/* A domain to restore into: created, consoles attached, memory mapped. */
static int create(struct xg_sr_ctx *ctx)
{
	struct xg_restore *r = RESTORE->r;
	unsigned int i;
	int rc;

	rc = xc_domain_create(ctx->xch, r->domid, r->max_pages, r->nr_vcpus,
			      r->seed);
	if (rc)
		return xg_sr_fail(ctx, "creating domain %u: %s", r->domid,
				  strerror(-rc));
	RESTORE->created = true;
	/*
	 * The host readies the memory while the stream is read: a speed-up
	 * only, so a hypervisor without it is no error.
	 */
	if (r->prefill)
		xc_domain_prefill(ctx->xch, r->domid, r->max_pages);
	for (i = 0; i < HV_CONSOLE_OUTPUTS; i++)
		if (r->console_fds[i] >= 0 &&
		    (rc = xc_console_output(ctx->xch, r->domid, r->console_fds[i])))
			return xg_sr_fail(ctx, "attaching the console: %s",
					  strerror(-rc));
	rc = xc_map_foreign(ctx->xch, r->domid, &r->mem);
	if (rc)
		return xg_sr_fail(ctx, "mapping the new domain's memory: %s",
				  strerror(-rc));
	return 0;
}

int xg_domain_restore(xc_interface *xch, struct xg_sr_in *in,
		      struct xg_restore *r, char *err, size_t errlen)
{
	struct xg_sr_ctx ctx = {
		.xch = xch, .domid = r->domid, .err = err, .errlen = errlen,
		.stats = &r->stats,
	};
	struct xg_sr_record rec = { 0 };
	uint64_t t0 = xg_sr_now_ns(), start = in->offset;
	int rc;

	memset(&r->stats, 0, sizeof(r->stats));
	err[0] = '\0';
	ctx.restore.in = in;
	ctx.restore.r = r;
	ctx.restore.ops = &xg_sr_restore_ops_x86_pv;
	if (!r->dry_run && (!r->max_pages || !r->nr_vcpus ||
			    r->nr_vcpus > HV_MAX_VCPUS)) {
		snprintf(err, errlen, "restore: %lu pages and %u vCPUs make no domain",
			 (unsigned long)r->max_pages, r->nr_vcpus);
		return -1;
	}
	rc = r->dry_run ? 0 : create(&ctx);
	if (!rc)
		rc = ctx.restore.ops->setup(&ctx);
	if (!rc)
		rc = read_headers(&ctx);
	while (!rc)
		rc = one_record(&ctx, &rec);
	ctx.rec = rc == 1 ? NULL : ctx.rec;
	ctx.restore.ops->cleanup(&ctx);
	r->stats.bytes = in->offset - start;
	r->stats.total_ns = xg_sr_now_ns() - t0;
	if (rc == 1) {
		report_counts(&ctx);
		return 0;
	}
	if (ctx.restore.created) {
		xg_restore_release(r);
		xc_domain_destroy(xch, r->domid);
	}
	return -1;
}
