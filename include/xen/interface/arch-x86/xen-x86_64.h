/* SPDX-License-Identifier: MIT */
/*
 * Xen public ABI, 64-bit x86 PV specifics: flat selectors, the hole Xen
 * reserves in every guest address space, register frames (hypercall iret,
 * saved user registers, the frames Xen pushes when it delivers an exception
 * or event) and the segment-base and CR3 helpers.
 *
 * Hypercall convention of a 64-bit PV guest: number in %rax (implicitly,
 * by calling stub number N of the hypercall page at offset N * 32),
 * arguments 1-5 in %rdi, %rsi, %rdx, %r10, %r8, result in %rax.  The
 * argument registers used by a call may come back changed; all other
 * registers are preserved.
 */

/* The core header first: it defines the base types and includes us back. */
#include <xen/interface/xen.h>

#ifndef __XEN_INTERFACE_ARCH_X86_XEN_X86_64_H__
#define __XEN_INTERFACE_ARCH_X86_XEN_X86_64_H__

/*
 * Flat segments Xen provides in its reserved part of every GDT (entries
 * 7172..7174, RPL 3 because a 64-bit PV kernel runs in ring 3 too).  A PV
 * kernel can use them without loading a GDT of its own.  The kernel and
 * user variants are the same selectors.
 */
#define FLAT_RING3_CS32		0xe023	/* 32-bit code, entry 7172 */
#define FLAT_RING3_CS64		0xe033	/* 64-bit code, entry 7174 */
#define FLAT_RING3_DS32		0xe02b	/* data, entry 7173 */
#define FLAT_RING3_DS64		0x0000	/* null selector suffices */
#define FLAT_RING3_SS32		0xe02b
#define FLAT_RING3_SS64		0xe02b

#define FLAT_KERNEL_DS64	FLAT_RING3_DS64
#define FLAT_KERNEL_DS32	FLAT_RING3_DS32
#define FLAT_KERNEL_DS		FLAT_KERNEL_DS64
#define FLAT_KERNEL_CS64	FLAT_RING3_CS64
#define FLAT_KERNEL_CS32	FLAT_RING3_CS32
#define FLAT_KERNEL_CS		FLAT_KERNEL_CS64
#define FLAT_KERNEL_SS64	FLAT_RING3_SS64
#define FLAT_KERNEL_SS32	FLAT_RING3_SS32
#define FLAT_KERNEL_SS		FLAT_KERNEL_SS64

#define FLAT_USER_DS64		FLAT_RING3_DS64
#define FLAT_USER_DS32		FLAT_RING3_DS32
#define FLAT_USER_DS		FLAT_USER_DS64
#define FLAT_USER_CS64		FLAT_RING3_CS64
#define FLAT_USER_CS32		FLAT_RING3_CS32
#define FLAT_USER_CS		FLAT_USER_CS64
#define FLAT_USER_SS64		FLAT_RING3_SS64
#define FLAT_USER_SS32		FLAT_RING3_SS32
#define FLAT_USER_SS		FLAT_USER_SS64

/*
 * Xen owns [HYPERVISOR_VIRT_START, HYPERVISOR_VIRT_END) at the bottom of
 * the upper canonical half in every PV address space; guest L4 slots
 * 256..271 are not the guest's.  Its first 256 GiB are a read-only
 * machine-to-phys table (one 8-byte PFN per machine frame), which the
 * guest may read at MACH2PHYS_VIRT_START.
 */
#define __HYPERVISOR_VIRT_START	0xFFFF800000000000
#define __HYPERVISOR_VIRT_END	0xFFFF880000000000
#define __MACH2PHYS_VIRT_START	0xFFFF800000000000
#define __MACH2PHYS_VIRT_END	0xFFFF804000000000

#define HYPERVISOR_VIRT_START	xen_mk_ulong(__HYPERVISOR_VIRT_START)
#define HYPERVISOR_VIRT_END	xen_mk_ulong(__HYPERVISOR_VIRT_END)
#define MACH2PHYS_VIRT_START	xen_mk_ulong(__MACH2PHYS_VIRT_START)
#define MACH2PHYS_VIRT_END	xen_mk_ulong(__MACH2PHYS_VIRT_END)
#define MACH2PHYS_NR_ENTRIES \
	((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 3)

/* HYPERVISOR_set_segment_base(which, base): which base to load. */
#define SEGBASE_FS		0	/* FS base */
#define SEGBASE_GS_USER		1	/* user GS base (the swapgs one) */
#define SEGBASE_GS_KERNEL	2	/* kernel GS base */
#define SEGBASE_GS_USER_SEL	3	/* user %gs selector := base[15:0] */

/*
 * iret_context.flags: the guest entered the kernel through SYSCALL, so
 * Xen may return with SYSRET.  Then only rax, rip, rflags and rsp are
 * restored; r11, rcx, cs and ss are ignored.
 */
#define _VGCF_in_syscall	8
#define VGCF_in_syscall		(1 << _VGCF_in_syscall)
#define VGCF_IN_SYSCALL		VGCF_in_syscall

/* In a bounce frame's cs slot: saved upcall mask in bits 32-39. */
#define XEN_BOUNCE_CS_MASK_SHIFT	32

#ifndef __ASSEMBLY__

/*
 * HYPERVISOR_iret takes no arguments: it reads this frame at the guest's
 * %rsp (rax first, i.e. at the lowest address) and resumes the context it
 * describes, discarding the current one.  The saved cs decides the mode:
 * RPL 3 returns to user mode, RPL 0-2 to guest kernel mode.  A kernel
 * returning to kernel code may skip the hypercall and iretq directly after
 * setting the RPL bits of the saved cs to 3.
 *
 * rip..ss have the shape of a hardware interrupt frame, so a kernel pushes
 * rax, r11, rcx and flags on top of the frame it wants to return through.
 */
struct iret_context {
	uint64_t rax;
	uint64_t r11;
	uint64_t rcx;
	uint64_t flags;		/* 0 or VGCF_in_syscall */
	uint64_t rip;
	uint64_t cs;
	uint64_t rflags;
	uint64_t rsp;
	uint64_t ss;
};
XEN_ABI_OFFSET(struct iret_context, flags, 24);
XEN_ABI_OFFSET(struct iret_context, rip, 32);
XEN_ABI_OFFSET(struct iret_context, ss, 64);
XEN_ABI_SIZE(struct iret_context, 72);

/*
 * Register file of a 64-bit PV vCPU, as kept by Xen and found in
 * vcpu_guest_context.user_regs.  error_code and entry_vector are Xen's
 * own bookkeeping.  saved_upcall_mask is the vCPU's event mask at the time
 * of the frame; rflags.IF is reported as its inverse.
 */
struct cpu_user_regs {
	uint64_t r15;
	uint64_t r14;
	uint64_t r13;
	uint64_t r12;
	uint64_t rbp;
	uint64_t rbx;
	uint64_t r11;
	uint64_t r10;
	uint64_t r9;
	uint64_t r8;
	uint64_t rax;
	uint64_t rcx;
	uint64_t rdx;
	uint64_t rsi;
	uint64_t rdi;
	uint32_t error_code;
	uint32_t entry_vector;
	uint64_t rip;
	uint16_t cs;
	uint16_t _pad0[1];
	uint8_t saved_upcall_mask;
	uint8_t _pad1[3];
	uint64_t rflags;
	uint64_t rsp;
	uint16_t ss, _pad2[3];
	uint16_t es, _pad3[3];
	uint16_t ds, _pad4[3];
	uint16_t fs, _pad5[3];
	uint16_t gs, _pad6[3];
};
typedef struct cpu_user_regs cpu_user_regs_t;
DEFINE_XEN_GUEST_HANDLE(cpu_user_regs_t);
XEN_ABI_OFFSET(struct cpu_user_regs, rbp, 32);
XEN_ABI_OFFSET(struct cpu_user_regs, rax, 80);
XEN_ABI_OFFSET(struct cpu_user_regs, rdi, 112);
XEN_ABI_OFFSET(struct cpu_user_regs, error_code, 120);
XEN_ABI_OFFSET(struct cpu_user_regs, entry_vector, 124);
XEN_ABI_OFFSET(struct cpu_user_regs, rip, 128);
XEN_ABI_OFFSET(struct cpu_user_regs, cs, 136);
XEN_ABI_OFFSET(struct cpu_user_regs, saved_upcall_mask, 140);
XEN_ABI_OFFSET(struct cpu_user_regs, rflags, 144);
XEN_ABI_OFFSET(struct cpu_user_regs, rsp, 152);
XEN_ABI_OFFSET(struct cpu_user_regs, ss, 160);
XEN_ABI_OFFSET(struct cpu_user_regs, es, 168);
XEN_ABI_OFFSET(struct cpu_user_regs, ds, 176);
XEN_ABI_OFFSET(struct cpu_user_regs, fs, 184);
XEN_ABI_OFFSET(struct cpu_user_regs, gs, 192);
XEN_ABI_SIZE(struct cpu_user_regs, 200);

/*
 * x86 part of vcpu_info: cr2 is where Xen reports the faulting address of
 * a page fault it bounces to the guest (a PV guest cannot read %cr2).
 */
struct arch_vcpu_info {
	uint64_t cr2;
	uint64_t pad;
};
typedef struct arch_vcpu_info arch_vcpu_info_t;
XEN_ABI_SIZE(struct arch_vcpu_info, 16);

/* A 64-bit PV CR3 value is the L4's frame number shifted by 12, no flags. */
static inline uint64_t xen_pfn_to_cr3(xen_pfn_t pfn)
{
	return (uint64_t)pfn << 12;
}

static inline xen_pfn_t xen_cr3_to_pfn(uint64_t cr3)
{
	return cr3 >> 12;
}

/*
 * Bounce frames.  When Xen delivers an exception (a vector of the virtual
 * IDT) or an event upcall to a 64-bit PV guest, it switches to the guest
 * kernel stack (kernel_sp if the guest was in user mode, else the current
 * %rsp), rounds it down to 16 bytes and builds the frame below, lowest
 * address first; the handler starts with %rsp pointing at rcx.
 *
 * Only exceptions that push an error code on real hardware (8, 10-14, 17,
 * 21, 29, 30) carry error_code; events, software interrupts and all other
 * vectors get the short frame.  For a page fault the faulting address is
 * in vcpu_info.arch.cr2, and the error code's user bit tells whether the
 * guest was in user mode.
 *
 * cs holds the interrupted selector in bits 0-15 and the vCPU's previous
 * upcall mask in bits 32-39; its RPL is 0 if the guest kernel was
 * interrupted, 3 if user mode was.  rflags.IF is the inverse of that
 * saved mask.  On entry the vCPU's events are masked if the trap entry had
 * events masked (or, for the event callback, if CALLBACKF_mask_events).
 *
 * The handler pops rcx and r11 (Xen clobbered both to get there) and is
 * left with exactly the frame a native CPU would have pushed: [error_code,]
 * rip, cs, rflags, rsp, ss.  It returns through HYPERVISOR_iret, see
 * struct iret_context.
 */
struct xen_bounce_frame64 {
	uint64_t rcx;
	uint64_t r11;
	uint64_t rip;
	uint64_t cs;		/* selector | saved upcall mask << 32 */
	uint64_t rflags;
	uint64_t rsp;
	uint64_t ss;
};
XEN_ABI_OFFSET(struct xen_bounce_frame64, r11, 8);
XEN_ABI_OFFSET(struct xen_bounce_frame64, rip, 16);
XEN_ABI_OFFSET(struct xen_bounce_frame64, cs, 24);
XEN_ABI_OFFSET(struct xen_bounce_frame64, ss, 48);
XEN_ABI_SIZE(struct xen_bounce_frame64, 56);

/* The same frame for vectors that come with an error code. */
struct xen_bounce_frame64_ec {
	uint64_t rcx;
	uint64_t r11;
	uint64_t error_code;	/* zero-extended 32-bit code */
	uint64_t rip;
	uint64_t cs;		/* selector | saved upcall mask << 32 */
	uint64_t rflags;
	uint64_t rsp;
	uint64_t ss;
};
XEN_ABI_OFFSET(struct xen_bounce_frame64_ec, error_code, 16);
XEN_ABI_OFFSET(struct xen_bounce_frame64_ec, rip, 24);
XEN_ABI_OFFSET(struct xen_bounce_frame64_ec, cs, 32);
XEN_ABI_OFFSET(struct xen_bounce_frame64_ec, ss, 56);
XEN_ABI_SIZE(struct xen_bounce_frame64_ec, 64);

/*
 * The failsafe callback (Xen could not load a guest data segment on its
 * way back to the guest) gets the data selectors as well.
 */
struct xen_failsafe_frame64 {
	uint64_t rcx;
	uint64_t r11;
	uint64_t ds;
	uint64_t es;
	uint64_t fs;
	uint64_t gs;
	uint64_t rip;
	uint64_t cs;		/* selector | saved upcall mask << 32 */
	uint64_t rflags;
	uint64_t rsp;
	uint64_t ss;
};
XEN_ABI_OFFSET(struct xen_failsafe_frame64, ds, 16);
XEN_ABI_OFFSET(struct xen_failsafe_frame64, rip, 48);
XEN_ABI_SIZE(struct xen_failsafe_frame64, 88);

#define XEN_BOUNCE_CS_SELECTOR(cs)	((uint16_t)((cs) & 0xffff))
#define XEN_BOUNCE_CS_UPCALL_MASK(cs) \
	((uint8_t)(((cs) >> XEN_BOUNCE_CS_MASK_SHIFT) & 0xff))

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_INTERFACE_ARCH_X86_XEN_X86_64_H__ */
