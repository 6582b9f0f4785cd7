/* SPDX-License-Identifier: MIT */
/*
 * The image is linked at KERNEL_VIRT_BASE; AT() gives each section a
 * pseudo-physical load address starting at 0, which with PADDR_OFFSET 0 is
 * how Xen's loader and ours place it.  Notes are both loaded and in a
 * PT_NOTE segment so tools (readnotes) and the builder find them.
 */
#include <asm/layout.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(startup_xen)

PHDRS
{
	text PT_LOAD FLAGS(5);
	data PT_LOAD FLAGS(6);
	note PT_NOTE FLAGS(4);
}

SECTIONS
{
	. = KERNEL_VIRT_BASE;
	_text = .;
	.text : AT(ADDR(.text) - KERNEL_VIRT_BASE) {
		*(.head.text)
		. = ALIGN(PAGE_SIZE);
		*(.text.hypercall_page)
		*(.text .text.*)
	} :text
	_etext = .;

	.rodata : AT(ADDR(.rodata) - KERNEL_VIRT_BASE) {
		*(.rodata .rodata.*)
	} :text

	.notes : AT(ADDR(.notes) - KERNEL_VIRT_BASE) {
		*(.note.Xen)
	} :text :note

	. = ALIGN(8);
	__ex_table : AT(ADDR(__ex_table) - KERNEL_VIRT_BASE) {
		__start___ex_table = .;
		*(__ex_table)
		__stop___ex_table = .;
	} :text

	. = ALIGN(PAGE_SIZE);
	.data : AT(ADDR(.data) - KERNEL_VIRT_BASE) {
		*(.data .data.*)
		. = ALIGN(8);
		__start_setup = .;
		*(.init.setup)
		__stop_setup = .;
		. = ALIGN(8);
		__start_selftests = .;
		*(.selftests)
		__stop_selftests = .;
		. = ALIGN(8);
		__start_benchmarks = .;
		*(.benchmarks)
		__stop_benchmarks = .;
	} :data

	.bss : AT(ADDR(.bss) - KERNEL_VIRT_BASE) {
		__bss_start = .;
		/* Variables that may hold machine frames (xen/suspend.h). */
		. = ALIGN(8);
		__start_mfn_vars = .;
		*(.bss..mfn)
		__stop_mfn_vars = .;
		. = ALIGN(8);
		__start_mfn_published = .;
		*(.bss..mfn_published)
		__stop_mfn_published = .;
		*(.bss .bss.*)
		*(COMMON)
		__bss_stop = .;
	} :data
	. = ALIGN(PAGE_SIZE);
	_end = .;

	/DISCARD/ : {
		*(.comment) *(.eh_frame) *(.note.GNU-stack) *(.note.gnu.*)
	}
}
