// SPDX-License-Identifier: MIT
/*
 * control/: what the guest tells the toolstack, and how it treats a
 * request it does not know.  The feature nodes must promise exactly
 * what drivers/xen/manage.c does (poweroff, reboot and suspend).  An
 * unknown value written to control/shutdown must be seen, left in place
 * unacknowledged, and must not stop us: the test writes one itself (the
 * node is ours to write, as a Xen toolstack creates it) and clears it
 * afterwards.  The requests that do act end the domain and are tested
 * from the host (selftests/host/t_shutdown.sh) and in the rig.
 */
#include <linux/kernel.h>
#include <linux/selftest.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/time.h>
#include <xen/manage.h>
#include <xen/xenbus.h>

static bool node_is(const char *node, const char *want)
{
	char val[64];
	int n = xenbus_read(XBT_NIL, "control", node, val, sizeof(val));

	return n >= 0 && !strcmp(val, want);
}

static enum selftest_result manage_test(void)
{
	unsigned long seen;
	u64 end;

	if (!xenbus_available())
		return SELFTEST_ERROR;
	ST_CHECK(node_is("feature-poweroff", "1"));
	ST_CHECK(node_is("feature-reboot", "1"));
	ST_CHECK(node_is("feature-suspend", "1"));
	ST_CHECK(node_is("shutdown", ""));

	seen = xen_manage_requests_seen();
	ST_CHECK(xenbus_write(XBT_NIL, "control", "shutdown",
			      "tern-selftest-unknown") == 0);
	end = xen_clocksource_read() + 10 * NSEC_PER_SEC;
	while (xen_manage_requests_seen() == seen &&
	       xen_clocksource_read() < end)
		msleep(1);
	ST_CHECK(xen_manage_requests_seen() != seen);
	/* Left alone: nobody acknowledged it, and here we still are. */
	ST_CHECK(node_is("shutdown", "tern-selftest-unknown"));
	ST_CHECK(xenbus_write(XBT_NIL, "control", "shutdown", "") == 0);
	return selftest_status();
}
DEFINE_SELFTEST(manage, manage_test);
