/* SPDX-License-Identifier: MIT */
#ifndef _TOOLS_LIBS_GUEST_XG_H
#define _TOOLS_LIBS_GUEST_XG_H

/*
 * tern's libxenguest: reading a PV kernel image (xg_elf.c), building a
 * domain from it (xg_dom_build.c), and saving and restoring a domain as
 * libxc's migration stream (xg_sr_*.c), through the domctls of
 * tools/libs/ctrl only, as Xen's xg_dom_* and xg_sr_* do.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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

/* ---- streams (xg_sr_stream.c) ---- */

/*
 * Where a stream is written: small pieces are gathered in a buffer, page
 * data goes to the file straight from where it lies (writev), so a page
 * is copied once, by the kernel.  The first error sticks: every later
 * call returns it, and nothing more is written.
 */
struct xg_sr_out {
	int fd;
	uint64_t offset;		/* bytes handed to the file */
	uint8_t *buf;
	size_t len, cap;
	int error;			/* first -errno, or 0 */
};
int xg_sr_out_init(struct xg_sr_out *o, int fd);
void xg_sr_out_free(struct xg_sr_out *o);
int xg_sr_out_bytes(struct xg_sr_out *o, const void *p, size_t n);
/* What is buffered, then n whole pages from where they lie. */
int xg_sr_out_pages(struct xg_sr_out *o, const void *const *pages,
		    unsigned int n);
int xg_sr_out_flush(struct xg_sr_out *o);
/* A record: header, body (head then tail), zero padding to 8 bytes. */
int xg_sr_out_record(struct xg_sr_out *o, uint32_t type, const void *head,
		     size_t head_len, const void *tail, size_t tail_len);

/*
 * Where a stream is read from: a file or pipe (read ahead in a buffer;
 * page data read straight into its frames once the buffer is drained) or
 * memory (the fuzzer).  offset is the position of the next byte, for
 * messages.  Results: 0, -ENODATA when the stream ends early, -errno.
 */
struct xg_sr_in {
	int fd;				/* -1: reading mem */
	const uint8_t *mem;
	size_t mem_len;
	uint64_t offset;
	uint8_t *buf;
	size_t pos, len, cap;
};
int xg_sr_in_init_fd(struct xg_sr_in *in, int fd);
void xg_sr_in_init_mem(struct xg_sr_in *in, const void *p, size_t n);
void xg_sr_in_free(struct xg_sr_in *in);
int xg_sr_in_read(struct xg_sr_in *in, void *dst, size_t n);
int xg_sr_in_pages(struct xg_sr_in *in, void *const *pages, unsigned int n);
/* Whether the stream has ended (nothing more to read): 1, 0, or -errno. */
int xg_sr_in_at_end(struct xg_sr_in *in);

/* ---- save and restore (xg_sr_*.c) ---- */

/* What a save or restore did, for tern-xl -v and the benchmarks. */
struct xg_sr_stats {
	uint64_t bytes;			/* of the libxc stream */
	uint64_t records;
	uint64_t pages;			/* PAGE_DATA pages */
	uint64_t pagetables;		/* of which pagetables */
	uint64_t ptes;			/* present entries translated */
	uint64_t pt_ns;			/* time translating them */
	uint64_t total_ns;
	unsigned int vcpus;		/* X86_PV_VCPU_BASIC records */
};

/*
 * Writes libxc's stream (v3, x86 PV) of a domain suspended with
 * SHUTDOWN_suspend to o, as Xen's xc_domain_save does: the p2m read
 * through the frame list the guest publishes in shared_info, each frame
 * checked against the hypervisor's m2p and p2m, each page sent with its
 * type, pagetables with their frames turned into pfns.  The domain is
 * neither resumed nor destroyed here.  0, or -1 with one line in err
 * (the page and entry, for a pagetable that cannot be made canonical).
 * stats may be NULL.
 */
int xg_domain_save(xc_interface *xch, struct xg_sr_out *o, domid_t domid,
		   struct xg_sr_stats *stats, char *err, size_t errlen);

/* ---- live save (xg_sr_save.c, xg_domain_save_live) ---- */

#define XG_LIVE_MAX_ROUNDS	64U	/* what --max-rounds may ask */

/* One round of a live save, as the progress callback sees it. */
struct xg_live_round {
	unsigned int round;		/* 1: every page; last: after suspend */
	bool last;
	uint64_t sent;			/* pages this round */
	uint64_t ns;			/* how long it took */
	uint64_t dirty;			/* pages dirtied meanwhile (the next round) */
	uint64_t sent_total;
	double send_rate;		/* pages/s while sending */
	double dirty_rate;		/* pages/s the guest dirtied */
	uint64_t predicted_ns;		/* the next round at this send rate */
};

/*
 * Xen's precopy policy and its knobs: pre-copy rounds while the guest
 * runs stop at max_rounds or when fewer than threshold pages are dirty;
 * with max_downtime_ns instead, when the predicted last round (dirty
 * pages at the measured send rate) fits it (max_rounds still caps).
 */
struct xg_live {
	/* in */
	unsigned int max_rounds;	/* 0: 5 */
	uint64_t threshold;		/* 0: 50 */
	uint64_t max_downtime_ns;	/* 0: the threshold decides */
	/* Suspends the guest: 0 once it is suspended, or -1 (it runs on). */
	int (*suspend)(void *arg);
	/* After each round; may be NULL. */
	void (*progress)(void *arg, const struct xg_live_round *r);
	void *arg;

	/* out */
	unsigned int rounds;		/* including the last */
	uint64_t round_pages[XG_LIVE_MAX_ROUNDS + 1];
	uint64_t deferred;		/* pagetables caught mid-change, sent last */
	uint64_t retyped;		/* last round: pages sent again retyped */
	uint64_t p2m_changed;		/* pfns whose frame changed */
	uint64_t suspended_at_ns;	/* xg_sr_now_ns() when suspended, or 0 */
	uint64_t last_round_ns;		/* suspend to END */
	/*
	 * The guest's memory, still mapped: unmapping a large mapping takes
	 * tens of ms (every page's entry torn down), which would delay the
	 * stream's end and so the guest's start at the destination.  The
	 * caller unmaps it (xc_unmap_foreign) once the migration is over.
	 */
	struct xc_foreign_map mem;
};

/*
 * Xen's xc_domain_save with XCFLAGS_LIVE (send_memory_live): log-dirty
 * on, every page sent while the guest runs, then rounds of CLEAN and the
 * dirty pages, each page with the type it has when it is read; then
 * live->suspend(), a last CLEAN with LOGDIRTY_FINAL, and in the last
 * round the dirty pages, the pagetables that were caught mid-change, any
 * page whose type is not the one last sent, and any pfn whose frame
 * changed (the p2m is read again when its frames were dirtied); then the
 * vCPUs and END.  Log-dirty is off again on return, whatever happened.
 * 0, or -1 with one line in err (the guest is then suspended only if
 * live->suspended_at_ns says so: the caller resumes it).
 */
int xg_domain_save_live(xc_interface *xch, struct xg_sr_out *o, domid_t domid,
			struct xg_live *live, struct xg_sr_stats *stats,
			char *err, size_t errlen);

struct xg_restore {
	/* in */
	domid_t domid;
	uint64_t max_pages;		/* the configuration's */
	unsigned int nr_vcpus;
	uint32_t seed;			/* machine frame scramble */
	int console_fds[HV_CONSOLE_OUTPUTS];	/* -1: none */
	const char *source;		/* the stream's name, for messages */
	bool dry_run;			/* check the stream, build nothing */
	bool audit;			/* the hypervisor's audit at the end */
	bool prefill;			/* host memory made ready ahead (hv) */
	FILE *report;			/* dry run: one line per record kind */

	/* out */
	struct xg_sr_stats stats;
	struct xc_foreign_map mem;	/* the domain's memory, mapped */
	uint64_t nr_pages;		/* the stream's p2m size */
	mfn_t store_mfn, console_mfn;
	uint32_t store_evtchn, console_evtchn;
	struct hv_domctl_tsc_info tsc;	/* as the stream gave it */
	bool have_tsc;
};

void xg_restore_init(struct xg_restore *r);
/*
 * Xen's xc_domain_restore: creates domain r->domid on frames of its own
 * scramble, reads libxc's stream from in up to its END record, populates
 * and fills memory, turns pfns back into the new frames in every
 * pagetable, pins what the stream says was pinned, rewrites start_info
 * (rings, ports, nr_pages, shared_info) and the guest's p2m, fixes
 * shared_info as Xen does (frame list cleared, every port masked,
 * nothing pending) and gives every vCPU that was up its context, vCPU
 * 0's rdx the new start_info frame.  The domain stays paused.  0, or -1
 * with one line in err naming the record and its offset, and no domain
 * left.  With dry_run: the same reading and checks, without a domain.
 */
int xg_domain_restore(xc_interface *xch, struct xg_sr_in *in,
		      struct xg_restore *r, char *err, size_t errlen);
/* Frees what the restore kept (the mapping). */
void xg_restore_release(struct xg_restore *r);

/* ---- page offline (xg_offline_page.c) ---- */

struct xg_offline_result {
	pfn_t pfn;			/* the frame's pfn */
	mfn_t new_mfn;			/* its new frame, INVALID_MFN on failure */
	bool committed;			/* exchanged: the old frame is gone */
	unsigned int level;		/* 1..4: a pagetable of that level */
	uint64_t nr_mappings;		/* pagetable entries moved */
	uint32_t held;			/* HV_HOLD_* the hypervisor had on it */
	uint64_t ns;			/* time taken */
};

/*
 * The xenstore ring's daemon is the toolstack's to drive, not the
 * library's (libxl's part, as Xen's save callbacks are): freeze stops it
 * touching the ring page, move serves the ring from frame mfn and thaws
 * it, thaw serves it where it was.  Each 0 or -1 with err set.  Without
 * callbacks the xenstore ring cannot be moved, and is refused.
 */
struct xg_offline_callbacks {
	int (*ring_freeze)(void *data, char *err, size_t errlen);
	int (*ring_move)(void *data, mfn_t mfn, char *err, size_t errlen);
	int (*ring_thaw)(void *data, char *err, size_t errlen);
	void *data;
};

/*
 * Moves suspended domain domid off machine frame mfn (Xen's
 * xc_exchange_page): the frame is marked offline pending, exchanged for
 * a fresh one with every entry that maps it moved, and offlined; the
 * hypervisor's own uses of it (rings, vcpu_info, base pointers) and the
 * xenstore daemon's (cb) move with it.  0, or -1 with one line in err:
 * refused (a frame of the hypervisor or of another owner, the xenstore
 * ring without cb) or failed and rolled back
 * (Documentation/page-exchange.rst).  res and cb may be NULL.
 */
int xg_offline_page(xc_interface *xch, domid_t domid, mfn_t mfn,
		    const struct xg_offline_callbacks *cb,
		    struct xg_offline_result *res, char *err, size_t errlen);
/*
 * The refusals of xg_offline_page() alone, on a domain running or not
 * (a toolstack asks before it suspends the guest for nothing): 0 if the
 * frame may be tried, or -1 with the reason in err.
 */
int xg_offline_page_check(xc_interface *xch, domid_t domid, mfn_t mfn,
			  const struct xg_offline_callbacks *cb,
			  char *err, size_t errlen);

#endif
