// SPDX-License-Identifier: MIT
/*
 * Small objects.  Each size class (16 bytes to 1 KiB, powers of two) owns
 * whole pages, a "slab" each: a header at the start of the page, then
 * objects of that one size.  Free objects of a slab are chained through
 * their first word; the header also keeps a bit per object saying whether
 * it is handed out, so kfree() can tell a real object from an interior
 * pointer, a stranger's pointer or a second free, and refuse all three
 * without touching memory.  Slabs with a free object sit on their class's
 * list; full ones are off every list until an object comes back.  An
 * empty slab is returned to the page allocator unless it is the class's
 * only one.
 *
 * Requests above KMALLOC_MAX_CACHE_SIZE get a block of pages straight from
 * the page allocator; kfree() knows them by their page-aligned address and
 * the page allocator's record of the block's order.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#define SLAB_MAGIC	0x51ab51ab
#define NR_CLASSES	7		/* 16 ... 1024 */
#define MAX_OBJECTS	(PAGE_SIZE / KMALLOC_MIN_SIZE)

struct slab {
	u32 magic;
	u16 cls;
	u16 inuse;
	u16 total;
	u16 first;			/* offset of object 0 */
	void *freelist;
	struct slab *self;		/* with magic: this page is a slab */
	struct list_head list;
	u64 used[MAX_OBJECTS / 64];
};

struct kmem_class {
	spinlock_t lock;
	unsigned int size;
	struct list_head partial;	/* slabs with a free object */
	unsigned long nr_slabs;
	unsigned long nr_objects;
};

static struct kmem_class classes[NR_CLASSES];
static unsigned long nr_large, bad_frees;
static DEFINE_SPINLOCK(stats_lock);

BUILD_BUG_ON((KMALLOC_MIN_SIZE << (NR_CLASSES - 1)) > PAGE_SIZE / 2);

static unsigned int class_of(size_t size)
{
	unsigned int c = 0;

	while ((size_t)(KMALLOC_MIN_SIZE << c) < size)
		c++;
	return c;
}

static struct kmem_class *kmem_class(unsigned int c)
{
	struct kmem_class *k = &classes[c];

	/* Set up on first use: no init call to forget at boot. */
	if (!READ_ONCE(k->size)) {
		unsigned long flags;

		spin_lock_irqsave(&stats_lock, flags);
		if (!k->size) {
			spin_lock_init(&k->lock);
			INIT_LIST_HEAD(&k->partial);
			WRITE_ONCE(k->size, KMALLOC_MIN_SIZE << c);
		}
		spin_unlock_irqrestore(&stats_lock, flags);
	}
	return k;
}

static struct slab *new_slab(struct kmem_class *k, unsigned int c)
{
	struct slab *s = (struct slab *)__get_free_pages(0);
	unsigned int i;
	char *obj;

	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	s->magic = SLAB_MAGIC;
	s->self = s;
	s->cls = c;
	s->first = ALIGN(sizeof(*s), k->size);
	s->total = (PAGE_SIZE - s->first) / k->size;
	/* Chain the objects in address order, the last one first. */
	for (i = s->total; i-- > 0;) {
		obj = (char *)s + s->first + i * k->size;
		*(void **)obj = s->freelist;
		s->freelist = obj;
	}
	list_add(&s->list, &k->partial);
	k->nr_slabs++;
	return s;
}

static void *slab_alloc(unsigned int c)
{
	struct kmem_class *k = kmem_class(c);
	unsigned long flags;
	struct slab *s;
	void *obj = NULL;
	unsigned int i;

	spin_lock_irqsave(&k->lock, flags);
	if (list_empty(&k->partial))
		s = new_slab(k, c);
	else
		s = list_first_entry(&k->partial, struct slab, list);
	if (s) {
		obj = s->freelist;
		s->freelist = *(void **)obj;
		i = ((char *)obj - (char *)s - s->first) / k->size;
		s->used[i / 64] |= 1ULL << (i % 64);
		s->inuse++;
		k->nr_objects++;
		if (s->inuse == s->total)
			list_del_init(&s->list);
	}
	spin_unlock_irqrestore(&k->lock, flags);
	return obj;
}

static void *large_alloc(size_t size)
{
	unsigned int order = 0;
	unsigned long va, flags;

	while ((PAGE_SIZE << order) < size)
		order++;
	va = __get_free_pages(order);
	if (va) {
		spin_lock_irqsave(&stats_lock, flags);
		nr_large++;
		spin_unlock_irqrestore(&stats_lock, flags);
	}
	return (void *)va;
}

void *kmalloc(size_t size)
{
	if (!size || size > (PAGE_SIZE << MAX_ORDER))
		return NULL;
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return large_alloc(size);
	return slab_alloc(class_of(size));
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* The slab p points into, or NULL if that page is not a slab. */
static struct slab *slab_of(const void *p)
{
	struct slab *s = (struct slab *)((unsigned long)p & ~(PAGE_SIZE - 1));

	if (!virt_in_direct_map(p) || pfn_block_order(virt_to_pfn(s)) != 0)
		return NULL;
	if (s->magic != SLAB_MAGIC || s->self != s || s->cls >= NR_CLASSES)
		return NULL;
	return s;
}

/* Index of the object at p in s, or -1 if p is not one handed out. */
static int object_index(const struct slab *s, const void *p)
{
	unsigned long off = (const char *)p - (const char *)s;
	unsigned int size = classes[s->cls].size, i;

	if (off < s->first || (off - s->first) % size)
		return -1;
	i = (off - s->first) / size;
	if (i >= s->total || !(s->used[i / 64] & (1ULL << (i % 64))))
		return -1;
	return i;
}

static void refuse(const void *p, const char *why)
{
	unsigned long flags;

	spin_lock_irqsave(&stats_lock, flags);
	bad_frees++;
	spin_unlock_irqrestore(&stats_lock, flags);
	pr_err("kfree: %p refused: %s\n", p, why);
}

static void slab_free(struct slab *s, const void *p)
{
	struct kmem_class *k = &classes[s->cls];
	bool give_back = false;
	unsigned long flags;
	int i;

	spin_lock_irqsave(&k->lock, flags);
	i = object_index(s, p);
	if (i >= 0) {
		s->used[i / 64] &= ~(1ULL << (i % 64));
		*(void **)p = s->freelist;
		s->freelist = (void *)p;
		if (s->inuse-- == s->total)
			list_add(&s->list, &k->partial);
		k->nr_objects--;
		/* Keep one empty slab per class; give the others back. */
		if (!s->inuse && k->nr_slabs > 1) {
			list_del_init(&s->list);
			s->magic = 0;
			k->nr_slabs--;
			give_back = true;
		}
	}
	spin_unlock_irqrestore(&k->lock, flags);
	if (i < 0)
		refuse(p, "not an object in use");
	else if (give_back)
		free_pages((unsigned long)s, 0);
}

static void large_free(const void *p)
{
	int order = pfn_block_order(virt_to_pfn(p));
	unsigned long flags;

	if (order < 0) {
		refuse(p, "not an allocated block");
		return;
	}
	if (free_pages((unsigned long)p, order))
		return;
	spin_lock_irqsave(&stats_lock, flags);
	nr_large--;
	spin_unlock_irqrestore(&stats_lock, flags);
}

void kfree(const void *p)
{
	struct slab *s;

	if (!p)
		return;
	if (!virt_in_direct_map(p)) {
		refuse(p, "not in the direct map");
		return;
	}
	if (!((unsigned long)p & (PAGE_SIZE - 1))) {
		large_free(p);
		return;
	}
	s = slab_of(p);
	if (!s)
		refuse(p, "not in a slab page");
	else
		slab_free(s, p);
}

size_t ksize(const void *p)
{
	struct slab *s;
	size_t size = 0;
	unsigned long flags;
	int order;

	if (!p || !virt_in_direct_map(p))
		return 0;
	if (!((unsigned long)p & (PAGE_SIZE - 1))) {
		order = pfn_block_order(virt_to_pfn(p));
		return order < 0 ? 0 : PAGE_SIZE << order;
	}
	s = slab_of(p);
	if (!s)
		return 0;
	spin_lock_irqsave(&classes[s->cls].lock, flags);
	if (object_index(s, p) >= 0)
		size = classes[s->cls].size;
	spin_unlock_irqrestore(&classes[s->cls].lock, flags);
	return size;
}

void kmalloc_get_stats(struct kmalloc_stats *st)
{
	unsigned long flags;
	unsigned int c;

	memset(st, 0, sizeof(*st));
	for (c = 0; c < NR_CLASSES; c++) {
		struct kmem_class *k = kmem_class(c);

		spin_lock_irqsave(&k->lock, flags);
		st->pages += k->nr_slabs;
		st->objects += k->nr_objects;
		spin_unlock_irqrestore(&k->lock, flags);
	}
	spin_lock_irqsave(&stats_lock, flags);
	st->large = nr_large;
	st->bad_frees = bad_frees;
	spin_unlock_irqrestore(&stats_lock, flags);
}
