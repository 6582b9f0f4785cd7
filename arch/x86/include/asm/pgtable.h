/* SPDX-License-Identifier: MIT */
#ifndef _ASM_X86_PGTABLE_H
#define _ASM_X86_PGTABLE_H

#include <linux/types.h>
#include <xen/frame.h>

#define _PAGE_PRESENT	0x001ULL
#define _PAGE_RW	0x002ULL
#define _PAGE_USER	0x004ULL
#define _PAGE_PWT	0x008ULL
#define _PAGE_PCD	0x010ULL
#define _PAGE_ACCESSED	0x020ULL
#define _PAGE_DIRTY	0x040ULL
#define _PAGE_PSE	0x080ULL
#define _PAGE_GLOBAL	0x100ULL
#define _PAGE_NX	(1ULL << 63)
#define PTE_MFN_MASK	0x000ffffffffff000ULL

/* Kernel data mappings (never executable): read-write and read-only. */
#define PAGE_KERNEL	(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | \
			 _PAGE_DIRTY | _PAGE_NX)
#define PAGE_KERNEL_RO	(_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_NX)

/* A pagetable entry as the hypervisor sees it: machine frame plus flags. */
static inline u64 mfn_pte(mfn_t mfn, u64 flags)
{
	return (mfn_x(mfn) << 12) | flags;
}

static inline mfn_t pte_mfn(u64 pte)
{
	return _mfn((pte & PTE_MFN_MASK) >> 12);
}

#endif
