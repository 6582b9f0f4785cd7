/* SPDX-License-Identifier: MIT */
#ifndef _TOOLS_XL_SAVERESTORE_H
#define _TOOLS_XL_SAVERESTORE_H

/* tern-xl save and restore (xl_saverestore.c). */
#include <stddef.h>

#include "tools/libs/ctrl/xc.h"
#include "tools/libs/guest/xg.h"
#include "tools/libs/light/tl.h"

int main_save(int argc, char **argv);
/* Asks a running domain to suspend, as save does; 0 if it is suspended. */
int xl_suspend_domain(xc_interface *xch, const struct xl_dom *dom,
		      unsigned long limit, char *why, size_t whylen);
/* The fast resume, then waits until the domain's process has seen it. */
int xl_resume_domain(xc_interface *xch, const struct xl_dom *dom, char *why,
		     size_t whylen);
int main_restore(int argc, char **argv);

/*
 * In the domain's process, in place of the builder for its first life:
 * restores the save file into domain dom->domid (its consoles from
 * dom->console_fds), filling dom as xg_dom_build would (the rings, their
 * ports, the mapping, what the kernel can do).  The domain stays paused.
 * 0, or -1 with one line in err and no domain left.
 */
int xl_restore_build(xc_interface *xch, const char *file,
		     const struct tl_domain_config *cfg, struct xg_dom *dom,
		     char *err, size_t errlen);

#endif
