// SPDX-License-Identifier: MIT
/*
 * dirty=MIBPS: a guest that dirties memory at a set rate, for live
 * migration (Documentation/migration.rst): the workload that decides how
 * many pre-copy rounds converge, and whether the last one is complete.
 *
 * One freezable kthread owns dirty_mem MiB (default 32) of pages and
 * rewrites them in turn at MIBPS MiB/s: the first and last words of a
 * page get its next value, which the thread also keeps.  Before writing,
 * it checks the page still holds the value it wrote last time: the thread
 * is the page's only writer, so any other value means a page came across
 * a migration older than it was -- a dirty page the last round missed, or
 * sent before its last write.  Those are counted as mismatches and make
 * resume_check fail.  It paces itself on the clock and forgets the time
 * it spent frozen, so it never rushes to catch up after a resume, and
 * makes up at most 10 ms of writes when it was kept from its CPU.
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/dirtier.h>
#include <linux/errno.h>
#include <linux/freezer.h>
#include <linux/init.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/time.h>
#include <xen/xen.h>

#define WORDS		(PAGE_SIZE / sizeof(u64))
#define PAGES_PER_MIB	(1024 * 1024 / PAGE_SIZE)

static unsigned int rate_mibps, mem_mib = 32;
static pfn_t *pfns;
static u64 *vals;
static unsigned int nr_pages;
static struct dirtier_stats stats;

static int dirty_setup(const char *val)
{
	return val ? kstrtouint_range(val, 1, 65536, &rate_mibps) : -EINVAL;
}
__setup("dirty", dirty_setup);

static int dirty_mem_setup(const char *val)
{
	return val ? kstrtouint_range(val, 1, 4096, &mem_mib) : -EINVAL;
}
__setup("dirty_mem", dirty_mem_setup);

/* Checks page i against what was written last, then writes the next. */
static void touch(unsigned int i)
{
	volatile u64 *p = pfn_to_virt(pfns[i]);
	u64 v = vals[i];

	if (p[0] != v || p[WORDS - 1] != v) {
		WRITE_ONCE(stats.mismatches, stats.mismatches + 1);
		if (stats.mismatches <= 4)
			printk("dirty: page %u (pfn %#lx) holds %016llx/%016llx, not %016llx\n",
			       i, pfn_x(pfns[i]), (unsigned long long)p[0],
			       (unsigned long long)p[WORDS - 1],
			       (unsigned long long)v);
	}
	v = v * 6364136223846793005ULL + 1442695040888963407ULL;
	p[0] = v;
	p[WORDS - 1] = v;
	vals[i] = v;
	WRITE_ONCE(stats.pages_written, stats.pages_written + 1);
}

static int dirtier_main(void *unused)
{
	u64 t0 = xen_clocksource_read(), done = 0, last_report = t0;
	unsigned int next = 0;

	set_freezable();
	while (!kthread_should_stop()) {
		u64 now = xen_clocksource_read(), due;

		/* Pages due by now at the rate, counted from t0. */
		due = (now - t0) * rate_mibps * PAGES_PER_MIB / 1000000000ULL;
		/*
		 * A thread kept off its CPU does not make up more than 10 ms
		 * at once: the rate is a rate, not a burst at the next chance.
		 */
		if (due - done > rate_mibps * PAGES_PER_MIB / 100)
			done = due - rate_mibps * PAGES_PER_MIB / 100;
		while (done < due) {
			touch(next);
			next = (next + 1) % nr_pages;
			done++;
		}
		if (now - last_report >= 10000000000ULL) {
			last_report = now;
			printk("dirty: %u MiB/s over %u MiB: %llu pages written, %llu mismatches\n",
			       rate_mibps, mem_mib,
			       (unsigned long long)stats.pages_written,
			       (unsigned long long)stats.mismatches);
		}
		msleep(1);
		if (try_to_freeze()) {
			/* Time frozen is not owed. */
			t0 = xen_clocksource_read();
			done = 0;
		}
	}
	return 0;
}

void dirtier_get_stats(struct dirtier_stats *st)
{
	st->pages_written = READ_ONCE(stats.pages_written);
	st->mismatches = READ_ONCE(stats.mismatches);
	st->rate_mibps = rate_mibps;
}

void dirtier_boot_start(void)
{
	struct task_struct *t;
	unsigned int i;

	if (!rate_mibps)
		return;
	nr_pages = mem_mib * PAGES_PER_MIB;
	pfns = kmalloc(nr_pages * sizeof(*pfns));
	vals = kzalloc(nr_pages * sizeof(*vals));
	if (!pfns || !vals)
		goto nomem;
	for (i = 0; i < nr_pages; i++) {
		pfns[i] = alloc_pfns(0);
		if (pfn_eq(pfns[i], INVALID_PFN))
			goto nomem;
		memset(pfn_to_virt(pfns[i]), 0, PAGE_SIZE);
	}
	t = kthread_run(dirtier_main, NULL, "dirtier");
	if (IS_ERR(t)) {
		printk("dirty: no thread: %ld\n", PTR_ERR(t));
		return;
	}
	printk("dirty: %u MiB/s over %u MiB\n", rate_mibps, mem_mib);
	return;
nomem:
	printk("dirty: cannot have %u MiB\n", mem_mib);
	rate_mibps = 0;
}
