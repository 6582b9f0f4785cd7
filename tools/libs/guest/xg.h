/* SPDX-License-Identifier: MIT */
#ifndef _TOOLS_LIBS_GUEST_XG_H
#define _TOOLS_LIBS_GUEST_XG_H

/*
 * tern's libxenguest: reading a PV kernel image (xg_elf.c) and building
 * a domain from it (xg_dom_build.c), through the domctls of
 * tools/libs/ctrl only, as Xen's xg_dom_* do.  Save and restore will
 * share the memory population with the builder.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/frame.h>
#include "tools/libs/ctrl/xc.h"

#define XG_PAGE_SIZE	4096UL
#define XG_PAGE_SHIFT	12

/* ---- the ELF image (xg_elf.c) ---- */

struct xg_elf_info {
	uint64_t virt_base;
	uint64_t paddr_offset;
	uint64_t entry;
	uint64_t hypercall_page;
	uint64_t virt_kstart, virt_kend;	/* [start, end) of the image */
	char guest_os[32];
	char guest_version[32];
	char xen_version[32];
	char loader[32];
	char features[128];
	char pae_mode[16];
	bool suspend_cancel;		/* SUSPEND_CANCEL: resumes in place */
	bool have_hypercall_page;
	uint64_t max_memkb;		/* tern note: most memory, 0: no limit */
	uint64_t min_free_pages;	/* tern note: above start of day */
};

struct xg_elf_image {
	const uint8_t *data;
	size_t size;
	struct xg_elf_info info;
};

/*
 * Checks the image as Xen's loader does and reads its notes; one line in
 * err on refusal.
 */
int xg_elf_parse(struct xg_elf_image *img, const void *data, size_t size,
		 char *err, size_t errlen);
/* Copies the loadable segments; put(dst_va, src, len) with src NULL = zero. */
int xg_elf_load(const struct xg_elf_image *img,
		int (*put)(void *ctx, uint64_t va, const void *src, size_t len),
		void *ctx);

/* ---- the domain builder (xg_dom_build.c) ---- */

/* Where start of day put things, as the guest finds them in start_info. */
struct xg_dom_layout {
	uint64_t v_start, v_end;
	uint64_t p2m_va, start_info_va, store_va, console_va;
	uint64_t pt_va, stack_va;
	uint64_t nr_pt;
};

struct xg_dom {
	/* in */
	const char *kernel;		/* path of the image */
	const char *cmdline;
	domid_t domid;
	uint64_t nr_pages;
	unsigned int nr_vcpus;
	uint32_t seed;			/* machine frame scramble */
	int console_fds[HV_CONSOLE_OUTPUTS];	/* -1: none */
	bool verbose;			/* report the layout on stderr */

	/* out */
	struct xg_elf_info elf;
	struct xg_dom_layout layout;
	mfn_t *p2m;			/* the builder's copy, nr_pages long */
	struct xc_foreign_map mem;	/* the domain's memory, mapped */
	mfn_t l4_mfn, start_info_mfn, store_mfn, console_mfn;
	mfn_t shared_info_mfn;
	uint32_t store_evtchn, console_evtchn;
};

void xg_dom_init(struct xg_dom *dom);
/*
 * A fresh seed for xg_dom.seed: $TERN_HV_SEED if set (reproducible
 * tests), random otherwise, so that no two domains get the same frames.
 */
uint32_t xg_dom_seed(void);
/*
 * Creates domain dom->domid and lays out start of day (the kernel, its
 * p2m list, start_info, the xenstore and console rings, bootstrap
 * pagetables, a stack), pins the L4 and gives vCPU 0 its context; the
 * domain stays paused until xc_domain_unpause().  0, or -1 with one line
 * in err and no domain left behind.
 */
int xg_dom_build(xc_interface *xch, struct xg_dom *dom, char *err,
		 size_t errlen);
/*
 * Whether the kernel at path can run in nr_pages, before anything is
 * built: the image is read and checked as the builder checks it, and
 * nr_pages must hold start of day and the pages the kernel states it
 * needs above it, and not exceed the memory it states it can run in.
 * 0 (the image's notes in *info), or -1 with one line in err.
 * xg_dom_build() makes the same checks.
 */
int xg_dom_check(const char *kernel, uint64_t nr_pages,
		 struct xg_elf_info *info, char *err, size_t errlen);

/* Frees what the builder kept (the p2m copy, the mapping). */
void xg_dom_release(struct xg_dom *dom);

#endif
