// SPDX-License-Identifier: MIT
/*
 * kmalloc: every size class gives aligned, non-overlapping objects of at
 * least the size asked; large requests get whole pages; kfree refuses an
 * interior pointer, a second free, a static or stack address, and leaves
 * the allocator as it was; every CPU allocating and freeing at once loses
 * nothing and corrupts nothing.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/selftest.h>
#include <linux/slab.h>
#include <linux/string.h>

#define PER_CLASS	100
#define PER_CPU_ROUNDS	300

static void *objs[PER_CLASS];
static const size_t sizes[] = { 1, 16, 17, 32, 60, 64, 100, 128, 200, 256,
				500, 512, 1000, 1024 };

static void one_size(size_t size)
{
	unsigned int i, bad = 0;
	size_t j;

	for (i = 0; i < PER_CLASS; i++) {
		objs[i] = kmalloc(size);
		if (!objs[i]) {
			bad++;
			continue;
		}
		if (((unsigned long)objs[i] & 15) || ksize(objs[i]) < size)
			bad++;
		memset(objs[i], i, size);
	}
	/* Had any two overlapped, one would show the other's byte. */
	for (i = 0; i < PER_CLASS; i++)
		for (j = 0; objs[i] && j < size; j++)
			if (((u8 *)objs[i])[j] != (u8)i)
				bad++;
	for (i = 0; i < PER_CLASS; i++)
		kfree(objs[i]);
	if (bad)
		printk("  size %zu: %u bad objects\n", size, bad);
	ST_CHECK(bad == 0);
}

static void large(void)
{
	u8 *p = kmalloc(5000), *q = kzalloc(3 * PAGE_SIZE);

	ST_CHECK(p && !((unsigned long)p & (PAGE_SIZE - 1)));
	ST_CHECK(ksize(p) == 2 * PAGE_SIZE);
	ST_CHECK(q && q[0] == 0 && q[3 * PAGE_SIZE - 1] == 0);
	ST_CHECK(ksize(q) == 4 * PAGE_SIZE);
	if (p)
		memset(p, 0xab, 5000);
	kfree(p);
	kfree(q);
	ST_CHECK(kmalloc(0) == NULL);
	ST_CHECK(kmalloc(PAGE_SIZE << (MAX_ORDER + 1)) == NULL);
	kfree(NULL);
}

static void bad_frees(void)
{
	struct kmalloc_stats before, after;
	static u64 not_heap;
	u64 on_stack;
	u8 *p = kmalloc(64), *big = kmalloc(3 * PAGE_SIZE);

	ST_CHECK(p && big);
	kmalloc_get_stats(&before);
	printk("  five refused kfrees follow, on purpose\n");
	kfree(p + 8);			/* inside an object */
	kfree(&not_heap);		/* the image */
	kfree(&on_stack);		/* a stack */
	kfree(big + PAGE_SIZE);		/* inside a large block */
	kfree(p);
	kfree(p);			/* second free */
	kmalloc_get_stats(&after);
	ST_CHECK(after.bad_frees == before.bad_frees + 5);
	ST_CHECK(after.objects == before.objects - 1);
	ST_CHECK(ksize(p) == 0);
	kfree(big);
}

static int churn(unsigned int cpu, void *arg)
{
	void *held[16];
	unsigned int r, i, bad = 0;

	for (r = 0; r < PER_CPU_ROUNDS; r++) {
		for (i = 0; i < ARRAY_SIZE(held); i++) {
			size_t size = 16U << ((r + i + cpu) % 7);

			held[i] = kmalloc(size);
			if (held[i])
				memset(held[i], cpu * 16 + i, size);
			else
				bad++;
		}
		for (i = 0; i < ARRAY_SIZE(held); i++) {
			size_t size = 16U << ((r + i + cpu) % 7);
			const u8 *p = held[i];

			if (p && (p[0] != cpu * 16 + i ||
				  p[size - 1] != cpu * 16 + i))
				bad++;
			kfree(p);
		}
	}
	ST_CHECK(bad == 0);
	return bad != 0;
}

static enum selftest_result test_slab_run(void)
{
	struct kmalloc_stats before, after;
	unsigned int i;

	kmalloc_get_stats(&before);
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		one_size(sizes[i]);
	large();
	bad_frees();
	ST_CHECK(selftest_on_each_cpu(churn, NULL) == 0);
	kmalloc_get_stats(&after);
	ST_CHECK(after.objects == before.objects);
	ST_CHECK(after.large == before.large);
	return selftest_status();
}
DEFINE_SELFTEST(slab, test_slab_run);
