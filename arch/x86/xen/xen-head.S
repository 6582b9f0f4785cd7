/* SPDX-License-Identifier: MIT */
/*
 * Every ELF note of the image, in one place, and the hypercall page: Xen's,
 * and tern's own (named "tern", which Xen's loader passes over).
 *
 * The domain builder (Xen's libxenguest or tern's hv/) reads these notes to
 * learn where the image wants to live (VIRT_BASE, PADDR_OFFSET), where to
 * start it (ENTRY), which page to fill with hypercall stubs
 * (HYPERCALL_PAGE), and what it can cope with (FEATURES, SUSPEND_CANCEL).
 * Xen's loader only accepts images whose LOADER is "generic" (or whose
 * GUEST_OS is "linux") and whose XEN_VERSION is "xen-3.0".
 *
 * PADDR_OFFSET is 0 and the program headers carry pseudo-physical load
 * addresses (the linker script's AT()), so virtual = paddr + VIRT_BASE.
 */
#include <asm/layout.h>
#include <xen/elfnote_tern.h>
#include <xen/interface/elfnote.h>
#include <generated/version.h>

/* gas drops the quotes of a quoted macro argument; strings get them back. */
.macro ELF_NOTE owner:req, type:req, kind:req, value:req
	.pushsection .note.Xen, "a", @note
	.balign 4
	.long 2f - 1f
	.long 4f - 3f
	.long \type
1:	.asciz "\owner"
2:	.balign 4
3:	.ifc \kind, .asciz
	.asciz "\value"
	.else
	\kind \value
	.endif
4:	.balign 4
	.popsection
.endm

.macro XEN_NOTE type:req, kind:req, value:req
	ELF_NOTE Xen, \type, \kind, \value
.endm

.macro TERN_NOTE type:req, kind:req, value:req
	ELF_NOTE tern, \type, \kind, \value
.endm

XEN_NOTE XEN_ELFNOTE_GUEST_OS,		.asciz, "tern"
XEN_NOTE XEN_ELFNOTE_GUEST_VERSION,	.asciz, TERN_VERSION
XEN_NOTE XEN_ELFNOTE_XEN_VERSION,	.asciz, "xen-3.0"
XEN_NOTE XEN_ELFNOTE_LOADER,		.asciz, "generic"
XEN_NOTE XEN_ELFNOTE_VIRT_BASE,		.quad, KERNEL_VIRT_BASE
XEN_NOTE XEN_ELFNOTE_PADDR_OFFSET,	.quad, 0
XEN_NOTE XEN_ELFNOTE_ENTRY,		.quad, startup_xen
XEN_NOTE XEN_ELFNOTE_HYPERCALL_PAGE,	.quad, hypercall_page
/*
 * Only supported features, none required ('!' would make one required):
 * we run with read-only pagetables and a pseudo-physical p2m, the classic
 * PV MMU, and our L3 (PAE page directory) may sit above 4 GiB.
 */
XEN_NOTE XEN_ELFNOTE_FEATURES,		.asciz, "pae_pgdir_above_4gb"
XEN_NOTE XEN_ELFNOTE_PAE_MODE,		.asciz, "yes"
/* SCHEDOP_shutdown(suspend) may return 1: "cancelled, carry on here". */
XEN_NOTE XEN_ELFNOTE_SUSPEND_CANCEL,	.long, 1

/* What the toolstack checks before it builds (xen/elfnote_tern.h). */
TERN_NOTE TERN_ELFNOTE_MAX_MEMKB,	.quad, MAX_MEMKB
TERN_NOTE TERN_ELFNOTE_MIN_FREE_PAGES,	.quad, MIN_FREE_PAGES

/*
 * Filled by the hypervisor: 128 stubs of 32 bytes.  int3 until then, so a
 * hypercall through an unfilled page stops at once.
 */
	.section .text.hypercall_page, "ax"
	.balign PAGE_SIZE
	.globl hypercall_page
hypercall_page:
	.fill PAGE_SIZE, 1, 0xcc
	.type hypercall_page, @function
	.size hypercall_page, PAGE_SIZE
