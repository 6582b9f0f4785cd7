// SPDX-License-Identifier: MIT
/*
 * The save side of libxc's stream, common to every guest type (Xen's
 * xg_sr_save.c): the image and domain headers, the static records and
 * STATIC_DATA_END, the guest type's start-of-stream records, every page
 * in PAGE_DATA batches of XG_SR_BATCH pfns, the end-of-stream records,
 * END.  Only the suspended (non-live) save is here: the guest cannot
 * change anything meanwhile, so every page goes once, and a pagetable
 * that cannot be made canonical is an error, not something to resend.
 *
 * A batch is written as one record: the header and the pfn list from the
 * writer's buffer, then each page straight from the foreign mapping, or
 * from the scratch copy where a pagetable was made canonical.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xg_sr_common.h"

static int write_headers(struct xg_sr_ctx *ctx)
{
	struct xc_sr_ihdr ihdr = {
		.marker = XC_SR_IHDR_MARKER,
		.id = htonl(XC_SR_IHDR_ID),
		.version = htonl(XC_SR_VERSION_3),
		.options = htons(0),		/* little-endian */
	};
	struct xc_sr_dhdr dhdr = {
		.type = XC_SR_DHDR_TYPE_X86_PV,
		.page_shift = XG_PAGE_SHIFT,
		/* The interface this hypervisor answers XENVER_version with. */
		.xen_major = 4,
		.xen_minor = 17,
	};

	xg_sr_out_bytes(ctx->save.out, &ihdr, sizeof(ihdr));
	return xg_sr_out_bytes(ctx->save.out, &dhdr, sizeof(dhdr));
}

static int write_simple(struct xg_sr_ctx *ctx, uint32_t type)
{
	ctx->stats->records++;
	return xg_sr_out_record(ctx->save.out, type, NULL, 0, NULL, 0);
}

/* One PAGE_DATA record: the pfns [first, first + n). */
static int write_batch(struct xg_sr_ctx *ctx, uint64_t first, unsigned int n,
		       uint8_t *scratch, uint64_t *pfns, const void **data)
{
	struct xc_sr_rec_page_data_header hdr = { .count = n };
	unsigned int i, nr_data = 0, nr_scratch = 0;
	uint32_t hdr2[2];
	size_t len;
	int rc;

	for (i = 0; i < n; i++) {
		uint8_t *slot = scratch + (size_t)nr_scratch * XG_PAGE_SIZE;
		const void *page = NULL;
		uint32_t type;

		rc = ctx->save.ops->page(ctx, first + i, &type, &page, slot);
		if (rc)
			return rc;
		pfns[i] = (first + i) |
			  ((uint64_t)type << XC_SR_PAGE_DATA_TYPE_SHIFT);
		/* Scratch slots are used from the first: few pages ever fault. */
		nr_scratch += page == slot;
		if (page)
			data[nr_data++] = page;
	}
	len = sizeof(hdr) + n * sizeof(uint64_t) + (size_t)nr_data * XG_PAGE_SIZE;
	hdr2[0] = XC_SR_REC_PAGE_DATA;
	hdr2[1] = len;
	xg_sr_out_bytes(ctx->save.out, hdr2, sizeof(hdr2));
	xg_sr_out_bytes(ctx->save.out, &hdr, sizeof(hdr));
	xg_sr_out_bytes(ctx->save.out, pfns, n * sizeof(uint64_t));
	rc = xg_sr_out_pages(ctx->save.out, data, nr_data);
	ctx->stats->records++;
	ctx->stats->pages += nr_data;
	return rc;
}

static int write_memory(struct xg_sr_ctx *ctx)
{
	uint64_t nr = ctx->save.ops->nr_pfns(ctx), pfn;
	uint8_t *scratch = malloc(XG_SR_BATCH * XG_PAGE_SIZE);
	uint64_t *pfns = malloc(XG_SR_BATCH * sizeof(*pfns));
	const void **data = malloc(XG_SR_BATCH * sizeof(*data));
	int rc = 0;

	if (!scratch || !pfns || !data)
		rc = xg_sr_fail(ctx, "out of memory for a batch of pages");
	for (pfn = 0; !rc && pfn < nr; pfn += XG_SR_BATCH) {
		unsigned int n = nr - pfn < XG_SR_BATCH ? nr - pfn : XG_SR_BATCH;

		rc = write_batch(ctx, pfn, n, scratch, pfns, data);
		if (rc > 0 || (!rc && ctx->save.out->error))
			rc = -1;
	}
	free(scratch);
	free(pfns);
	free(data);
	return rc;
}

int xg_domain_save(xc_interface *xch, struct xg_sr_out *o, domid_t domid,
		   struct xg_sr_stats *stats, char *err, size_t errlen)
{
	struct xg_sr_stats none;
	struct xg_sr_ctx ctx = {
		.xch = xch, .domid = domid, .err = err, .errlen = errlen,
		.stats = stats ? stats : &none,
	};
	uint64_t t0 = xg_sr_now_ns(), start = o->offset + o->len;
	int rc;

	memset(ctx.stats, 0, sizeof(*ctx.stats));
	ctx.save.out = o;
	ctx.save.ops = &xg_sr_save_ops_x86_pv;
	ctx.save.pv.mem.memfd = -1;
	err[0] = '\0';
	rc = ctx.save.ops->setup(&ctx);
	if (!rc)
		rc = write_headers(&ctx);
	if (!rc)
		rc = ctx.save.ops->static_data(&ctx);
	if (!rc)
		rc = write_simple(&ctx, XC_SR_REC_STATIC_DATA_END);
	if (!rc)
		rc = ctx.save.ops->start_of_stream(&ctx);
	if (!rc)
		rc = write_memory(&ctx);
	if (!rc)
		rc = ctx.save.ops->end_of_stream(&ctx);
	if (!rc)
		rc = write_simple(&ctx, XC_SR_REC_END);
	if (!rc)
		rc = xg_sr_out_flush(o);
	if (o->error && !err[0])
		snprintf(err, errlen, "writing the stream: %s",
			 strerror(-o->error));
	ctx.save.ops->cleanup(&ctx);
	ctx.stats->bytes = o->offset + o->len - start;
	ctx.stats->total_ns = xg_sr_now_ns() - t0;
	return rc || o->error ? -1 : 0;
}
