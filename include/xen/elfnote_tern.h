/* SPDX-License-Identifier: MIT */
#ifndef _XEN_ELFNOTE_TERN_H
#define _XEN_ELFNOTE_TERN_H

/*
 * tern's own ELF notes, in the image's note segment beside Xen's
 * (xen/interface/elfnote.h) but under the name "tern": what a toolstack
 * must know about this kernel that Xen's notes have no word for.  Xen's
 * loader reads only the notes named "Xen" and passes over these; tern-xl
 * reads both (tools/libs/guest/xg_elf.c) and refuses, before it builds
 * anything, a memory size the kernel could not run in.
 */
#define TERN_ELFNOTE_NAME		"tern"

/* The most memory the kernel runs in, in KiB (8 bytes): its p2m's reach. */
#define TERN_ELFNOTE_MAX_MEMKB		1

/*
 * Pages the kernel needs above the start-of-day region (8 bytes): its
 * direct map's tables, the allocator's bookkeeping, some room to run.
 */
#define TERN_ELFNOTE_MIN_FREE_PAGES	2

#endif
