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
 *
 * A value we do not handle, suspend among them for now, is left in place
 * unacknowledged and logged: the toolstack sees that nobody took it.
 * The empty value is our own acknowledgement coming back as an event.
 *
 * control/feature-poweroff and control/feature-reboot say "1" so that a
 * toolstack knows these requests will be honoured.  feature-suspend is
 * deliberately not written: suspend is not supported yet.  The
 * toolstack creates these nodes writable by the guest (as libxl does);
 * a store where they are not is reported and we carry on.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <xen/manage.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

enum shutdown_action {
	ACT_NONE,
	ACT_POWEROFF,
	ACT_HALT,
	ACT_REBOOT,
	ACT_CRASH,
};

static const struct {
	const char *value;
	enum shutdown_action action;
} requests[] = {
	{ "poweroff", ACT_POWEROFF },
	{ "halt", ACT_HALT },
	{ "reboot", ACT_REBOOT },
	{ "crash", ACT_CRASH },
};

static const char *const features[] = {
	"feature-poweroff",
	"feature-reboot",
};

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
			return ACT_NONE;
		}
	}
	rc = xenbus_transaction_end(t, false);
	if (rc == -EAGAIN)
		goto again;
	if (rc) {
		printk("manage: committing the acknowledgement failed: %d\n", rc);
		return ACT_NONE;
	}
	return act;
}

static void shutdown_changed(struct xenbus_watch *w, const char *path)
{
	char value[64];
	enum shutdown_action act = take_request(value, sizeof(value));

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
	unsigned int i;
	int rc;

	/* Watch first: a toolstack that sees a feature may use it at once. */
	rc = register_xenbus_watch(&shutdown_watch);
	if (rc) {
		printk("manage: cannot watch control/shutdown: %d\n", rc);
		return rc;
	}
	for (i = 0; i < ARRAY_SIZE(features); i++) {
		rc = xenbus_write(XBT_NIL, "control", features[i], "1");
		if (rc)
			printk("manage: cannot write control/%s: %d\n",
			       features[i], rc);
	}
	return 0;
}
