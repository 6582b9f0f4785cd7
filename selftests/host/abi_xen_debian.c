// SPDX-License-Identifier: MIT
/*
 * The Debian half of t_abi_xen: the list of abi_xen_list.h measured against
 * Debian's public Xen headers (package libxen-dev, /usr/include/xen/).
 * This file is compiled without tern's include directories and must never
 * see include/xen/interface/ (the check below refuses to build if it did).
 *
 * Like a Xen tools build we define __XEN_TOOLS__, which selects the latest
 * interface version (__XEN_INTERFACE_VERSION__) and the tools-only parts.
 * <errno.h> comes first because xs_wire.h defines xsd_errors[] only when
 * EINVAL is known.  Without libxen-dev the half records why, and the test
 * fails saying so rather than skipping.
 */
#define __XEN_TOOLS__ 1

#include <errno.h>
#include <stdint.h>

#define ABI_XEN_SIDE_TERN 0
#include "abi_xen.h"

#if __has_include(<xen/xen-compat.h>)

#include <xen/xen.h>
#include <xen/arch-x86/xen.h>
#include <xen/arch-x86/xen-x86_64.h>
#include <xen/arch-x86/xen-mca.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/event_channel.h>
#include <xen/memory.h>
#include <xen/grant_table.h>
#include <xen/callback.h>
#include <xen/elfnote.h>
#include <xen/features.h>
#include <xen/version.h>
#include <xen/errno.h>
#include <xen/io/xs_wire.h>
#include <xen/io/console.h>
#include <xen/io/ring.h>
#include <xen/domctl.h>

#if defined(__XEN_INTERFACE_XEN_H__)
#error "a tern header reached the Debian half of t_abi_xen"
#endif

/* The same ring as abi_xen_tern.c, through Xen's own macros. */
DEFINE_RING_TYPES(abi_ring, struct abi_ring_req, struct abi_ring_rsp);

#define ABI_RING_SLOTS(bytes)	__CONST_RING_SIZE(abi_ring, bytes)

#define XEN_ABI_STR2(x)	#x
#define XEN_ABI_STR(x)	XEN_ABI_STR2(x)

void abi_xen_debian(struct abi_table *abi_tab)
{
	abi_tab->side = "Debian";
	abi_tab->version = "/usr/include/xen, interface "
			   XEN_ABI_STR(__XEN_INTERFACE_VERSION__);
#include "abi_xen_list.h"
}

#else /* no libxen-dev */

void abi_xen_debian(struct abi_table *abi_tab)
{
	abi_tab->side = "Debian";
	abi_tab->missing = "Debian's Xen headers are not installed "
			   "(no /usr/include/xen/xen-compat.h, package "
			   "libxen-dev): run scripts/install-deps";
}

#endif
