// SPDX-License-Identifier: MIT
/*
 * ptstress on every CPU for a set time (ptstress_ms=, default 1000): each
 * CPU's worker completes rounds, no page ever reads back wrong, no
 * pagetable hypercall is refused, and stopping gives back every page.
 * Starting it twice is refused; so is a bad page count.  A short first
 * run makes the windows' tables, which stay; after it, a start and stop
 * must leave exactly as many pages free as before.  That first run also
 * proves the checker: a byte flipped behind each worker's back must be
 * reported as exactly one mismatch per CPU.
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/ptstress.h>
#include <linux/selftest.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/time.h>

static unsigned int run_ms = 1000;

static int ptstress_ms_setup(const char *val)
{
	return kstrtouint_range(val, 1, 3600 * 1000, &run_ms);
}
__setup("ptstress_ms", ptstress_ms_setup);

static unsigned long free_or_slab(void)
{
	struct kmalloc_stats ks;

	kmalloc_get_stats(&ks);
	return nr_free_pages() + ks.pages;
}

static enum selftest_result test_ptstress_run(void)
{
	static struct ptstress_stats per_cpu_st[NR_CPUS];
	struct ptstress_stats total, final;
	unsigned long before;
	unsigned int cpu;
	u64 t0;

	ST_CHECK(ptstress_start(0) == -EINVAL);
	ST_CHECK(ptstress_start(PTSTRESS_MAX_PAGES + 1) == -EINVAL);
	if (!ST_CHECK(ptstress_start(PTSTRESS_DEFAULT_PAGES) == 0))
		return SELFTEST_ERROR;
	msleep(20);
	printk("  one checksum mismatch per CPU follows, on purpose\n");
	ST_CHECK(ptstress_inject_corruption() == (int)num_online_cpus());
	/* Each worker flips at its next round, whenever its vCPU gets to run. */
	t0 = xen_clocksource_read();
	do {
		msleep(1);
		ptstress_get_stats(&total, NULL);
	} while (total.mismatches < num_online_cpus() &&
		 xen_clocksource_read() - t0 < 10 * NSEC_PER_SEC);
	ptstress_stop(&final);
	ST_CHECK(final.mismatches == num_online_cpus());
	ST_CHECK(final.errors == 0);
	before = free_or_slab();
	if (!ST_CHECK(ptstress_start(PTSTRESS_DEFAULT_PAGES) == 0))
		return SELFTEST_ERROR;
	ST_CHECK(ptstress_running());
	ST_CHECK(ptstress_start(PTSTRESS_DEFAULT_PAGES) == -EBUSY);
	msleep(run_ms);
	ptstress_get_stats(&total, per_cpu_st);
	ptstress_stop(&final);
	ST_CHECK(!ptstress_running());
	for_each_online_cpu(cpu) {
		printk("  cpu %u: %llu rounds, %llu updates, %llu pages checked\n",
		       cpu, (unsigned long long)per_cpu_st[cpu].rounds,
		       (unsigned long long)per_cpu_st[cpu].updates,
		       (unsigned long long)per_cpu_st[cpu].pages_checked);
		ST_CHECK(per_cpu_st[cpu].rounds > 0);
	}
	printk("  %u ms: %llu rounds, %llu updates, %llu mismatches, %llu errors\n",
	       run_ms, (unsigned long long)final.rounds,
	       (unsigned long long)final.updates,
	       (unsigned long long)final.mismatches,
	       (unsigned long long)final.errors);
	ST_CHECK(final.rounds >= total.rounds);
	ST_CHECK(final.pages_checked > total.pages_checked);
	ST_CHECK(final.mismatches == 0);
	ST_CHECK(final.errors == 0);
	ST_CHECK(free_or_slab() == before);
	return selftest_status();
}
DEFINE_SELFTEST(ptstress, test_ptstress_run);
