/* SPDX-License-Identifier: MIT */
#ifndef _TOOLS_XL_PARSE_H
#define _TOOLS_XL_PARSE_H

/*
 * xl.cfg(5) files, read as `xl create` reads them: by Debian's libxlutil
 * (xlu_cfg_readdata and the xlu_cfg_get_* calls), so tern-xl accepts
 * exactly the grammar xl accepts and a broken file gets xl's own
 * message.  What tern adds are its checks of the values (tools/libs/light
 * and below), each a single line naming the file and line, or the
 * override, where the key was set.
 */
#include <stddef.h>

#include "tools/libs/light/tl.h"

/* xl reads no more either way; tern refuses a runaway file outright. */
#define XL_CONFIG_MAX_SIZE	(1024 * 1024)

/*
 * xl's parse_config_data() for what tern supports: the text of a config
 * file (len bytes, named source in messages) followed by the overrides,
 * each one "key=value" argument of `xl create`, appended one per line
 * after the file as xl appends them.  Fills *c (xl's defaults for what is
 * not set) and checks it whole.  0, or -1 with one line in err and *c
 * unchanged.
 */
int xl_parse_config_data(struct tl_domain_config *c, const char *source,
			 const char *text, size_t len,
			 char *const *overrides, int n_overrides,
			 char *err, size_t errlen);

/* The same for the file at path ("<path>: <strerror>" when unreadable). */
int xl_parse_config_file(struct tl_domain_config *c, const char *path,
			 char *const *overrides, int n_overrides,
			 char *err, size_t errlen);

#endif
