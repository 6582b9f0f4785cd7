// SPDX-License-Identifier: MIT
/*
 * The shadow's record of what it shows while log-dirty is on: for each
 * guest virtual page the shadow maps, the machine frame behind it and
 * the rights it was given (Xen keeps the same knowledge in its shadow
 * pagetables).  Log-dirty needs it because the host reports guest writes
 * by virtual address (PAGEMAP_SCAN gives ranges of the window) while the
 * dirty bit belongs to the frame: the guest's own tables cannot answer,
 * since by the time a mapping is dropped its entry has usually changed
 * already.  Several virtual pages may show one frame; each has its own
 * record, and a write through any of them dirties the frame.
 *
 * The record mirrors the shadow exactly: every mapping made while
 * log-dirty is on is recorded by the fill that makes it (logdirty_*.c),
 * and every range the shadow drops is forgotten here in the same breath
 * (shadow.c).  The audit checks the two against each other.
 *
 * It is shaped like a 4-level pagetable over the window's 47 address
 * bits: upper nodes of 512 pointers, leaves of 512 entries, allocated on
 * first use, so its size follows what the guest touches (2 MiB of leaves
 * for 1 GiB mapped once), never the 48 TiB window.  Everything here runs
 * under d->mmu_lock.
 */
#include <errno.h>
#include <stdlib.h>

#include "private.h"

#define RMAP_FANOUT	512

struct rmap_node {
	void *slot[RMAP_FANOUT];	/* lower nodes, or entries at the leaf */
};

static unsigned int index_at(uint64_t va, unsigned int level)
{
	return (va >> (HV_PAGE_SHIFT + 9 * (level - 1))) & (RMAP_FANOUT - 1);
}

/* The leaf entry of va, allocating the path when create is set. */
static uint64_t *slot(struct hv_rmap *r, uint64_t va, bool create)
{
	struct rmap_node **n = &r->root;
	unsigned int level;

	for (level = 4; level >= 2; level--) {
		if (!*n) {
			if (!create)
				return NULL;
			*n = calloc(1, sizeof(**n));
			if (!*n)
				return NULL;
		}
		n = (struct rmap_node **)&(*n)->slot[index_at(va, level)];
	}
	if (!*n) {
		if (!create)
			return NULL;
		*n = calloc(1, sizeof(**n));
		if (!*n)
			return NULL;
	}
	return (uint64_t *)&(*n)->slot[index_at(va, 1)];
}

uint64_t hv_rmap_get(struct hv_rmap *r, uint64_t va)
{
	uint64_t *e = slot(r, va, false);

	return e ? *e : 0;
}

int hv_rmap_set(struct hv_rmap *r, uint64_t va, mfn_t mfn, unsigned int flags)
{
	uint64_t *e = slot(r, va, true);

	if (!e)
		return -ENOMEM;
	if (!(*e & HV_RMAP_PRESENT))
		r->nr_present++;
	*e = mfn_to_maddr(mfn) | flags | HV_RMAP_PRESENT;
	return 0;
}

void hv_rmap_set_flags(struct hv_rmap *r, uint64_t va, unsigned int set,
		       unsigned int clear)
{
	uint64_t *e = slot(r, va, false);

	if (e && (*e & HV_RMAP_PRESENT))
		*e = (*e | set) & ~(uint64_t)clear;
}

static void free_node(struct rmap_node *n, unsigned int level,
		      uint64_t *nr_present)
{
	unsigned int i;

	if (!n)
		return;
	for (i = 0; i < RMAP_FANOUT; i++) {
		if (level == 1)
			*nr_present -= ((uint64_t)n->slot[i] & HV_RMAP_PRESENT) != 0;
		else
			free_node(n->slot[i], level - 1, nr_present);
	}
	free(n);
}

/*
 * Visits the present entries of [va, end) under node *np (at level,
 * covering the span from base): fn sees each (and ends the walk by
 * returning true), or, with fn NULL, each is cleared and nodes the range
 * covers whole are freed.  Returns true once fn has ended the walk.
 */
static bool walk(struct hv_rmap *r, struct rmap_node **np, unsigned int level,
		 uint64_t base, uint64_t va, uint64_t end,
		 bool (*fn)(void *arg, uint64_t va, uint64_t e), void *arg)
{
	uint64_t span = level_span(level), node_end = base + RMAP_FANOUT * span;
	struct rmap_node *n = *np;
	unsigned int i;

	if (!n)
		return false;
	if (!fn && va <= base && end >= node_end) {
		free_node(n, level, &r->nr_present);
		*np = NULL;
		return false;
	}
	for (i = index_at(va > base ? va : base, level);
	     i < RMAP_FANOUT && base + i * span < end; i++) {
		uint64_t at = base + i * span, e;

		if (level > 1) {
			if (walk(r, (struct rmap_node **)&n->slot[i], level - 1,
				 at, va, end, fn, arg))
				return true;
			continue;
		}
		e = (uint64_t)n->slot[i];
		if (!(e & HV_RMAP_PRESENT))
			continue;
		if (fn) {
			if (fn(arg, at, e))
				return true;
		} else {
			n->slot[i] = NULL;
			r->nr_present--;
		}
	}
	return false;
}

void hv_rmap_for_each(struct hv_rmap *r, uint64_t va, uint64_t len,
		      bool (*fn)(void *arg, uint64_t va, uint64_t e), void *arg)
{
	walk(r, &r->root, 4, 0, va, va + len, fn, arg);
}

void hv_rmap_clear(struct hv_rmap *r, uint64_t va, uint64_t len)
{
	walk(r, &r->root, 4, 0, va, va + len, NULL, NULL);
}

struct any_arg {
	unsigned int flags;
	bool found;
};

static bool any_fn(void *arg, uint64_t va, uint64_t e)
{
	struct any_arg *a = arg;

	a->found = (e & a->flags) == a->flags;
	return a->found;
}

bool hv_rmap_any(struct hv_rmap *r, uint64_t va, uint64_t len,
		 unsigned int flags)
{
	struct any_arg a = { .flags = flags };

	hv_rmap_for_each(r, va, len, any_fn, &a);
	return a.found;
}

void hv_rmap_free(struct hv_rmap *r)
{
	free_node(r->root, 4, &r->nr_present);
	r->root = NULL;
	r->nr_present = 0;
}
