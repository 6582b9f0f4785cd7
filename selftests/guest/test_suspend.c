// SPDX-License-Identifier: MIT
/*
 * The parts of suspend that can be proven without a toolstack, on either
 * hypervisor (the whole path is proven on Xen by the rig, and by the
 * host hypervisor's loops once it suspends and resumes):
 *
 *  - parking: while other CPUs spend half their time inside
 *    pagetable-update sections, stop_machine() always finds every one of
 *    them parked outside any section, in its stopper thread (a build that
 *    parks by IPI, CONFIG_SUSPEND_SAFE_PARKING=n, fails here);
 *  - the audit: a frame number planted in an __mfn_var variable, a CPU
 *    inside a section and a task inside an mfn_hold stretch are each
 *    found, and nothing else than what a running guest has (shared_info
 *    mapped, start_info's rings as frames);
 *  - the binding table: with every VIRQ and IPI closed behind the
 *    kernel's back, as a restore leaves them, xen_events_resume() binds
 *    them all again and timers, IPIs, xenstore and the console work;
 *  - xenstore's gate: xs_suspend() lets nothing new through, waits for
 *    an open transaction (in vain, within its bound), and every request
 *    held at the gate goes through afterwards, none lost;
 *  - giving up: a freezable task that never freezes makes do_suspend()
 *    give up in time, and the guest runs on as before;
 *  - the whole path but the hypercall (a dry run, which goes on as a
 *    cancelled suspend), under ptstress and ptchurn: the record is
 *    complete (the audit finds nothing: shared_info away, start_info's
 *    rings as pfns, no CPU in a section, no task holding frames), each
 *    step comes after the one before, and everything works afterwards
 *    with no page of ptstress or ptchurn reading back wrong.
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/freezer.h>
#include <linux/kthread.h>
#include <linux/ptstress.h>
#include <linux/sched.h>
#include <linux/selftest.h>
#include <linux/smp.h>
#include <linux/stop_machine.h>
#include <linux/string.h>
#include <linux/time.h>
#include <linux/timer.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/mmu.h>
#include <xen/events.h>
#include <xen/suspend.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#define MS	NSEC_PER_MSEC
#define BOUND	(10000 * MS)

static volatile unsigned int stop_busy;

/*
 * Inside a section 1 ms at a time, with a pause of about as long outside
 * it (sleeping, so that the host's physical CPUs are shared fairly): a
 * CPU parked by IPI is found inside one in nearly every round.
 */
static int busy_in_sections(unsigned int cpu, void *arg)
{
	while (!READ_ONCE(stop_busy)) {
		mmu_section_begin();
		mdelay(1);
		mmu_section_end();
		msleep(1);
	}
	return 0;
}

struct park_seen {
	unsigned int bad;		/* CPUs found parked wrongly */
	unsigned int rounds;
};

static int look_at_parked(void *data)
{
	struct park_seen *p = data;
	unsigned int cpu, me = smp_processor_id();

	for_each_online_cpu(cpu) {
		if (cpu == me)
			continue;
		if (!cpu_stopped(cpu) || READ_ONCE(per_cpu(cpu)->mmu_section) ||
		    strncmp(cpu_curr_comm(cpu), "stopper/", 8)) {
			if (!p->bad++)
				printk("  CPU %u parked in %s, %u section(s) open\n",
				       cpu, cpu_curr_comm(cpu),
				       READ_ONCE(per_cpu(cpu)->mmu_section));
		}
	}
	p->rounds++;
	return 0;
}

static int park_driver(unsigned int cpu, void *arg)
{
	struct park_seen *p = arg;
	unsigned int i;

	if (cpu != 0)
		return busy_in_sections(cpu, arg);
	msleep(5);
	for (i = 0; i < 20; i++) {
		ST_CHECK(stop_machine(look_at_parked, p) == 0);
		msleep(3);
	}
	WRITE_ONCE(stop_busy, 1);
	return 0;
}

static void parking(void)
{
	struct park_seen p = { 0 };

	if (num_online_cpus() < 2) {
		printk("  one CPU: nothing to park\n");
		return;
	}
	stop_busy = 0;
	ST_CHECK(selftest_on_each_cpu(park_driver, &p) == 0);
	ST_CHECK(p.rounds == 20);
	ST_CHECK(p.bad == 0);
}

/* ---- the audit ---- */

/* Read by the audit only, through the section: kept and written for real. */
static mfn_t planted __mfn_var __used;

static int holder(void *arg)
{
	volatile unsigned int *go = arg;

	set_freezable();
	mfn_hold_begin();
	*go = 1;
	while (!kthread_should_stop())
		msleep(1);
	mfn_hold_end();
	return 0;
}

static void audit(void)
{
	struct xen_suspend_info base = { 0 }, i = { 0 };
	volatile unsigned int go = 0;
	struct task_struct *t;

	if (!IS_ENABLED(CONFIG_XEN_SUSPEND_AUDIT)) {
		printk("  CONFIG_XEN_SUSPEND_AUDIT is off\n");
		return;
	}
	/* A running guest: shared_info mapped, start_info's rings as frames. */
	xen_suspend_audit(&base);
	ST_CHECK(base.audit_ptes == 1);
	ST_CHECK(base.audit_start_info == 1);
	ST_CHECK(base.audit_vars == 0 && base.audit_cpus == 0 &&
		 base.audit_tasks == 0);
	ST_CHECK(base.audit_entries > xen_start_info->nr_pages);

	printk("  planting a frame number; the audit must name it\n");
	mmu_section_begin();
	WRITE_ONCE(planted.mfn, mfn_x(pfn_to_mfn(_pfn(xen_start_info->nr_pages - 1))));
	mmu_section_end();
	xen_suspend_audit(&i);
	ST_CHECK(i.audit_vars == 1);
	WRITE_ONCE(planted.mfn, INVALID_MFN_RAW);
	xen_suspend_audit(&i);
	ST_CHECK(i.audit_vars == 0);

	mmu_section_begin();
	xen_suspend_audit(&i);
	mmu_section_end();
	ST_CHECK(i.audit_cpus == 1);

	t = kthread_run(holder, (void *)&go, "mfn-holder");
	if (ST_CHECK(!IS_ERR(t))) {
		ST_CHECK(selftest_wait_flag(&go, BOUND));
		xen_suspend_audit(&i);
		ST_CHECK(i.audit_tasks == 1);
		kthread_stop(t);
	}
	xen_suspend_audit(&i);
	ST_CHECK(i.audit_bad == base.audit_bad);
}

/* ---- the binding table ---- */

#define MAX_SEEN	(8 * NR_CPUS + 8)

static struct evtchn_binding_info before[MAX_SEEN], after[MAX_SEEN];

/* Closes every VIRQ and IPI, then binds everything again, as on resume. */
static int lose_and_rebind(void *data)
{
	unsigned int n = evtchn_bindings(before, MAX_SEEN), i;

	for (i = 0; i < n && i < MAX_SEEN; i++) {
		struct evtchn_close op = { .port = before[i].port };

		if (before[i].kind == EVTCHN_VIRQ || before[i].kind == EVTCHN_IPI)
			HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
	}
	return xen_events_resume();
}

static void timers_again(void *data)
{
	timers_resume_this_cpu();
}

static volatile unsigned int called[NR_CPUS];

static void count_call(void *data)
{
	called[smp_processor_id()]++;
}

static int sleep_here(unsigned int cpu, void *arg)
{
	u64 t0 = xen_clocksource_read();

	msleep(3);
	return xen_clocksource_read() - t0 < 3 * MS;
}

/* After a resume: IPIs reach every CPU, its timers fire, the store answers. */
static void check_working(void)
{
	unsigned int cpu;
	char val[64];

	memset((void *)called, 0, sizeof(called));
	on_each_cpu(count_call, NULL, true);
	for_each_online_cpu(cpu)
		ST_CHECK(called[cpu] == 1);
	ST_CHECK(selftest_on_each_cpu(sleep_here, NULL) == 0);
	ST_CHECK(xenbus_read(XBT_NIL, "name", "", val, sizeof(val)) > 0);
}

static bool has(const struct evtchn_binding_info *b, unsigned int n,
		enum evtchn_kind kind, unsigned int virq, unsigned int cpu)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (b[i].kind == kind && b[i].virq == virq && b[i].cpu == cpu &&
		    b[i].port)
			return true;
	return false;
}

static void rebinding(void)
{
	unsigned int n, m, cpu, ipis = 0, i;

	ST_CHECK(stop_machine_on(0, lose_and_rebind, timers_again, NULL) == 0);
	n = evtchn_bindings(before, MAX_SEEN);
	m = evtchn_bindings(after, MAX_SEEN);
	ST_CHECK(n == m && n <= MAX_SEEN);
	for_each_online_cpu(cpu) {
		ST_CHECK(has(after, m, EVTCHN_VIRQ, VIRQ_TIMER, cpu));
		ST_CHECK(has(after, m, EVTCHN_VIRQ, VIRQ_DEBUG, cpu));
	}
	for (i = 0; i < m; i++)
		ipis += after[i].kind == EVTCHN_IPI;
	ST_CHECK(ipis == 3 * num_online_cpus());
	ST_CHECK(has(after, m, EVTCHN_STORE, 0, 0));
	ST_CHECK(has(after, m, EVTCHN_CONSOLE, 0, 0));
	/* And they work: IPIs everywhere, timers on every CPU, the store. */
	check_working();
	printk("  %u bindings bound again, all working\n", m);
}

/* ---- xenstore's gate ---- */

struct reader_state {
	volatile unsigned int ok, errors;
};

static int reader(void *arg)
{
	struct reader_state *r = arg;
	char val[64];

	while (!kthread_should_stop()) {
		if (xenbus_read(XBT_NIL, "name", "", val, sizeof(val)) > 0)
			r->ok++;
		else
			r->errors++;
	}
	return 0;
}

struct tx_state {
	volatile unsigned int open, may_end;
	int end_rc;
};

static int open_transaction(void *arg)
{
	struct tx_state *s = arg;
	xenbus_transaction_t t;

	if (xenbus_transaction_start(&t))
		return -EIO;
	s->open = 1;
	while (!s->may_end)
		msleep(1);
	s->end_rc = xenbus_transaction_end(t, true);
	return 0;
}

static void xenbus_gate(void)
{
	struct reader_state r = { 0 };
	struct tx_state tx = { 0 };
	struct task_struct *t;
	unsigned int held;
	u64 t0;

	t = kthread_run(reader, &r, "xs-reader");
	if (!ST_CHECK(!IS_ERR(t)))
		return;
	t0 = xen_clocksource_read();
	while (!r.ok && xen_clocksource_read() - t0 < BOUND)
		msleep(1);
	ST_CHECK(xs_suspend(BOUND) == 0);
	msleep(5);
	held = r.ok;
	msleep(30);
	ST_CHECK(r.ok == held);
	xs_suspend_cancel();
	t0 = xen_clocksource_read();
	while (r.ok == held && xen_clocksource_read() - t0 < BOUND)
		msleep(1);
	ST_CHECK(r.ok > held);
	kthread_stop(t);
	ST_CHECK(r.errors == 0);

	/* An open transaction keeps a suspend from going on. */
	t = kthread_run(open_transaction, &tx, "xs-tx");
	if (!ST_CHECK(!IS_ERR(t)))
		return;
	ST_CHECK(selftest_wait_flag(&tx.open, BOUND));
	printk("  a xenstore quiesce that fails follows, on purpose\n");
	ST_CHECK(xs_suspend(20 * MS) == -EBUSY);
	tx.may_end = 1;
	ST_CHECK(kthread_stop(t) == 0);
	ST_CHECK(tx.end_rc == 0);
}

/* ---- giving up ---- */

static int never_freezes(void *unused)
{
	set_freezable();
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

static void give_up(void)
{
	struct xen_suspend_info info = { .freeze_ns = 500 * MS };
	struct task_struct *t;
	char val[64];

	if (!IS_ENABLED(CONFIG_FREEZER)) {
		printk("  no freezer in this build: not suspending for real here\n");
		return;
	}
	t = kthread_run(never_freezes, NULL, "no-freeze");
	if (!ST_CHECK(!IS_ERR(t)))
		return;
	while (nr_freezable() < 1)
		msleep(1);
	printk("  a suspend that gives up follows, on purpose\n");
	ST_CHECK(xen_do_suspend(&info) == -EBUSY);
	ST_CHECK(!freezing() && nr_frozen() == 0);
	ST_CHECK(info.stamp[SUS_PARKED] == 0);
	ST_CHECK(xenbus_read(XBT_NIL, "name", "", val, sizeof(val)) > 0);
	ST_CHECK(kthread_stop(t) == 0);
}

/* ---- a dry run ---- */

static void dry_run(void)
{
	struct xen_suspend_info info = { .dry_run = true };
	struct ptstress_stats st, churn;
	unsigned int i;

	if (!ST_CHECK(ptstress_start(16) == 0))
		return;
	while (nr_freezable() < num_online_cpus())
		msleep(1);
	ST_CHECK(xen_do_suspend(&info) == 0);
	ST_CHECK(info.error == 0 && info.result == 1);
	if (IS_ENABLED(CONFIG_XEN_SUSPEND_AUDIT)) {
		ST_CHECK(info.audit_bad == 0);
		ST_CHECK(info.audit_entries > xen_start_info->nr_pages);
	}
	for (i = SUS_FROZEN; i < NR_SUSPEND_STAMPS; i++)
		if (!ST_CHECK(info.stamp[i] >= info.stamp[i - 1]))
			printk("  stamp %u before stamp %u\n", i, i - 1);
	/* Everything back: IPIs, every CPU's timer, the store, the rings. */
	check_working();
	ST_CHECK(!pfn_eq(xen_mfn_to_pfn(_mfn(xen_start_info->store_mfn)),
			 INVALID_PFN));
	ST_CHECK(HYPERVISOR_shared_info->arch.max_pfn ==
		 xen_start_info->nr_pages);
	msleep(20);
	ptstress_stop(&st);
	ptchurn_get_stats(&churn);
	ST_CHECK(st.mismatches == 0 && st.errors == 0);
	ST_CHECK(churn.mismatches == 0 && churn.errors == 0);
}

static enum selftest_result test_suspend_run(void)
{
	if (!xenbus_available())
		return SELFTEST_ERROR;
	parking();
	audit();
	rebinding();
	xenbus_gate();
	give_up();
	dry_run();
	return selftest_status();
}
DEFINE_SELFTEST(suspend, test_suspend_run);
