// SPDX-License-Identifier: MIT
/*
 * Taking one machine frame away from a suspended PV guest (Xen's
 * xg_offline_page.c, the method of the 2009 "exchange page from user
 * space tools" series; Documentation/page-exchange.rst tells it whole).
 *
 * A PV guest's pagetables hold machine frame numbers, so the toolstack,
 * not the hypervisor, must find every entry that maps the frame and move
 * it.  The hypervisor gives the frame up only when nothing but the
 * guest's allocation holds it (XENMEM_exchange's steal_page), so the
 * order is forced: set aside what else uses the frame (the xenstore
 * daemon's mapping of its ring, frozen through the toolstack's
 * callbacks; the hypervisor's own holds: the console ring, vcpu_infos,
 * vCPUs' base pointers); keep a copy of the contents; unpin; clear every
 * entry that maps the frame (PRESERVE_AD: the accessed and dirty bits
 * the guest sees stay as they were); check that only the allocation is
 * left; exchange; copy the contents into the new frame; point the
 * guest's p2m (and its frame lists, and vCPU 0's start_info argument)
 * at it; point the cleared entries at it; pin again; give the
 * hypervisor and the daemon their uses back on the new frame.
 *
 * The exchange is the commit point.  A failure before it rolls back to
 * exactly the state before (the same frames, entries, pins and offline
 * state); the frames are recorded by pfn and mfn, never one taken for the
 * other (Xen's rollback once indexed its type array by mfn).  After it,
 * the old frame is gone for good (offlined), so each later step is
 * retried to completion instead, and a step that still fails leaves the
 * domain suspended with a message saying what is left.
 *
 * TERN_TEST_OFFLINE_FAULT=<step> makes that step fail once (the tests'
 * fault injection): offline, freeze, release, unpin, clear (after half
 * of the entries), check, exchange, copy, p2m, repoint, pin, take, ring.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xg.h"
#include "xg_sr_common.h"
#include <xen/interface/xen.h>

#define FPP		XG_SR_FPP

/* One entry that mapped the frame. */
struct mapping {
	mfn_t table;
	unsigned int idx;
	bool validated;			/* a pagetable in use: by mmu_update */
	bool self;			/* an entry of the frame itself */
	uint64_t old;
};

struct offline {
	xc_interface *xch;
	domid_t domid;
	struct xc_foreign_map mem;
	struct xc_m2p_map m2p;
	struct hv_domctl_getdomaininfo info;
	mfn_t mfn, new_mfn;
	pfn_t pfn;
	unsigned int level;		/* 1..4 for a pagetable, else 0 */
	bool pinned, was_pending;
	bool store_ring;		/* the daemon maps it: cb moves it */
	bool ring_frozen;		/* cb->ring_freeze done */
	uint32_t held;			/* HV_HOLD_* set aside */
	const struct xg_offline_callbacks *cb;
	bool committed;			/* the exchange is done */
	bool skip_self;			/* write_entries leaves out self ones */
	uint64_t backup[XG_PAGE_SIZE / 8];
	struct mapping *maps;
	uint64_t nr_maps, cap_maps;
	const char *fault;		/* the step to fail once, or NULL */
	char *err;
	size_t errlen;
};

static int fail(struct offline *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->err, o->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Whether the test knob asks this step to fail (once). */
static bool inject(struct offline *o, const char *step)
{
	if (!o->fault || strcmp(o->fault, step))
		return false;
	o->fault = NULL;
	return true;
}

static void *frame(struct offline *o, mfn_t mfn)
{
	return xc_foreign_frame(&o->mem, mfn);
}

/* ---- what the frame is, and whether it may go ---- */

static int check_frame(struct offline *o)
{
	struct hv_domctl_frame_state fs;
	uint32_t type;
	mfn_t back;
	int rc;

	rc = xc_frame_state(o->xch, o->domid, o->mfn, &fs);
	if (rc)
		return fail(o, "mfn %#lx is not a frame of this machine",
			    (unsigned long)mfn_x(o->mfn));
	if (fs.flags & HV_FRAME_XENHEAP)
		return fail(o, "mfn %#lx belongs to the hypervisor, not to domain %u",
			    (unsigned long)mfn_x(o->mfn), o->domid);
	if (fs.owner != o->domid)
		return fail(o, "mfn %#lx is not owned by domain %u (%s)",
			    (unsigned long)mfn_x(o->mfn), o->domid,
			    fs.owner == DOMID_INVALID ? "it is free" :
			    "another domain owns it");
	/* Holds the hypervisor can set aside (frame_holds) are movable. */
	if ((fs.flags & HV_FRAME_HV_HELD) &&
	    !(fs.flags & (HV_FRAME_CONSOLE_RING | HV_FRAME_STORE_RING |
			  HV_FRAME_VCPU_INFO)))
		return fail(o, "mfn %#lx is held by the hypervisor for a use it cannot move",
			    (unsigned long)mfn_x(o->mfn));
	o->store_ring = fs.flags & HV_FRAME_STORE_RING;
	if (o->store_ring && !(o->cb && o->cb->ring_freeze &&
			       o->cb->ring_move && o->cb->ring_thaw))
		return fail(o, "mfn %#lx is the xenstore ring, and this toolstack cannot move the xenstore daemon's mapping of it",
			    (unsigned long)mfn_x(o->mfn));
	o->pfn = xc_m2p_lookup(&o->m2p, o->mfn);
	if (pfn_x(o->pfn) >= o->info.max_pages ||
	    xc_get_memlist(o->xch, o->domid, o->pfn, 1, &back) ||
	    !mfn_eq(back, o->mfn))
		return fail(o, "mfn %#lx has no pfn of domain %u (m2p %#lx)",
			    (unsigned long)mfn_x(o->mfn), o->domid,
			    (unsigned long)pfn_x(o->pfn));
	rc = xc_get_pfn_type_batch(o->xch, o->domid, 1, &o->pfn, &type);
	if (rc)
		return fail(o, "getpageframeinfo3: %s", strerror(-rc));
	o->level = fs.type_count ? xg_sr_pt_level(type) : 0;
	o->pinned = type & XEN_DOMCTL_PFINFO_LPINTAB;
	o->was_pending = fs.flags & HV_FRAME_OFFLINE_PENDING;
	return 0;
}

/* ---- the entries that map it ---- */

static int add_mapping(struct offline *o, mfn_t table, unsigned int idx,
		       uint64_t e)
{
	struct hv_domctl_frame_state fs;
	struct mapping *last;

	if (o->nr_maps == o->cap_maps) {
		uint64_t cap = o->cap_maps ? o->cap_maps * 2 : 64;
		struct mapping *m = realloc(o->maps, cap * sizeof(*m));

		if (!m)
			return fail(o, "out of memory");
		o->maps = m;
		o->cap_maps = cap;
	}
	/* Entries of one table come together: its state is asked once. */
	last = o->nr_maps ? &o->maps[o->nr_maps - 1] : NULL;
	if (last && mfn_eq(last->table, table)) {
		o->maps[o->nr_maps++] = (struct mapping) {
			.table = table, .idx = idx, .old = e,
			.validated = last->validated,
		};
		return 0;
	}
	if (xc_frame_state(o->xch, o->domid, table, &fs))
		return fail(o, "frame_state of table mfn %#lx failed",
			    (unsigned long)mfn_x(table));
	o->maps[o->nr_maps++] = (struct mapping) {
		.table = table, .idx = idx, .old = e,
		.validated = fs.type_count && (fs.flags & HV_FRAME_VALIDATED),
	};
	return 0;
}

/*
 * Tables nobody uses first (written in place, before the batch), then the
 * frame's own entries (while it is still a table in use), then the rest.
 */
static int kind(const struct mapping *m)
{
	return !m->validated ? 0 : m->self ? 1 : 2;
}

static int by_kind(const void *a, const void *b)
{
	return kind(a) - kind(b);
}

/*
 * Every present entry of every pagetable of the domain that names the
 * frame.  Tables are found by their type (getpageframeinfo3), by pfn;
 * their frames through the p2m the hypervisor keeps.
 */
static int find_mappings(struct offline *o)
{
	uint64_t n = o->info.max_pages, pfn;
	pfn_t *pfns = malloc(n * sizeof(*pfns));
	uint32_t *types = malloc(n * sizeof(*types));
	mfn_t *mfns = malloc(n * sizeof(*mfns));
	int rc = -1;

	if (!pfns || !types || !mfns) {
		fail(o, "out of memory for %lu pfns", (unsigned long)n);
		goto out;
	}
	for (pfn = 0; pfn < n; pfn++)
		pfns[pfn] = _pfn(pfn);
	if (xc_get_memlist(o->xch, o->domid, _pfn(0), n, mfns) ||
	    xc_get_pfn_type_batch(o->xch, o->domid, n, pfns, types)) {
		fail(o, "reading the domain's frames and their types failed");
		goto out;
	}
	for (pfn = 0; pfn < n; pfn++) {
		unsigned int level = xg_sr_pt_level(types[pfn]), i;
		const uint64_t *t;

		if (!level || !mfn_valid_raw(mfns[pfn]))
			continue;
		t = frame(o, mfns[pfn]);
		for (i = 0; t && i < XG_SR_PTES; i++) {
			uint64_t e = __atomic_load_n(&t[i], __ATOMIC_RELAXED);

			if (!(e & XG_PTE_PRESENT) ||
			    (level == 4 && xg_sr_l4_slot_reserved(i)) ||
			    (e & XG_PTE_ADDR) >> XG_PAGE_SHIFT != mfn_x(o->mfn))
				continue;
			if (add_mapping(o, mfns[pfn], i, e))
				goto out;
			/*
			 * An entry of the frame itself (an L1 of the direct map
			 * maps its own page, a table may hold a linear entry to
			 * itself) moves with the contents: step "copy" points
			 * it at the new frame, whose validation takes it.
			 */
			o->maps[o->nr_maps - 1].self = mfn_eq(mfns[pfn], o->mfn);
		}
	}
	if (o->nr_maps)		/* never qsort(NULL, 0): glibc's nonnull */
		qsort(o->maps, o->nr_maps, sizeof(*o->maps), by_kind);
	rc = 0;
out:
	free(pfns);
	free(types);
	free(mfns);
	return rc;
}

/*
 * Entries maps[from, to) become val(old): written in place in a table
 * nobody uses (it holds no references), and through one mmu_update batch
 * with PRESERVE_AD for the pagetables in use, which sort after the others
 * (find_mappings), so that what was written is always a prefix of maps.
 * Returns how many were written; *rcp the batch's error.
 */
static uint64_t write_entries(struct offline *o, uint64_t from, uint64_t to,
			      uint64_t (*val)(struct offline *, uint64_t),
			      int *rcp)
{
	struct mmu_update *reqs;
	unsigned int done = 0;
	uint64_t i, nr = 0, first = to;

	*rcp = 0;
	for (i = from; i < to; i++) {
		struct mapping *m = &o->maps[i];
		uint64_t *t;

		if (m->validated) {
			first = i;
			break;
		}
		if (o->skip_self && m->self)
			continue;
		t = frame(o, m->table);
		__atomic_store_n(&t[m->idx], val(o, m->old), __ATOMIC_RELEASE);
	}
	if (first == to)
		return to - from;
	reqs = malloc((to - first) * sizeof(*reqs));
	if (!reqs) {
		*rcp = -ENOMEM;
		return first - from;
	}
	for (i = first; i < to; i++) {
		if (o->skip_self && o->maps[i].self)
			continue;
		reqs[nr].ptr = (mfn_x(o->maps[i].table) << XG_PAGE_SHIFT) +
			       o->maps[i].idx * 8 + MMU_PT_UPDATE_PRESERVE_AD;
		reqs[nr++].val = val(o, o->maps[i].old);
	}
	*rcp = xc_mmu_update(o->xch, o->domid, reqs, nr, &done);
	free(reqs);
	return first - from + (*rcp ? done : nr);
}

static uint64_t cleared(struct offline *o, uint64_t old)
{
	return old & ~XG_PTE_PRESENT;
}

static uint64_t restored(struct offline *o, uint64_t old)
{
	return old;
}

static uint64_t moved(struct offline *o, uint64_t old)
{
	return (old & ~XG_PTE_ADDR) | (mfn_x(o->new_mfn) << XG_PAGE_SHIFT);
}

/* ---- before the exchange: everything can go back ---- */

/* Appends "; and rolling back, <what>" to the error. */
static void also(struct offline *o, const char *fmt, ...)
{
	size_t len = strlen(o->err);
	va_list ap;

	snprintf(o->err + len, o->errlen - len, "; and rolling back, ");
	len = strlen(o->err);
	va_start(ap, fmt);
	vsnprintf(o->err + len, o->errlen - len, fmt, ap);
	va_end(ap);
}

/* Undoes what the steps up to the exchange did, last first. */
static void roll_back(struct offline *o, uint64_t nr_cleared, bool unpinned,
		      bool offlined)
{
	char why[256];
	uint64_t n;
	int rc;

	/*
	 * Last cleared first: a table's parents come back (and validate it
	 * again) before its own entries, which then take their references.
	 */
	for (n = nr_cleared; n-- > 0;) {
		write_entries(o, n, n + 1, restored, &rc);
		if (rc) {
			also(o, "entry %lu could not be restored (%s)",
			     (unsigned long)n, strerror(-rc));
			break;
		}
	}
	if (unpinned && xc_mmuext_pin(o->xch, o->domid, o->level, o->mfn))
		also(o, "the L%u could not be pinned again", o->level);
	rc = o->held ? xc_frame_holds(o->xch, o->domid, HV_HOLDS_TAKE, o->mfn,
				      NULL) : 0;
	if (rc)
		also(o, "the hypervisor could not take its holds again (%s)",
		     strerror(-rc));
	else
		o->held = 0;
	if (o->ring_frozen &&
	    o->cb->ring_thaw(o->cb->data, why, sizeof(why)))
		also(o, "the xenstore ring could not be thawed (%s)", why);
	o->ring_frozen = false;
	if (offlined && !o->was_pending)
		xc_page_offline_op(o->xch, o->domid, HV_PAGE_ONLINE, o->mfn,
				   NULL);
}

static int detach(struct offline *o)
{
	struct hv_domctl_frame_state fs = { 0 };
	uint64_t half, n = 0;
	uint32_t status;
	bool unpinned = false;
	int rc;

	rc = inject(o, "offline") ? -EIO :
	     xc_page_offline_op(o->xch, o->domid, HV_PAGE_OFFLINE, o->mfn,
				&status);
	if (rc)
		return fail(o, "marking mfn %#lx offline pending: %s",
			    (unsigned long)mfn_x(o->mfn), strerror(-rc));
	/* Nobody but this may touch the frame from here to the exchange. */
	if (o->store_ring) {
		char why[256] = "injected fault";

		if (inject(o, "freeze") ||
		    o->cb->ring_freeze(o->cb->data, why, sizeof(why))) {
			fail(o, "freezing the xenstore ring at mfn %#lx: %s",
			     (unsigned long)mfn_x(o->mfn), why);
			goto back;
		}
		o->ring_frozen = true;
	}
	rc = inject(o, "release") ? -EIO :
	     xc_frame_holds(o->xch, o->domid, HV_HOLDS_RELEASE, o->mfn,
			    &o->held);
	if (rc) {
		fail(o, "setting aside the hypervisor's holds on mfn %#lx: %s",
		     (unsigned long)mfn_x(o->mfn), strerror(-rc));
		goto back;
	}
	memcpy(o->backup, frame(o, o->mfn), XG_PAGE_SIZE);
	if (o->pinned) {
		rc = inject(o, "unpin") ? -EIO :
		     xc_mmuext_pin(o->xch, o->domid, 0, o->mfn);
		if (rc) {
			fail(o, "unpinning the L%u at mfn %#lx: %s", o->level,
			     (unsigned long)mfn_x(o->mfn), strerror(-rc));
			goto back;
		}
		unpinned = true;
	}
	half = inject(o, "clear") ? o->nr_maps / 2 : o->nr_maps;
	n = write_entries(o, 0, half, cleared, &rc);
	if (!rc && half < o->nr_maps)
		rc = -EIO;
	if (rc) {
		fail(o, "clearing entry %lu of %lu that map mfn %#lx: %s",
		     (unsigned long)n, (unsigned long)o->nr_maps,
		     (unsigned long)mfn_x(o->mfn), strerror(-rc));
		goto back;
	}
	rc = xc_frame_state(o->xch, o->domid, o->mfn, &fs);
	if (!rc && inject(o, "check"))
		fs.count = 2;
	if (rc || fs.count != 1 || fs.type_count) {
		fail(o, "mfn %#lx is still referenced once its %lu mappings are cleared (count %u, type count %u): something else holds it",
		     (unsigned long)mfn_x(o->mfn), (unsigned long)o->nr_maps,
		     fs.count, fs.type_count);
		goto back;
	}
	rc = inject(o, "exchange") ? -EIO :
	     xc_domain_memory_exchange_pages(o->xch, o->domid, 1, &o->mfn,
					     &o->pfn, &o->new_mfn, NULL);
	if (rc) {
		fail(o, "XENMEM_exchange of mfn %#lx: %s",
		     (unsigned long)mfn_x(o->mfn), strerror(-rc));
		goto back;
	}
	o->committed = true;
	return 0;
back:
	/* The contents never changed: the entries are put back as they were. */
	roll_back(o, n, unpinned, true);
	return -1;
}

/* ---- after the exchange: each step is retried to completion ---- */

/* A frame number of the guest's p2m tree, the old frame turned new. */
static uint64_t *tree_slot(struct offline *o, uint64_t *slot)
{
	if (*slot == mfn_x(o->mfn))
		*slot = mfn_x(o->new_mfn);
	return slot;
}

/*
 * The guest's p2m entry for the pfn, and every frame number of its p2m
 * tree (the frame list list in shared_info, the frame lists) that named
 * the old frame.  The guest rebuilds the lists on resume; they are kept
 * right meanwhile for anything that reads them first (a save).
 */
static int fix_p2m(struct offline *o)
{
	struct shared_info *si = frame(o, _mfn(o->info.shared_info_frame));
	uint64_t pfn = pfn_x(o->pfn), *fll, *fl, *p2m, i;
	uint64_t nr_fl;

	if (!si)
		return -EFAULT;
	nr_fl = (si->arch.max_pfn + FPP * FPP - 1) / (FPP * FPP);
	fll = frame(o, _mfn(*tree_slot(o, &si->arch.pfn_to_mfn_frame_list_list)));
	if (!fll || !si->arch.max_pfn || pfn >= si->arch.max_pfn)
		return 0;	/* no p2m published: nothing of it to fix */
	for (i = 0; i < nr_fl && i < FPP; i++) {
		uint64_t j;

		fl = frame(o, _mfn(*tree_slot(o, &fll[i])));
		for (j = 0; fl && j < FPP; j++)
			if (fl[j])
				tree_slot(o, &fl[j]);
	}
	fl = frame(o, _mfn(fll[pfn / (FPP * FPP)]));
	p2m = fl ? frame(o, _mfn(fl[(pfn / FPP) % FPP])) : NULL;
	if (!p2m)
		return -EFAULT;
	if (p2m[pfn % FPP] == mfn_x(o->mfn))
		p2m[pfn % FPP] = mfn_x(o->new_mfn);
	return 0;
}

/* vCPU 0's SHUTDOWN_suspend argument: start_info's frame. */
static int fix_start_info_arg(struct offline *o)
{
	struct vcpu_guest_context *c = malloc(sizeof(*c));
	int rc = c ? 0 : -ENOMEM;

	if (!rc)
		rc = xc_vcpu_getcontext(o->xch, o->domid, 0, c);
	if (!rc && c->user_regs.rdx == mfn_x(o->mfn)) {
		c->user_regs.rdx = mfn_x(o->new_mfn);
		rc = xc_vcpu_setcontext(o->xch, o->domid, 0, c);
	}
	free(c);
	return rc;
}

static int do_step(struct offline *o, const char *name)
{
	int rc = 0;

	if (!strcmp(name, "copy")) {
		uint64_t *b = o->backup, i;

		/* The frame's entries that named itself name the new frame. */
		for (i = 0; i < o->nr_maps; i++)
			if (o->maps[i].self)
				b[o->maps[i].idx] = moved(o, o->maps[i].old);
		memcpy(frame(o, o->new_mfn), o->backup, XG_PAGE_SIZE);
	} else if (!strcmp(name, "p2m")) {
		rc = fix_p2m(o);
		if (!rc)
			rc = fix_start_info_arg(o);
	} else if (!strcmp(name, "repoint")) {
		/*
		 * A second try rewrites the entries done to the same value.
		 * The frame's own entries came with the copy: left out.
		 */
		o->skip_self = true;
		write_entries(o, 0, o->nr_maps, moved, &rc);
		o->skip_self = false;
	} else if (!strcmp(name, "pin") && o->pinned) {
		rc = xc_mmuext_pin(o->xch, o->domid, o->level, o->new_mfn);
	} else if (!strcmp(name, "take") && o->held) {
		rc = xc_frame_holds(o->xch, o->domid, HV_HOLDS_TAKE, o->new_mfn,
				    NULL);
	} else if (!strcmp(name, "ring") && o->ring_frozen) {
		char why[256];

		rc = o->cb->ring_move(o->cb->data, o->new_mfn, why,
				      sizeof(why)) ? -EIO : 0;
		if (!rc)
			o->ring_frozen = false;
	}
	return rc;
}

/* A step after the commit point: tried, and on failure tried again. */
static int step(struct offline *o, const char *name)
{
	int rc = inject(o, name) ? -EIO : do_step(o, name);

	if (rc)
		rc = do_step(o, name);
	if (rc)
		return fail(o, "mfn %#lx was exchanged for mfn %#lx (pfn %#lx), but the step '%s' failed twice (%s): the domain stays suspended",
			    (unsigned long)mfn_x(o->mfn),
			    (unsigned long)mfn_x(o->new_mfn),
			    (unsigned long)pfn_x(o->pfn), name, strerror(-rc));
	return 0;
}

static void release(struct offline *o)
{
	xc_unmap_foreign(&o->mem);
	xc_unmap_m2p(&o->m2p);
	free(o->maps);
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ULL + t.tv_nsec;
}

/*
 * The state for one frame of domid, with its memory and the m2p mapped;
 * NULL with err set if there is no such domain, or (suspended) it is not
 * suspended.
 */
static struct offline *start(xc_interface *xch, domid_t domid, mfn_t mfn,
			     const struct xg_offline_callbacks *cb,
			     bool suspended, char *err, size_t errlen)
{
	struct offline *o = calloc(1, sizeof(*o));

	if (!o) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	o->xch = xch;
	o->domid = domid;
	o->mfn = mfn;
	o->cb = cb;
	o->err = err;
	o->errlen = errlen;
	o->mem.memfd = -1;
	o->fault = getenv("TERN_TEST_OFFLINE_FAULT");
	if (xc_domain_getinfo(xch, domid, &o->info)) {
		fail(o, "there is no domain %u", domid);
		goto fail;
	}
	if (suspended && (!(o->info.flags & XEN_DOMINF_shutdown) ||
			  ((o->info.flags >> XEN_DOMINF_shutdownshift) &
			   XEN_DOMINF_shutdownmask) != SHUTDOWN_suspend)) {
		fail(o, "domain %u is not suspended", domid);
		goto fail;
	}
	if (xc_map_foreign(xch, domid, &o->mem) ||
	    xc_map_m2p(xch, domid, &o->m2p)) {
		fail(o, "mapping domain %u's memory and the m2p failed", domid);
		goto fail;
	}
	return o;
fail:
	release(o);
	free(o);
	return NULL;
}

int xg_offline_page_check(xc_interface *xch, domid_t domid, mfn_t mfn,
			  const struct xg_offline_callbacks *cb,
			  char *err, size_t errlen)
{
	struct offline *o = start(xch, domid, mfn, cb, false, err, errlen);
	int rc;

	if (!o)
		return -1;
	rc = check_frame(o);
	release(o);
	free(o);
	return rc;
}

int xg_offline_page(xc_interface *xch, domid_t domid, mfn_t mfn,
		    const struct xg_offline_callbacks *cb,
		    struct xg_offline_result *res, char *err, size_t errlen)
{
	static const char *const after[] = {
		"copy", "p2m", "repoint", "pin", "take", "ring",
	};
	uint64_t t0 = now_ns();
	struct offline *o;
	unsigned int i;
	int rc = -1;

	if (res)
		memset(res, 0, sizeof(*res));
	o = start(xch, domid, mfn, cb, true, err, errlen);
	if (!o)
		return -1;
	if (check_frame(o) || find_mappings(o) || detach(o))
		goto out;
	for (i = 0; i < ARRAY_SIZE(after); i++)
		if (step(o, after[i]))
			goto out;
	rc = 0;
out:
	if (res) {
		res->pfn = o->pfn;
		res->new_mfn = rc ? INVALID_MFN : o->new_mfn;
		res->committed = o->committed;
		res->level = o->level;
		res->nr_mappings = o->nr_maps;
		res->held = o->held;
		res->ns = now_ns() - t0;
	}
	release(o);
	free(o);
	return rc;
}
