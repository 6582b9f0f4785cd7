// SPDX-License-Identifier: MIT
/*
 * What saving and restoring an x86 PV guest both know of its frames: which
 * frame types are pagetables and carry data, and which L4 slots belong to
 * the hypervisor rather than the guest.  A guest's L4 holds its own
 * entries in the lower half and in the upper half above Xen's slots
 * 256..271; Xen fills those slots itself in every L4, and tern's
 * hypervisor also keeps slot 127 for the read-only m2p it shows guests
 * (HV_M2P_VIRT_START).  A save sends those slots empty (Xen's saver does
 * the same), and a restore refuses a stream that fills one, since the
 * hypervisor would silently replace the entry.
 */
#include "xg_sr_common.h"

#define L4_SHIFT	39
#define XEN_FIRST_SLOT	256	/* HYPERVISOR_VIRT_START */
#define XEN_LAST_SLOT	271

bool xg_sr_l4_slot_reserved(unsigned int slot)
{
	return slot == ((HV_M2P_VIRT_START >> L4_SHIFT) & 511) ||
	       (slot >= XEN_FIRST_SLOT && slot <= XEN_LAST_SLOT);
}

unsigned int xg_sr_pt_level(uint32_t type)
{
	uint32_t t = type & XEN_DOMCTL_PFINFO_LTAB_MASK;

	if (t == XEN_DOMCTL_PFINFO_XTAB || t == XEN_DOMCTL_PFINFO_XALLOC ||
	    t == XEN_DOMCTL_PFINFO_BROKEN)
		return 0;
	return (type & XEN_DOMCTL_PFINFO_LTABTYPE_MASK) >>
	       XEN_DOMCTL_PFINFO_LTAB_SHIFT;
}

bool xg_sr_type_has_data(uint32_t type)
{
	uint32_t t = type & XEN_DOMCTL_PFINFO_LTAB_MASK;

	return t != XEN_DOMCTL_PFINFO_XTAB && t != XEN_DOMCTL_PFINFO_XALLOC &&
	       t != XEN_DOMCTL_PFINFO_BROKEN;
}
