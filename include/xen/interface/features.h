/* SPDX-License-Identifier: MIT */
/*
 * Xen public ABI: feature bits reported by XENVER_get_features (submap 0
 * holds bits 0-31) and named, without the XENFEAT_ prefix, in a kernel's
 * XEN_ELFNOTE_FEATURES note.  Usable from assembly.
 */
#ifndef __XEN_INTERFACE_FEATURES_H__
#define __XEN_INTERFACE_FEATURES_H__

/* Page tables need not be write-protected; plain writes update them. */
#define XENFEAT_writable_page_tables		0
/* Likewise for the GDT and LDT. */
#define XENFEAT_writable_descriptor_tables	1
/* Xen translates guest frame numbers (no P2M in the guest): not PV. */
#define XENFEAT_auto_translated_physmap		2
/* The guest kernel runs in ring 0 (not for x86-64 PV). */
#define XENFEAT_supervisor_mode_kernel		3
/* PAE page directories may sit above 4 GiB (32-bit guests). */
#define XENFEAT_pae_pgdir_above_4gb		4
/* MMU_PT_UPDATE_PRESERVE_AD is available. */
#define XENFEAT_mmu_pt_update_preserve_ad	5
/* MMUEXT_CLEAR_PAGE and MMUEXT_COPY_PAGE are available. */
#define XENFEAT_highmem_assist			6
/* Grant maps copy GNTMAP_guest_avail bits into the PTE's free bits. */
#define XENFEAT_gnttab_map_avail_bits		7
/* HVM: events may be delivered through an IDT vector. */
#define XENFEAT_hvm_callback_vector		8
/* HVM: the pvclock is safe to use. */
#define XENFEAT_hvm_safe_pvclock		9
/* HVM: physical IRQs arrive as event channels. */
#define XENFEAT_hvm_pirqs			10
/* Running as dom0 is supported (needed in SUPPORTED_FEATURES). */
#define XENFEAT_dom0				11
/* Deprecated: grants also mapped at pfn == mfn.  Do not use. */
#define XENFEAT_grant_map_identity		12
/* memory_op accepts virtual NUMA node numbers (XENMEMF_vnode). */
#define XENFEAT_memory_op_vnode_supported	13
/* Arm: SMCCC conduit available. */
#define XENFEAT_ARM_SMCCC_supported		14
/* PVH: the ACPI RSDP may lie above 1 MiB (guests named "linux"). */
#define XENFEAT_linux_rsdp_unrestricted		15
/*
 * Whether the domain's frames have gfn == mfn.  If neither is reported,
 * x86 PV domains are direct-mapped and translated ones are not.
 */
#define XENFEAT_not_direct_mapped		16
#define XENFEAT_direct_mapped			17

/* Number of 32-bit feature submaps defined. */
#define XENFEAT_NR_SUBMAPS			1

#endif /* __XEN_INTERFACE_FEATURES_H__ */
