// SPDX-License-Identifier: MIT
/*
 * ptstress: pagetable updates under load, with a checksum of every page.
 *
 * Each worker is a kthread on one CPU.  It owns n pages from the page
 * allocator and a window of kernel address space of its own (PTSTRESS_BASE
 * plus one PTSTRESS_WINDOW per CPU), split into halves A and B that use
 * different L1 tables.  A round:
 *
 *   1. map all n pages in A, in an order that rotates every round
 *      (mmu_update batches);
 *   2. through A, check each page against its checksum, then fill it
 *      with new contents and record the new checksum;
 *   3. map them all in B in another order, unmap A (batches, then one
 *      TLB flush);
 *   4. swap the B mappings of two pages (update_va_mapping with invlpg);
 *   5. check every page through B, and one through the direct map;
 *   6. unmap B, and check that the tables agree nothing is left.
 *
 * A page that reads back wrong means some mapping pointed at the wrong
 * frame, or a stale TLB entry survived: in the guest's MMU client, in the
 * hypervisor, or (later) in suspend, restore or migration, which must
 * carry the pages, the checksums and the workers across.  The window is
 * private to its CPU and the worker never migrates, so local flushes are
 * enough; nothing else maps these pages except the direct map, which is
 * only read.
 *
 * Suspend.  A round holds its pages' machine frame numbers (w->mfns,
 * w->order) from its first pagetable hypercall to its last, across
 * schedule points: a round is an mfn_hold_begin() stretch
 * (linux/freezer.h).  Workers are freezable and freeze between rounds,
 * when none of their pages is mapped in their window, and every round
 * starts by reading its frames afresh from the p2m, so a round after a
 * restore uses the frames the pages have now.  A worker parked mid-round
 * (no freezer) would carry the old frames across: its next hypercalls
 * are refused or map the wrong frames, and the checksums say so.
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/errno.h>
#include <linux/freezer.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/ptstress.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/time.h>
#include <asm/layout.h>
#include <asm/xen/mmu.h>
#include <xen/xen.h>

#define MAX_REPORTS	8
#define WORDS		(PAGE_SIZE / sizeof(u64))

struct worker {
	struct task_struct *task;
	unsigned int cpu, n, reports;
	u64 round;
	pfn_t *pfns;
	mfn_t *mfns;
	mfn_t *order;		/* mfns in slot order, for one map call */
	unsigned int *slot;	/* where page i is mapped in B */
	u64 *sums;
	bool corrupt;		/* flip a byte behind our back next round */
	struct ptstress_stats st;
};

/*
 * The mutex serializes start and stop, which sleep; workers_lock guards
 * the workers[] pointers, so the totals can be read from anywhere, even
 * an event handler (VIRQ_DEBUG).
 */
static struct worker *workers[NR_CPUS];
static bool running;
static DEFINE_MUTEX(ptstress_mutex);
static DEFINE_SPINLOCK(workers_lock);

static void set_worker(unsigned int cpu, struct worker *w)
{
	unsigned long flags;

	spin_lock_irqsave(&workers_lock, flags);
	workers[cpu] = w;
	spin_unlock_irqrestore(&workers_lock, flags);
}

static u64 mix(u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static u64 hash_page(const volatile u64 *p)
{
	u64 h = 0xcbf29ce484222325ULL;
	unsigned int i;

	for (i = 0; i < WORDS; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

/* New contents for page i, returning their checksum. */
static u64 fill_page(struct worker *w, unsigned int i, volatile u64 *p)
{
	u64 v = mix(((u64)w->cpu << 48) ^ (w->round << 16) ^ i);
	u64 h = 0xcbf29ce484222325ULL;
	unsigned int j;

	for (j = 0; j < WORDS; j++) {
		p[j] = v;
		h = (h ^ v) * 0x100000001b3ULL;
		v = v * 6364136223846793005ULL + 1442695040888963407ULL;
	}
	return h;
}

static unsigned long window(const struct worker *w, bool b)
{
	return PTSTRESS_BASE + w->cpu * PTSTRESS_WINDOW +
	       (b ? PTSTRESS_WINDOW / 2 : 0);
}

static void check_page(struct worker *w, unsigned int i, const void *va,
		       const char *where)
{
	u64 h = hash_page(va);

	w->st.pages_checked++;
	if (h == w->sums[i])
		return;
	w->st.mismatches++;
	if (w->reports++ < MAX_REPORTS)
		printk("ptstress: cpu %u round %llu page %u (pfn %#lx) %s: checksum %016llx, expected %016llx\n",
		       w->cpu, (unsigned long long)w->round, i,
		       (unsigned long)pfn_x(w->pfns[i]), where,
		       (unsigned long long)h, (unsigned long long)w->sums[i]);
}

static bool failed(struct worker *w, int rc, const char *what)
{
	if (!rc)
		return false;
	w->st.errors++;
	if (w->reports++ < MAX_REPORTS)
		printk("ptstress: cpu %u round %llu: %s refused: %d\n", w->cpu,
		       (unsigned long long)w->round, what, rc);
	return true;
}

/* Maps page i at slot (i + shift) % n of a half; the others follow. */
static int map_half(struct worker *w, bool b, unsigned int shift)
{
	unsigned int i, n = w->n;
	int rc;

	for (i = 0; i < n; i++) {
		unsigned int s = b ? (2 * n - 1 - i + shift) % n : (i + shift) % n;

		w->order[s] = w->mfns[i];
		if (b)
			w->slot[i] = s;
	}
	rc = xen_map_pages(&xen_kernel_pgd, window(w, b), w->order, n, PAGE_KERNEL);
	w->st.updates += n;
	return rc;
}

static int unmap_half(struct worker *w, bool b)
{
	w->st.updates += w->n;
	return xen_unmap_pages(&xen_kernel_pgd, window(w, b), w->n,
			       XEN_FLUSH_LOCAL);
}

/* Step 4: pages 0 and 1 trade places in B. */
static int swap_two(struct worker *w)
{
	unsigned long b = window(w, true);
	unsigned int s0 = w->slot[0], s1 = w->slot[1];
	int rc;

	rc = xen_remap_page(b + s0 * PAGE_SIZE, w->mfns[1], PAGE_KERNEL,
			    XEN_FLUSH_LOCAL);
	if (!rc)
		rc = xen_remap_page(b + s1 * PAGE_SIZE, w->mfns[0], PAGE_KERNEL,
				    XEN_FLUSH_LOCAL);
	w->st.updates += 2;
	if (!rc) {
		w->slot[0] = s1;
		w->slot[1] = s0;
	}
	return rc;
}

/* Step 0: the frames of our pages now (they change across a restore). */
static void read_frames(struct worker *w)
{
	unsigned int i;

	for (i = 0; i < w->n; i++)
		w->mfns[i] = pfn_to_mfn(w->pfns[i]);
}

static void one_round(struct worker *w)
{
	unsigned long a = window(w, false), b = window(w, true);
	unsigned int i, n = w->n, shift = w->round % n;

	read_frames(w);

	if (READ_ONCE(w->corrupt)) {
		((volatile u8 *)pfn_to_virt(w->pfns[0]))[123] ^= 0x20;
		WRITE_ONCE(w->corrupt, false);
	}

	if (failed(w, map_half(w, false, shift), "mapping A"))
		goto out;
	for (i = 0; i < n; i++) {
		void *va = (void *)(a + ((i + shift) % n) * PAGE_SIZE);

		check_page(w, i, va, "read through A");
		w->sums[i] = fill_page(w, i, va);
	}
	if (failed(w, map_half(w, true, shift), "mapping B") ||
	    failed(w, unmap_half(w, false), "unmapping A"))
		goto out;
	if (n > 1 && failed(w, swap_two(w), "swapping two B entries"))
		goto out;
	for (i = 0; i < n; i++)
		check_page(w, i, (void *)(b + w->slot[i] * PAGE_SIZE),
			   "read through B");
	check_page(w, shift, pfn_to_virt(w->pfns[shift]),
		   "read through the direct map");
	if (failed(w, unmap_half(w, true), "unmapping B"))
		goto out;
	if (xen_lookup_pte(&xen_kernel_pgd, b + w->slot[shift] * PAGE_SIZE) ||
	    xen_lookup_pte(&xen_kernel_pgd, a + shift * PAGE_SIZE))
		failed(w, -EEXIST, "an entry survived unmapping");
	w->st.rounds++;
	w->round++;
	return;
out:
	/* Leave nothing mapped, whatever step failed. */
	xen_unmap_pages(&xen_kernel_pgd, a, n, XEN_FLUSH_LOCAL);
	xen_unmap_pages(&xen_kernel_pgd, b, n, XEN_FLUSH_LOCAL);
	w->round++;
}

/* Round boundaries are its freeze points: nothing is mapped there. */
static int worker_main(void *data)
{
	struct worker *w = data;

	set_freezable();
	while (!kthread_should_stop()) {
		try_to_freeze();
		mfn_hold_begin();
		one_round(w);
		mfn_hold_end();
	}
	return 0;
}

static void free_worker(struct worker *w)
{
	unsigned int i;

	if (!w)
		return;
	for (i = 0; w->pfns && i < w->n; i++)
		if (!pfn_eq(w->pfns[i], INVALID_PFN))
			free_pfns(w->pfns[i], 0);
	kfree(w->pfns);
	kfree(w->mfns);
	kfree(w->order);
	kfree(w->slot);
	kfree(w->sums);
	kfree(w);
}

/* A worker for cpu with n pages, each filled and its checksum kept. */
static struct worker *new_worker(unsigned int cpu, unsigned int n)
{
	struct worker *w = kzalloc(sizeof(*w));
	unsigned int i;

	if (!w)
		return NULL;
	w->cpu = cpu;
	w->n = n;
	w->pfns = kmalloc(n * sizeof(*w->pfns));
	w->mfns = kmalloc(n * sizeof(*w->mfns));
	w->order = kmalloc(n * sizeof(*w->order));
	w->slot = kmalloc(n * sizeof(*w->slot));
	w->sums = kmalloc(n * sizeof(*w->sums));
	if (!w->pfns || !w->mfns || !w->order || !w->slot || !w->sums) {
		w->n = 0;
		free_worker(w);
		return NULL;
	}
	for (i = 0; i < n; i++)
		w->pfns[i] = alloc_pfns(0);
	for (i = 0; i < n; i++) {
		if (pfn_eq(w->pfns[i], INVALID_PFN)) {
			free_worker(w);
			return NULL;
		}
		w->sums[i] = fill_page(w, i, pfn_to_virt(w->pfns[i]));
	}
	w->round = 1;
	return w;
}

static void stop_all(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (workers[cpu] && workers[cpu]->task)
			kthread_stop(workers[cpu]->task);
	}
}

int ptstress_start(unsigned int pages_per_cpu)
{
	unsigned int cpu;
	int rc = 0;

	if (!pages_per_cpu || pages_per_cpu > PTSTRESS_MAX_PAGES)
		return -EINVAL;
	mutex_lock(&ptstress_mutex);
	if (running) {
		mutex_unlock(&ptstress_mutex);
		return -EBUSY;
	}
	for_each_online_cpu(cpu) {
		struct worker *w = new_worker(cpu, pages_per_cpu);
		struct task_struct *t;

		set_worker(cpu, w);
		if (!w) {
			rc = -ENOMEM;
			break;
		}
		t = kthread_run_on_cpu(worker_main, w, cpu, "ptstress/%u", cpu);
		if (IS_ERR(t)) {
			rc = PTR_ERR(t);
			break;
		}
		w->task = t;
	}
	if (rc) {
		stop_all();
		for (cpu = 0; cpu < NR_CPUS; cpu++) {
			struct worker *w = workers[cpu];

			set_worker(cpu, NULL);
			free_worker(w);
		}
	} else {
		running = true;
		printk("ptstress: %u pages on each of %u CPUs\n", pages_per_cpu,
		       num_online_cpus());
	}
	mutex_unlock(&ptstress_mutex);
	return rc;
}

static void add_stats(struct ptstress_stats *to, const struct ptstress_stats *s)
{
	to->rounds += READ_ONCE(s->rounds);
	to->updates += READ_ONCE(s->updates);
	to->pages_checked += READ_ONCE(s->pages_checked);
	to->mismatches += READ_ONCE(s->mismatches);
	to->errors += READ_ONCE(s->errors);
}

void ptstress_get_stats(struct ptstress_stats *total,
			struct ptstress_stats *cpu_stats)
{
	unsigned long flags;
	unsigned int cpu;

	memset(total, 0, sizeof(*total));
	if (cpu_stats)
		memset(cpu_stats, 0, NR_CPUS * sizeof(*cpu_stats));
	spin_lock_irqsave(&workers_lock, flags);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!workers[cpu])
			continue;
		add_stats(total, &workers[cpu]->st);
		if (cpu_stats)
			add_stats(&cpu_stats[cpu], &workers[cpu]->st);
	}
	spin_unlock_irqrestore(&workers_lock, flags);
}

void ptstress_stop(struct ptstress_stats *total)
{
	unsigned int cpu;

	mutex_lock(&ptstress_mutex);
	stop_all();
	memset(total, 0, sizeof(*total));
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		struct worker *w = workers[cpu];
		unsigned int i;

		if (!w)
			continue;
		/* A last look at every page through the direct map. */
		for (i = 0; i < w->n; i++)
			check_page(w, i, pfn_to_virt(w->pfns[i]),
				   "read through the direct map at stop");
		add_stats(total, &w->st);
		set_worker(cpu, NULL);
		free_worker(w);
	}
	running = false;
	mutex_unlock(&ptstress_mutex);
}

int ptstress_inject_corruption(void)
{
	unsigned int cpu, n = 0;

	mutex_lock(&ptstress_mutex);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (workers[cpu]) {
			WRITE_ONCE(workers[cpu]->corrupt, true);
			n++;
		}
	}
	mutex_unlock(&ptstress_mutex);
	return n;
}

bool ptstress_running(void)
{
	return READ_ONCE(running);
}

/* ---- "ptstress[=pages]" on the command line: run in the background ---- */

static unsigned int boot_pages;

static int ptstress_setup(const char *val)
{
	if (!val) {
		boot_pages = PTSTRESS_DEFAULT_PAGES;
		return 0;
	}
	return kstrtouint_range(val, 1, PTSTRESS_MAX_PAGES, &boot_pages);
}
__setup("ptstress", ptstress_setup);

/* Every 10 s, the totals: the line a watcher greps for. */
static int reporter_main(void *unused)
{
	u64 t0 = xen_clocksource_read();
	struct ptstress_stats st;
	unsigned int ticks = 0;

	while (!kthread_should_stop()) {
		msleep(1000);
		if (++ticks % 10 || !ptstress_running())
			continue;
		ptstress_get_stats(&st, NULL);
		printk("ptstress: %llu s, %llu rounds, %llu updates, %llu mismatches, %llu errors\n",
		       (unsigned long long)(xen_clocksource_read() - t0) / 1000000000ULL,
		       (unsigned long long)st.rounds,
		       (unsigned long long)st.updates,
		       (unsigned long long)st.mismatches,
		       (unsigned long long)st.errors);
	}
	return 0;
}

void ptstress_boot_start(void)
{
	struct task_struct *t;
	int rc;

	if (!boot_pages)
		return;
	rc = ptstress_start(boot_pages);
	if (rc) {
		printk("ptstress: cannot start: %d\n", rc);
		return;
	}
	t = kthread_run(reporter_main, NULL, "ptstress-report");
	if (IS_ERR(t))
		printk("ptstress: no reporter: %ld\n", PTR_ERR(t));
}
