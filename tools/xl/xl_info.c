// SPDX-License-Identifier: MIT
/*
 * tern-xl info: facts about the host's hypervisor, as `xl info` prints
 * them -- one "key : value" line each, the key padded as xl pads it, so
 * that scripts written for xl read the same lines.  Like xl, which asks
 * Xen (physinfo, xen_version) and uname, this asks the hypervisor in this
 * very process (xc_physinfo over a local handle: every domain process on
 * this host runs the same code on the same kernel) and uname.  Beyond
 * xl's keys it prints how log-dirty tracks guest writes here -- the
 * mechanism a live migration's ENABLE would use, and why not the other --
 * and the host's mapping limit, which the shadow lives within.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "xl.h"
#include "tools/libs/ctrl/xc.h"

#define KEY_FMT "%-23s: "

static void line(const char *key, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void line(const char *key, const char *fmt, ...)
{
	va_list ap;

	printf(KEY_FMT, key);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

int main_info(int argc, char **argv)
{
	struct hv_physinfo pi;
	struct utsname u;
	xc_interface *xch;
	uint64_t mb = 1024 * 1024 / 4096;
	int rc;

	if (argc > 1) {
		fprintf(stderr, "usage: tern-xl info\n");
		return XL_EXIT_ERROR;
	}
	xch = xc_interface_open_local();
	rc = xch ? xc_physinfo(xch, &pi) : -ENOMEM;
	xc_interface_close(xch);
	if (rc || uname(&u)) {
		fprintf(stderr, "tern-xl: info: %s\n",
			strerror(rc ? -rc : errno));
		return XL_EXIT_ERROR;
	}
	mb = 1024 * 1024 / pi.pagesize;
	line("host", "%s", u.nodename);
	line("release", "%s", u.release);
	line("version", "%s", u.version);
	line("machine", "%s", u.machine);
	line("nr_cpus", "%u", pi.nr_cpus);
	line("total_memory", "%llu", (unsigned long long)(pi.total_pages / mb));
	line("free_memory", "%llu", (unsigned long long)(pi.free_pages / mb));
	line("xen_major", "%u", pi.xen_major);
	line("xen_minor", "%u", pi.xen_minor);
	line("xen_extra", "%s", pi.xen_extra);
	line("xen_version", "%u.%u%s", pi.xen_major, pi.xen_minor,
	     pi.xen_extra);
	line("xen_caps", "%s", pi.xen_caps);
	line("xen_pagesize", "%u", pi.pagesize);
	line("platform_params", "virt_start=0x%llx",
	     (unsigned long long)pi.virt_start);
	line("xen_changeset", "%s", pi.xen_changeset);
	line("log_dirty", "%s", pi.logdirty);
	line("log_dirty_note", "%s", pi.logdirty_note[0] ? pi.logdirty_note :
						     "-");
	line("max_map_count", "%llu", (unsigned long long)pi.max_map_count);
	return XL_EXIT_OK;
}
