// SPDX-License-Identifier: MIT
/*
 * "resume_check" on the command line: after every resume (a new domain
 * or a cancelled suspend) the guest checks itself and prints one result
 * line, which the rig on Xen and the host hypervisor's loops parse:
 *
 *   resume-check: SUCCESS #<n> rc <0|1> ...
 *   resume-check: FAILURE #<n> rc <0|1>: <what failed>
 *
 * What a user of a resumed guest relies on: ptstress's pages all still
 * check (no mismatch, no refused hypercall) and its workers go on; the
 * clock did not go back, on any CPU (each CPU's own reading, by its own
 * record and the offset: the clock the kernel hands out never goes back
 * by construction, so only this can show a record or an offset that
 * did); xenstore answers, and a watch
 * fires (so watches were registered again); the console backend reads
 * what we print; every CPU's timer fires; IPIs reach every CPU and come
 * back.  It runs in a thread of its own, so that watch callbacks run
 * meanwhile.  It is not freezable: it holds no machine frame (it maps
 * nothing itself; the threads it starts map their stacks by pfn), so a
 * suspend need not wait for it; a check cut by one may report the stall
 * it saw.
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kthread.h>
#include <linux/dirtier.h>
#include <linux/p2mswap.h>
#include <linux/ptstress.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/time.h>
#include <xen/console.h>
#include <xen/suspend.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#define BOUND	(10 * NSEC_PER_SEC)	/* only a stalled host takes this */

static bool enabled;
static unsigned int resumes;

static int resume_check_setup(const char *val)
{
	if (!val) {
		enabled = true;
		return 0;
	}
	return kstrtobool(val, &enabled);
}
__setup("resume_check", resume_check_setup);

struct check {
	unsigned int n;
	int result;
	u64 suspended_at;		/* the clock when we left */
	char why[160];
	size_t len;
	volatile unsigned int ipis[NR_CPUS];
	u64 cpu_clock[NR_CPUS];
	bool timer_ok[NR_CPUS];
	volatile unsigned int watch_fired;
};

static struct check chk;

static void failed(struct check *c, const char *what)
{
	c->len += snprintf(c->why + c->len,
			   c->len < sizeof(c->why) ? sizeof(c->why) - c->len : 0,
			   "%s%s", c->len ? ", " : "", what);
}

/* This CPU's clock by its own record, without the kernel's maximum. */
static u64 own_clock(void)
{
	return xen_pvclock_read(&xen_vcpu_info()->time) + xen_clock_offset();
}

static void ipi_here(void *data)
{
	struct check *c = data;
	unsigned int cpu = smp_processor_id();

	c->ipis[cpu]++;
	c->cpu_clock[cpu] = own_clock();
}

/* On each CPU: its timer fires, not early, and its clock did not go back. */
static int timer_here(void *data)
{
	struct check *c = data;
	unsigned int cpu = smp_processor_id();
	u64 t0 = xen_clocksource_read(), own = own_clock();

	msleep(2);
	c->timer_ok[cpu] = own >= c->suspended_at &&
			   xen_clocksource_read() - t0 >= 2 * NSEC_PER_MSEC;
	return 0;
}

static void check_cpus(struct check *c)
{
	struct task_struct *t[NR_CPUS] = { NULL };
	unsigned int cpu;
	bool ok = true;

	memset((void *)c->ipis, 0, sizeof(c->ipis));
	on_each_cpu(ipi_here, c, true);
	for_each_online_cpu(cpu) {
		if (c->ipis[cpu] != 1 || c->cpu_clock[cpu] < c->suspended_at)
			ok = false;
		c->timer_ok[cpu] = false;
		t[cpu] = kthread_run_on_cpu(timer_here, c, cpu, "rcheck/%u", cpu);
		if (IS_ERR(t[cpu])) {
			t[cpu] = NULL;
			ok = false;
		}
	}
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!t[cpu])
			continue;
		kthread_stop(t[cpu]);
		if (!c->timer_ok[cpu])
			ok = false;
	}
	if (!ok)
		failed(c, "IPIs, timers or the clock on some CPU");
}

static void watch_cb(struct xenbus_watch *w, const char *path)
{
	chk.watch_fired++;
}

static struct xenbus_watch check_watch = {
	.node = "data/resume-check",
	.callback = watch_cb,
};

static void check_xenstore(struct check *c)
{
	char val[16], want[16];
	unsigned int fired;
	u64 t0;

	snprintf(want, sizeof(want), "%u", c->n);
	fired = c->watch_fired;
	if (xenbus_write(XBT_NIL, "data", "resume-check", want) ||
	    xenbus_read(XBT_NIL, "data", "resume-check", val, sizeof(val)) < 0 ||
	    strcmp(val, want)) {
		failed(c, "xenstore write and read back");
		return;
	}
	t0 = xen_clocksource_read();
	while (c->watch_fired == fired && xen_clocksource_read() - t0 < BOUND)
		msleep(1);
	if (c->watch_fired == fired)
		failed(c, "no watch event");
}

/* The backend consumes what we print: the console's port is right. */
static void check_console(struct check *c)
{
	struct xencons_interface *r = xen_console_ring();
	XENCONS_RING_IDX prod;
	u64 t0;

	if (!r) {
		failed(c, "no console ring");
		return;
	}
	printk("resume-check: #%u console\n", c->n);
	prod = READ_ONCE(r->out_prod);
	t0 = xen_clocksource_read();
	while ((s32)(READ_ONCE(r->out_cons) - prod) < 0 &&
	       xen_clocksource_read() - t0 < BOUND)
		msleep(1);
	if ((s32)(READ_ONCE(r->out_cons) - prod) < 0)
		failed(c, "the console backend reads nothing");
}

static void check_ptstress(struct check *c, struct ptstress_stats *st)
{
	struct ptstress_stats before, cpu_st[NR_CPUS], after[NR_CPUS];
	unsigned int cpu;
	u64 t0;
	bool moved;

	if (!ptstress_running())
		return;
	ptstress_get_stats(&before, cpu_st);
	t0 = xen_clocksource_read();
	do {
		msleep(5);
		ptstress_get_stats(st, after);
		moved = true;
		for_each_online_cpu(cpu)
			if (after[cpu].rounds <= cpu_st[cpu].rounds)
				moved = false;
	} while (!moved && xen_clocksource_read() - t0 < BOUND);
	if (!moved)
		failed(c, "ptstress stopped on some CPU");
	if (st->mismatches || st->errors)
		failed(c, "ptstress checksums or hypercalls");
}

static int check_main(void *data)
{
	struct check *c = data;
	struct ptstress_stats st = { 0 }, churn;
	struct dirtier_stats dirty;
	struct p2mswap_stats swap;

	check_ptstress(c, &st);
	ptchurn_get_stats(&churn);
	if (churn.mismatches || churn.errors)
		failed(c, "ptchurn's pages or hypercalls");
	dirtier_get_stats(&dirty);
	if (dirty.mismatches)
		failed(c, "the dirtier's pages (older than last written)");
	p2mswap_get_stats(&swap);
	if (swap.mismatches)
		failed(c, "p2mswap's pages (another value than written last)");
	check_cpus(c);
	check_xenstore(c);
	check_console(c);
	if (c->len)
		printk("resume-check: FAILURE #%u rc %d: %s\n", c->n, c->result,
		       c->why);
	else
		printk("resume-check: SUCCESS #%u rc %d, ptstress %llu rounds, %llu mismatches, %llu errors, ptchurn %llu rounds, clock offset %llu ms\n",
		       c->n, c->result, (unsigned long long)st.rounds,
		       (unsigned long long)st.mismatches,
		       (unsigned long long)st.errors,
		       (unsigned long long)churn.rounds,
		       xen_clock_offset() / NSEC_PER_MSEC);
	return 0;
}

static struct task_struct *check_task;

void xen_resume_check(const struct xen_suspend_info *info)
{
	static bool watching;

	if (!enabled)
		return;
	/* The previous check (a quick second suspend) is seen off first. */
	if (check_task)
		kthread_stop(check_task);
	if (!watching)
		watching = !register_xenbus_watch(&check_watch);
	memset(&chk, 0, offsetof(struct check, watch_fired));
	chk.n = ++resumes;
	chk.result = info->result;
	chk.suspended_at = info->stamp[SUS_PARKED];
	check_task = kthread_run(check_main, &chk, "resume-check");
	if (IS_ERR(check_task)) {
		printk("resume-check: ERROR #%u: no thread: %ld\n", chk.n,
		       PTR_ERR(check_task));
		check_task = NULL;
	}
}
