// SPDX-License-Identifier: MIT
/*
 * Log-dirty through the host kernel's own write tracking: userfaultfd
 * write-protection in asynchronous mode, read back with the PAGEMAP_SCAN
 * ioctl of /proc/self/pagemap (both Linux 6.7).  The mechanism of choice
 * where the kernel has them (logdirty.c chooses).
 *
 * What the kernel gives.  A range registered with a userfaultfd in
 * UFFDIO_REGISTER_MODE_WP, with UFFD_FEATURE_WP_ASYNC, keeps an uffd-wp
 * bit in each pte (or in a marker where no pte is yet, for shmem).  A
 * write to a page whose bit is set faults into the kernel, which clears
 * the bit and lets the write through: no message, no signal, about a
 * microsecond.  The bit is the page's dirty state: PAGEMAP_SCAN reports
 * the pages without it (PAGE_IS_WRITTEN) by virtual range, and with
 * PM_SCAN_WP_MATCHING sets it again on each page it reports, under the
 * page table lock of that pte, flushing the TLB before it returns.
 * Protection lives in the ptes, not in the VMA: nothing splits, and a
 * 1 GiB guest costs no more mappings than it does without log-dirty.
 *
 * Fills.  A new mapping is not registered (registration is per VMA), so
 * a fill of a page the guest may write makes it in four steps: map it
 * read-only, register it, write-protect it, make it writable.  Another
 * vCPU may touch the page the moment it is mapped; mapping it writable
 * first would let a write in before the protection and lose it, while a
 * read-only page just faults into our handler, which waits for
 * d->mmu_lock and finds the fill done.  Registration merges the page
 * with registered neighbours of the same rights, as plain fills merge.
 * Read-only fills stay plain mappings: they are never written, and scans
 * skip unregistered VMAs (category PAGE_IS_WPALLOWED).  So do writable
 * fills of a page whose pfn is dirty in this round already -- the common
 * case of a guest that flushes its TLB often and refills what it keeps
 * writing: nothing it writes there can escape this round's bitmap, and
 * CLEAN unmaps every such plain mapping before it takes the bitmap, so
 * none outlives its round (up to HV_LOGDIRTY_MAX_WRITABLE of them, a VMA
 * each at worst; past that fills are tracked ones again).  Two vCPUs
 * faulting on one page find the record (shadow_rmap.c) and leave the
 * first fill alone: mapping it again would throw its pte away.
 *
 * CLEAN.  One scan of the window with PM_SCAN_WP_MATCHING: each page is
 * tested and protected atomically, so a guest write either set its pte
 * before (reported now) or finds it protected and is reported next time.
 * Reported ranges are virtual; the record turns each page into the frame
 * the shadow shows there, whichever of several mappings of one frame was
 * written.  Mappings made after CLEAN are protected by their fill.
 *
 * Drops.  A page's written state is in its pte, which an unmap throws
 * away, and another vCPU may still be writing through the mapping while
 * the shadow drops it (a TLB flush drops everything).  So before the
 * shadow drops a range that holds writable mappings, it is made
 * PROT_NONE first -- the pte keeps its uffd-wp bit, and once mprotect
 * returns no vCPU can write there (a write now faults into our handler
 * and waits for d->mmu_lock) -- then scanned, and only then unmapped.  If
 * mprotect fails (splitting a VMA at the host's limit), every writable
 * mapping of the range is marked: more than was written, never less.
 * A single page (invlpg, one L1 entry changed: the commonest drop, and
 * mostly of a page just used) is not worth those two system calls: if
 * its mapping is writable its frame is marked, written or not, and it is
 * unmapped.  Mark and unmap both happen under d->mmu_lock, which CLEAN
 * takes too, so a write between them still comes before any CLEAN that
 * takes the mark.
 *
 * Debian 12's headers predate the constants below, so they are defined
 * here; its kernel (6.1) refuses them, and the read-only shadow
 * (logdirty_ro.c) is used there instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "private.h"

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY		1		/* Linux 5.11 */
#endif
#ifndef UFFD_FEATURE_WP_UNPOPULATED
#define UFFD_FEATURE_WP_UNPOPULATED	(1ULL << 13)	/* Linux 6.4 */
#endif
#ifndef UFFD_FEATURE_WP_ASYNC
#define UFFD_FEATURE_WP_ASYNC		(1ULL << 15)	/* Linux 6.7 */
#endif

#ifndef PAGEMAP_SCAN				/* all of it Linux 6.7 */
struct page_region {
	uint64_t start;
	uint64_t end;
	uint64_t categories;
};

struct pm_scan_arg {
	uint64_t size;
	uint64_t flags;
	uint64_t start;
	uint64_t end;
	uint64_t walk_end;
	uint64_t vec;
	uint64_t vec_len;
	uint64_t max_pages;
	uint64_t category_inverted;
	uint64_t category_mask;
	uint64_t category_anyof_mask;
	uint64_t return_mask;
};

#define PAGEMAP_SCAN		_IOWR('f', 16, struct pm_scan_arg)
#define PAGE_IS_WPALLOWED	(1 << 0)
#define PAGE_IS_WRITTEN		(1 << 1)
#define PM_SCAN_WP_MATCHING	(1 << 0)
#endif

#define WANT_FEATURES	(UFFD_FEATURE_WP_ASYNC | UFFD_FEATURE_WP_UNPOPULATED)
#define SCAN_REGIONS	512

/* A userfaultfd with asynchronous write-protection, or -errno and why. */
static int open_uffd(char *why, size_t len)
{
	struct uffdio_api api = { .api = UFFD_API, .features = WANT_FEATURES };
	int fd = syscall(SYS_userfaultfd,
			 O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
	int err;

	if (fd < 0) {
		err = errno;
		snprintf(why, len, "userfaultfd: %s", strerror(err));
		return -err;
	}
	if (ioctl(fd, UFFDIO_API, &api) ||
	    (api.features & WANT_FEATURES) != WANT_FEATURES) {
		close(fd);
		snprintf(why, len,
			 "this kernel's userfaultfd has no asynchronous write protection (UFFD_FEATURE_WP_ASYNC, Linux 6.7)");
		return -EOPNOTSUPP;
	}
	return fd;
}

static bool probed_ok;
static char probed_why[160];

/* Once per process: userfaultfd as we need it, and PAGEMAP_SCAN. */
static void probe(void)
{
	static uint8_t page[4096] __attribute__((aligned(4096)));
	struct page_region r;
	struct pm_scan_arg a = {
		.size = sizeof(a),
		.start = (uintptr_t)page,
		.end = (uintptr_t)page + sizeof(page),
		.vec = (uintptr_t)&r,
		.vec_len = 1,
		.category_mask = PAGE_IS_WRITTEN,
		.return_mask = PAGE_IS_WRITTEN,
	};
	int fd = open_uffd(probed_why, sizeof(probed_why)), pm;

	if (fd < 0)
		return;
	close(fd);
	pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (pm < 0) {
		snprintf(probed_why, sizeof(probed_why), "/proc/self/pagemap: %s",
			 strerror(errno));
		return;
	}
	if (ioctl(pm, PAGEMAP_SCAN, &a) < 0) {
		snprintf(probed_why, sizeof(probed_why),
			 "this kernel has no PAGEMAP_SCAN ioctl (Linux 6.7): %s",
			 strerror(errno));
		close(pm);
		return;
	}
	close(pm);
	probed_ok = true;
}

static bool usable(char *why, size_t len)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, probe);
	if (!probed_ok)
		snprintf(why, len, "%s", probed_why);
	return probed_ok;
}

static int enable(struct hv_domain *d)
{
	struct hv_logdirty *ld = d->logdirty;
	char why[160];
	int fd;

	fd = open_uffd(why, sizeof(why));
	if (fd < 0) {
		hv_console_printf(d, "(hv) log-dirty: %s\n", why);
		return fd;
	}
	ld->pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	ld->vec_len = SCAN_REGIONS;
	ld->vec = calloc(ld->vec_len, sizeof(*ld->vec));
	if (ld->pagemap < 0 || !ld->vec) {
		int err = ld->pagemap < 0 ? -errno : -ENOMEM;

		close(fd);
		if (ld->pagemap >= 0)
			close(ld->pagemap);
		free(ld->vec);
		ld->vec = NULL;
		ld->pagemap = -1;
		return err;
	}
	ld->uffd = fd;
	return 0;
}

/* Closing the userfaultfd unregisters and unprotects what it held. */
static void disable(struct hv_domain *d)
{
	struct hv_logdirty *ld = d->logdirty;

	ld->nr_writable = 0;
	close(ld->uffd);
	close(ld->pagemap);
	free(ld->vec);
	ld->vec = NULL;
	ld->uffd = ld->pagemap = -1;
}

/*
 * The pages of [start, end) written since they were last protected, each
 * marked (hv_logdirty_found) and, with wp, protected again.  Returns how
 * many, or -errno.
 */
static long scan(struct hv_domain *d, uint64_t start, uint64_t end, bool wp)
{
	struct hv_logdirty *ld = d->logdirty;
	long found = 0;

	while (start < end) {
		struct pm_scan_arg a = {
			.size = sizeof(a),
			.flags = wp ? PM_SCAN_WP_MATCHING : 0,
			.start = start,
			.end = end,
			.vec = (uintptr_t)ld->vec,
			.vec_len = ld->vec_len,
			.category_mask = PAGE_IS_WRITTEN | PAGE_IS_WPALLOWED,
			.return_mask = PAGE_IS_WRITTEN,
		};
		long n = ioctl(ld->pagemap, PAGEMAP_SCAN, &a), i;

		if (n < 0)
			return -errno;
		for (i = 0; i < n; i++) {
			uint64_t va;

			for (va = ld->vec[i].start; va < ld->vec[i].end;
			     va += HV_PAGE_SIZE) {
				hv_logdirty_found(d, va);
				found++;
			}
		}
		if (a.walk_end <= start)
			break;
		start = a.walk_end;
	}
	return found;
}

static bool mark_writable(void *arg, uint64_t va, uint64_t e)
{
	struct hv_domain *d = arg;

	if (e & HV_RMAP_W) {
		hv_logdirty_mark(d, hv_rmap_mfn(e));
		d->logdirty->faults++;
	}
	return false;
}

static void before_unmap(struct hv_domain *d, uint64_t va, uint64_t len)
{
	struct hv_logdirty *ld = d->logdirty;
	long n = -1;

	if (!hv_rmap_any(&ld->rmap, va, len, HV_RMAP_W))
		return;
	ld->harvests++;
	if (len == HV_PAGE_SIZE) {
		/* One page: marked if writable, cheaper than asking (top). */
		hv_rmap_for_each(&ld->rmap, va, len, mark_writable, d);
		return;
	}
	if (!mprotect((void *)va, len, PROT_NONE))
		n = scan(d, va, va + len, false);
	if (n < 0) {
		hv_rmap_for_each(&ld->rmap, va, len, mark_writable, d);
		return;
	}
	ld->faults += n;
	ld->harvested += n;
}

static int map(struct hv_domain *d, uint64_t va, mfn_t mfn, bool guest_w,
	       bool exec, bool write, bool fetch)
{
	struct hv_logdirty *ld = d->logdirty;
	uint64_t e = hv_rmap_get(&ld->rmap, va);
	struct uffdio_register reg = {
		.range = { .start = va, .len = HV_PAGE_SIZE },
		.mode = UFFDIO_REGISTER_MODE_WP,
	};
	struct uffdio_writeprotect wp = {
		.range = { .start = va, .len = HV_PAGE_SIZE },
		.mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};
	int rc;

	if (e & HV_RMAP_PRESENT) {
		if (mfn_eq(hv_rmap_mfn(e), mfn) && (!write || (e & HV_RMAP_W)) &&
		    (!fetch || (e & HV_RMAP_X)))
			return 0;
		hv_shadow_unmap(d, va, HV_PAGE_SIZE);
	}
	if (guest_w && hv_logdirty_test(d, mfn) &&
	    !hv_logdirty_note_writable(ld, va)) {
		/* Dirty in this round already: a plain mapping till CLEAN. */
		rc = hv_rmap_set(&ld->rmap, va, mfn, HV_RMAP_W | HV_RMAP_PLAIN |
						      (exec ? HV_RMAP_X : 0));
		if (!rc)
			rc = hv_shadow_map(d, va, mfn, true, exec);
		if (rc)
			ld->nr_writable--;
		goto out;
	}
	rc = hv_rmap_set(&ld->rmap, va, mfn, (guest_w ? HV_RMAP_W : 0) |
					      (exec ? HV_RMAP_X : 0));
	if (rc)
		return rc;
	rc = hv_shadow_map(d, va, mfn, false, exec);
	if (rc || !guest_w)
		goto out;
	if (ioctl(ld->uffd, UFFDIO_REGISTER, &reg) ||
	    ioctl(ld->uffd, UFFDIO_WRITEPROTECT, &wp) ||
	    mprotect((void *)va, HV_PAGE_SIZE,
		     PROT_READ | PROT_WRITE | (exec ? PROT_EXEC : 0))) {
		rc = -errno;
		hv_shadow_unmap_raw(va, HV_PAGE_SIZE);
	}
out:
	if (rc)
		hv_rmap_clear(&ld->rmap, va, HV_PAGE_SIZE);
	return rc;
}

/*
 * CLEAN: the plain mappings go first (their pfns are dirty in the bitmap
 * being taken; no write can reach them after), then one scan of the
 * window takes the tracked ones' writes and protects them again.
 */
static long collect(struct hv_domain *d, bool clean)
{
	struct hv_logdirty *ld = d->logdirty;
	uint64_t start = 0, end = 0;
	size_t i;

	if (clean && ld->nr_writable) {
		hv_logdirty_sort_writable(ld, HV_RMAP_PLAIN);
		for (i = 0; i <= ld->nr_writable; i++) {
			uint64_t va = i < ld->nr_writable ? ld->writable[i] : 0;

			if (va && va == end) {
				end += HV_PAGE_SIZE;
				continue;
			}
			if (end > start) {
				hv_rmap_clear(&ld->rmap, start, end - start);
				hv_shadow_unmap_raw(start, end - start);
				ld->reprotected += (end - start) / HV_PAGE_SIZE;
			}
			start = va;
			end = va + HV_PAGE_SIZE;
		}
		ld->nr_writable = 0;
		d->mmu->sh_gen++;
	}
	return scan(d, HV_GUEST_VA_START, HV_GUEST_VA_END, clean);
}

const struct hv_logdirty_ops hv_logdirty_uffd_ops = {
	.name = "uffd-wp-async",
	.usable = usable,
	.enable = enable,
	.disable = disable,
	.map = map,
	.before_unmap = before_unmap,
	.collect = collect,
};
