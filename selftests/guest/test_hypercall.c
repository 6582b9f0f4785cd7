// SPDX-License-Identifier: MIT
/*
 * The hypercall contract a PV kernel relies on from its first instruction:
 * xen_version answers, unknown hypercalls and sub-ops say -ENOSYS (not a
 * crash), bad guest pointers give -EFAULT, and arguments survive.
 */
#include <linux/kernel.h>
#include <linux/selftest.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <asm/xen/hypercall.h>
#include <xen/interface/features.h>

static enum selftest_result test_hypercall_run(void)
{
	xen_extraversion_t extra;
	struct xen_feature_info fi = { .submap_idx = 0 };
	int ver = HYPERVISOR_xen_version(XENVER_version, NULL);
	unsigned long bad = 0x1000deadb000UL;

	/* Major 3 or later, as every PV guest assumes. */
	ST_CHECK((ver >> 16) >= 3);
	memset(extra, 0, sizeof(extra));
	ST_CHECK(HYPERVISOR_xen_version(XENVER_extraversion, extra) == 0);
	ST_CHECK(strnlen(extra, sizeof(extra)) < sizeof(extra));
	ST_CHECK(HYPERVISOR_xen_version(XENVER_get_features, &fi) == 0);
	ST_CHECK(HYPERVISOR_xen_version(XENVER_pagesize, NULL) == 4096);
	ST_CHECK(HYPERVISOR_xen_version(XENVER_extraversion, (void *)bad) ==
		 -EFAULT);

	/* 60 is not a hypercall in any Xen we target. */
	ST_CHECK(HYPERVISOR_raw(60, 1, 2, 3) == -ENOSYS);
	ST_CHECK(HYPERVISOR_sched_op(0x7fff, NULL) == -ENOSYS);
	/* Yield returns to us with 0. */
	ST_CHECK(HYPERVISOR_sched_op(SCHEDOP_yield, NULL) == 0);
	return selftest_status();
}
DEFINE_SELFTEST(hypercall, test_hypercall_run);
