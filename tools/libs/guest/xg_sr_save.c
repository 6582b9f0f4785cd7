// SPDX-License-Identifier: MIT
/*
 * The save side of libxc's stream, common to every guest type (Xen's
 * xg_sr_save.c): the image and domain headers, the static records and
 * STATIC_DATA_END, the guest type's start-of-stream records, the pages in
 * PAGE_DATA batches of up to XG_SR_BATCH pfns, the end-of-stream records,
 * END.
 *
 * A suspended save sends every page once: the guest cannot change
 * anything meanwhile, and a pagetable that cannot be made canonical is an
 * error.  A live save (xg_domain_save_live, Xen's send_memory_live) sends
 * them while the guest runs, in rounds driven by log-dirty: a page may go
 * several times, each time with the type it has when its batch is read,
 * and a pagetable caught mid-change is left for the last round, which
 * comes after the suspend and must leave the destination exact -- every
 * page dirtied, deferred, retyped or moved to another frame since it was
 * last sent goes then (the checks are the guest type's final_check).
 *
 * A batch is written as one record: the header and the pfn list from the
 * writer's buffer, then each page straight from the foreign mapping, or
 * from the scratch copy where a pagetable was made canonical.  A page
 * read while the guest writes it may go torn; its write is in the next
 * CLEAN, so it goes again.
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

/* Where a batch is gathered: pfns with types, their data, scratch copies. */
struct batch {
	uint8_t *scratch;
	uint64_t *pfns;
	const void **data;
	uint8_t *deferred;		/* live: bitmap of pfns left for the last round */
};

static bool test_bit(const uint8_t *map, uint64_t n)
{
	return map[n / 8] & (1U << (n % 8));
}

static void set_bit(uint8_t *map, uint64_t n)
{
	map[n / 8] |= 1U << (n % 8);
}

/*
 * One PAGE_DATA record of the pfns want[0..n), each with the type it has
 * now; a pagetable caught mid-change in a live round is left out and
 * marked deferred (none left: no record).
 */
static int write_batch(struct xg_sr_ctx *ctx, const uint64_t *want,
		       unsigned int n, struct batch *b)
{
	struct xc_sr_rec_page_data_header hdr = { 0 };
	unsigned int i, nr_data = 0, nr_scratch = 0;
	uint32_t hdr2[2];
	size_t len;
	int rc;

	if (ctx->save.live) {
		rc = ctx->save.ops->refresh_types(ctx, want, n);
		if (rc)
			return rc;
	}
	for (i = 0; i < n; i++) {
		uint8_t *slot = b->scratch + (size_t)nr_scratch * XG_PAGE_SIZE;
		const void *page = NULL;
		uint32_t type;

		rc = ctx->save.ops->page(ctx, want[i], &type, &page, slot);
		if (rc == 1) {
			set_bit(b->deferred, want[i]);
			ctx->save.live->deferred++;
			ctx->err[0] = '\0';
			continue;
		}
		if (rc)
			return rc;
		b->pfns[hdr.count++] = want[i] |
			((uint64_t)type << XC_SR_PAGE_DATA_TYPE_SHIFT);
		/* Scratch slots are used from the first: few pages ever fault. */
		nr_scratch += page == slot;
		if (page)
			b->data[nr_data++] = page;
	}
	if (!hdr.count)
		return 0;
	len = sizeof(hdr) + hdr.count * sizeof(uint64_t) +
	      (size_t)nr_data * XG_PAGE_SIZE;
	hdr2[0] = XC_SR_REC_PAGE_DATA;
	hdr2[1] = len;
	xg_sr_out_bytes(ctx->save.out, hdr2, sizeof(hdr2));
	xg_sr_out_bytes(ctx->save.out, &hdr, sizeof(hdr));
	xg_sr_out_bytes(ctx->save.out, b->pfns, hdr.count * sizeof(uint64_t));
	rc = xg_sr_out_pages(ctx->save.out, b->data, nr_data);
	ctx->stats->records++;
	ctx->stats->pages += nr_data;
	return rc;
}

static int batch_init(struct xg_sr_ctx *ctx, struct batch *b)
{
	uint64_t nr = ctx->save.ops->nr_pfns(ctx);

	b->scratch = malloc(XG_SR_BATCH * XG_PAGE_SIZE);
	b->pfns = malloc(XG_SR_BATCH * sizeof(*b->pfns));
	b->data = malloc(XG_SR_BATCH * sizeof(*b->data));
	b->deferred = calloc(1, (nr + 7) / 8 + 1);
	if (!b->scratch || !b->pfns || !b->data || !b->deferred)
		return xg_sr_fail(ctx, "out of memory for a batch of pages");
	return 0;
}

static void batch_free(struct batch *b)
{
	free(b->scratch);
	free(b->pfns);
	free(b->data);
	free(b->deferred);
}

/*
 * The pfns set in map (every pfn with map NULL), in PAGE_DATA batches;
 * the number sent into *sent.
 */
static int send_pages(struct xg_sr_ctx *ctx, struct batch *b,
		      const uint8_t *map, uint64_t *sent)
{
	uint64_t nr = ctx->save.ops->nr_pfns(ctx), pfn, want[XG_SR_BATCH];
	uint64_t before = ctx->stats->pages;
	unsigned int n = 0;
	int rc = 0;

	for (pfn = 0; !rc && pfn <= nr; pfn++) {
		if (pfn < nr && (map ? !test_bit(map, pfn) : false))
			continue;
		if (pfn < nr)
			want[n++] = pfn;
		if (n == XG_SR_BATCH || (pfn == nr && n)) {
			rc = write_batch(ctx, want, n, b);
			if (rc > 0 || (!rc && ctx->save.out->error))
				rc = -1;
			n = 0;
		}
	}
	if (sent)
		*sent = ctx->stats->pages - before;
	return rc;
}

static int write_memory(struct xg_sr_ctx *ctx)
{
	struct batch b = { 0 };
	int rc = batch_init(ctx, &b);

	if (!rc)
		rc = send_pages(ctx, &b, NULL, NULL);
	batch_free(&b);
	return rc;
}

/* Things a save does before and after its memory, live or not. */
static int save_start(struct xg_sr_ctx *ctx)
{
	int rc = ctx->save.ops->setup(ctx);

	if (!rc)
		rc = write_headers(ctx);
	if (!rc)
		rc = ctx->save.ops->static_data(ctx);
	if (!rc)
		rc = write_simple(ctx, XC_SR_REC_STATIC_DATA_END);
	if (!rc)
		rc = ctx->save.ops->start_of_stream(ctx);
	return rc;
}

static int save_end(struct xg_sr_ctx *ctx)
{
	int rc = ctx->save.ops->end_of_stream(ctx);

	if (!rc)
		rc = write_simple(ctx, XC_SR_REC_END);
	if (!rc)
		rc = xg_sr_out_flush(ctx->save.out);
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
	rc = save_start(&ctx);
	if (!rc)
		rc = write_memory(&ctx);
	if (!rc)
		rc = save_end(&ctx);
	if (o->error && !err[0])
		snprintf(err, errlen, "writing the stream: %s",
			 strerror(-o->error));
	ctx.save.ops->cleanup(&ctx);
	ctx.stats->bytes = o->offset + o->len - start;
	ctx.stats->total_ns = xg_sr_now_ns() - t0;
	return rc || o->error ? -1 : 0;
}

/* ---- live (Xen's send_memory_live and suspend_and_send_dirty) ---- */

#define LIVE_MAX_ROUNDS		5	/* Xen's SPP_MAX_ITERATIONS */
#define LIVE_THRESHOLD		50	/* Xen's SPP_TARGET_DIRTY_COUNT */

static uint64_t count_bits(const uint8_t *map, uint64_t nr)
{
	uint64_t n = 0, i;

	for (i = 0; i < (nr + 7) / 8; i++)
		n += __builtin_popcount(map[i]);
	return n;
}

/* CLEAN (with FINAL for the last round), or'ed into map: dirty pfns now in map. */
static int clean(struct xg_sr_ctx *ctx, uint8_t *map, uint8_t *tmp,
		 uint64_t nr, bool final, uint64_t *dirty)
{
	long long rc;
	uint64_t i;

	rc = xc_logdirty_control(ctx->xch, ctx->domid,
				 XEN_DOMCTL_SHADOW_OP_CLEAN, tmp, nr,
				 final ? XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL : 0,
				 NULL);
	if (rc < 0)
		return xg_sr_fail(ctx, "log-dirty CLEAN: %s", strerror(-rc));
	for (i = 0; i < (nr + 7) / 8; i++)
		map[i] |= tmp[i];
	*dirty = count_bits(map, nr);
	return 0;
}

/* Whether the policy stops the pre-copy rounds after round r. */
static bool stop_now(const struct xg_live *l, unsigned int rounds,
		     const struct xg_live_round *r)
{
	if (rounds >= l->max_rounds)
		return true;
	if (l->max_downtime_ns)
		return r->predicted_ns <= l->max_downtime_ns;
	return r->dirty < l->threshold;
}

static void round_done(struct xg_sr_ctx *ctx, struct xg_live_round *r,
		       uint64_t t0, uint64_t sent, uint64_t dirty,
		       double ns_per_page)
{
	struct xg_live *l = ctx->save.live;

	r->ns = xg_sr_now_ns() - t0;
	r->sent = sent;
	r->sent_total += sent;
	r->dirty = dirty;
	r->send_rate = r->ns ? sent * 1e9 / r->ns : 0;
	r->dirty_rate = r->ns ? dirty * 1e9 / r->ns : 0;
	r->predicted_ns = dirty * ns_per_page;
	if (l->rounds <= XG_LIVE_MAX_ROUNDS)
		l->round_pages[l->rounds - 1] = sent;
	if (l->progress)
		l->progress(l->arg, r);
}

/*
 * Log-dirty on, before the save's setup first reads the p2m: a page the
 * guest moves after that read (its p2m leaf written) is then in the
 * first CLEAN, and round 1 itself sends every page, so no change goes
 * unseen without reading the whole p2m a second time.
 */
static int logdirty_on(struct xg_sr_ctx *ctx)
{
	long long rc = xc_logdirty_control(ctx->xch, ctx->domid,
					   XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY,
					   NULL, 0, 0, NULL);

	/*
	 * On already (a sender that died mid-migration left it so): there
	 * is no test op, so off and on again, as Xen's save does.
	 */
	if (rc == -EINVAL) {
		xc_logdirty_control(ctx->xch, ctx->domid,
				    XEN_DOMCTL_SHADOW_OP_OFF, NULL, 0, 0, NULL);
		rc = xc_logdirty_control(ctx->xch, ctx->domid,
					 XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY,
					 NULL, 0, 0, NULL);
	}
	if (rc < 0)
		return xg_sr_fail(ctx, "enabling log-dirty: %s", strerror(-rc));
	return 0;
}

static int send_live(struct xg_sr_ctx *ctx)
{
	struct xg_live *l = ctx->save.live;
	uint64_t nr = ctx->save.ops->nr_pfns(ctx), sent, dirty = 0, t0;
	size_t bytes = (nr + 7) / 8 + 1;
	uint8_t *map = calloc(1, bytes), *tmp = calloc(1, bytes);
	struct xg_live_round r = { 0 };
	struct batch b = { 0 };
	double ns_per_page = 0;
	int rc;

	if (!map || !tmp) {
		free(map);
		free(tmp);
		return xg_sr_fail(ctx, "out of memory for the dirty bitmaps");
	}
	rc = batch_init(ctx, &b);
	/* Round 1 sends every page; the next ones what was dirtied meanwhile. */
	for (l->rounds = 1; !rc; l->rounds++) {
		t0 = xg_sr_now_ns();
		r.round = l->rounds;
		rc = send_pages(ctx, &b, l->rounds == 1 ? NULL : map, &sent);
		if (rc)
			break;
		/* A round of a few pages says little of the link's rate. */
		if (sent && (l->rounds == 1 || sent >= 64))
			ns_per_page = (double)(xg_sr_now_ns() - t0) / sent;
		memset(map, 0, bytes);
		rc = clean(ctx, map, tmp, nr, false, &dirty);
		if (!rc)
			rc = ctx->save.ops->round_check(ctx, map, map);
		if (rc)
			break;
		round_done(ctx, &r, t0, sent, dirty, ns_per_page);
		if (stop_now(l, l->rounds, &r))
			break;
	}
	if (rc)
		goto out;
	/* The last round: the guest suspended, its state authoritative. */
	t0 = xg_sr_now_ns();
	if (l->suspend(l->arg)) {
		rc = xg_sr_fail(ctx, "the guest did not suspend");
		goto out;
	}
	l->suspended_at_ns = xg_sr_now_ns();
	l->rounds++;
	ctx->save.final = true;
	r.round = l->rounds;
	r.last = true;
	rc = clean(ctx, map, tmp, nr, true, &dirty);
	if (!rc)
		rc = ctx->save.ops->final_check(ctx, map, map);
	if (!rc) {
		uint64_t i;

		/* A page left out once goes now, with the type it has now. */
		for (i = 0; i < bytes; i++)
			map[i] |= b.deferred[i];
		rc = send_pages(ctx, &b, map, &sent);
	}
	if (!rc)
		round_done(ctx, &r, l->suspended_at_ns, sent, 0, ns_per_page);
out:
	batch_free(&b);
	free(map);
	free(tmp);
	return rc;
}

int xg_domain_save_live(xc_interface *xch, struct xg_sr_out *o, domid_t domid,
			struct xg_live *live, struct xg_sr_stats *stats,
			char *err, size_t errlen)
{
	struct xg_sr_stats none;
	struct xg_sr_ctx ctx = {
		.xch = xch, .domid = domid, .err = err, .errlen = errlen,
		.stats = stats ? stats : &none,
	};
	uint64_t t0 = xg_sr_now_ns(), start = o->offset + o->len;
	int rc;

	memset(ctx.stats, 0, sizeof(*ctx.stats));
	live->rounds = 0;
	live->deferred = live->retyped = live->p2m_changed = 0;
	live->suspended_at_ns = live->last_round_ns = 0;
	live->mem = (struct xc_foreign_map){ .memfd = -1 };
	memset(live->round_pages, 0, sizeof(live->round_pages));
	if (!live->max_rounds)
		live->max_rounds = LIVE_MAX_ROUNDS;
	if (!live->threshold)
		live->threshold = LIVE_THRESHOLD;
	err[0] = '\0';
	if (live->max_rounds > XG_LIVE_MAX_ROUNDS || !live->suspend) {
		snprintf(err, errlen, "live save: at most %u rounds, and a way to suspend the guest",
			 XG_LIVE_MAX_ROUNDS);
		return -1;
	}
	ctx.save.out = o;
	ctx.save.ops = &xg_sr_save_ops_x86_pv;
	ctx.save.live = live;
	ctx.save.pv.mem.memfd = -1;
	rc = logdirty_on(&ctx);
	if (!rc)
		rc = save_start(&ctx);
	if (!rc)
		rc = send_live(&ctx);
	/* Off in any case: a guest that runs on must not stay tracked. */
	xc_logdirty_control(xch, domid, XEN_DOMCTL_SHADOW_OP_OFF, NULL, 0, 0,
			    NULL);
	if (!rc)
		rc = save_end(&ctx);
	if (o->error && !err[0])
		snprintf(err, errlen, "writing the stream: %s",
			 strerror(-o->error));
	ctx.save.ops->cleanup(&ctx);
	if (live->suspended_at_ns)
		live->last_round_ns = xg_sr_now_ns() - live->suspended_at_ns;
	ctx.stats->bytes = o->offset + o->len - start;
	ctx.stats->total_ns = xg_sr_now_ns() - t0;
	return rc || o->error ? -1 : 0;
}
