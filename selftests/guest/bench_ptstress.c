// SPDX-License-Identifier: MIT
/*
 * How many pagetable updates per second ptstress sustains with every
 * online CPU running a worker (ptstress_bench_ms=, default 2000), and the
 * same per CPU.  An update is one L1 entry written by mmu_update or
 * update_va_mapping; each round also reads and writes every page, so the
 * figure includes the cost of touching freshly mapped memory, which on
 * the host hypervisor is a shadow fault per page.
 */
#include <linux/kernel.h>
#include <linux/bench.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/ptstress.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/time.h>

static unsigned int bench_ms = 2000;

static int ptstress_bench_ms_setup(const char *val)
{
	return kstrtouint_range(val, 1, 3600 * 1000, &bench_ms);
}
__setup("ptstress_bench_ms", ptstress_bench_ms_setup);

static void bench_ptstress_run(void)
{
	struct ptstress_stats st;
	u64 t0, ns;
	int rc;

	rc = ptstress_start(PTSTRESS_DEFAULT_PAGES);
	if (rc) {
		printk("bench ptstress: cannot start: %d\n", rc);
		return;
	}
	t0 = xen_clocksource_read();
	msleep(bench_ms);
	ptstress_stop(&st);
	ns = xen_clocksource_read() - t0;
	bench_report("ptstress", "cpus", num_online_cpus(), "cpus");
	bench_report("ptstress", "pt_updates_per_s",
		     st.updates * 1000000000ULL / ns, "/s");
	bench_report("ptstress", "pt_updates_per_s_per_cpu",
		     st.updates * 1000000000ULL / ns / num_online_cpus(), "/s");
	bench_report("ptstress", "rounds_per_s", st.rounds * 1000000000ULL / ns,
		     "/s");
	bench_report("ptstress", "mismatches", st.mismatches, "pages");
}
DEFINE_BENCHMARK(ptstress, bench_ptstress_run);
