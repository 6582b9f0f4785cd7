/* SPDX-License-Identifier: MIT */
/*
 * Xen public ABI, x86 part shared by every x86 PV guest: the virtual IDT
 * entry, the full vCPU context used by VCPUOP_initialise, the x86 fields of
 * the shared-info page and the vCPU-context flags.  64-bit specifics live
 * in xen-x86_64.h, which this file pulls in.
 */

/* The core header first: it defines the base types and includes us back. */
#include <xen/interface/xen.h>

#ifndef __XEN_INTERFACE_ARCH_X86_XEN_H__
#define __XEN_INTERFACE_ARCH_X86_XEN_H__

#include <xen/interface/arch-x86/xen-x86_64.h>

/* This port has the PV entry protocol (start_info) and the upcall mask. */
#define XEN_HAVE_PV_GUEST_ENTRY		1
#define XEN_HAVE_PV_UPCALL_MASK		1

/*
 * GDT frames from FIRST_RESERVED_GDT_PAGE on belong to Xen (they hold the
 * FLAT_* descriptors), so a guest GDT may use at most 14 frames' worth of
 * entries below FIRST_RESERVED_GDT_ENTRY.
 */
#define FIRST_RESERVED_GDT_PAGE		14
#define FIRST_RESERVED_GDT_BYTE		(FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY	(FIRST_RESERVED_GDT_BYTE / 8)

/* vcpu_info slots present in the shared-info page. */
#define XEN_LEGACY_MAX_VCPUS		32

/*
 * vcpu_guest_context.flags.  Lower-case names give the same bits as the
 * upper-case ones; the _VGCF_* values are the bit numbers.
 */
#define _VGCF_i387_valid		0
#define VGCF_i387_valid			(1 << _VGCF_i387_valid)
#define VGCF_I387_VALID			VGCF_i387_valid	/* fpu_ctxt is live */
#define _VGCF_in_kernel			2
#define VGCF_in_kernel			(1 << _VGCF_in_kernel)
#define VGCF_IN_KERNEL			VGCF_in_kernel	/* in kernel mode */
#define _VGCF_failsafe_disables_events	3
#define VGCF_failsafe_disables_events	(1 << _VGCF_failsafe_disables_events)
#define _VGCF_syscall_disables_events	4
#define VGCF_syscall_disables_events	(1 << _VGCF_syscall_disables_events)
#define _VGCF_online			5
#define VGCF_online			(1 << _VGCF_online)

/* trap_info.flags: bits 0-1 are the gate's DPL, bit 2 masks events. */
#define XEN_TI_DPL_MASK			0x3
#define XEN_TI_MASK_EVENTS		0x4

#ifndef __ASSEMBLY__

/* Entry-point address for CALLBACKOP_register and set_callbacks. */
typedef uint64_t xen_callback_t;

/*
 * One virtual IDT entry for HYPERVISOR_set_trap_table().  The table passed
 * to that hypercall ends with an entry whose address is 0.  With bit 2 of
 * flags set, Xen masks events on delivery (an "interrupt gate").
 */
struct trap_info {
	uint8_t vector;			/* exception vector */
	uint8_t flags;			/* DPL in bits 0-1, mask events: 2 */
	uint16_t cs;			/* code selector (FLAT_KERNEL_CS) */
	uint32_t pad;
	uint64_t address;		/* handler entry point */
};
typedef struct trap_info trap_info_t;
DEFINE_XEN_GUEST_HANDLE(trap_info_t);
XEN_ABI_SIZE(struct trap_info, 16);
XEN_ABI_OFFSET(struct trap_info, flags, 1);
XEN_ABI_OFFSET(struct trap_info, cs, 2);
XEN_ABI_OFFSET(struct trap_info, address, 8);

#define TI_GET_DPL(ti)		((ti)->flags & XEN_TI_DPL_MASK)
#define TI_GET_IF(ti)		((ti)->flags & XEN_TI_MASK_EVENTS)
#define TI_SET_DPL(ti, dpl)	((ti)->flags |= ((dpl) & XEN_TI_DPL_MASK))
#define TI_SET_IF(ti, on)	((ti)->flags |= ((on) ? XEN_TI_MASK_EVENTS : 0))

/*
 * Complete register state of a PV vCPU, as given to VCPUOP_initialise to
 * start a secondary vCPU (and as saved by the toolstack).
 *
 * ctrlreg[3] holds xen_pfn_to_cr3(mfn of the kernel L4) and ctrlreg[1]
 * the same for the user L4.  kernel_ss:kernel_sp is the stack Xen switches
 * to when it bounces an event from user mode.  gdt_frames are machine
 * frames, gdt_ents the number of 8-byte entries in use.
 */
struct vcpu_guest_context {
	struct { uint8_t x[512]; } fpu_ctxt;	/* FXSAVE image */
	uint64_t flags;				/* VGCF_* */
	struct cpu_user_regs user_regs;
	struct trap_info trap_ctxt[256];	/* the virtual IDT */
	uint64_t ldt_base;			/* linear address of LDT */
	uint64_t ldt_ents;			/* entries in the LDT */
	uint64_t gdt_frames[16];
	uint64_t gdt_ents;
	uint64_t kernel_ss;
	uint64_t kernel_sp;
	uint64_t ctrlreg[8];			/* CR0..CR7 */
	uint64_t debugreg[8];			/* DR0..DR7 */
	uint64_t event_callback_eip;		/* CALLBACKTYPE_event */
	uint64_t failsafe_callback_eip;		/* CALLBACKTYPE_failsafe */
	uint64_t syscall_callback_eip;		/* CALLBACKTYPE_syscall */
	uint64_t vm_assist;			/* bitmap of VMASST_TYPE_* */
	uint64_t fs_base;
	uint64_t gs_base_kernel;
	uint64_t gs_base_user;
};
typedef struct vcpu_guest_context vcpu_guest_context_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_guest_context_t);
XEN_ABI_OFFSET(struct vcpu_guest_context, flags, 512);
XEN_ABI_OFFSET(struct vcpu_guest_context, user_regs, 520);
XEN_ABI_OFFSET(struct vcpu_guest_context, trap_ctxt, 720);
XEN_ABI_OFFSET(struct vcpu_guest_context, ldt_base, 4816);
XEN_ABI_OFFSET(struct vcpu_guest_context, ldt_ents, 4824);
XEN_ABI_OFFSET(struct vcpu_guest_context, gdt_frames, 4832);
XEN_ABI_OFFSET(struct vcpu_guest_context, gdt_ents, 4960);
XEN_ABI_OFFSET(struct vcpu_guest_context, kernel_ss, 4968);
XEN_ABI_OFFSET(struct vcpu_guest_context, kernel_sp, 4976);
XEN_ABI_OFFSET(struct vcpu_guest_context, ctrlreg, 4984);
XEN_ABI_OFFSET(struct vcpu_guest_context, debugreg, 5048);
XEN_ABI_OFFSET(struct vcpu_guest_context, event_callback_eip, 5112);
XEN_ABI_OFFSET(struct vcpu_guest_context, failsafe_callback_eip, 5120);
XEN_ABI_OFFSET(struct vcpu_guest_context, syscall_callback_eip, 5128);
XEN_ABI_OFFSET(struct vcpu_guest_context, vm_assist, 5136);
XEN_ABI_OFFSET(struct vcpu_guest_context, fs_base, 5144);
XEN_ABI_OFFSET(struct vcpu_guest_context, gs_base_kernel, 5152);
XEN_ABI_OFFSET(struct vcpu_guest_context, gs_base_user, 5160);
XEN_ABI_SIZE(struct vcpu_guest_context, 5168);

/*
 * x86 part of the shared-info page: where to find the guest's P2M, for the
 * toolstack's benefit during save/migrate, plus the NMI reason word.
 *
 * pfn_to_mfn_frame_list_list: frame of a page listing the frames that list
 * the P2M frames (0: not set up; ~0: too big, use p2m_vaddr instead).
 * When p2m_cr3 is non-zero, p2m_vaddr is the virtual address of the linear
 * P2M array in the address space whose CR3 value is p2m_cr3, and the guest
 * increments p2m_generation before and after every change of that mapping.
 */
struct arch_shared_info {
	uint64_t max_pfn;			/* P2M entries valid */
	xen_pfn_t pfn_to_mfn_frame_list_list;
	uint64_t nmi_reason;
	uint64_t p2m_cr3;
	uint64_t p2m_vaddr;
	uint64_t p2m_generation;
};
typedef struct arch_shared_info arch_shared_info_t;
XEN_ABI_OFFSET(struct arch_shared_info, pfn_to_mfn_frame_list_list, 8);
XEN_ABI_OFFSET(struct arch_shared_info, nmi_reason, 16);
XEN_ABI_OFFSET(struct arch_shared_info, p2m_cr3, 24);
XEN_ABI_OFFSET(struct arch_shared_info, p2m_vaddr, 32);
XEN_ABI_OFFSET(struct arch_shared_info, p2m_generation, 40);
XEN_ABI_SIZE(struct arch_shared_info, 48);

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_INTERFACE_ARCH_X86_XEN_H__ */
