/* SPDX-License-Identifier: MIT */
/*
 * Xen public ABI for 64-bit x86 PV guests: the core part.
 *
 * Hypercall numbers, domain ids, virtual IRQs, page-table update requests,
 * the per-vCPU and shared-info pages and the start-of-day record.  Numbers
 * and layouts are those of the Xen 4.17 interface (revision 0x00040e00).
 *
 * The same file is read by the freestanding guest kernel and by host-side
 * code built against glibc, so it depends only on the compiler's <stdint.h>
 * and <stddef.h>.  Every plain constant may also be used from assembly:
 * C declarations sit under #ifndef __ASSEMBLY__.
 */
#ifndef __XEN_INTERFACE_XEN_H__
#define __XEN_INTERFACE_XEN_H__

#ifndef __ASSEMBLY__
#include <stdint.h>
#include <stddef.h>
#endif

/* The interface revision whose layouts these headers follow. */
#define XEN_INTERFACE_VERSION	0x00040e00

/*
 * Typed integer constants for C; the assembler does not accept the
 * U/UL/ULL suffixes, so there the value is used as written.
 */
#ifdef __ASSEMBLY__
#define xen_mk_uint(x)		x
#define xen_mk_ulong(x)		x
#define xen_mk_ullong(x)	x
#else
#define __xen_mk_suffix(x, sfx)	x ## sfx
#define xen_mk_uint(x)		__xen_mk_suffix(x, U)
#define xen_mk_ulong(x)		__xen_mk_suffix(x, UL)
#define xen_mk_ullong(x)	__xen_mk_suffix(x, ULL)
#endif

/* Xen always talks in 4 KiB frames, whatever the guest's own page size. */
#define XEN_PAGE_SHIFT		12
#define XEN_PAGE_SIZE		(xen_mk_ulong(1) << XEN_PAGE_SHIFT)
#define XEN_PAGE_MASK		(~(XEN_PAGE_SIZE - 1))

#ifndef __ASSEMBLY__

/* A register-sized unsigned value as exchanged with Xen (64 bits here). */
typedef uint64_t xen_ulong_t;
/* A page frame number: guest (pseudo-physical) or machine, per context. */
typedef uint64_t xen_pfn_t;
/* Domain identifier; values from DOMID_FIRST_RESERVED up are special. */
typedef uint16_t domid_t;

/*
 * Guest handles.  Any hypercall argument that points into guest memory is
 * wrapped in a one-member struct so that the compiler refuses to mix a
 * guest address with a hypervisor pointer, and so that the field is always
 * 8 bytes.  The hypervisor side reads the pointer back as a guest virtual
 * address with xen_guest_handle_addr() and never dereferences it directly.
 *
 * DEFINE_XEN_GUEST_HANDLE(t) makes both XEN_GUEST_HANDLE(t) and
 * XEN_GUEST_HANDLE(const_t).
 */
#define __DEFINE_XEN_GUEST_HANDLE(name, type) \
	typedef struct { type *p; } __guest_handle_##name
#define DEFINE_XEN_GUEST_HANDLE(name) \
	__DEFINE_XEN_GUEST_HANDLE(name, name); \
	__DEFINE_XEN_GUEST_HANDLE(const_##name, const name)
#define XEN_GUEST_HANDLE(name)		__guest_handle_##name
#define XEN_GUEST_HANDLE_PARAM(name)	XEN_GUEST_HANDLE(name)
#define set_xen_guest_handle_raw(hnd, val) \
	do { (hnd).p = (val); } while (0)
#define set_xen_guest_handle(hnd, val)	set_xen_guest_handle_raw(hnd, val)
#define xen_guest_handle_addr(hnd)	((uint64_t)(uintptr_t)(hnd).p)
#define xen_guest_handle_is_null(hnd)	((hnd).p == NULL)

DEFINE_XEN_GUEST_HANDLE(void);
DEFINE_XEN_GUEST_HANDLE(char);
DEFINE_XEN_GUEST_HANDLE(int);
DEFINE_XEN_GUEST_HANDLE(uint8_t);
DEFINE_XEN_GUEST_HANDLE(uint32_t);
DEFINE_XEN_GUEST_HANDLE(uint64_t);
DEFINE_XEN_GUEST_HANDLE(xen_ulong_t);
DEFINE_XEN_GUEST_HANDLE(xen_pfn_t);

/* Compile-time layout checks used by every header of this directory. */
#define XEN_ABI_SIZE(type, size) \
	_Static_assert(sizeof(type) == (size), "Xen ABI: size of " #type)
#define XEN_ABI_OFFSET(type, member, off) \
	_Static_assert(offsetof(type, member) == (off), \
		       "Xen ABI: offset of " #member " in " #type)

XEN_ABI_SIZE(XEN_GUEST_HANDLE(void), 8);
XEN_ABI_SIZE(xen_pfn_t, 8);
XEN_ABI_SIZE(xen_ulong_t, 8);
XEN_ABI_SIZE(domid_t, 2);

#endif /* !__ASSEMBLY__ */

/* Selectors, address-space layout, register frames and guest context. */
#include <xen/interface/arch-x86/xen.h>

/*
 * Hypercall numbers.  A 64-bit PV guest calls entry N of its hypercall page
 * (N * 32 bytes in); see arch-x86/xen-x86_64.h for the register convention.
 */
#define __HYPERVISOR_set_trap_table			0
#define __HYPERVISOR_mmu_update				1
#define __HYPERVISOR_set_gdt				2
#define __HYPERVISOR_stack_switch			3
#define __HYPERVISOR_set_callbacks			4
#define __HYPERVISOR_fpu_taskswitch			5
#define __HYPERVISOR_sched_op_compat			6	/* old */
#define __HYPERVISOR_platform_op			7
#define __HYPERVISOR_set_debugreg			8
#define __HYPERVISOR_get_debugreg			9
#define __HYPERVISOR_update_descriptor			10
/* 11 is unused (it was a removed operation). */
#define __HYPERVISOR_memory_op				12
#define __HYPERVISOR_multicall				13
#define __HYPERVISOR_update_va_mapping			14
#define __HYPERVISOR_set_timer_op			15
#define __HYPERVISOR_event_channel_op_compat		16	/* old */
#define __HYPERVISOR_xen_version			17
#define __HYPERVISOR_console_io				18
#define __HYPERVISOR_physdev_op_compat			19	/* old */
#define __HYPERVISOR_grant_table_op			20
#define __HYPERVISOR_vm_assist				21
#define __HYPERVISOR_update_va_mapping_otherdomain	22
#define __HYPERVISOR_iret				23	/* x86 only */
#define __HYPERVISOR_vcpu_op				24
#define __HYPERVISOR_set_segment_base			25	/* x86-64 */
#define __HYPERVISOR_mmuext_op				26
#define __HYPERVISOR_xsm_op				27
#define __HYPERVISOR_nmi_op				28
#define __HYPERVISOR_sched_op				29
#define __HYPERVISOR_callback_op			30
#define __HYPERVISOR_xenoprof_op			31
#define __HYPERVISOR_event_channel_op			32
#define __HYPERVISOR_physdev_op				33
#define __HYPERVISOR_hvm_op				34
#define __HYPERVISOR_sysctl				35
#define __HYPERVISOR_domctl				36
#define __HYPERVISOR_kexec_op				37
#define __HYPERVISOR_tmem_op				38
#define __HYPERVISOR_argo_op				39
#define __HYPERVISOR_xenpmu_op				40
#define __HYPERVISOR_dm_op				41
#define __HYPERVISOR_hypfs_op				42

/* Numbers 48..55 are left to each architecture. */
#define __HYPERVISOR_arch_0				48
#define __HYPERVISOR_arch_1				49
#define __HYPERVISOR_arch_2				50
#define __HYPERVISOR_arch_3				51
#define __HYPERVISOR_arch_4				52
#define __HYPERVISOR_arch_5				53
#define __HYPERVISOR_arch_6				54
#define __HYPERVISOR_arch_7				55
/* x86 uses arch_0 for machine-check handling. */
#define __HYPERVISOR_mca				__HYPERVISOR_arch_0

/* Size of the hypercall page's per-hypercall stub, and the stub count. */
#define XEN_HYPERCALL_ENTRY_SIZE	32
#define XEN_HYPERCALL_NR_ENTRIES \
	(XEN_PAGE_SIZE / XEN_HYPERCALL_ENTRY_SIZE)

/*
 * Virtual IRQs, bound to event channels with EVTCHNOP_bind_virq.  Per-vCPU
 * ones (TIMER, DEBUG, XENOPROF, XENPMU) are bound once on each vCPU; the
 * rest are global and mostly of interest to the control domain.
 */
#define VIRQ_TIMER	0	/* per vCPU: timer expired / time changed */
#define VIRQ_DEBUG	1	/* per vCPU: dump debug state on request */
#define VIRQ_CONSOLE	2	/* dom0: input on Xen's emergency console */
#define VIRQ_DOM_EXC	3	/* dom0: some domain needs attention */
#define VIRQ_TBUF	4	/* dom0: trace records are available */
/* 5 is unused. */
#define VIRQ_DEBUGGER	6	/* dom0: a domain paused for a debugger */
#define VIRQ_XENOPROF	7	/* per vCPU: profiling sample ready */
#define VIRQ_CON_RING	8	/* dom0: Xen's console ring has data */
#define VIRQ_PCPU_STATE	9	/* dom0: a physical CPU changed state */
#define VIRQ_MEM_EVENT	10	/* dom0: memory event available */
#define VIRQ_ARGO	11	/* Argo message notification */
#define VIRQ_ENOMEM	12	/* dom0: Xen is low on heap */
#define VIRQ_XENPMU	13	/* per vCPU: PMU counter interrupt */

#define VIRQ_ARCH_0	16	/* 16..23 are left to each architecture */
#define VIRQ_ARCH_1	17
#define VIRQ_ARCH_2	18
#define VIRQ_ARCH_3	19
#define VIRQ_ARCH_4	20
#define VIRQ_ARCH_5	21
#define VIRQ_ARCH_6	22
#define VIRQ_ARCH_7	23
#define VIRQ_MCA	VIRQ_ARCH_0	/* x86: machine check (dom0) */

#define NR_VIRQS	24

/*
 * HYPERVISOR_mmu_update(reqs, count, done, domid): each request's ptr
 * carries the command in its two low bits (ptr is 8-byte aligned, so they
 * are free) and a machine address in the rest.
 */
#define MMU_NORMAL_PT_UPDATE		0	/* *ptr = val, validated */
#define MMU_MACHPHYS_UPDATE		1	/* M2P[ptr >> 12] = val */
#define MMU_PT_UPDATE_PRESERVE_AD	2	/* as 0, keeping old A/D bits */
#define MMU_PT_UPDATE_NO_TRANSLATE	3	/* as 0, val never translated */

/*
 * HYPERVISOR_mmuext_op(ops, count, done, domid): extended MMU commands.
 * Which argument each uses is noted beside it.
 */
#define MMUEXT_PIN_L1_TABLE		0	/* arg1.mfn: pin as an L1 */
#define MMUEXT_PIN_L2_TABLE		1	/* arg1.mfn: pin as an L2 */
#define MMUEXT_PIN_L3_TABLE		2	/* arg1.mfn: pin as an L3 */
#define MMUEXT_PIN_L4_TABLE		3	/* arg1.mfn: pin as an L4 */
#define MMUEXT_UNPIN_TABLE		4	/* arg1.mfn: drop the pin */
#define MMUEXT_NEW_BASEPTR		5	/* arg1.mfn: kernel CR3 (L4) */
#define MMUEXT_TLB_FLUSH_LOCAL		6	/* no args */
#define MMUEXT_INVLPG_LOCAL		7	/* arg1.linear_addr */
#define MMUEXT_TLB_FLUSH_MULTI		8	/* arg2.vcpumask */
#define MMUEXT_INVLPG_MULTI		9	/* linear_addr, vcpumask */
#define MMUEXT_TLB_FLUSH_ALL		10	/* no args */
#define MMUEXT_INVLPG_ALL		11	/* arg1.linear_addr */
#define MMUEXT_FLUSH_CACHE		12	/* no args; privileged */
#define MMUEXT_SET_LDT			13	/* linear_addr, nr_ents */
/* 14 is unused. */
#define MMUEXT_NEW_USER_BASEPTR		15	/* arg1.mfn: user-mode L4 */
#define MMUEXT_CLEAR_PAGE		16	/* arg1.mfn */
#define MMUEXT_COPY_PAGE		17	/* arg1.mfn <- arg2.src_mfn */
#define MMUEXT_FLUSH_CACHE_GLOBAL	18	/* no args; privileged */
#define MMUEXT_MARK_SUPER		19	/* arg1.mfn: superpage start */
#define MMUEXT_UNMARK_SUPER		20	/* arg1.mfn */

/*
 * Flags of update_va_mapping / update_va_mapping_otherdomain.  The flush
 * type is the low two bits; bit 2 selects the set of CPUs.  For a subset,
 * the caller ORs in the address of a vCPU bitmap (UVMF_MULTI is 0).
 */
#define UVMF_NONE		(xen_mk_ulong(0) << 0)	/* no flush */
#define UVMF_TLB_FLUSH		(xen_mk_ulong(1) << 0)	/* whole TLB */
#define UVMF_INVLPG		(xen_mk_ulong(2) << 0)	/* just this va */
#define UVMF_FLUSHTYPE_MASK	(xen_mk_ulong(3) << 0)
#define UVMF_MULTI		(xen_mk_ulong(0) << 2)	/* | bitmap address */
#define UVMF_LOCAL		(xen_mk_ulong(0) << 2)	/* this CPU only */
#define UVMF_ALL		(xen_mk_ulong(1) << 2)	/* every CPU */

/* HYPERVISOR_console_io(cmd, count, buffer): Xen's own debug console. */
#define CONSOLEIO_write		0
#define CONSOLEIO_read		1

/* HYPERVISOR_vm_assist(cmd, type): opt in to hypervisor assistance. */
#define VMASST_CMD_enable		0
#define VMASST_CMD_disable		1

#define VMASST_TYPE_4gb_segments	0	/* 32-bit guests only */
#define VMASST_TYPE_4gb_segments_notify	1	/* 32-bit guests only */
#define VMASST_TYPE_writable_pagetables	2	/* emulate writes to L1 PTEs */
#define VMASST_TYPE_pae_extended_cr3	3	/* 32-bit PAE only */
#define VMASST_TYPE_architectural_iopl	4	/* iret sets virtual IOPL */
#define VMASST_TYPE_runstate_update_flag 5	/* XEN_RUNSTATE_UPDATE */
#define VMASST_TYPE_m2p_strict		32	/* hide M2P from user mode */

/*
 * Domain ids.  Real domains are below DOMID_FIRST_RESERVED; the values above
 * name pseudo-domains in hypercall arguments.
 */
#define DOMID_FIRST_RESERVED	xen_mk_uint(0x7FF0)
#define DOMID_SELF		xen_mk_uint(0x7FF0)	/* the caller */
#define DOMID_IO		xen_mk_uint(0x7FF1)	/* owns I/O memory */
#define DOMID_XEN		xen_mk_uint(0x7FF2)	/* owns Xen's pages */
#define DOMID_COW		xen_mk_uint(0x7FF3)	/* shared CoW pages */
#define DOMID_INVALID		xen_mk_uint(0x7FF4)	/* "no domain" */
#define DOMID_IDLE		xen_mk_uint(0x7FFF)	/* idle vCPUs' domain */
#define DOMID_MASK		xen_mk_uint(0x7FFF)

/* Flags of start_info.flags. */
#define SIF_PRIVILEGED		(1 << 0)	/* may use privileged ops */
#define SIF_INITDOMAIN		(1 << 1)	/* this is the first domain */
#define SIF_MULTIBOOT_MOD	(1 << 2)	/* module is a mod list */
#define SIF_MOD_START_PFN	(1 << 3)	/* mod_start is a PFN */
#define SIF_VIRT_P2M_4TOOLS	(1 << 4)	/* tools read the linear p2m */
#define SIF_PM_MASK		(0xFF << 8)	/* reserved for power mgmt */

/* Size of start_info.cmd_line, including its terminating NUL. */
#define MAX_GUEST_CMDLINE	1024

/* vcpu_time_info.flags */
#define XEN_PVCLOCK_TSC_STABLE_BIT	(1 << 0)	/* TSC is in sync */
#define XEN_PVCLOCK_GUEST_STOPPED	(1 << 1)	/* was paused */

#ifndef __ASSEMBLY__

/* One extended MMU command (see MMUEXT_*). */
struct mmuext_op {
	uint32_t cmd;
	union {
		xen_pfn_t mfn;		/* frame to pin, load, clear, ... */
		uint64_t linear_addr;	/* va to flush, or LDT base */
	} arg1;
	union {
		uint32_t nr_ents;	/* SET_LDT: number of entries */
		XEN_GUEST_HANDLE(const_void) vcpumask;	/* *_MULTI */
		xen_pfn_t src_mfn;	/* COPY_PAGE: source frame */
	} arg2;
};
typedef struct mmuext_op mmuext_op_t;
DEFINE_XEN_GUEST_HANDLE(mmuext_op_t);
XEN_ABI_SIZE(struct mmuext_op, 24);
XEN_ABI_OFFSET(struct mmuext_op, arg1, 8);
XEN_ABI_OFFSET(struct mmuext_op, arg2, 16);

/* One mmu_update request: ptr = machine address | MMU_* command. */
struct mmu_update {
	uint64_t ptr;
	uint64_t val;		/* new PTE (machine frame) or M2P entry */
};
typedef struct mmu_update mmu_update_t;
DEFINE_XEN_GUEST_HANDLE(mmu_update_t);
XEN_ABI_SIZE(struct mmu_update, 16);
XEN_ABI_OFFSET(struct mmu_update, val, 8);

/*
 * One entry of HYPERVISOR_multicall(): Xen runs op(args[0..5]) for each
 * entry in order and stores the return value in result.
 */
struct multicall_entry {
	xen_ulong_t op;
	xen_ulong_t result;
	xen_ulong_t args[6];
};
typedef struct multicall_entry multicall_entry_t;
DEFINE_XEN_GUEST_HANDLE(multicall_entry_t);
XEN_ABI_SIZE(struct multicall_entry, 64);
XEN_ABI_OFFSET(struct multicall_entry, result, 8);
XEN_ABI_OFFSET(struct multicall_entry, args, 16);

/*
 * Per-vCPU clock parameters kept up to date by Xen.
 *
 * Xen bumps version to odd before changing the other fields and to even
 * afterwards; a reader retries while version is odd or changed under it.
 * Nanoseconds since boot at TSC value tsc are
 *   system_time + ((((tsc - tsc_timestamp) << tsc_shift) *
 *                   tsc_to_system_mul) >> 32)
 * with a negative tsc_shift meaning a right shift.
 */
struct vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;		/* TSC when last updated */
	uint64_t system_time;		/* ns since boot at that TSC */
	uint32_t tsc_to_system_mul;	/* 32.32 fixed-point ns per tick */
	int8_t tsc_shift;
	uint8_t flags;			/* XEN_PVCLOCK_* */
	uint8_t pad1[2];
};
typedef struct vcpu_time_info vcpu_time_info_t;
XEN_ABI_SIZE(struct vcpu_time_info, 32);
XEN_ABI_OFFSET(struct vcpu_time_info, tsc_timestamp, 8);
XEN_ABI_OFFSET(struct vcpu_time_info, system_time, 16);
XEN_ABI_OFFSET(struct vcpu_time_info, tsc_to_system_mul, 24);
XEN_ABI_OFFSET(struct vcpu_time_info, tsc_shift, 28);
XEN_ABI_OFFSET(struct vcpu_time_info, flags, 29);

/*
 * Per-vCPU event and time state, shared with Xen.
 *
 * Xen sets evtchn_upcall_pending (and a bit in evtchn_pending_sel for each
 * word of shared_info.evtchn_pending that gained a pending, unmasked port)
 * and then upcalls the guest unless evtchn_upcall_mask is non-zero.  The
 * guest clears evtchn_upcall_pending before scanning, so nothing is lost.
 * evtchn_upcall_mask is the PV guest's "interrupts disabled" flag.  Xen
 * touches it only on the CPU running this vCPU (setting it when it enters
 * a handler that masks events, clearing it on SCHEDOP_block), so the guest
 * may change it with plain stores, no locked instructions.
 */
struct vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t evtchn_upcall_mask;
	uint8_t pad0[6];
	xen_ulong_t evtchn_pending_sel;	/* one bit per evtchn_pending word */
	struct arch_vcpu_info arch;
	struct vcpu_time_info time;
};
typedef struct vcpu_info vcpu_info_t;
XEN_ABI_SIZE(struct vcpu_info, 64);
XEN_ABI_OFFSET(struct vcpu_info, evtchn_upcall_mask, 1);
XEN_ABI_OFFSET(struct vcpu_info, evtchn_pending_sel, 8);
XEN_ABI_OFFSET(struct vcpu_info, arch, 16);
XEN_ABI_OFFSET(struct vcpu_info, time, 32);

/*
 * The shared-info page (its machine address is in start_info.shared_info;
 * the guest maps it).  It holds the first XEN_LEGACY_MAX_VCPUS vcpu_info
 * slots, the 2-level event-channel bitmaps and the wallclock.
 *
 * evtchn_pending bit N: port N has an event; set by Xen, cleared by the
 * guest.  evtchn_mask bit N: port N must not raise an upcall; written only
 * by the guest.  With 64 words of 64 bits there are 4096 ports.
 *
 * Wallclock: the time of day at system time 0 is
 * ((uint64_t)wc_sec_hi << 32 | wc_sec) seconds + wc_nsec, read under
 * wc_version exactly as vcpu_time_info is read under its version.
 */
struct shared_info {
	struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
	xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
	xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];
	uint32_t wc_version;
	uint32_t wc_sec;
	uint32_t wc_nsec;
	uint32_t wc_sec_hi;
	struct arch_shared_info arch;
};
typedef struct shared_info shared_info_t;
XEN_ABI_OFFSET(struct shared_info, vcpu_info, 0);
XEN_ABI_OFFSET(struct shared_info, evtchn_pending, 2048);
XEN_ABI_OFFSET(struct shared_info, evtchn_mask, 2560);
XEN_ABI_OFFSET(struct shared_info, wc_version, 3072);
XEN_ABI_OFFSET(struct shared_info, wc_sec, 3076);
XEN_ABI_OFFSET(struct shared_info, wc_nsec, 3080);
XEN_ABI_OFFSET(struct shared_info, wc_sec_hi, 3084);
XEN_ABI_OFFSET(struct shared_info, arch, 3088);
XEN_ABI_SIZE(struct shared_info, 3136);
_Static_assert(sizeof(struct shared_info) <= 4096,
	       "Xen ABI: shared_info must fit in one page");

/* Ports in the 2-level event channel ABI: one bit per port. */
#define EVTCHN_2L_NR_CHANNELS \
	(sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)

/*
 * The start-of-day record.  A PV guest is entered with %rsi pointing at it
 * (a virtual address inside the initial mapping).  Fields up to console
 * are rewritten on resume after save/restore; the rest only at boot.
 *
 * The initial mapping holds, in order and each page aligned: the kernel,
 * the initrd (mod_start), the P2M list (mfn_list), this page, the xenstore
 * and console rings (not for dom0), the boot page tables (pt_base) and
 * the boot stack.  At least 512 KiB of mapped padding follows.
 */
struct start_info {
	char magic[32];			/* "xen-<version>-<platform>" */
	uint64_t nr_pages;		/* pages owned by the domain */
	uint64_t shared_info;		/* machine address of shared_info */
	uint32_t flags;			/* SIF_* */
	xen_pfn_t store_mfn;		/* machine frame of xenstore ring */
	uint32_t store_evtchn;		/* its event channel */
	union {
		struct {		/* ordinary guests */
			xen_pfn_t mfn;	/* machine frame of console ring */
			uint32_t evtchn;	/* its event channel */
		} domU;
		struct {		/* dom0: console info in this page */
			uint32_t info_off;	/* offset from start_info */
			uint32_t info_size;	/* its size */
		} dom0;
	} console;
	uint64_t pt_base;		/* va of the boot L4 table */
	uint64_t nr_pt_frames;		/* number of boot page-table frames */
	uint64_t mfn_list;		/* va of the P2M array (pfn -> mfn) */
	uint64_t mod_start;		/* va of initrd, or PFN with
					 * SIF_MOD_START_PFN */
	uint64_t mod_len;		/* initrd size in bytes */
	int8_t cmd_line[MAX_GUEST_CMDLINE];	/* NUL-terminated */
	uint64_t first_p2m_pfn;		/* first PFN of the boot P2M and */
	uint64_t nr_p2m_frames;		/* page tables, and their count */
};
typedef struct start_info start_info_t;
XEN_ABI_OFFSET(struct start_info, magic, 0);
XEN_ABI_OFFSET(struct start_info, nr_pages, 32);
XEN_ABI_OFFSET(struct start_info, shared_info, 40);
XEN_ABI_OFFSET(struct start_info, flags, 48);
XEN_ABI_OFFSET(struct start_info, store_mfn, 56);
XEN_ABI_OFFSET(struct start_info, store_evtchn, 64);
XEN_ABI_OFFSET(struct start_info, console, 72);
XEN_ABI_OFFSET(struct start_info, console.domU.evtchn, 80);
XEN_ABI_OFFSET(struct start_info, console.dom0.info_size, 76);
XEN_ABI_OFFSET(struct start_info, pt_base, 88);
XEN_ABI_OFFSET(struct start_info, nr_pt_frames, 96);
XEN_ABI_OFFSET(struct start_info, mfn_list, 104);
XEN_ABI_OFFSET(struct start_info, mod_start, 112);
XEN_ABI_OFFSET(struct start_info, mod_len, 120);
XEN_ABI_OFFSET(struct start_info, cmd_line, 128);
XEN_ABI_OFFSET(struct start_info, first_p2m_pfn, 1152);
XEN_ABI_OFFSET(struct start_info, nr_p2m_frames, 1160);
XEN_ABI_SIZE(struct start_info, 1168);

/*
 * With SIF_MULTIBOOT_MOD the module starts with an array of these, ended
 * by an entry whose mod_start is 0.  Addresses are byte offsets from the
 * start of the module.
 */
struct xen_multiboot_mod_list {
	uint32_t mod_start;		/* first byte */
	uint32_t mod_end;		/* last byte, inclusive */
	uint32_t cmdline;		/* NUL-terminated command line */
	uint32_t pad;			/* must be zero */
};
XEN_ABI_SIZE(struct xen_multiboot_mod_list, 16);

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_INTERFACE_XEN_H__ */
