/* SPDX-License-Identifier: MIT */
#ifndef _TOOLS_XL_SAVERESTORE_H
#define _TOOLS_XL_SAVERESTORE_H

/* tern-xl save and restore (xl_saverestore.c). */
#include <stddef.h>

#include "tools/libs/ctrl/xc.h"
#include "tools/libs/guest/xg.h"
#include "tools/libs/light/tl.h"
#include "xl.h"

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

/*
 * The same from a stream in, past xl's header (source names it in
 * messages); whole_file: nothing may follow libxl's END (a file), else
 * the channel stays open after it (a migration).
 */
int xl_restore_build_in(xc_interface *xch, struct xg_sr_in *in,
			const char *source, bool whole_file,
			const struct tl_domain_config *cfg, struct xg_dom *dom,
			char *err, size_t errlen);

/*
 * Asks the guest to suspend as save does (control/shutdown = suspend,
 * within limit seconds, a request never acknowledged withdrawn): 0 once
 * it is suspended, or -1 with why (it runs on).
 */
int xl_suspend_guest(xc_interface *xch, const struct xl_dom *dom,
		     unsigned long limit, char *why, size_t whylen);
/* After a resume: until the domain's own process lists it running. */
void xl_wait_running(const struct xl_dom *dom);

#endif
