/* SPDX-License-Identifier: MIT */
#ifndef _ASM_X86_LAYOUT_H
#define _ASM_X86_LAYOUT_H

/*
 * Where the kernel lives.  16 TiB (L4 slot 32) is in the lower half, which
 * is what a 64-bit PV kernel may use under Xen (Xen owns slots 256-271), and
 * it is also an address range an ordinary Linux process leaves free, so the
 * host hypervisor can run this image at the very same addresses.
 */
#define KERNEL_VIRT_BASE	0x100000000000
#define PAGE_SHIFT		12
#define PAGE_SIZE		(1 << PAGE_SHIFT)
#define THREAD_SIZE		(4 * PAGE_SIZE)

#endif
