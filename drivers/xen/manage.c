// SPDX-License-Identifier: MIT
/*
 * control/shutdown: how a Xen toolstack asks a PV guest to shut down
 * (xl shutdown, xl reboot, xenstore-write .../control/shutdown poweroff).
 *
 * The guest watches the node.  On a change it reads the value and, in
 * the same transaction, writes it back empty: the empty node is the
 * acknowledgement the toolstack may wait for, and the transaction makes
 * read-and-clear one step, so a request written meanwhile is not wiped
 * unseen (the commit fails with EAGAIN and we look again).  Only then
 * does it act:
 *
 *   poweroff, halt    SCHEDOP_shutdown(poweroff)
 *   reboot            SCHEDOP_shutdown(reboot)
 *   crash             panic(), which ends in SCHEDOP_shutdown(crash)
 *   suspend           do_suspend(), below; the guest runs on afterwards
 *                     (resumed, restored elsewhere, or the suspend given up)
 *
 * A value we do not handle is left in place unacknowledged and logged:
 * the toolstack sees that nobody took it.  The empty value is our own
 * acknowledgement coming back as an event.
 *
 * control/feature-poweroff, -reboot and -suspend say "1" so that a
 * toolstack knows these requests will be honoured; they are written again
 * after a restore, into the new domain's store.  The toolstack creates
 * these nodes writable by the guest (as libxl does); a store where they
 * are not is reported and we carry on.
 *
 * do_suspend() (Linux's has the same shape): freeze the freezable tasks
 * (a task that does not freeze within SUSPEND_FREEZE_NS is named and the
 * suspend given up: Linux's 20 s, as a worker between two freeze points
 * may wait that long for its vCPU on a loaded host), quiesce xenstore (no request or transaction in
 * flight), then stop_machine() with CPU 0 running xen_suspend()
 * (arch/x86/xen/suspend.c), and on the way back xenstore and the tasks
 * again.  Every step is stamped; one line gives the times
 * (Documentation/suspend.rst), and with "resume_check" on the command
 * line the guest checks itself after every resume (resume_check.c).
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/freezer.h>
#include <linux/mutex.h>
#include <linux/stop_machine.h>
#include <linux/string.h>
#include <linux/time.h>
#include <xen/manage.h>
#include <xen/suspend.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#define SUSPEND_FREEZE_NS	(20 * NSEC_PER_SEC)
#define SUSPEND_XENBUS_NS	(2 * NSEC_PER_SEC)

enum shutdown_action {
	ACT_NONE,
	ACT_POWEROFF,
	ACT_HALT,
	ACT_REBOOT,
	ACT_CRASH,
	ACT_SUSPEND,
};

static const struct {
	const char *value;
	enum shutdown_action action;
} requests[] = {
	{ "poweroff", ACT_POWEROFF },
	{ "halt", ACT_HALT },
	{ "reboot", ACT_REBOOT },
	{ "crash", ACT_CRASH },
	{ "suspend", ACT_SUSPEND },
};

static const char *const features[] = {
	"feature-poweroff",
	"feature-reboot",
	"feature-suspend",
};

static DEFINE_MUTEX(suspend_mutex);

static unsigned long requests_seen;

unsigned long xen_manage_requests_seen(void)
{
	return READ_ONCE(requests_seen);
}

static enum shutdown_action action_of(const char *value)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(requests); i++)
		if (!strcmp(value, requests[i].value))
			return requests[i].action;
	return ACT_NONE;
}

/*
 * Reads control/shutdown and, if it is a request we handle, clears it,
 * all in one transaction; returns the action, with the value in buf.
 */
static enum shutdown_action take_request(char *buf, size_t len)
{
	enum shutdown_action act;
	xenbus_transaction_t t;
	int rc;

again:
	buf[0] = '\0';
	rc = xenbus_transaction_start(&t);
	if (rc) {
		printk("manage: cannot start a transaction: %d\n", rc);
		return ACT_NONE;
	}
	rc = xenbus_read(t, "control", "shutdown", buf, len);
	if (rc < 0 || !buf[0]) {
		/* Gone, unreadable, or our own acknowledgement. */
		if (rc < 0 && rc != -ENOENT)
			printk("manage: cannot read control/shutdown: %d\n", rc);
		buf[0] = '\0';
		xenbus_transaction_end(t, true);
		return ACT_NONE;
	}
	act = action_of(buf);
	if (act != ACT_NONE) {
		rc = xenbus_write(t, "control", "shutdown", "");
		if (rc) {
			printk("manage: cannot acknowledge '%s': %d\n", buf, rc);
			xenbus_transaction_end(t, true);
			buf[0] = '\0';
			return ACT_NONE;
		}
	}
	rc = xenbus_transaction_end(t, false);
	if (rc == -EAGAIN)
		goto again;
	if (rc) {
		printk("manage: committing the acknowledgement failed: %d\n", rc);
		buf[0] = '\0';
		return ACT_NONE;
	}
	return act;
}

static void write_features(void)
{
	unsigned int i;
	int rc;

	for (i = 0; i < ARRAY_SIZE(features); i++) {
		rc = xenbus_write(XBT_NIL, "control", features[i], "1");
		if (rc)
			printk("manage: cannot write control/%s: %d\n",
			       features[i], rc);
	}
}

static unsigned long long us_between(const struct xen_suspend_info *info, unsigned int a,
		      unsigned int b)
{
	u64 x = info->stamp[a], y = info->stamp[b];

	return x && y > x ? (y - x) / NSEC_PER_USEC : 0;
}

/* One line with where the time went (Documentation/suspend.rst). */
static void report(const struct xen_suspend_info *info)
{
	printk("suspend: rc %d, request->acked %llu us, frozen %llu us, xenbus %llu us, parked %llu us, record %llu us, hypercall %llu us; total %llu us\n",
	       info->result, us_between(info, SUS_REQUEST, SUS_ACKED),
	       us_between(info, SUS_ACKED, SUS_FROZEN),
	       us_between(info, SUS_FROZEN, SUS_XENBUS),
	       us_between(info, SUS_XENBUS, SUS_PARKED),
	       us_between(info, SUS_PARKED, SUS_AUDITED),
	       us_between(info, SUS_AUDITED, SUS_HYPERCALL),
	       us_between(info, info->stamp[SUS_REQUEST] ? SUS_REQUEST :
			  SUS_FROZEN, SUS_HYPERCALL));
	printk("resume: rc %d, returned->time %llu us, events %llu us, cpus %llu us, xenbus %llu us, thawed %llu us; total %llu us\n",
	       info->result, us_between(info, RES_RETURNED, RES_TIME),
	       us_between(info, RES_TIME, RES_EVENTS),
	       us_between(info, RES_EVENTS, RES_CPUS),
	       us_between(info, RES_CPUS, RES_XENBUS),
	       us_between(info, RES_XENBUS, RES_THAWED),
	       us_between(info, RES_RETURNED, RES_THAWED));
}

int xen_do_suspend(struct xen_suspend_info *info)
{
	bool new_domain;
	int rc;

	mutex_lock(&suspend_mutex);
	rc = freeze_kthreads(info->freeze_ns ?: SUSPEND_FREEZE_NS);
	if (rc) {
		printk("suspend: given up: not every task froze (%d)\n", rc);
		goto out;
	}
	info->stamp[SUS_FROZEN] = xen_clocksource_read();
	rc = xs_suspend(SUSPEND_XENBUS_NS);
	if (rc) {
		printk("suspend: given up: xenstore did not quiesce (%d)\n", rc);
		thaw_kthreads();
		goto out;
	}
	info->stamp[SUS_XENBUS] = xen_clocksource_read();
	rc = stop_machine_on(0, xen_suspend, xen_suspend_after, info);
	if (rc && !info->error)
		info->error = rc;
	info->stamp[RES_CPUS] = xen_clocksource_read();
	new_domain = !info->error && info->result == 0;
	if (new_domain)
		rc = xs_resume();
	else
		xs_suspend_cancel();
	info->stamp[RES_XENBUS] = xen_clocksource_read();
	thaw_kthreads();
	info->stamp[RES_THAWED] = xen_clocksource_read();
	if (new_domain)
		write_features();
	if (info->error) {
		printk("suspend: given up: %d\n", info->error);
		rc = info->error;
	} else if (!info->dry_run) {
		report(info);
		xen_resume_check(info);
	}
out:
	mutex_unlock(&suspend_mutex);
	return rc;
}

static void shutdown_changed(struct xenbus_watch *w, const char *path)
{
	char value[64];
	u64 seen = xen_clocksource_read();
	enum shutdown_action act = take_request(value, sizeof(value));
	struct xen_suspend_info info = { 0 };

	if (value[0])
		__atomic_fetch_add(&requests_seen, 1, __ATOMIC_SEQ_CST);
	switch (act) {
	case ACT_POWEROFF:
	case ACT_HALT:
		printk("manage: %s requested through control/shutdown\n", value);
		xen_shutdown(SHUTDOWN_poweroff);
	case ACT_REBOOT:
		printk("manage: reboot requested through control/shutdown\n");
		xen_shutdown(SHUTDOWN_reboot);
	case ACT_CRASH:
		panic("crash requested through control/shutdown");
	case ACT_SUSPEND:
		info.stamp[SUS_REQUEST] = seen;
		info.stamp[SUS_ACKED] = xen_clocksource_read();
		printk("manage: suspend requested through control/shutdown\n");
		xen_do_suspend(&info);
		break;
	case ACT_NONE:
		if (value[0])
			printk("manage: ignoring unknown control/shutdown request '%s'\n",
			       value);
		break;
	}
}

static struct xenbus_watch shutdown_watch = {
	.node = "control/shutdown",
	.callback = shutdown_changed,
};

int xen_manage_init(void)
{
	int rc;

	/* Watch first: a toolstack that sees a feature may use it at once. */
	rc = register_xenbus_watch(&shutdown_watch);
	if (rc) {
		printk("manage: cannot watch control/shutdown: %d\n", rc);
		return rc;
	}
	write_features();
	return 0;
}
