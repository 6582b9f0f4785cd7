/* SPDX-License-Identifier: MIT */
#ifndef _ASM_X86_LAYOUT_H
#define _ASM_X86_LAYOUT_H

/*
 * Where the kernel lives.  16 TiB (L4 slot 32) is in the lower half, which
 * is what a 64-bit PV kernel may use under Xen (Xen owns slots 256-271), and
 * it is also an address range an ordinary Linux process leaves free, so the
 * host hypervisor can run this image at the very same addresses.
 *
 * Slot 32 (512 GiB) is the kernel's, carved up as:
 *
 *   +0        the direct map: pfn n at KERNEL_VIRT_BASE + n * PAGE_SIZE.
 *             Its start is the bootstrap region Xen built (the image,
 *             start_info, the p2m, the start-of-day tables); the rest is
 *             mapped by mm at boot (arch/x86/xen/setup.c).
 *   +256 GiB  VMAP: kernel stacks, each below an unmapped guard page.
 *   +384 GiB  PTSTRESS: one window per CPU for the ptstress workload.
 *   +448 GiB  SCRATCH: free for in-guest tests to map and unmap.
 */
/* Assembly and the linker script read these too: no C suffixes there. */
#if defined(__ASSEMBLER__) || defined(__ASSEMBLY__)
#define _UL(x)			x
#else
#define _UL(x)			x##UL
#endif

#define KERNEL_VIRT_BASE	_UL(0x100000000000)
#define PAGE_SHIFT		12
#define PAGE_SIZE		(_UL(1) << PAGE_SHIFT)
#define THREAD_SIZE		(4 * PAGE_SIZE)

#define DIRECT_MAP_SIZE		(_UL(256) << 30)
#define VMAP_BASE		(KERNEL_VIRT_BASE + (_UL(256) << 30))
#define VMAP_SIZE		(_UL(64) << 30)
#define PTSTRESS_BASE		(KERNEL_VIRT_BASE + (_UL(384) << 30))
#define PTSTRESS_WINDOW		(_UL(1) << 30)
#define SCRATCH_BASE		(KERNEL_VIRT_BASE + (_UL(448) << 30))

/*
 * The memory the kernel can run in, which the image states in its tern
 * notes (arch/x86/xen/xen-head.S) so the toolstack refuses other sizes
 * before building: at most what both the published p2m
 * (CONFIG_XEN_P2M_MAX_GB) and the direct map reach, and at least
 * MIN_FREE_PAGES above the bootstrap region (arch/x86/xen/setup.c).
 */
#define MIN_FREE_PAGES		64
#if CONFIG_XEN_P2M_MAX_GB < (DIRECT_MAP_SIZE >> 30)
#define MAX_MEMKB		(CONFIG_XEN_P2M_MAX_GB << 20)
#else
#define MAX_MEMKB		(DIRECT_MAP_SIZE >> 10)
#endif

#endif
