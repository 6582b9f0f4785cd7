// SPDX-License-Identifier: MIT
/*
 * What a suspend costs the guest, step by step, without the hypercall
 * (a dry run: the whole of do_suspend() with the record written, audited
 * and undone as for a cancelled suspend), with ptstress on every CPU as
 * the load: freeze, xenstore quiesced, every CPU parked, the record
 * (with the audit when built in), then the way back.  Means of ROUNDS
 * runs.  The real suspend on Xen prints the same steps around a real
 * hypercall (Documentation/suspend.rst); the rig shows those.
 */
#include <linux/kernel.h>
#include <linux/bench.h>
#include <linux/delay.h>
#include <linux/ptstress.h>
#include <linux/smp.h>
#include <linux/time.h>
#include <xen/suspend.h>

#define ROUNDS	10

static void bench_suspend_run(void)
{
	u64 sum[NR_SUSPEND_STAMPS] = { 0 };
	struct ptstress_stats st;
	unsigned int i, s, done = 0;

	if (ptstress_start(PTSTRESS_DEFAULT_PAGES)) {
		printk("bench suspend: cannot start ptstress\n");
		return;
	}
	for (i = 0; i < ROUNDS; i++) {
		struct xen_suspend_info info = { .dry_run = true };

		msleep(10);
		/* As if the request had just been acknowledged. */
		info.stamp[SUS_ACKED] = xen_clocksource_read();
		if (xen_do_suspend(&info) || info.error)
			continue;
		for (s = SUS_FROZEN; s < NR_SUSPEND_STAMPS; s++)
			if (info.stamp[s] > info.stamp[s - 1])
				sum[s] += info.stamp[s] - info.stamp[s - 1];
		done++;
	}
	ptstress_stop(&st);
	if (!done)
		return;
	bench_report("suspend", "cpus", num_online_cpus(), "cpus");
	bench_report("suspend", "dry_runs", done, "runs");
	bench_report("suspend", "freeze_us", sum[SUS_FROZEN] / done / 1000, "us");
	bench_report("suspend", "xenbus_quiesce_us", sum[SUS_XENBUS] / done / 1000, "us");
	bench_report("suspend", "park_all_cpus_us", sum[SUS_PARKED] / done / 1000, "us");
	bench_report("suspend", "record_and_audit_us", sum[SUS_AUDITED] / done / 1000, "us");
	bench_report("suspend", "resume_time_us", sum[RES_TIME] / done / 1000, "us");
	bench_report("suspend", "resume_events_us", sum[RES_EVENTS] / done / 1000, "us");
	bench_report("suspend", "resume_cpus_us", sum[RES_CPUS] / done / 1000, "us");
	bench_report("suspend", "resume_xenbus_us", sum[RES_XENBUS] / done / 1000, "us");
	bench_report("suspend", "thaw_us", sum[RES_THAWED] / done / 1000, "us");
	bench_report("suspend", "mismatches", st.mismatches, "pages");
}
DEFINE_BENCHMARK(suspend, bench_suspend_run);
