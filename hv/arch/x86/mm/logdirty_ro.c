// SPDX-License-Identifier: MIT
/*
 * Log-dirty through the shadow alone, for hosts whose kernel lacks
 * asynchronous userfaultfd write-protection (Debian 12's 6.1): the way
 * Xen's shadow code does it.  While log-dirty is on, a fill maps a page
 * the guest may write read-only, unless its pfn is dirty in this round
 * already; the guest's first write to it faults into our handler, which
 * marks the pfn and then makes the mapping writable.  Writes through a
 * writable mapping need no tracking: its pfn is dirty already.
 *
 * CLEAN makes every mapping made writable in the round read-only again
 * (mprotect, runs of neighbouring pages at once) before logdirty.c takes
 * the bitmap, all under d->mmu_lock, which the write fault needs too.  A
 * write that reached memory before the mapping went read-only had its
 * pfn marked before that (the mark precedes the upgrade), and the
 * toolstack copies after CLEAN returns, so it sees the write; a write
 * after it faults, waits for the lock, and is marked for the next round.
 * Dropping a mapping needs nothing: a writable one is dirty already.
 *
 * The cost is the host's mappings: a writable page among read-only
 * neighbours is a VMA of its own, two more in all, where the uffd
 * mechanism splits nothing.  Writable pages are few per round and merge
 * back when CLEAN protects them, but a guest writing many scattered
 * pages could approach vm.max_map_count within one round, so at
 * HV_LOGDIRTY_MAX_WRITABLE of them the fill asks for the whole shadow
 * to be dropped (shadow.c retries after a flush), once per that many
 * faults, never per fault.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "private.h"

static bool usable(char *why, size_t len)
{
	return true;
}

static int enable(struct hv_domain *d)
{
	return 0;
}

static void disable(struct hv_domain *d)
{
}

static int prot(bool write, bool exec)
{
	return PROT_READ | (write ? PROT_WRITE : 0) | (exec ? PROT_EXEC : 0);
}

static int map(struct hv_domain *d, uint64_t va, mfn_t mfn, bool guest_w,
	       bool exec, bool write, bool fetch)
{
	struct hv_logdirty *ld = d->logdirty;
	uint64_t e = hv_rmap_get(&ld->rmap, va);
	bool writable;
	int rc;

	if (e & HV_RMAP_PRESENT) {
		if (mfn_eq(hv_rmap_mfn(e), mfn) && (!fetch || (e & HV_RMAP_X))) {
			if (!write || (e & HV_RMAP_W))
				return 0;
			if (guest_w) {
				/* The first write of the round: mark, then allow. */
				rc = hv_logdirty_note_writable(ld, va);
				if (rc) {
					ld->budget_flushes++;
					return rc;
				}
				hv_logdirty_mark(d, mfn);
				ld->faults++;
				if (mprotect((void *)va, HV_PAGE_SIZE,
					     prot(true, e & HV_RMAP_X))) {
					ld->nr_writable--;
					return -errno;
				}
				hv_rmap_set_flags(&ld->rmap, va, HV_RMAP_W, 0);
				return 0;
			}
		}
		hv_shadow_unmap(d, va, HV_PAGE_SIZE);
	}
	writable = guest_w && (write || hv_logdirty_test(d, mfn));
	if (writable) {
		rc = hv_logdirty_note_writable(ld, va);
		if (rc) {
			ld->budget_flushes++;
			return rc;
		}
	}
	if (writable && write) {
		hv_logdirty_mark(d, mfn);
		ld->faults++;
	}
	rc = hv_rmap_set(&ld->rmap, va, mfn, (writable ? HV_RMAP_W : 0) |
					      (exec ? HV_RMAP_X : 0));
	if (!rc) {
		rc = hv_shadow_map(d, va, mfn, writable, exec);
		if (rc)
			hv_rmap_clear(&ld->rmap, va, HV_PAGE_SIZE);
	}
	if (rc && writable)
		ld->nr_writable--;
	return rc;
}

/* A whole-window drop forgets the round's writable pages with them. */
static void before_unmap(struct hv_domain *d, uint64_t va, uint64_t len)
{
	if (va <= HV_GUEST_VA_START && va + len >= HV_GUEST_VA_END)
		d->logdirty->nr_writable = 0;
}

/* Makes [start, end) read-only again; false if the host refused. */
static bool protect_run(struct hv_domain *d, uint64_t start, uint64_t end,
			bool exec)
{
	struct hv_logdirty *ld = d->logdirty;
	uint64_t va;

	if (mprotect((void *)start, end - start, prot(false, exec)))
		return false;
	for (va = start; va < end; va += HV_PAGE_SIZE)
		hv_rmap_set_flags(&ld->rmap, va, 0, HV_RMAP_W);
	ld->reprotected += (end - start) / HV_PAGE_SIZE;
	return true;
}

/*
 * CLEAN: every page still mapped writable from the list goes read-only,
 * neighbours together.  The list may name pages dropped and mapped again
 * since; the record says which are writable now.
 */
static long collect(struct hv_domain *d, bool clean)
{
	struct hv_logdirty *ld = d->logdirty;
	uint64_t start = 0, end = 0;
	bool exec = false, ok = true;
	size_t i;

	if (!clean)
		return 0;
	hv_logdirty_sort_writable(ld, HV_RMAP_W);
	for (i = 0; i < ld->nr_writable && ok; i++) {
		uint64_t va = ld->writable[i];
		bool x = hv_rmap_get(&ld->rmap, va) & HV_RMAP_X;

		if (va == end && x == exec) {
			end += HV_PAGE_SIZE;
			continue;
		}
		if (end > start)
			ok = protect_run(d, start, end, exec);
		start = va;
		end = va + HV_PAGE_SIZE;
		exec = x;
	}
	if (ok && end > start)
		ok = protect_run(d, start, end, exec);
	ld->nr_writable = 0;
	/* Mappings changed under the fault heuristic's feet (shadow.c). */
	d->mmu->sh_gen++;
	if (!ok) {
		/* Could not protect in place: drop everything instead. */
		ld->budget_flushes++;
		hv_shadow_flush(d);
	}
	return 0;
}

const struct hv_logdirty_ops hv_logdirty_ro_ops = {
	.name = "read-only-shadow",
	.usable = usable,
	.enable = enable,
	.disable = disable,
	.map = map,
	.before_unmap = before_unmap,
	.collect = collect,
};
