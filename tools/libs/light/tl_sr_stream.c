// SPDX-License-Identifier: MIT
/*
 * libxl's stream (libxl-migration-stream.pandoc), around libxc's: a
 * 16-byte big-endian header, then records framed as libxc's are.  A PV
 * guest's stream is LIBXC_CONTEXT, which has no body because libxc's
 * stream follows it directly (its length cannot be known in advance),
 * then END.  The emulator records belong to guests with a device model,
 * which tern's have not, and CHECKPOINT_END/STATE to Remus and COLO:
 * they are read past in a dry run and refused by a restore.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "private.h"
#include "tl_sr.h"
#include <xen/interface/migration.h>

#define MAX_SKIPPED	(16U << 20)	/* an emulator record's largest body */

static const char *const names[] = {
	[LIBXL_SR_REC_END] = "END",
	[LIBXL_SR_REC_LIBXC_CONTEXT] = "LIBXC_CONTEXT",
	[LIBXL_SR_REC_EMULATOR_XENSTORE_DATA] = "EMULATOR_XENSTORE_DATA",
	[LIBXL_SR_REC_EMULATOR_CONTEXT] = "EMULATOR_CONTEXT",
	[LIBXL_SR_REC_CHECKPOINT_END] = "CHECKPOINT_END",
	[LIBXL_SR_REC_CHECKPOINT_STATE] = "CHECKPOINT_STATE",
};

static int write_stream(xc_interface *xch, struct xg_sr_out *o, domid_t domid,
			struct xg_live *live, struct xg_sr_stats *stats,
			char *err, size_t errlen)
{
	struct libxl_sr_hdr hdr = {
		.ident = htobe64(LIBXL_SR_IDENT),
		.version = htobe32(LIBXL_SR_VERSION),
		.options = htobe32(0),		/* little-endian */
	};

	xg_sr_out_bytes(o, &hdr, sizeof(hdr));
	xg_sr_out_record(o, LIBXL_SR_REC_LIBXC_CONTEXT, NULL, 0, NULL, 0);
	if (live ? xg_domain_save_live(xch, o, domid, live, stats, err, errlen) :
		   xg_domain_save(xch, o, domid, stats, err, errlen))
		return -1;
	xg_sr_out_record(o, LIBXL_SR_REC_END, NULL, 0, NULL, 0);
	if (xg_sr_out_flush(o)) {
		snprintf(err, errlen, "writing the stream: %s",
			 strerror(-o->error));
		return -1;
	}
	return 0;
}

int tl_stream_write(xc_interface *xch, struct xg_sr_out *o, domid_t domid,
		    struct xg_sr_stats *stats, char *err, size_t errlen)
{
	return write_stream(xch, o, domid, NULL, stats, err, errlen);
}

int tl_stream_write_live(xc_interface *xch, struct xg_sr_out *o,
			 domid_t domid, struct xg_live *live,
			 struct xg_sr_stats *stats, char *err, size_t errlen)
{
	return write_stream(xch, o, domid, live, stats, err, errlen);
}

/* One line for a record, from its header at offset at. */
static int rec_fail(char *err, size_t errlen, unsigned int n, uint32_t type,
		    uint64_t at, const char *what)
{
	const char *name = type < ARRAY_SIZE(names) ?
			   names[type] : NULL;

	if (name)
		snprintf(err, errlen, "libxl record #%u (%s) at offset %lu: %s",
			 n, name, (unsigned long)at, what);
	else
		snprintf(err, errlen, "libxl record #%u (type %#x) at offset %lu: %s",
			 n, type, (unsigned long)at, what);
	return -1;
}

static int truncated(struct xg_sr_in *in, int rc, const char *what,
		     char *err, size_t errlen)
{
	if (rc == -ENODATA)
		snprintf(err, errlen, "the stream ends in the middle of %s (offset %lu): truncated",
			 what, (unsigned long)in->offset);
	else
		snprintf(err, errlen, "reading %s: %s", what, strerror(-rc));
	return -1;
}

static int read_header(struct xg_sr_in *in, FILE *report, char *err,
		       size_t errlen)
{
	struct libxl_sr_hdr hdr;
	uint64_t at = in->offset;
	uint32_t version, options;
	int rc = xg_sr_in_read(in, &hdr, sizeof(hdr));

	if (rc)
		return truncated(in, rc, "the libxl header", err, errlen);
	version = be32toh(hdr.version);
	options = be32toh(hdr.options);
	if (be64toh(hdr.ident) != LIBXL_SR_IDENT) {
		snprintf(err, errlen, "libxl header at offset %lu: ident %#llx, not \"LibxlFmt\": not a libxl stream",
			 (unsigned long)at,
			 (unsigned long long)be64toh(hdr.ident));
		return -1;
	}
	if (version != LIBXL_SR_VERSION) {
		snprintf(err, errlen, "libxl header at offset %lu: version %u; this reader takes version %u",
			 (unsigned long)at, version, LIBXL_SR_VERSION);
		return -1;
	}
	if (options & LIBXL_SR_OPT_BIG_ENDIAN) {
		snprintf(err, errlen, "libxl header at offset %lu: a big-endian stream; only little-endian ones restore here",
			 (unsigned long)at);
		return -1;
	}
	if (options & LIBXL_SR_OPT_LEGACY) {
		snprintf(err, errlen, "libxl header at offset %lu: converted from a legacy (pre-4.6) stream, which this reader does not take",
			 (unsigned long)at);
		return -1;
	}
	if (report)
		fprintf(report, "libxl stream: version %u\n", version);
	return 0;
}

static int skip(struct xg_sr_in *in, uint64_t n)
{
	uint8_t buf[4096];
	int rc = 0;

	while (!rc && n) {
		size_t chunk = n < sizeof(buf) ? n : sizeof(buf);

		rc = xg_sr_in_read(in, buf, chunk);
		n -= chunk;
	}
	return rc;
}

int tl_stream_read(xc_interface *xch, struct xg_sr_in *in,
		   struct xg_restore *r, char *err, size_t errlen)
{
	struct libxl_sr_rec_hdr rh;
	bool restored = false;
	unsigned int n = 0;
	char why[200];
	uint64_t at;
	int rc;

	if (read_header(in, r->report, err, errlen))
		return -1;
	for (;;) {
		at = in->offset;
		n++;
		rc = xg_sr_in_read(in, &rh, sizeof(rh));
		if (rc == -ENODATA) {
			snprintf(err, errlen, "the libxl stream ends at offset %lu without its END record: truncated",
				 (unsigned long)in->offset);
			goto fail;
		}
		if (rc) {
			truncated(in, rc, "a libxl record header", err, errlen);
			goto fail;
		}
		switch (rh.type) {
		case LIBXL_SR_REC_END:
		case LIBXL_SR_REC_LIBXC_CONTEXT:
		case LIBXL_SR_REC_CHECKPOINT_END:
			if (rh.length) {
				snprintf(why, sizeof(why), "length %u: this record has no body",
					 rh.length);
				rec_fail(err, errlen, n, rh.type, at, why);
				goto fail;
			}
			break;
		}
		switch (rh.type) {
		case LIBXL_SR_REC_END:
			if (restored)
				return 0;
			rec_fail(err, errlen, n, rh.type, at,
				 "the stream ends before any LIBXC_CONTEXT: no domain in it");
			return -1;
		case LIBXL_SR_REC_LIBXC_CONTEXT:
			if (restored) {
				rec_fail(err, errlen, n, rh.type, at,
					 "a second libxc stream (a checkpointed stream): not supported here");
				goto fail;
			}
			if (xg_domain_restore(xch, in, r, err, errlen))
				return -1;
			restored = true;
			continue;
		case LIBXL_SR_REC_EMULATOR_XENSTORE_DATA:
		case LIBXL_SR_REC_EMULATOR_CONTEXT:
			if (!r->dry_run || rh.length > MAX_SKIPPED) {
				rec_fail(err, errlen, n, rh.type, at,
					 "a device model's state: tern's guests have no device model");
				goto fail;
			}
			if (r->report)
				fprintf(r->report, "libxl: %s, %u bytes (not used here)\n",
					names[rh.type], rh.length);
			if ((rc = skip(in, ((uint64_t)rh.length + 7) & ~7ULL))) {
				truncated(in, rc, "an emulator record", err, errlen);
				goto fail;
			}
			continue;
		case LIBXL_SR_REC_CHECKPOINT_END:
		case LIBXL_SR_REC_CHECKPOINT_STATE:
			rec_fail(err, errlen, n, rh.type, at,
				 "a checkpointed stream (Remus, COLO): not supported here");
			goto fail;
		}
		if (rh.type & XC_SR_REC_OPTIONAL && rh.length <= MAX_SKIPPED) {
			if ((rc = skip(in, ((uint64_t)rh.length + 7) & ~7ULL))) {
				truncated(in, rc, "an optional record", err, errlen);
				goto fail;
			}
			continue;
		}
		rec_fail(err, errlen, n, rh.type, at,
			 "a mandatory record type this reader does not know");
		goto fail;
	}
fail:
	if (restored && !r->dry_run) {
		xg_restore_release(r);
		xc_domain_destroy(xch, r->domid);
	}
	return -1;
}
