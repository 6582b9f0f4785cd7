// SPDX-License-Identifier: MIT
/*
 * The tern half of t_abi_xen: the list of abi_xen_list.h measured against
 * tern's own include/xen/interface/.  This file must never see a Debian
 * Xen header (they define the same names); the check below refuses to
 * build if one slipped in through the include path.
 */
#include <stdint.h>

#include <xen/interface/xen.h>
#include <xen/interface/arch-x86/xen.h>
#include <xen/interface/arch-x86/xen-x86_64.h>
#include <xen/interface/sched.h>
#include <xen/interface/vcpu.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/memory.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/callback.h>
#include <xen/interface/elfnote.h>
#include <xen/interface/features.h>
#include <xen/interface/version.h>
#include <xen/interface/errno.h>
#include <xen/interface/io/xs_wire.h>
#include <xen/interface/io/console.h>
#include <xen/interface/io/ring.h>
#include <xen/interface/domctl.h>
#include <xen/interface/migration.h>

#if defined(__XEN_PUBLIC_XEN_H__) || defined(__XEN_PUBLIC_XEN_COMPAT_H__)
#error "a Debian Xen header reached the tern half of t_abi_xen"
#endif

#define ABI_XEN_SIDE_TERN 1
#include "abi_xen.h"

/* The ring of abi_xen.h, through tern's own macro. */
XEN_DEFINE_RING_TYPES(abi_ring, struct abi_ring_req, struct abi_ring_rsp);

#define ABI_RING_SLOTS(bytes)	XEN_RING_ENTRIES_OF(abi_ring, bytes)

void abi_xen_tern(struct abi_table *abi_tab)
{
	abi_tab->side = "tern";
	abi_tab->version = "include/xen/interface";
#include "abi_xen_list.h"
}
