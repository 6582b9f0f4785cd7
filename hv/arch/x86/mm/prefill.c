// SPDX-License-Identifier: MIT
/*
 * Prefill: the host memory behind the frames a domain is about to be
 * given, made ready ahead of time by a thread of its own.
 *
 * Machine memory is a memfd (frames.c) whose pages the host allocates
 * and zeroes on first touch.  A restore touches every page it fills, one
 * batch at a time, so it waits for the host's page allocator on each one:
 * a profile of a 1 GiB restore spends about 40% there (clearing pages and
 * shmem_get_folio_gfp), as much again as copying the stream.  Xen has no
 * such cost -- its heap is memory it owns, scrubbed in the background --
 * and here the same idea serves: the frames the allocator will hand out
 * next are known (the run order from the allocation cursor, frames.c), so
 * a thread touches them (MADV_POPULATE_WRITE on the hypervisor's own
 * mapping) while the restore reads its stream, on another host CPU.  The
 * restore's own touch then finds the page there.
 *
 * Nothing depends on the prefill for correctness: a page touched by both
 * is one page; a frame handed out (and written) before the thread gets to
 * it keeps its contents (populating never changes a page); a frame freed
 * and discarded meanwhile may be populated again, which costs memory the
 * domain was entitled to anyway (never more than the nr asked for, at
 * most max_pages).  The thread stops when done, or when the machine goes.
 */
#include <errno.h>
#include <signal.h>
#include <sys/mman.h>

#include "private.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23	/* Linux 5.14 */
#endif

static void *prefill_main(void *arg)
{
	struct hv_machine *m = arg;
	uint64_t pos = m->prefill_start, end = pos + m->prefill_nr;

	while (pos < end && !__atomic_load_n(&m->prefill_stop, __ATOMIC_RELAXED)) {
		uint64_t in_run = HV_FRAME_RUN - pos % HV_FRAME_RUN;
		uint64_t n = in_run < end - pos ? in_run : end - pos;
		mfn_t mfn = hv_position_to_mfn(m, pos % m->nr_domheap);

		/* A kernel without it (before 5.14): restores fault as before. */
		if (madvise(hv_mfn_ptr(m, mfn), n << HV_PAGE_SHIFT,
			    MADV_POPULATE_WRITE))
			break;
		pos += n;
		__atomic_store_n(&m->prefilled, pos - m->prefill_start,
				 __ATOMIC_RELEASE);
	}
	return NULL;
}

int hv_machine_prefill(struct hv_machine *m, uint64_t nr)
{
	sigset_t all, old;
	int rc;

	if (nr > m->nr_domheap)
		return -EINVAL;
	/* A new request replaces the last, done or not. */
	hv_machine_prefill_stop(m);
	pthread_mutex_lock(&m->lock);
	m->prefill_start = m->alloc_cursor;
	pthread_mutex_unlock(&m->lock);
	m->prefill_nr = nr;
	m->prefilled = 0;
	m->prefill_stop = false;
	if (!nr)
		return 0;
	/* The hypervisor's signals are for vCPU threads, never this one. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = -pthread_create(&m->prefill_thread, NULL, prefill_main, m);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	m->prefill_running = !rc;
	return rc;
}

uint64_t hv_machine_prefilled(struct hv_machine *m)
{
	return __atomic_load_n(&m->prefilled, __ATOMIC_ACQUIRE);
}

void hv_machine_prefill_stop(struct hv_machine *m)
{
	if (!m->prefill_running)
		return;
	__atomic_store_n(&m->prefill_stop, true, __ATOMIC_RELAXED);
	pthread_join(m->prefill_thread, NULL);
	m->prefill_running = false;
}
