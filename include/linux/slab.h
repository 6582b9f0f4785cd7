/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H

/*
 * Small objects (mm/slab.c): kmalloc() rounds up to a power of two from
 * 16 bytes to 1 KiB and carves it out of a page kept for that size; larger
 * requests get whole pages.  Memory is 16-byte aligned, never sleeps, and
 * may be allocated and freed on any CPU.
 */
#include <linux/types.h>

#define KMALLOC_MIN_SIZE	16
#define KMALLOC_MAX_CACHE_SIZE	1024

/* size bytes, or NULL when memory is short or size is 0. */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
/*
 * Gives back what kmalloc() returned; NULL is ignored.  A pointer kmalloc
 * did not hand out, or one already freed, is refused with a message and
 * nothing changes.
 */
void kfree(const void *p);
/* The bytes usable at p (the size class it came from); 0 if p is not ours. */
size_t ksize(const void *p);

struct kmalloc_stats {
	unsigned long pages;		/* pages holding small objects */
	unsigned long objects;		/* small objects in use */
	unsigned long large;		/* page-sized allocations in use */
	unsigned long bad_frees;
};
void kmalloc_get_stats(struct kmalloc_stats *st);

#endif
