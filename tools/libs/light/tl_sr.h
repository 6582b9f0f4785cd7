/* SPDX-License-Identifier: MIT */
#ifndef _TOOLS_LIBS_LIGHT_TL_SR_H
#define _TOOLS_LIBS_LIGHT_TL_SR_H

/*
 * Save files and migration streams above libxc's (include/xen/interface/
 * migration.h has the formats):
 *
 *   tl_sr_stream.c   libxl's stream: its header, LIBXC_CONTEXT with libxc's
 *                    stream inside (tools/libs/guest), END.  What `xl
 *                    migrate` sends, and what a save file holds after
 *                    xl's header.
 *   tl_save_file.c   xl's save-file header and the domain's configuration
 *                    in it, as libxl's JSON.
 *
 * Readers refuse what they cannot honour with one line naming the layer,
 * the record or field, and the offset, and never read past their own end:
 * the caller decides what may follow (nothing, for a file).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tl.h"
#include "tools/libs/guest/xg.h"

/*
 * libxl's stream of a suspended domain: the header, LIBXC_CONTEXT,
 * libxc's stream (xg_domain_save), END.  0, or -1 with one line in err.
 */
int tl_stream_write(xc_interface *xch, struct xg_sr_out *o, domid_t domid,
		    struct xg_sr_stats *stats, char *err, size_t errlen);

/*
 * The same of a running domain, live (xg_domain_save_live): what `xl
 * migrate` sends.
 */
int tl_stream_write_live(xc_interface *xch, struct xg_sr_out *o,
			 domid_t domid, struct xg_live *live,
			 struct xg_sr_stats *stats, char *err, size_t errlen);

/*
 * Reads libxl's stream up to its END, restoring (or with r->dry_run,
 * checking) the libxc stream inside through xg_domain_restore.  0, or -1
 * with one line in err and, as xg_domain_restore leaves it, no domain.
 */
int tl_stream_read(xc_interface *xch, struct xg_sr_in *in,
		   struct xg_restore *r, char *err, size_t errlen);

/* xl's header and the configuration (checked, then as JSON). */
int tl_save_file_write_header(struct xg_sr_out *o,
			      const struct tl_domain_config *cfg, char *err,
			      size_t errlen);

/*
 * Reads xl's header and its optional data: *cfg from the JSON config
 * (*have_cfg false if the file has none, *cfg then untouched), leaving in
 * at the libxl stream.  0, or -1 with one line in err.
 */
int tl_save_file_read_header(struct xg_sr_in *in,
			     struct tl_domain_config *cfg, bool *have_cfg,
			     char *err, size_t errlen);

#endif
