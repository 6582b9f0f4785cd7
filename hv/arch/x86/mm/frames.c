// SPDX-License-Identifier: MIT
/*
 * Machine memory: one memfd, mapped once in full for the hypervisor, plus
 * the frame table and the m2p.  The m2p lives in a memfd of its own so that
 * the shadow can also map it, read-only, for the guest (shadow.c).
 *
 * Frames nobody gives a guest belong, as on Xen, to the pseudo-domains,
 * so that a guest mapping one gets Xen's answer for it (get_page_from_l1e
 * in mm_types.c): the first MiB (HV_LOW_IO_FRAMES) is DOMID_IO's, as Xen's
 * arch_init_memory() hands it out, and mapping it is -EPERM (I/O memory an
 * unprivileged guest has no access to); the frames between the domain
 * heap and the xenheap are DOMID_XEN's - hv's own, as Xen's text and heap
 * are Xen's - and mapping one is -EBUSY, Xen's answer for a frame that
 * belongs to someone else.  mfn 0 thus keeps meaning "none".
 *
 * Frames are handed out in runs of HV_FRAME_RUN, and the runs in a
 * scrambled order, so that a guest's pfns and mfns never line up 1:1 (a p2m
 * mistake shows at once) while neighbouring pfns mostly stay neighbouring
 * mfns (host mappings of neighbouring guest pages merge into one VMA).
 * The seed makes the order: each domain gets its own (the builder picks
 * one at random unless a test fixes it), so a restored domain never lands
 * on the frames it had.
 *
 * The hypervisor's own pages shared with a guest (shared_info: Xen's
 * xenheap) come from a run above all of those, past a gap of
 * HV_XENHEAP_GAP frames that nobody is ever given: the way Xen's xenheap
 * lies apart from the domain heap, so no guest frame is a near neighbour
 * of one (a guest test that looks for "some frame not mine" next to its
 * own must not stumble on its shared_info, whatever the scramble).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "private.h"

static uint32_t lcg_next(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

/* A Fisher-Yates shuffle of the run numbers, deterministic per seed. */
static void scramble_runs(uint32_t *order, uint64_t n, uint32_t seed)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		uint64_t j = lcg_next(&seed) % (i + 1);
		uint32_t t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
}

/* The m2p, one 8-byte entry per machine frame, in whole pages of a memfd. */
static int create_m2p(struct hv_machine *m, char *err, size_t errlen)
{
	uint64_t bytes = (m->nr_frames * sizeof(*m->m2p) + HV_PAGE_SIZE - 1) &
			 ~(HV_PAGE_SIZE - 1);
	void *p;

	m->m2p_fd = memfd_create("tern-m2p", MFD_CLOEXEC);
	if (m->m2p_fd < 0 || ftruncate(m->m2p_fd, bytes)) {
		snprintf(err, errlen, "m2p (memfd of %lu KiB): %s",
			 (unsigned long)(bytes >> 10), strerror(errno));
		return -1;
	}
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, m->m2p_fd, 0);
	if (p == MAP_FAILED) {
		snprintf(err, errlen, "mapping the m2p: %s", strerror(errno));
		return -1;
	}
	m->m2p = p;
	m->m2p_bytes = bytes;
	return 0;
}

/*
 * The first MiB for DOMID_IO, as Xen's assign_io_page() leaves it
 * (allocated, writable type, one reference each), and the gap below the
 * xenheap for DOMID_XEN, allocated and typeless.
 */
static void reserve_pseudo_frames(struct hv_machine *m)
{
	uint64_t i;

	for (i = 0; i < HV_LOW_IO_FRAMES; i++) {
		struct hv_frame *f = &m->frames[i];

		f->owner = DOMID_IO;
		f->type = HV_PGT_WRITABLE;
		f->type_count = 1;
		f->flags = HV_PGF_ALLOCATED | HV_PGF_VALIDATED;
		f->count = 1;
	}
	for (i = HV_LOW_IO_FRAMES + m->nr_domheap; i < m->xenheap_next; i++) {
		struct hv_frame *f = &m->frames[i];

		f->owner = DOMID_XEN;
		f->type = HV_PGT_NONE;
		f->flags = HV_PGF_ALLOCATED;
		f->count = 1;
	}
}

struct hv_machine *hv_machine_create(uint64_t nr_domheap, uint32_t seed,
				     char *err, size_t errlen)
{
	struct hv_machine *m = calloc(1, sizeof(*m));
	uint64_t i, nr_frames;

	nr_domheap = (nr_domheap + HV_FRAME_RUN - 1) / HV_FRAME_RUN * HV_FRAME_RUN;
	nr_frames = HV_LOW_IO_FRAMES + nr_domheap + HV_XENHEAP_GAP +
		    HV_FRAME_RUN;
	if (!m)
		goto nomem;
	m->m2p_fd = -1;
	m->memfd = memfd_create("tern-machine-memory", MFD_CLOEXEC);
	if (m->memfd < 0 || ftruncate(m->memfd, nr_frames * HV_PAGE_SIZE)) {
		snprintf(err, errlen, "machine memory (memfd of %lu MiB): %s",
			 (unsigned long)(nr_frames >> 8), strerror(errno));
		goto fail;
	}
	m->base = mmap(NULL, nr_frames * HV_PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_NORESERVE, m->memfd, 0);
	if (m->base == MAP_FAILED) {
		snprintf(err, errlen, "mapping machine memory: %s",
			 strerror(errno));
		goto fail;
	}
	m->nr_frames = nr_frames;
	m->nr_domheap = nr_domheap;
	m->xenheap_next = HV_LOW_IO_FRAMES + nr_domheap + HV_XENHEAP_GAP;
	m->nr_runs = nr_domheap / HV_FRAME_RUN;
	m->frames = calloc(nr_frames, sizeof(*m->frames));
	m->run_order = malloc(m->nr_runs * sizeof(*m->run_order));
	if (!m->frames || !m->run_order)
		goto nomem;
	if (create_m2p(m, err, errlen))
		goto fail;
	for (i = 0; i < nr_frames; i++) {
		m->frames[i].owner = DOMID_INVALID;
		m->m2p[i] = INVALID_PFN;
	}
	scramble_runs(m->run_order, m->nr_runs, seed);
	m->nr_free = nr_domheap;
	reserve_pseudo_frames(m);
	pthread_mutex_init(&m->lock, NULL);
	return m;
nomem:
	snprintf(err, errlen, "out of host memory for the frame table");
fail:
	hv_machine_destroy(m);
	return NULL;
}

void hv_machine_destroy(struct hv_machine *m)
{
	if (!m)
		return;
	hv_machine_prefill_stop(m);
	if (m->base && m->base != MAP_FAILED)
		munmap(m->base, m->nr_frames * HV_PAGE_SIZE);
	if (m->memfd >= 0)
		close(m->memfd);
	if (m->m2p)
		munmap(m->m2p, m->m2p_bytes);
	if (m->m2p_fd >= 0)
		close(m->m2p_fd);
	free(m->frames);
	free(m->run_order);
	free(m);
}

bool hv_mfn_valid(const struct hv_machine *m, mfn_t mfn)
{
	return mfn_x(mfn) < m->nr_frames;
}

struct hv_frame *hv_frame(struct hv_machine *m, mfn_t mfn)
{
	return hv_mfn_valid(m, mfn) ? &m->frames[mfn_x(mfn)] : NULL;
}

mfn_t hv_position_to_mfn(const struct hv_machine *m, uint64_t pos)
{
	return _mfn(HV_LOW_IO_FRAMES +
		    (uint64_t)m->run_order[pos / HV_FRAME_RUN] * HV_FRAME_RUN +
		    pos % HV_FRAME_RUN);
}

/*
 * Allocates n zeroed frames to owner, in scrambled-run order; all or none.
 * The allocation reference is the frame's first general reference.
 */
int hv_alloc_frames(struct hv_machine *m, domid_t owner, uint64_t n,
		    mfn_t *out)
{
	uint64_t got = 0, scanned = 0;

	pthread_mutex_lock(&m->lock);
	if (n > m->nr_free) {
		pthread_mutex_unlock(&m->lock);
		return -ENOMEM;
	}
	while (got < n && scanned++ < m->nr_domheap) {
		mfn_t mfn = hv_position_to_mfn(m, m->alloc_cursor);
		struct hv_frame *f = &m->frames[mfn_x(mfn)];

		m->alloc_cursor = (m->alloc_cursor + 1) % m->nr_domheap;
		if (f->owner != DOMID_INVALID || (f->flags & HV_PGF_OFFLINED))
			continue;
		f->owner = owner;
		f->type = HV_PGT_NONE;
		f->flags = HV_PGF_ALLOCATED;
		f->type_count = 0;
		f->count = 1;
		/* Free frames read as zero unless freed without discarding. */
		if (m->no_discard)
			memset(hv_mfn_ptr(m, mfn), 0, HV_PAGE_SIZE);
		out[got++] = mfn;
	}
	m->nr_free -= got;
	pthread_mutex_unlock(&m->lock);
	return 0;
}

/*
 * A xenheap frame for owner (never used before: zero); -ENOMEM when the
 * run is used up.
 */
int hv_alloc_xenheap_frame(struct hv_machine *m, domid_t owner, mfn_t *out)
{
	struct hv_frame *f;
	int rc = -ENOMEM;

	pthread_mutex_lock(&m->lock);
	if (m->xenheap_next < m->nr_frames) {
		*out = _mfn(m->xenheap_next++);
		f = &m->frames[mfn_x(*out)];
		f->owner = owner;
		f->type = HV_PGT_NONE;
		f->flags = HV_PGF_ALLOCATED | HV_PGF_XENHEAP;
		f->count = 1;
		rc = 0;
	}
	pthread_mutex_unlock(&m->lock);
	return rc;
}

/*
 * Returns a frame to the free pool and, unless the whole machine is about
 * to go (m->no_discard), its memory to the host.  A frame offline pending
 * is offlined instead (Xen's free_heap_pages): never handed out again.
 */
void hv_free_frame(struct hv_machine *m, mfn_t mfn)
{
	struct hv_frame *f = hv_frame(m, mfn);
	bool offline;

	if (!f || f->owner == DOMID_INVALID)
		return;
	pthread_mutex_lock(&m->lock);
	offline = f->flags & HV_PGF_OFFLINE_PENDING;
	memset(f, 0, sizeof(*f));
	f->owner = DOMID_INVALID;
	hv_set_m2p(m, mfn, INVALID_PFN);
	if (offline)
		f->flags = HV_PGF_OFFLINED;
	/* A xenheap frame is never handed out again: it is not counted. */
	else if (mfn_x(mfn) >= HV_LOW_IO_FRAMES &&
		 mfn_x(mfn) < HV_LOW_IO_FRAMES + m->nr_domheap)
		m->nr_free++;
	pthread_mutex_unlock(&m->lock);
	if (!m->no_discard)
		madvise(hv_mfn_ptr(m, mfn), HV_PAGE_SIZE, MADV_REMOVE);
}
