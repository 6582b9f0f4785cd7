// SPDX-License-Identifier: MIT
/*
 * What quiescing the domain costs, the first steps of every suspend:
 * freezing ptstress's workers on every CPU (each parks at its next round
 * boundary), stop_machine until its function runs (every other CPU
 * parked), and the thaw itself (without the woken workers' running,
 * which would otherwise be counted when one shares our CPU).  Each is the
 * mean of ROUNDS runs, with ptstress on every CPU as the load a suspend
 * would meet.
 */
#include <linux/kernel.h>
#include <linux/bench.h>
#include <linux/delay.h>
#include <linux/freezer.h>
#include <linux/preempt.h>
#include <linux/ptstress.h>
#include <linux/smp.h>
#include <linux/stop_machine.h>
#include <linux/time.h>

#define ROUNDS	20

/* When the function ran: stop_machine's latency ends there. */
static int stamp(void *data)
{
	*(u64 *)data = xen_clocksource_read();
	return 0;
}

static void bench_quiesce_run(void)
{
	u64 freeze_ns = 0, stop_ns = 0, thaw_ns = 0, t0, ran;
	struct ptstress_stats st;
	unsigned int i, done = 0;

	if (ptstress_start(PTSTRESS_DEFAULT_PAGES)) {
		printk("bench quiesce: cannot start ptstress\n");
		return;
	}
	for (i = 0; i < ROUNDS; i++) {
		msleep(10);
		t0 = xen_clocksource_read();
		if (freeze_kthreads(10 * NSEC_PER_SEC))
			continue;
		freeze_ns += xen_clocksource_read() - t0;
		t0 = xen_clocksource_read();
		stop_machine(stamp, &ran);
		stop_ns += ran - t0;
		preempt_disable();
		t0 = xen_clocksource_read();
		thaw_kthreads();
		thaw_ns += xen_clocksource_read() - t0;
		preempt_enable();
		done++;
	}
	ptstress_stop(&st);
	if (!done)
		return;
	bench_report("quiesce", "cpus", num_online_cpus(), "cpus");
	bench_report("quiesce", "freeze_ptstress_us", freeze_ns / done / 1000, "us");
	bench_report("quiesce", "stop_machine_until_fn_us", stop_ns / done / 1000, "us");
	bench_report("quiesce", "thaw_us", thaw_ns / done / 1000, "us");
	bench_report("quiesce", "mismatches", st.mismatches, "pages");
}
DEFINE_BENCHMARK(quiesce, bench_quiesce_run);
