// SPDX-License-Identifier: MIT
/*
 * Log-dirty: which pfns of a domain were written since the toolstack last
 * looked, the tracking behind live migration (Xen's arch/x86/mm/paging.c,
 * reached through the shadow_op domctl with Xen's verbs and errors).
 *
 * The bitmap.  One bit per pfn below max_pages, in 64-bit words changed
 * only with atomic operations: marks set bits from any thread, CLEAN
 * takes them with an atomic exchange.  A pfn is dirty when
 *
 *  - the guest wrote to its frame through the shadow.  How we learn that
 *    is the mechanism's business (an ops table, one file each):
 *    logdirty_uffd.c, userfaultfd write-protection in asynchronous mode
 *    read back with PAGEMAP_SCAN (Linux 6.7 and later), or logdirty_ro.c,
 *    the shadow filling read-only and the write fault marking (any
 *    Linux).  The choice is made at each ENABLE: the first this host
 *    supports, or the one TERN_HV_LOGDIRTY names ("uffd" or "ro");
 *  - the hypervisor wrote to it through the direct map, which no
 *    mechanism sees: every such write is followed by hv_mark_dirty()
 *    (copy to guest, pagetable entries it writes or validates, CLEAR_PAGE
 *    and COPY_PAGE, the console ring's index, a registered vcpu_info, the
 *    hypercall page), as Xen calls paging_mark_dirty();
 *  - its frame changed type in a way getpageframeinfo3 shows (became or
 *    stopped being a pagetable, was pinned or unpinned), so that a
 *    migration sends it again with its new type, as Xen's validate_page,
 *    devalidate_page and pin/unpin mark it;
 *  - MMU_MACHPHYS_UPDATE gave a frame this pfn, or the toolstack
 *    populated or released it (its frame changed);
 *  - CLEAN or PEEK came with XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL: every page
 *    the hypervisor holds writable (the console and xenstore rings, a
 *    registered vcpu_info) is marked, as Xen marks the frames it keeps
 *    mapped.  That is how the xenstore ring reaches the other side: the
 *    xenstore daemon writes it through its own mapping of the memfd,
 *    which no mechanism in this process can see, so it is sent in the
 *    last round, while the guest is suspended and its ring quiet.
 *
 * shared_info is no pfn (a xenheap page, apart from guest frames): marks
 * of it are ignored, and a migration sends it as Xen's does, as the
 * SHARED_INFO record read through the foreign mapping at getdomaininfo's
 * shared_info_frame once the guest is suspended.
 *
 * The rule that makes CLEAN exact: a mark comes after its write.  CLEAN
 * returns the bits it took; the toolstack then copies those pages.  A
 * write whose mark CLEAN took is therefore in memory before the copy; a
 * write whose mark came too late for this CLEAN is marked for the next
 * one and sent again then.  No write falls between: a mark made before
 * its write could be taken by a CLEAN whose copy misses the write, which
 * is why every hv_mark_dirty() call sits after the store it covers.  The
 * mechanisms keep the same rule for guest writes (their file-tops):
 * under d->mmu_lock, which every shadow fill and drop takes, CLEAN first
 * re-arms write tracking for every shadow mapping -- after that a guest
 * write can only reach memory by being tracked anew for the next round
 * -- and folds the writes found while re-arming into the bitmap, and
 * only then exchanges the bitmap's words.  So a write either happened
 * before re-arming and is in this CLEAN's bitmap (and in memory before
 * the toolstack copies), or it happens after and is in the next one.
 * The domain is not paused for CLEAN or PEEK (Xen pauses it; here the
 * ordering does the work).  ENABLE and OFF pause it, as Xen's do.
 *
 * The counts are Xen's: fault_count, the first writes the mechanism
 * found since the last CLEAN (each a fault the guest took, in the
 * kernel's asynchronous handler or in ours); dirty_count, the dirty pfns.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "private.h"
#include "hv/common/private.h"

static const struct hv_logdirty_ops *const mechanisms[] = {
	&hv_logdirty_uffd_ops,
	&hv_logdirty_ro_ops,
};

/* TERN_HV_LOGDIRTY's names for the mechanisms, in the order above. */
static const char *const env_names[] = { "uffd", "ro" };

/*
 * The mechanism for the next ENABLE: the one TERN_HV_LOGDIRTY names, or
 * the first usable one.  NULL, with why, if the named one cannot work
 * here or the name is unknown.
 */
static const struct hv_logdirty_ops *choose(char *why, size_t len)
{
	const char *env = getenv("TERN_HV_LOGDIRTY");
	char skip[256] = "";
	unsigned int i;

	if (env && *env && strcmp(env, "auto")) {
		for (i = 0; i < ARRAY_SIZE(mechanisms); i++) {
			if (strcmp(env, env_names[i]))
				continue;
			if (mechanisms[i]->usable(why, len)) {
				snprintf(why, len, "TERN_HV_LOGDIRTY=%s", env);
				return mechanisms[i];
			}
			return NULL;
		}
		snprintf(why, len, "TERN_HV_LOGDIRTY=%s is neither uffd, ro nor auto",
			 env);
		return NULL;
	}
	for (i = 0; i < ARRAY_SIZE(mechanisms); i++) {
		if (mechanisms[i]->usable(why, len)) {
			snprintf(why, len, "%s", skip);
			return mechanisms[i];
		}
		snprintf(skip, sizeof(skip), "%s", why);
	}
	return NULL;
}

const char *hv_logdirty_mechanism(char *why, size_t len)
{
	const struct hv_logdirty_ops *ops = choose(why, len);

	return ops ? ops->name : "none";
}

/* ---- the bitmap ---- */

void hv_logdirty_mark_pfn(struct hv_domain *d, pfn_t pfn)
{
	struct hv_logdirty *ld = d->logdirty;
	uint64_t n = pfn_x(pfn);

	if (!ld || n >= d->max_pages)
		return;
	__atomic_fetch_or(&ld->bitmap[n / 64], 1UL << (n % 64),
			  __ATOMIC_SEQ_CST);
}

void hv_logdirty_mark(struct hv_domain *d, mfn_t mfn)
{
	struct hv_frame *f = hv_frame(d->m, mfn);

	/* Someone else's frame, or a free one: not ours to mark (Xen too). */
	if (!f || __atomic_load_n(&f->owner, __ATOMIC_RELAXED) != d->domid)
		return;
	hv_logdirty_mark_pfn(d, hv_m2p(d->m, mfn));
}

bool hv_logdirty_test(struct hv_domain *d, mfn_t mfn)
{
	uint64_t n = pfn_x(hv_m2p(d->m, mfn));

	return n < d->max_pages &&
	       (__atomic_load_n(&d->logdirty->bitmap[n / 64],
				__ATOMIC_ACQUIRE) >> (n % 64) & 1);
}

/*
 * The mechanism saw a first guest write at va: the frame the shadow shows
 * there is dirty.  The record cannot lack a mapping the shadow made; if
 * it ever does, the guest's tables answer and the console says so.
 */
void hv_logdirty_found(struct hv_domain *d, uint64_t va)
{
	struct hv_logdirty *ld = d->logdirty;
	uint64_t e = hv_rmap_get(&ld->rmap, va);
	struct hv_walk w;

	if (e & HV_RMAP_PRESENT) {
		hv_logdirty_mark(d, hv_rmap_mfn(e));
		return;
	}
	if (!ld->untracked++)
		hv_console_printf(d, "(hv) log-dirty: a write at %#lx through a mapping the shadow has no record of\n",
				  (unsigned long)va);
	if (!hv_guest_walk(d, d->mmu->sh_cr3, va, &w))
		hv_logdirty_mark(d, w.mfn);
}

uint64_t hv_logdirty_rmap_entry(struct hv_domain *d, uint64_t va)
{
	return hv_rmap_get(&d->logdirty->rmap, va);
}

/* ---- untracked writable pages (logdirty_ro.c, logdirty_uffd.c) ---- */

int hv_logdirty_note_writable(struct hv_logdirty *ld, uint64_t va)
{
	if (ld->nr_writable >= HV_LOGDIRTY_MAX_WRITABLE)
		return -ENOMEM;
	if (ld->nr_writable == ld->writable_cap) {
		size_t cap = ld->writable_cap ? 2 * ld->writable_cap : 256;
		uint64_t *p = realloc(ld->writable, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		ld->writable = p;
		ld->writable_cap = cap;
	}
	ld->writable[ld->nr_writable++] = va;
	return 0;
}

static int cmp_va(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void hv_logdirty_sort_writable(struct hv_logdirty *ld, unsigned int flag)
{
	size_t i, n = 0;

	/* qsort's array may not be NULL, even for none (glibc's nonnull). */
	if (ld->nr_writable)
		qsort(ld->writable, ld->nr_writable, sizeof(*ld->writable),
		      cmp_va);
	for (i = 0; i < ld->nr_writable; i++) {
		uint64_t va = ld->writable[i], e;

		if (n && ld->writable[n - 1] == va)
			continue;
		e = hv_rmap_get(&ld->rmap, va);
		if ((e & HV_RMAP_PRESENT) && (e & flag))
			ld->writable[n++] = va;
	}
	ld->nr_writable = n;
}

/* ---- the shadow's hooks ---- */

int hv_logdirty_shadow_map(struct hv_domain *d, uint64_t va, mfn_t mfn,
			   bool guest_w, bool exec, bool write, bool fetch)
{
	struct hv_logdirty *ld = d->logdirty;

	ld->fills++;
	return ld->ops->map(d, va & ~(HV_PAGE_SIZE - 1), mfn, guest_w, exec,
			    write, fetch);
}

void hv_logdirty_before_unmap(struct hv_domain *d, uint64_t va, uint64_t len)
{
	struct hv_logdirty *ld = d->logdirty;

	ld->ops->before_unmap(d, va, len);
	hv_rmap_clear(&ld->rmap, va, len);
}

/* ---- the verbs ---- */

static struct hv_logdirty *get_state(struct hv_domain *d)
{
	struct hv_logdirty *ld = d->logdirty;

	if (ld)
		return ld;
	ld = calloc(1, sizeof(*ld));
	if (!ld)
		return NULL;
	ld->nr_words = (d->max_pages + 63) / 64;
	ld->bitmap = calloc(ld->nr_words, sizeof(*ld->bitmap));
	if (!ld->bitmap) {
		free(ld);
		return NULL;
	}
	ld->uffd = ld->pagemap = -1;
	d->logdirty = ld;
	return ld;
}

/* Xen's paging_log_dirty_enable: -EINVAL if on already. */
static long enable(struct hv_domain *d)
{
	const struct hv_logdirty_ops *ops;
	struct hv_logdirty *ld;
	char why[256];
	long rc;

	if (hv_logdirty_active(d))
		return -EINVAL;
	ops = choose(why, sizeof(why));
	if (!ops) {
		hv_console_printf(d, "(hv) log-dirty cannot start: %s\n", why);
		return -EOPNOTSUPP;
	}
	ld = get_state(d);
	if (!ld)
		return -ENOMEM;
	rc = hv_domain_pause(d);
	if (rc)
		return rc;
	hv_mmu_lock(d);
	/* Mappings made before ENABLE are not tracked: none may stay. */
	hv_shadow_flush(d);
	ld->ops = ops;
	rc = ops->enable(d);
	if (!rc) {
		memset(ld->bitmap, 0, ld->nr_words * sizeof(*ld->bitmap));
		ld->faults = 0;
		ld->rounds = ld->fills = ld->harvests = ld->harvested = 0;
		ld->scans = ld->scan_ns = ld->reprotected = 0;
		ld->budget_flushes = ld->untracked = 0;
		ld->nr_writable = 0;
		__atomic_store_n(&d->logdirty_on, true, __ATOMIC_SEQ_CST);
	}
	hv_mmu_unlock(d);
	hv_domain_unpause(d);
	return rc;
}

/* Xen's paging_log_dirty_disable: 0 whether it was on or not. */
static long disable(struct hv_domain *d)
{
	struct hv_logdirty *ld = d->logdirty;
	long rc;

	if (!hv_logdirty_active(d))
		return 0;
	rc = hv_domain_pause(d);
	if (rc)
		return rc;
	hv_mmu_lock(d);
	__atomic_store_n(&d->logdirty_on, false, __ATOMIC_SEQ_CST);
	/* Tracked mappings go; later fills are plain ones. */
	hv_shadow_flush(d);
	ld->ops->disable(d);
	hv_rmap_free(&ld->rmap);
	free(ld->writable);
	ld->writable = NULL;
	ld->nr_writable = ld->writable_cap = 0;
	hv_mmu_unlock(d);
	hv_domain_unpause(d);
	return 0;
}

/* Every page the hypervisor holds writable: what FINAL adds (see top). */
static void mark_held(struct hv_domain *d)
{
	unsigned int i;

	if (mfn_valid_raw(d->console_mfn))
		hv_logdirty_mark(d, d->console_mfn);
	if (mfn_valid_raw(d->store_mfn))
		hv_logdirty_mark(d, d->store_mfn);
	for (i = 0; i < d->nr_vcpus; i++)
		if (mfn_valid_raw(d->vcpus[i].vcpu_info_mfn))
			hv_logdirty_mark(d, d->vcpus[i].vcpu_info_mfn);
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ULL + t.tv_nsec;
}

/*
 * PEEK and CLEAN.  Bits below pages go out; CLEAN clears exactly those,
 * so a bitmap shorter than the domain loses nothing (Xen clears whole
 * 32768-bit leaves).  Bits at and above max_pages read as clear.
 */
static long peek_or_clean(struct hv_domain *d, struct hv_domctl_shadow_op *s,
			  uint8_t *out)
{
	struct hv_logdirty *ld = d->logdirty;
	bool clean = s->op == XEN_DOMCTL_SHADOW_OP_CLEAN;
	uint64_t words = (s->pages + 63) / 64, i, dirty = 0, t0;
	uint64_t faults;
	long found;

	if (s->mode & XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL)
		mark_held(d);
	hv_mmu_lock(d);
	t0 = now_ns();
	found = ld->ops->collect(d, clean);
	ld->scan_ns += now_ns() - t0;
	ld->scans++;
	if (found < 0) {
		hv_mmu_unlock(d);
		return found;
	}
	for (i = 0; i < ld->nr_words; i++)
		dirty += __builtin_popcountll(__atomic_load_n(&ld->bitmap[i],
							      __ATOMIC_ACQUIRE));
	for (i = 0; i < words; i++) {
		uint64_t keep = 0, bits = 0;
		size_t off = i * 8, n = 8;

		if (i < ld->nr_words) {
			/* Bits of this word that lie at or past pages stay. */
			if (s->pages - i * 64 < 64)
				keep = ~0UL << (s->pages - i * 64);
			bits = clean ? __atomic_fetch_and(&ld->bitmap[i], keep,
							  __ATOMIC_SEQ_CST) :
				       __atomic_load_n(&ld->bitmap[i],
						       __ATOMIC_ACQUIRE);
			bits &= ~keep;
		}
		if (!out)
			continue;
		if (off + n > (s->pages + 7) / 8)
			n = (s->pages + 7) / 8 - off;
		memcpy(out + off, &bits, n);
	}
	/* found: writes still in the mechanism's hands (a PEEK leaves them). */
	faults = found + (clean ? __atomic_exchange_n(&ld->faults, 0,
						      __ATOMIC_SEQ_CST) :
				  __atomic_load_n(&ld->faults, __ATOMIC_ACQUIRE));
	if (clean)
		ld->rounds++;
	hv_mmu_unlock(d);
	s->fault_count = faults > UINT32_MAX ? UINT32_MAX : faults;
	s->dirty_count = dirty > UINT32_MAX ? UINT32_MAX : dirty;
	return 0;
}

long hv_logdirty_op(struct hv_domain *d, struct hv_domctl_shadow_op *s,
		    uint8_t *bitmap, size_t room, size_t *out_len)
{
	size_t bytes = (s->pages + 7) / 8;
	long rc;

	*out_len = 0;
	switch (s->op) {
	case XEN_DOMCTL_SHADOW_OP_ENABLE:
		if (!(s->mode & XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY))
			return s->mode ? -EINVAL : -EOPNOTSUPP;
		/* fall through */
	case XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY:
		/* Xen ignores paging ops on a dying domain. */
		return d->state == HV_DOM_DYING ? 0 : enable(d);
	case XEN_DOMCTL_SHADOW_OP_OFF:
		return d->state == HV_DOM_DYING ? 0 : disable(d);
	case XEN_DOMCTL_SHADOW_OP_ENABLE_TEST:
		return -EOPNOTSUPP;
	case XEN_DOMCTL_SHADOW_OP_PEEK:
	case XEN_DOMCTL_SHADOW_OP_CLEAN:
		break;
	default:
		return -EINVAL;
	}
	if (s->mode & ~XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL)
		return -EINVAL;
	/* No room at all is Xen's NULL handle: the counts only. */
	if (!room)
		bitmap = NULL;
	if (s->pages > HV_DOMCTL_MAX_PAYLOAD * 8UL)
		return -EINVAL;
	if (bitmap && room < bytes)
		return -ENOBUFS;
	if (d->state == HV_DOM_DYING)
		return 0;
	if (!hv_logdirty_active(d)) {
		/* Xen: no bitmap yet reads as all clear, counts 0. */
		if (bitmap)
			memset(bitmap, 0, bytes);
		*out_len = bitmap ? bytes : 0;
		s->fault_count = s->dirty_count = 0;
		return 0;
	}
	rc = peek_or_clean(d, s, bitmap);
	if (!rc)
		*out_len = bitmap ? bytes : 0;
	return rc;
}

void hv_logdirty_destroy(struct hv_domain *d)
{
	struct hv_logdirty *ld = d->logdirty;

	if (!ld)
		return;
	hv_mmu_lock(d);
	if (hv_logdirty_active(d)) {
		__atomic_store_n(&d->logdirty_on, false, __ATOMIC_SEQ_CST);
		hv_shadow_flush(d);
		ld->ops->disable(d);
	}
	hv_rmap_free(&ld->rmap);
	hv_mmu_unlock(d);
	free(ld->writable);
	free(ld->bitmap);
	free(ld);
	d->logdirty = NULL;
}

void hv_logdirty_print_stats(struct hv_domain *d, FILE *f)
{
	struct hv_logdirty *ld = d->logdirty;
	bool on = hv_logdirty_active(d);

	if (!ld) {
		fprintf(f, "log-dirty          off\n");
		return;
	}
	fprintf(f, "log-dirty          %s (%s), rounds %lu, faults pending %lu\n",
		on ? "on" : "off", ld->ops ? ld->ops->name : "none",
		(unsigned long)ld->rounds, (unsigned long)ld->faults);
	fprintf(f, "log-dirty shadow   fills %lu, mapped %lu, harvests %lu (%lu pages), reprotected %lu, budget flushes %lu, untracked %lu\n",
		(unsigned long)ld->fills, (unsigned long)ld->rmap.nr_present,
		(unsigned long)ld->harvests, (unsigned long)ld->harvested,
		(unsigned long)ld->reprotected,
		(unsigned long)ld->budget_flushes,
		(unsigned long)ld->untracked);
	fprintf(f, "log-dirty scans    %lu, %lu us in all\n",
		(unsigned long)ld->scans, (unsigned long)(ld->scan_ns / 1000));
}
