/* SPDX-License-Identifier: MIT */
/*
 * Xen public ABI: ELF note types a PV kernel image carries to tell the
 * domain builder how to load and start it.
 *
 * Each note has owner name "Xen" (XEN_ELFNOTE_NAME) and one of the types
 * below.  "numeric" notes hold a little-endian integer of 4 or 8 bytes,
 * "string" notes a NUL-terminated string.  The kernel's .S files include
 * this header, so it holds nothing but #defines.
 */
#ifndef __XEN_INTERFACE_ELFNOTE_H__
#define __XEN_INTERFACE_ELFNOTE_H__

/* Owner name of every note below (the note's name field). */
#define XEN_ELFNOTE_NAME		"Xen"

#define XEN_ELFNOTE_INFO		0	/* string: NAME=VALUE */
#define XEN_ELFNOTE_ENTRY		1	/* numeric: entry point va */
#define XEN_ELFNOTE_HYPERCALL_PAGE	2	/* numeric: va Xen fills with
						 * the hypercall stubs */
#define XEN_ELFNOTE_VIRT_BASE		3	/* numeric: va the image is
						 * mapped at (default 0) */
#define XEN_ELFNOTE_PADDR_OFFSET	4	/* numeric: ELF paddr minus
						 * this is the load address
						 * (default 0) */
#define XEN_ELFNOTE_XEN_VERSION		5	/* string: "xen-3.0" */
#define XEN_ELFNOTE_GUEST_OS		6	/* string: OS name */
#define XEN_ELFNOTE_GUEST_VERSION	7	/* string: OS version */
#define XEN_ELFNOTE_LOADER		8	/* string: "generic" */
#define XEN_ELFNOTE_PAE_MODE		9	/* string: "yes"/"no"; only
						 * for 32-bit kernels */
#define XEN_ELFNOTE_FEATURES		10	/* string: XENFEAT names
						 * joined by '|'; a leading
						 * '!' marks a required one */
#define XEN_ELFNOTE_BSD_SYMTAB		11	/* string: "yes" to load the
						 * symbol table too */
#define XEN_ELFNOTE_HV_START_LOW	12	/* numeric: lowest address
						 * the Xen hole may start */
#define XEN_ELFNOTE_L1_MFN_VALID	13	/* numeric: mask/value pairs
						 * of non-present PTEs that
						 * still hold an MFN */
#define XEN_ELFNOTE_SUSPEND_CANCEL	14	/* numeric: 1 if the kernel
						 * copes with a cancelled
						 * suspend (the suspend
						 * hypercall returns 1) */
#define XEN_ELFNOTE_INIT_P2M		15	/* numeric: va where the
						 * initial P2M list goes,
						 * outside the boot map */
#define XEN_ELFNOTE_MOD_START_PFN	16	/* numeric: 1 if an unmapped
						 * initrd given by PFN is
						 * fine */
#define XEN_ELFNOTE_SUPPORTED_FEATURES	17	/* numeric: XENFEAT bitmap
						 * the kernel supports */
#define XEN_ELFNOTE_PHYS32_ENTRY	18	/* numeric: 32-bit physical
						 * entry for PVH boot */

/* Highest note type defined above. */
#define XEN_ELFNOTE_MAX			XEN_ELFNOTE_PHYS32_ENTRY

/* Notes Xen writes into crash dumps and core files, not into kernels. */
#define XEN_ELFNOTE_CRASH_INFO			0x1000001
#define XEN_ELFNOTE_CRASH_REGS			0x1000002
#define XEN_ELFNOTE_DUMPCORE_NONE		0x2000000
#define XEN_ELFNOTE_DUMPCORE_HEADER		0x2000001
#define XEN_ELFNOTE_DUMPCORE_XEN_VERSION	0x2000002
#define XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION	0x2000003

#endif /* __XEN_INTERFACE_ELFNOTE_H__ */
