// SPDX-License-Identifier: MIT
/*
 * xl's save file: "Xen saved domain, xl format\n \0 \r", the byte-order
 * word 0x01020304 in the saving host's order, two flag words and the
 * length of the optional data that follows: a 32-bit length and the
 * domain's configuration -- libxl's JSON, NUL included, when the JSON
 * flag is set (every xl since 4.5 writes it so).  The libxl stream
 * follows.
 *
 * A reader refuses a mandatory flag it does not know (xl's rule), a
 * configuration it cannot read, and optional data too large to be a
 * configuration; it skips optional data after the configuration, as xl
 * does.  A configuration in xl.cfg text (xl before 4.5) is refused: the
 * restore has nothing to build the domain from.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "tl_sr.h"
#include <xen/interface/migration.h>

#define MAX_OPTIONAL	(1U << 20)	/* a configuration is a few KiB */

int tl_save_file_write_header(struct xg_sr_out *o,
			      const struct tl_domain_config *cfg, char *err,
			      size_t errlen)
{
	struct xl_save_header hdr;
	char *json;
	uint32_t len;

	if (tl_domain_config_check(cfg, err, errlen))
		return -1;
	json = tl_domain_config_to_json(cfg);
	if (!json) {
		snprintf(err, errlen, "the configuration as JSON: %s",
			 strerror(errno));
		return -1;
	}
	len = strlen(json) + 1;
	memset(&hdr, 0, sizeof(hdr));
	memcpy(hdr.magic, XL_SAVE_MAGIC, XL_SAVE_MAGIC_LEN);
	hdr.byteorder = XL_SAVE_BYTEORDER;
	hdr.mandatory_flags = XL_SAVE_FLAG_STREAMV2 | XL_SAVE_FLAG_JSON;
	hdr.optional_data_len = sizeof(len) + len;
	xg_sr_out_bytes(o, &hdr, sizeof(hdr));
	xg_sr_out_bytes(o, &len, sizeof(len));
	xg_sr_out_bytes(o, json, len);
	free(json);
	if (o->error) {
		snprintf(err, errlen, "writing the header: %s",
			 strerror(-o->error));
		return -1;
	}
	return 0;
}

static int fail(char *err, size_t errlen, uint64_t at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t errlen, uint64_t at, const char *fmt, ...)
{
	size_t n = snprintf(err, errlen, "xl header at offset %lu: ",
			    (unsigned long)at);
	va_list ap;

	if (n < errlen) {
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The optional data: a length, the configuration; the rest skipped. */
static int read_config(const uint8_t *opt, uint32_t len, uint64_t at,
		       bool json, struct tl_domain_config *cfg, bool *have_cfg,
		       char *err, size_t errlen)
{
	char why[512];
	uint32_t clen;

	if (len < sizeof(clen))
		return fail(err, errlen, at, "%u bytes of optional data: too short for the configuration's length",
			    len);
	memcpy(&clen, opt, sizeof(clen));
	if (clen > len - sizeof(clen))
		return fail(err, errlen, at, "a configuration of %u bytes in %u bytes of optional data: truncated",
			    clen, len);
	if (!clen)
		return 0;
	if (!json)
		return fail(err, errlen, at, "the configuration is xl.cfg text (xl before 4.5), not libxl's JSON: not supported here");
	if (opt[sizeof(clen) + clen - 1] != '\0' ||
	    memchr(opt + sizeof(clen), '\0', clen - 1))
		return fail(err, errlen, at, "the JSON configuration is not one NUL-terminated string");
	if (tl_domain_config_from_json(cfg, (const char *)opt + sizeof(clen),
				       why, sizeof(why)))
		return fail(err, errlen, at, "the configuration: %s", why);
	*have_cfg = true;
	return 0;
}

int tl_save_file_read_header(struct xg_sr_in *in,
			     struct tl_domain_config *cfg, bool *have_cfg,
			     char *err, size_t errlen)
{
	struct xl_save_header hdr;
	uint64_t at = in->offset;
	uint8_t *opt;
	uint32_t bad;
	int rc;

	*have_cfg = false;
	rc = xg_sr_in_read(in, &hdr, sizeof(hdr));
	if (rc == -ENODATA || (!rc && memcmp(hdr.magic, XL_SAVE_MAGIC,
					     XL_SAVE_MAGIC_LEN)))
		return fail(err, errlen, at, "%s", rc ? "the file is shorter than an xl header" :
			    "not an xl save file (its first 32 bytes are not \"Xen saved domain, xl format\")");
	if (rc)
		return fail(err, errlen, at, "%s", strerror(-rc));
	if (hdr.byteorder != XL_SAVE_BYTEORDER)
		return fail(err, errlen, at, "byte order word %#x: saved on a host of another byte order",
			    hdr.byteorder);
	bad = hdr.mandatory_flags & ~(XL_SAVE_FLAG_JSON | XL_SAVE_FLAG_STREAMV2);
	if (bad)
		return fail(err, errlen, at, "mandatory flags %#x this reader does not know",
			    bad);
	if (!(hdr.mandatory_flags & XL_SAVE_FLAG_STREAMV2))
		return fail(err, errlen, at, "a legacy (v1) stream follows, which this reader does not take");
	if (hdr.optional_data_len > MAX_OPTIONAL)
		return fail(err, errlen, at, "%u bytes of optional data: more than the %u a configuration may take",
			    hdr.optional_data_len, MAX_OPTIONAL);
	if (!hdr.optional_data_len)
		return 0;
	opt = malloc(hdr.optional_data_len);
	if (!opt)
		return fail(err, errlen, at, "out of memory");
	rc = xg_sr_in_read(in, opt, hdr.optional_data_len);
	if (rc)
		rc = fail(err, errlen, at, "%u bytes of optional data: %s",
			  hdr.optional_data_len,
			  rc == -ENODATA ? "the file ends first" : strerror(-rc));
	else
		rc = read_config(opt, hdr.optional_data_len, at,
				 hdr.mandatory_flags & XL_SAVE_FLAG_JSON, cfg,
				 have_cfg, err, errlen);
	free(opt);
	return rc;
}
